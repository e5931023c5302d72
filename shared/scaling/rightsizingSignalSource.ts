// The recommendations as a sweep signal source (cost.* findings). Weeks of history change little from one sweep to
// the next, and reading them is the heaviest query the app sends, so a cluster's recommendations are reused for
// RECOMMENDATION_CACHE_MS before Log Analytics is asked again. Off, like the diagnostics' Container insights
// evidence, when LOG_ANALYTICS_WORKSPACE_ID is empty.
import type { ClusterSignalSource } from '../sweep/clusterSignals.js';
import { ensureErrorType } from '../errors.js';
import { clusterFactsFrom } from './readClusterFacts.js';
import { recommendationFindings } from './recommendationFindings.js';
import { createUsageHistoryReader, recommendScaling, type ScalingRecommendations } from './recommendations.js';

export const RECOMMENDATION_CACHE_MS = 3600_000;

const cache = new Map<string, { at: number; recs: ScalingRecommendations }>();

export const rightsizingSignalSource: ClusterSignalSource = {
  name: 'rightsizing',
  async collect(input) {
    // Container insights querying is off when no workspace is configured (LOG_ANALYTICS_WORKSPACE_ID, as for the
    // diagnostics' evidence): nothing to read, nothing to report.
    if (!input.config.LOG_ANALYTICS_WORKSPACE_ID) return { drafts: [], errors: [] };
    if (!input.cluster) return { drafts: [], errors: ['rightsizing: not read, ARM did not describe the cluster'] };
    const key = input.clusterId.toLowerCase();
    const hit = cache.get(key);
    try {
      let recs = hit && input.now.getTime() - hit.at < RECOMMENDATION_CACHE_MS ? hit.recs : undefined;
      if (!recs) {
        recs = await recommendScaling(
          input.clusterId,
          {
            readUsageHistory: createUsageHistoryReader(input.config, input.credential),
            now: () => input.now,
            abortSignal: input.abortSignal,
          },
          {},
          clusterFactsFrom(input.clusterId, input.cluster),
        );
        // A cluster without enough history yet is asked again next sweep rather than an hour later.
        if (recs.pools.some((p) => p.schedule) || recs.workloads.some((w) => w.recommended))
          cache.set(key, { at: input.now.getTime(), recs });
      }
      return { drafts: recommendationFindings(recs), errors: [] };
    } catch (err) {
      return { drafts: [], errors: [`rightsizing: ${ensureErrorType(err).message}`] };
    }
  },
};
