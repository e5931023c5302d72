// Request and limit recommendations per workload container, the way Robusta KRR's `simple` strategy computes them
// (robusta-dev/krr, robusta_krr/strategies/simple.py): CPU request = the 95th percentile of CPU usage, CPU limit
// unset (pods may burst into CPU others requested but do not use); memory request = memory limit = the peak working
// set plus 15%; no recommendation from fewer than 100 samples (KRR's points_required); floors of 10 millicores and
// 100 MB (KRR's --cpu-min / --mem-min defaults).
//
// Two differences, both on the safe side: KRR takes the percentile over all pods' samples together, Container
// insights gives us each pod's own p95 and we take the highest of them (never lower than the pooled p95 of the
// busiest pod); and we also want a full weekly cycle (7 days) so a workload seen only on a weekend is not shrunk.
// Pure: usage in, recommendations out.
import type { ContainerUsage } from './usageHistory.js';

export interface RightsizingOptions {
  /** Percentile of CPU usage used for the request (default 95, KRR's cpu_percentile). */
  cpuPercentile?: 95;
  /** Headroom on the peak working set for the memory request and limit (default 15 %, KRR's memory_buffer_percentage). */
  memoryBufferPercent?: number;
  /** Samples of each resource needed at least (default 100, KRR's points_required). */
  minSamples?: number;
  /** Days of data needed at least (default 7: one weekly cycle). */
  minDays?: number;
  /** Namespaces whose workloads are managed by AKS, not by the cluster's owner: not recommended on. */
  skipNamespaces?: ReadonlySet<string>;
}

export const RIGHTSIZING_DEFAULTS = {
  memoryBufferPercent: 15,
  minSamples: 100,
  minDays: 7,
  cpuMinCores: 0.01,
  memoryMinBytes: 100 * 1e6,
} as const;

const DAY_MS = 24 * 3600_000;
const MIB = 1024 * 1024;

export interface ResourceSettings {
  cpuRequestCores?: number;
  /** null: no CPU limit. */
  cpuLimitCores?: number | null;
  memoryRequestBytes?: number;
  memoryLimitBytes?: number;
}

export interface WorkloadRecommendation {
  namespace: string;
  workloadKind: string;
  workload: string;
  container: string;
  /** Pods of the workload running at the end of the window (what a changed request multiplies by). */
  pods: number;
  pool?: string;
  current: ResourceSettings;
  usage: { cpuP95Cores: number; cpuPeakCores: number; memoryPeakBytes: number };
  recommended?: Required<ResourceSettings>;
  /** Requests given back (positive) or asked for (negative) across the workload's pods. */
  saving?: { cpuCores: number; memoryBytes: number };
  basis: { days: number; cpuSamples: number; memorySamples: number; podsSeen: number };
  reason?: string;
}

