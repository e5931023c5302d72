// What the read API returns, built from the findings store.
import { ValidationError } from '../errors.js';
import { isManagedClusterId } from '../azure/arm/managedClusterId.js';
import type { ClusterSweepInfo, FindingsStore } from '../store/findingsStore.js';
import { gradeOf, type Grade } from './score.js';
import { compareFindings } from './sortFindings.js';
import type { SweepSummary, TrackedFinding } from './types.js';

export interface SweptCluster extends ClusterSweepInfo {
  grade: Grade;
}

export interface LatestSweep {
  summary: SweepSummary;
  grade: Grade;
  /** Findings not resolved (state new or open), most severe first. */
  findings: TrackedFinding[];
}

export async function readSweptClusters(store: FindingsStore, options: { abortSignal?: AbortSignal } = {}): Promise<SweptCluster[]> {
  return (await store.listClusters(options)).map((c) => ({ ...c, grade: gradeOf(c.score) }));
}

/** ValidationError when `cluster` is missing or not an AKS resource id; undefined when never swept. */
export async function readLatestSweep(store: FindingsStore, cluster: string | null | undefined, options: { abortSignal?: AbortSignal } = {}): Promise<LatestSweep | undefined> {
  if (!cluster || cluster.trim() === '') {
    throw new ValidationError('Query parameter `cluster` is required: the AKS cluster resource id', { problems: ['cluster: required'] });
  }
  if (!isManagedClusterId(cluster)) {
    throw new ValidationError(
      `Query parameter \`cluster\` must be an AKS cluster resource id (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>), got '${cluster}'`,
      { problems: ['cluster: not an AKS cluster resource id'] },
    );
  }
  const summary = await store.latestSweep(cluster, options);
  if (!summary) return undefined;
  const findings = (await store.loadFindings(cluster, { ...options, openOnly: true }))
    .map(({ lastSweepId: _drop, ...f }) => f)
    .sort(compareFindings);
  return { summary, grade: gradeOf(summary.score), findings };
}
