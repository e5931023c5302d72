// The sweep's repository port: the findings lifecycle and the sweep summaries, as sweepCluster and the read API use
// them. Two implementations: Table storage (findingsStore.ts, deployed) and the in-memory twin below (unit tests,
// the CLI). test/integration/store/findingsRepository.test.ts runs one contract over both.
import { clusterKeyOf } from './fingerprint.js';
import type { StoredFinding } from './lifecycle.js';
import type { SweepSummary } from './types.js';

type Signal = { abortSignal?: AbortSignal };

export interface ClusterSweepInfo {
  clusterId: string;
  clusterName: string;
  lastSweepId: string;
  lastSweepAt: string;
  score: number;
  partial: boolean;
}

export interface FindingsRepository {
  /** Every stored finding of a cluster (open and resolved), or only those not resolved. */
  loadFindings(clusterId: string, options?: Signal & { openOnly?: boolean }): Promise<StoredFinding[]>;
  /** Upserts by fingerprint. */
  saveFindings(clusterId: string, findings: readonly StoredFinding[], options?: Signal): Promise<void>;
  /** Records a sweep in the cluster's history and as its latest. */
  saveSweep(summary: SweepSummary, options?: Signal): Promise<void>;
  /** The newest sweep summary of a cluster, or undefined when it was never swept. */
  latestSweep(clusterId: string, options?: Signal): Promise<SweepSummary | undefined>;
  /** Every swept cluster with its latest score, by name. */
  listClusters(options?: Signal): Promise<ClusterSweepInfo[]>;
  /** Deletes findings resolved before `before` and sweeps started before or at it; returns how many went. */
  prune(clusterId: string, before: Date, options?: Signal): Promise<number>;
  /** Sweep history of a cluster, newest first (by start time). */
  listSweeps(clusterId: string, options?: Signal & { top?: number }): Promise<SweepSummary[]>;
}

/** The in-memory twin: same keys (cluster key, fingerprint) and orders as the Table storage repository. */
export function createInMemoryFindingsRepository(): FindingsRepository {
  const findings = new Map<string, Map<string, StoredFinding>>();
  const sweeps = new Map<string, Map<string, SweepSummary>>();
  const latest = new Map<string, SweepSummary>();
  const partition = <T>(m: Map<string, Map<string, T>>, clusterId: string): Map<string, T> => {
    const key = clusterKeyOf(clusterId);
    let p = m.get(key);
    if (!p) m.set(key, (p = new Map<string, T>()));
    return p;
  };
  const copy = <T>(v: T): T => structuredClone(v);
  const newestFirst = (a: SweepSummary, b: SweepSummary) =>
    b.startedAt.localeCompare(a.startedAt) || a.sweepId.localeCompare(b.sweepId);
  return {
    async loadFindings(clusterId, options = {}) {
      options.abortSignal?.throwIfAborted();
      return [...partition(findings, clusterId).values()]
        .filter((f) => !options.openOnly || f.state !== 'resolved')
        .map(copy);
    },
    async saveFindings(clusterId, list, options = {}) {
      options.abortSignal?.throwIfAborted();
      const p = partition(findings, clusterId);
      for (const f of list) p.set(f.fingerprint, copy(f));
    },
    async saveSweep(summary, options = {}) {
      options.abortSignal?.throwIfAborted();
      partition(sweeps, summary.clusterId).set(`${summary.startedAt}_${summary.sweepId}`, copy(summary));
      latest.set(clusterKeyOf(summary.clusterId), copy(summary));
    },
    async latestSweep(clusterId, options = {}) {
      options.abortSignal?.throwIfAborted();
      const s = latest.get(clusterKeyOf(clusterId));
      return s && copy(s);
    },
    async listClusters(options = {}) {
      options.abortSignal?.throwIfAborted();
      return [...latest.values()]
        .map((s) => ({
          clusterId: s.clusterId,
          clusterName: s.clusterName,
          lastSweepId: s.sweepId,
          lastSweepAt: s.finishedAt,
          score: s.score,
          partial: s.partial,
        }))
        .sort((a, b) => a.clusterName.localeCompare(b.clusterName));
    },
    async prune(clusterId, before, options = {}) {
      options.abortSignal?.throwIfAborted();
      const cutoff = before.toISOString();
      let removed = 0;
      const f = partition(findings, clusterId);
      for (const [k, v] of f) {
        if (v.state === 'resolved' && v.resolvedAt !== undefined && v.resolvedAt < cutoff) removed += +f.delete(k);
      }
      const s = partition(sweeps, clusterId);
      for (const [k, v] of s) if (Date.parse(v.startedAt) <= before.getTime()) removed += +s.delete(k);
      return removed;
    },
    async listSweeps(clusterId, options = {}) {
      options.abortSignal?.throwIfAborted();
      const all = [...partition(sweeps, clusterId).values()].sort(newestFirst).map(copy);
      return options.top === undefined ? all : all.slice(0, options.top);
    },
  };
}
