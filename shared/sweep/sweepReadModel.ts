// What the read API returns, built from the findings store.
import { ValidationError } from '../errors.js';
import { isManagedClusterId } from '../azure/arm/managedClusterId.js';
import type { ClusterSweepInfo, FindingsRepository } from './findingsRepository.js';
import { gradeOf, type Grade } from './score.js';
import { compareFindings } from './sortFindings.js';
import type { Severity, SweepSummary, TrackedFinding } from './types.js';
import { SEVERITY_ORDER } from './analyzer.js';

export interface SweptCluster extends ClusterSweepInfo {
  grade: Grade;
  /** Finding counts of the latest sweep. */
  counts?: SweepSummary['counts'];
  /** Scores of the latest sweeps (at most TREND_SWEEPS), oldest first: the fleet view's trend. */
  trend?: Array<{ sweepId: string; startedAt: string; score: number }>;
}

export const TREND_SWEEPS = 12;

export interface LatestSweep {
  summary: SweepSummary;
  grade: Grade;
  /** Open findings (state new or open) matching the filters: how many there are in all. */
  totalFindings: number;
  /** The first `limit` of them, most severe first. */
  findings: TrackedFinding[];
}

export interface LatestSweepQuery {
  cluster?: string | null;
  /** Minimum severity: `warning` returns critical and warning. */
  severity?: string | null;
  namespace?: string | null;
  /** Maximum findings returned, 1..10000 (default 1000). */
  limit?: string | null;
}

export async function readSweptClusters(
  store: FindingsRepository,
  options: { abortSignal?: AbortSignal } = {},
): Promise<SweptCluster[]> {
  const clusters = await store.listClusters(options);
  // One history query per cluster, a few at a time: a fleet is tens of clusters, each query a single partition.
  const out: SweptCluster[] = [];
  for (let i = 0; i < clusters.length; i += 8) {
    out.push(
      ...(await Promise.all(
        clusters.slice(i, i + 8).map(async (c) => {
          const history = await store.listSweeps(c.clusterId, { ...options, top: TREND_SWEEPS });
          const latest = history.find((s) => s.sweepId === c.lastSweepId) ?? history[0];
          return {
            ...c,
            grade: gradeOf(c.score),
            ...(latest ? { counts: latest.counts } : {}),
            trend: history.map((s) => ({ sweepId: s.sweepId, startedAt: s.startedAt, score: s.score })).reverse(),
          };
        }),
      )),
    );
  }
  return out;
}

/** ValidationError (HTTP 400) when a parameter is wrong; undefined when the cluster was never swept. */
export async function readLatestSweep(
  store: FindingsRepository,
  query: LatestSweepQuery,
  options: { abortSignal?: AbortSignal } = {},
): Promise<LatestSweep | undefined> {
  const cluster = query.cluster?.trim();
  const problems: string[] = [];
  if (!cluster) problems.push('cluster: required (the AKS cluster resource id)');
  else if (!isManagedClusterId(cluster)) {
    problems.push(
      `cluster: must be an AKS cluster resource id (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>), got '${cluster}'`,
    );
  }
  const severity = query.severity?.trim() || undefined;
  if (severity !== undefined && !Object.hasOwn(SEVERITY_ORDER, severity))
    problems.push(`severity: must be critical, warning or info, got '${severity}'`);
  const limitText = query.limit?.trim() || undefined;
  const limit = limitText === undefined ? 1000 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    problems.push(`limit: must be an integer from 1 to 10000, got '${limitText ?? ''}'`);
  if (problems.length > 0 || !cluster) throw new ValidationError(`Invalid query: ${problems.join('; ')}`, { problems });

  const summary = await store.latestSweep(cluster, options);
  if (!summary) return undefined;
  const maxLevel = severity === undefined ? 2 : SEVERITY_ORDER[severity as Severity];
  const namespace = query.namespace?.trim() || undefined;
  const findings = (await store.loadFindings(cluster, { ...options, openOnly: true }))
    .filter((f) => SEVERITY_ORDER[f.severity] <= maxLevel && (namespace === undefined || f.namespace === namespace))
    .map(({ lastSweepId: _drop, ...f }) => f)
    .sort(compareFindings);
  return { summary, grade: gradeOf(summary.score), totalFindings: findings.length, findings: findings.slice(0, limit) };
}
