// Weeks of a cluster's own Container Insights data, read for the recommendations: which node belongs to which pool
// (KubeNodeInventory labels), each pool's usage, requests, allocatable and node count hour by hour (Perf K8SNode and
// K8SContainer counters), and each container's usage percentiles and current requests/limits (Perf K8SContainer,
// mapped to its workload through KubePodInventory).
//
// The hour-of-week folding happens in TypeScript, not KQL: Log Analytics speaks UTC, a schedule speaks a time zone
// with daylight saving, and hours must be summed across a pool's nodes per real hour before any folding (nodes that
// never coexisted must not be added). Counter names and InstanceName shapes follow the Container insights agent
// (`<clusterId>/<node>` for K8SNode, `<clusterId>/<podUid>/<container>` for K8SContainer; ContainerName in
// KubePodInventory is `<podUid>/<container>`): https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-log-query
import { LogsQueryResultStatus, type LogsQueryClient, type LogsTable } from '@azure/monitor-query-logs';
import { OUTBOUND_TIMEOUT_MS, withTimeout } from '../outbound/timeouts.js';
import { kqlString } from '../diagnostics/evidence/kqlQueries.js';
import type { InsightsScope } from '../diagnostics/evidence/logAnalyticsEvidence.js';

const NANO = 1e9;
export const HOUR_MS = 3600_000;

export interface NodePoolMembership {
  node: string;
  pool: string;
  /** `system` or `user` (label kubernetes.azure.com/mode), when labelled. */
  mode?: string;
}

/** One pool in one real (UTC) hour: sums over the pool's nodes of each node's hourly average and peak. */
export interface PoolHour {
  pool: string;
  /** Start of the hour, epoch ms (UTC). */
  hourMs: number;
  /** Nodes that reported usage in the hour. */
  nodes: number;
  cpuUsageCores: { avg: number; peak: number };
  memoryWorkingSetBytes: { avg: number; peak: number };
  cpuAllocatableCores: number;
  memoryAllocatableBytes: number;
  cpuRequestedCores: number;
  memoryRequestedBytes: number;
}

export interface CounterStats {
  p95: number;
  peak: number;
  samples: number;
  firstMs: number;
  lastMs: number;
  /** The most recent value (requests and limits: what the container has now). */
  latest: number;
}

/** One container instance (pod uid + container) over the window. */
export interface ContainerUsage {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  /** Workload kind and name: Deployment (from its ReplicaSet), StatefulSet, DaemonSet, Job, or the bare Pod. */
  workloadKind: string;
  workload: string;
  /** Node of the pod's latest inventory row. */
  node: string;
  cpuUsageCores?: CounterStats;
  memoryWorkingSetBytes?: CounterStats;
  cpuRequestCores?: number;
  memoryRequestBytes?: number;
  /** Container insights reports the node's allocatable when no limit is set (agent behaviour). */
  cpuLimitCores?: number;
  memoryLimitBytes?: number;
}

export interface UsageHistory {
  clusterId: string;
  from: Date;
  to: Date;
  nodes: NodePoolMembership[];
  poolHours: PoolHour[];
  containers: ContainerUsage[];
  /** The KQL sent, so a person can reproduce every number. */
  queries: Record<UsageQueryName, string>;
}

export type UsageQueryName = 'nodePools' | 'poolHours' | 'workloads' | 'containerUsage';

const NODE_COUNTERS = [
  'cpuUsageNanoCores',
  'memoryWorkingSetBytes',
  'cpuAllocatableNanoCores',
  'memoryAllocatableBytes',
];
const REQUEST_COUNTERS = ['cpuRequestNanoCores', 'memoryRequestBytes'];
const CONTAINER_COUNTERS = [
  'cpuUsageNanoCores',
  'memoryWorkingSetBytes',
  'cpuRequestNanoCores',
  'memoryRequestBytes',
  'cpuLimitNanoCores',
  'memoryLimitBytes',
];
/** Container insights reports CPU in nanocores (the *NanoCores counters); this module works in cores. */
function inUnits(counter: string, value: number): number {
  return counter.endsWith('NanoCores') ? value / NANO : value;
}

/** Usage counters: average and peak per pool hour, percentiles and peak per container. */
const USAGE_FIELDS = new Map<string, 'cpuUsageCores' | 'memoryWorkingSetBytes'>([
  ['cpuUsageNanoCores', 'cpuUsageCores'],
  ['memoryWorkingSetBytes', 'memoryWorkingSetBytes'],
]);