export interface PoolRequestSaving {
  pool: string;
  cpuCores: number;
  memoryBytes: number;
  /** Whole nodes whose allocatable the net saving covers in both CPU and memory. */
  nodesFreed: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Allocatable reported as the "limit" means no limit is set (the agent reports node allocatable then). */
function realLimit(limit: number | undefined, nodeAllocatable: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (nodeAllocatable !== undefined && limit >= nodeAllocatable * 0.99) return undefined;
  return limit;
}

/**
 * One recommendation per (namespace, workload, container). `poolOf` maps a node to its pool; `perNodeAllocatable`
 * gives each pool's per-node allocatable (to tell a reported limit from "no limit" and to count freed nodes).
 */
export function recommendRequests(
  containers: readonly ContainerUsage[],
  context: {
    poolOf: (node: string) => string | undefined;
    perNodeAllocatable: (pool: string) => { cpu: number; memory: number } | undefined;
  },
  options: RightsizingOptions = {},
): { workloads: WorkloadRecommendation[]; pools: PoolRequestSaving[] } {
  const buffer = options.memoryBufferPercent ?? RIGHTSIZING_DEFAULTS.memoryBufferPercent;
  const minSamples = options.minSamples ?? RIGHTSIZING_DEFAULTS.minSamples;
  const minDays = options.minDays ?? RIGHTSIZING_DEFAULTS.minDays;
  const groups = new Map<string, ContainerUsage[]>();
  for (const c of containers) {
    if (options.skipNamespaces?.has(c.namespace)) continue;
    const key = [c.namespace, c.workloadKind, c.workload, c.container].join('\u0000');
    const g = groups.get(key);
    if (g) g.push(c);
    else groups.set(key, [c]);
  }
  const workloads: WorkloadRecommendation[] = [];
  for (const instances of groups.values()) {
    const rec = recommendOne(instances, context, { buffer, minSamples, minDays });
    if (rec) workloads.push(rec);
  }
  workloads.sort(
    (a, b) =>
      a.namespace.localeCompare(b.namespace) ||
      a.workload.localeCompare(b.workload) ||
      a.container.localeCompare(b.container),
  );
  const byPool = new Map<string, { cpu: number; memory: number }>();
  for (const w of workloads) {
    if (!w.saving || !w.pool) continue;
    const s = byPool.get(w.pool) ?? { cpu: 0, memory: 0 };
    s.cpu += w.saving.cpuCores;
    s.memory += w.saving.memoryBytes;
    byPool.set(w.pool, s);
  }
  const pools = [...byPool.entries()]
    .map(([pool, s]): PoolRequestSaving => {
      const per = context.perNodeAllocatable(pool);
      const nodesFreed =
        per && per.cpu > 0 && per.memory > 0
          ? Math.max(0, Math.floor(Math.min(s.cpu / per.cpu, s.memory / per.memory)))
          : 0;
      return { pool, cpuCores: round3(s.cpu), memoryBytes: Math.round(s.memory), nodesFreed };
    })
    .sort((a, b) => a.pool.localeCompare(b.pool));
  return { workloads, pools };
}

function recommendOne(
  instances: ContainerUsage[],
  context: Parameters<typeof recommendRequests>[1],
  o: { buffer: number; minSamples: number; minDays: number },
): WorkloadRecommendation | undefined {
  const last = Math.max(...instances.map((c) => c.cpuUsageCores?.lastMs ?? c.memoryWorkingSetBytes?.lastMs ?? 0));
  const first = Math.min(
    ...instances.map((c) =>
      Math.min(c.cpuUsageCores?.firstMs ?? Infinity, c.memoryWorkingSetBytes?.firstMs ?? Infinity),
    ),
  );
  // Pods still running at the end of the window: sampled within the last two hours of the workload's data.
  const current = instances.filter(
    (c) => Math.max(c.cpuUsageCores?.lastMs ?? 0, c.memoryWorkingSetBytes?.lastMs ?? 0) >= last - 2 * 3600_000,
  );
  if (current.length === 0) return undefined;
  const newest = current.reduce((a, b) => ((b.cpuUsageCores?.lastMs ?? 0) > (a.cpuUsageCores?.lastMs ?? 0) ? b : a));
  const pool = context.poolOf(newest.node);
  const perNode = pool ? context.perNodeAllocatable(pool) : undefined;
  const cpuSamples = instances.reduce((n, c) => n + (c.cpuUsageCores?.samples ?? 0), 0);
  const memorySamples = instances.reduce((n, c) => n + (c.memoryWorkingSetBytes?.samples ?? 0), 0);
  const days = Number.isFinite(first) ? Math.round(((last - first) / DAY_MS) * 10) / 10 : 0;
  const cpuP95 = Math.max(0, ...instances.map((c) => c.cpuUsageCores?.p95 ?? 0));
  const cpuPeak = Math.max(0, ...instances.map((c) => c.cpuUsageCores?.peak ?? 0));
  const memoryPeak = Math.max(0, ...instances.map((c) => c.memoryWorkingSetBytes?.peak ?? 0));
  const cur: ResourceSettings = {
    ...(newest.cpuRequestCores !== undefined ? { cpuRequestCores: round3(newest.cpuRequestCores) } : {}),
    cpuLimitCores: realLimit(newest.cpuLimitCores, perNode?.cpu) ?? null,
    ...(newest.memoryRequestBytes !== undefined ? { memoryRequestBytes: Math.round(newest.memoryRequestBytes) } : {}),
    ...(realLimit(newest.memoryLimitBytes, perNode?.memory) !== undefined
      ? { memoryLimitBytes: Math.round(newest.memoryLimitBytes ?? 0) }
      : {}),
  };
  const out: WorkloadRecommendation = {
    namespace: newest.namespace,
    workloadKind: newest.workloadKind,
    workload: newest.workload,
    container: newest.container,
    pods: current.length,
    ...(pool ? { pool } : {}),
    current: cur,
    usage: { cpuP95Cores: round3(cpuP95), cpuPeakCores: round3(cpuPeak), memoryPeakBytes: Math.round(memoryPeak) },
    basis: { days, cpuSamples, memorySamples, podsSeen: instances.length },
  };
  const short: string[] = [];
  if (cpuSamples < o.minSamples) short.push(`${cpuSamples} CPU samples`);
  if (memorySamples < o.minSamples) short.push(`${memorySamples} memory samples`);
  if (days < o.minDays) short.push(`${days} days`);
  if (short.length > 0)
    return {
      ...out,
      reason: `not enough data: ${short.join(', ')}; a recommendation needs at least ${o.minSamples} samples of each and ${o.minDays} days`,
    };
  // Rounded up: millicores for CPU, MiB for memory, never below KRR's floors.
  const cpuRequest = Math.max(RIGHTSIZING_DEFAULTS.cpuMinCores, Math.ceil(cpuP95 * 1000) / 1000);
  const memory = Math.max(
    RIGHTSIZING_DEFAULTS.memoryMinBytes,
    Math.ceil((memoryPeak * (1 + o.buffer / 100)) / MIB) * MIB,
  );
  const recommended = {
    cpuRequestCores: cpuRequest,
    cpuLimitCores: null,
    memoryRequestBytes: memory,
    memoryLimitBytes: memory,
  };
  const saving = {
    cpuCores: cur.cpuRequestCores !== undefined ? round3((cur.cpuRequestCores - cpuRequest) * current.length) : 0,
    memoryBytes:
      cur.memoryRequestBytes !== undefined ? Math.round((cur.memoryRequestBytes - memory) * current.length) : 0,
  };
  return { ...out, recommended, saving };
}
