// What the read API returns, built from the findings store.
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

/** The query of GET /api/sweeps/latest, validated by its schema (shared/api/schemas.ts latestSweepQuerySchema). */
export interface LatestSweepQuery {
  /** ARM resource id of the AKS cluster. */
  cluster: string;
  /** Minimum severity: `warning` returns critical and warning. */
  severity?: Severity;
  namespace?: string;
  /** Maximum findings returned. */
  limit: number;
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

/** The latest sweep summary and the open findings matching the query; undefined when the cluster was never swept. */
export async function readLatestSweep(
  store: FindingsRepository,
  { cluster, severity, namespace, limit }: LatestSweepQuery,
  options: { abortSignal?: AbortSignal } = {},
): Promise<LatestSweep | undefined> {
  const summary = await store.latestSweep(cluster, options);
  if (!summary) return undefined;
  const maxLevel = severity === undefined ? 2 : SEVERITY_ORDER[severity];
  const findings = (await store.loadFindings(cluster, { ...options, openOnly: true }))
    .filter((f) => SEVERITY_ORDER[f.severity] <= maxLevel && (namespace === undefined || f.namespace === namespace))
    .map(({ lastSweepId: _drop, ...f }) => f)
    .sort(compareFindings);
  return { summary, grade: gradeOf(summary.score), totalFindings: findings.length, findings: findings.slice(0, limit) };
}