/** Capacity and requests of a pool's nodes: one hourly average each. */
const POOL_FIELDS = new Map<
  string,
  'cpuAllocatableCores' | 'memoryAllocatableBytes' | 'cpuRequestedCores' | 'memoryRequestedBytes'
>([
  ['cpuAllocatableNanoCores', 'cpuAllocatableCores'],
  ['memoryAllocatableBytes', 'memoryAllocatableBytes'],
  ['cpuRequestNanoCores', 'cpuRequestedCores'],
  ['memoryRequestBytes', 'memoryRequestedBytes'],
]);

/** A container's requests and limits: the latest value, what it has now. */
const CONTAINER_FIELDS = new Map<
  string,
  'cpuRequestCores' | 'memoryRequestBytes' | 'cpuLimitCores' | 'memoryLimitBytes'
>([
  ['cpuRequestNanoCores', 'cpuRequestCores'],
  ['memoryRequestBytes', 'memoryRequestBytes'],
  ['cpuLimitNanoCores', 'cpuLimitCores'],
  ['memoryLimitBytes', 'memoryLimitBytes'],
]);

const list = (values: readonly string[]) => `(${values.map(kqlString).join(', ')})`;

export const USAGE_QUERIES = {
  /** Each node's pool, from the latest inventory row of every node seen in the window. */
  nodePools: (clusterId: string) =>
    [
      'KubeNodeInventory',
      `| where ClusterId =~ ${kqlString(clusterId)}`,
      '| summarize arg_max(TimeGenerated, Labels) by Computer',
    ].join('\n'),

  /**
   * Per pool and hour: node usage (average and peak within the hour, summed over the pool's nodes), allocatable,
   * and the requests of the containers on those nodes. Nodes are mapped to pools in the query (`case`), so the
   * answer has pools x counters x hours rows whatever the node count.
   */
  poolHours: (clusterId: string, nodes: readonly NodePoolMembership[]) => {
    const pools = [...new Set(nodes.map((n) => n.pool))].sort();
    const cases = pools.flatMap((p) => [
      `Computer in ${list(nodes.filter((n) => n.pool === p).map((n) => n.node))}`,
      kqlString(p),
    ]);
    return [
      'Perf',
      `| where InstanceName startswith ${kqlString(`${clusterId}/`)}`,
      `| where (ObjectName == "K8SNode" and CounterName in ${list(NODE_COUNTERS)}) or (ObjectName == "K8SContainer" and CounterName in ${list(REQUEST_COUNTERS)})`,
      `| extend Pool = case(${[...cases, '""'].join(', ')})`,
      '| where Pool != ""',
      '| summarize Avg = avg(CounterValue), Peak = max(CounterValue) by Pool, Computer, InstanceName, CounterName, Hour = bin(TimeGenerated, 1h)',
      '| summarize Avg = sum(Avg), Peak = sum(Peak), Nodes = dcount(Computer) by Pool, CounterName, Hour',
      '| order by Pool asc, Hour asc',
    ].join('\n');
  },

  /** Which pod (and workload) each `<podUid>/<container>` belongs to, and where it ran last. */
  workloads: (clusterId: string) =>
    [
      'KubePodInventory',
      `| where ClusterId =~ ${kqlString(clusterId)} and ContainerName != ""`,
      '| summarize arg_max(TimeGenerated, Namespace, Name, PodUid, ControllerKind, ControllerName, Computer) by ContainerName',
    ].join('\n'),

  /** Per container instance and counter: p95, peak, sample count, first sample and latest value. */
  containerUsage: (clusterId: string) =>
    [
      'Perf',
      `| where ObjectName == "K8SContainer" and InstanceName startswith ${kqlString(`${clusterId}/`)}`,
      `| where CounterName in ${list(CONTAINER_COUNTERS)}`,
      '| summarize arg_max(TimeGenerated, CounterValue), P95 = percentile(CounterValue, 95), Peak = max(CounterValue), Samples = count(), First = min(TimeGenerated) by InstanceName, CounterName',
    ].join('\n'),
} as const;

const SAMPLE_CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';

