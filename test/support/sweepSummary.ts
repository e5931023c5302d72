// A sweep's summary for tests of what stores, uploads or documents one: a sweep of ten objects that found one new
// critical finding. A test names what it reads back or asserts on; the rest are these values.
import type { SweepSummary } from '../../shared/sweep/types.js';

export function sweepSummary(
  summary: Partial<SweepSummary> & Pick<SweepSummary, 'sweepId' | 'clusterId' | 'startedAt'>,
): SweepSummary {
  return {
    clusterName: summary.clusterId.split('/').pop() ?? '',
    finishedAt: summary.startedAt,
    durationMs: 1000,
    score: 80,
    namespaceScores: { shop: 80 },
    counts: { critical: 1, warning: 0, info: 0, new: 1, resolved: 0 },
    objectsScanned: 10,
    partial: false,
    errors: [],
    ...summary,
  };
}