/** Each query with sample values, validated in CI against the Container insights schemas. */
export const USAGE_QUERY_SAMPLES: Record<UsageQueryName, string> = {
  nodePools: USAGE_QUERIES.nodePools(SAMPLE_CLUSTER),
  poolHours: USAGE_QUERIES.poolHours(SAMPLE_CLUSTER, [
    { node: 'aks-nodepool1-12345678-vmss000000', pool: 'nodepool1' },
    { node: 'aks-userpool-12345678-vmss000000', pool: 'userpool' },
    { node: 'aks-userpool-12345678-vmss000001', pool: 'userpool' },
  ]),
  workloads: USAGE_QUERIES.workloads(SAMPLE_CLUSTER),
  containerUsage: USAGE_QUERIES.containerUsage(SAMPLE_CLUSTER),
};

// ---------------------------------------------------------------- reading answers

type Row = Record<string, unknown>;

function rowsOf(table: LogsTable | undefined): Row[] {
  if (!table) return [];
  return table.rows.map((row) =>
    Object.fromEntries(table.columnDescriptors.map((c, i) => [c.name ?? String(i), row[i]])),
  );
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const ms = (v: unknown): number | undefined => {
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

/** The pool and mode labels AKS puts on every node (`Labels` is a JSON array holding the labels object). */
export function poolOfNode(computer: string, labels: unknown): NodePoolMembership | undefined {
  let parsed: unknown = labels;
  if (typeof labels === 'string') {
    try {
      parsed = JSON.parse(labels);
    } catch {
      return undefined;
    }
  }
  const objects = Array.isArray(parsed) ? parsed : [parsed];
  for (const o of objects) {
    if (!o || typeof o !== 'object') continue;
    const l = o as Record<string, unknown>;
    const pool = str(l['kubernetes.azure.com/agentpool']) || str(l.agentpool);
    if (pool) {
      const mode = str(l['kubernetes.azure.com/mode']);
      return { node: computer, pool, ...(mode ? { mode } : {}) };
    }
  }
  return undefined;
}

export function poolHoursFrom(rows: Row[]): PoolHour[] {
  const byKey = new Map<string, PoolHour>();
  for (const r of rows) {
    const pool = str(r.Pool);
    const hourMs = ms(r.Hour);
    if (!pool || hourMs === undefined) continue;
    const key = `${pool}|${hourMs}`;
    let h = byKey.get(key);
    if (!h) {
      h = {
        pool,
        hourMs,
        nodes: 0,
        cpuUsageCores: { avg: 0, peak: 0 },
        memoryWorkingSetBytes: { avg: 0, peak: 0 },
        cpuAllocatableCores: 0,
        memoryAllocatableBytes: 0,
        cpuRequestedCores: 0,
        memoryRequestedBytes: 0,
      };
      byKey.set(key, h);
    }
    const counter = str(r.CounterName);
    const avg = inUnits(counter, num(r.Avg) ?? 0);
    const usage = USAGE_FIELDS.get(counter);
    if (usage) {
      h[usage] = { avg, peak: inUnits(counter, num(r.Peak) ?? 0) };
      h.nodes = Math.max(h.nodes, num(r.Nodes) ?? 0);
    }
    const level = POOL_FIELDS.get(counter);
    if (level) h[level] = avg;
  }
  return [...byKey.values()].sort((a, b) => a.pool.localeCompare(b.pool) || a.hourMs - b.hourMs);
}

/**
 * The workload a pod belongs to. A Deployment's pods are owned by a ReplicaSet named `<deployment>-<pod-template-hash>`
 * (kubernetes pkg/controller/deployment/sync.go names it so), and KubePodInventory records the ReplicaSet.
 */
export function workloadOf(
  controllerKind: string,
  controllerName: string,
  pod: string,
): { kind: string; name: string } {
  if (!controllerKind || !controllerName) return { kind: 'Pod', name: pod };
  if (controllerKind === 'ReplicaSet') {
    const at = controllerName.lastIndexOf('-');
    return { kind: 'Deployment', name: at > 0 ? controllerName.slice(0, at) : controllerName };
  }
  return { kind: controllerKind, name: controllerName };
}

export function containerUsageFrom(clusterId: string, inventory: Row[], usage: Row[]): ContainerUsage[] {
  const byInstance = new Map<string, ContainerUsage>();
  for (const r of inventory) {
    const containerName = str(r.ContainerName);
    const slash = containerName.indexOf('/');
    if (slash < 0) continue;
    const podUid = containerName.slice(0, slash);
    const container = containerName.slice(slash + 1);
    const workload = workloadOf(str(r.ControllerKind), str(r.ControllerName), str(r.Name));
    byInstance.set(`${podUid}/${container}`.toLowerCase(), {
      namespace: str(r.Namespace),
      pod: str(r.Name),
      podUid,
      container,
      workloadKind: workload.kind,
      workload: workload.name,
      node: str(r.Computer),
    });
  }
  const prefix = `${clusterId}/`.toLowerCase();
  for (const r of usage) {
    const instance = str(r.InstanceName);
    if (!instance.toLowerCase().startsWith(prefix)) continue;
    const c = byInstance.get(instance.slice(prefix.length).toLowerCase());
    if (!c) continue; // usage of a pod the inventory never saw: nothing to attribute it to
    const counter = str(r.CounterName);
    const value = (v: unknown) => inUnits(counter, num(v) ?? 0);
    const usage = USAGE_FIELDS.get(counter);
    if (usage) {
      c[usage] = {
        p95: value(r.P95),
        peak: value(r.Peak),
        samples: num(r.Samples) ?? 0,
        firstMs: ms(r.First) ?? 0,
        lastMs: ms(r.TimeGenerated) ?? 0,
        latest: value(r.CounterValue),
      };
    }
    const setting = CONTAINER_FIELDS.get(counter);
    if (setting) c[setting] = value(r.CounterValue);
  }
  return [...byInstance.values()].filter((c) => c.cpuUsageCores || c.memoryWorkingSetBytes);
}

// ---------------------------------------------------------------- querying

export interface UsageHistoryOptions {
  /** Days back from `now` (default 28). */
  days?: number;
  now?: Date;
  abortSignal?: AbortSignal;
  /** Per-query timeout; weeks of Perf take longer than the diagnostics' six hours (default 60 s). */
  timeoutMs?: number;
}

async function query(
  client: LogsQueryClient,
  scope: InsightsScope,
  kql: string,
  window: { startTime: Date; endTime: Date },
  options: UsageHistoryOptions,
): Promise<Row[]> {
  const timeoutMs = options.timeoutMs ?? 2 * OUTBOUND_TIMEOUT_MS.logAnalytics;
  // The service stops working on the query when we stop waiting for it.
  const queryOptions = (abortSignal: AbortSignal) => ({
    abortSignal,
    serverTimeoutInSeconds: Math.ceil(timeoutMs / 1000),
  });
  const result = await withTimeout('Log Analytics usage query', timeoutMs, options.abortSignal, (signal) =>
    'resourceId' in scope
      ? client.queryResource(scope.resourceId, kql, window, queryOptions(signal))
      : client.queryWorkspace(scope.workspaceId, kql, window, queryOptions(signal)),
  );
  if (result.status === LogsQueryResultStatus.Success) return rowsOf(result.tables[0]);
  // A partial answer would silently under-count usage: refuse it rather than recommend from part of the data.
  throw new Error(`the query returned a partial result (${result.partialError.message})`);
}

/** Reads the usage history of one cluster over the last `days` days. */
export async function readUsageHistory(
  client: LogsQueryClient,
  scope: InsightsScope,
  clusterId: string,
  options: UsageHistoryOptions = {},
): Promise<UsageHistory> {
  const to = options.now ?? new Date();
  const from = new Date(to.getTime() - (options.days ?? 28) * 24 * HOUR_MS);
  const window = { startTime: from, endTime: to };
  const queries: Record<UsageQueryName, string> = {
    nodePools: USAGE_QUERIES.nodePools(clusterId),
    poolHours: '',
    workloads: USAGE_QUERIES.workloads(clusterId),
    containerUsage: USAGE_QUERIES.containerUsage(clusterId),
  };
  const [nodeRows, inventory, usage] = await Promise.all([
    query(client, scope, queries.nodePools, window, options),
    query(client, scope, queries.workloads, window, options),
    query(client, scope, queries.containerUsage, window, options),
  ]);
  const nodes = nodeRows
    .map((r) => poolOfNode(str(r.Computer), r.Labels))
    .filter((n): n is NodePoolMembership => n !== undefined)
    .sort((a, b) => a.node.localeCompare(b.node));
  let poolHours: PoolHour[] = [];
  if (nodes.length > 0) {
    queries.poolHours = USAGE_QUERIES.poolHours(clusterId, nodes);
    poolHours = poolHoursFrom(await query(client, scope, queries.poolHours, window, options));
  }
  return {
    clusterId,
    from,
    to,
    nodes,
    poolHours,
    containers: containerUsageFrom(clusterId, inventory, usage),
    queries,
  };
}
