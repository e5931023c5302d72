// Metric series from the Container Insights tables a cluster already sends (Perf, InsightsMetrics,
// KubePodInventory), through @azure/monitor-query-logs. Per workload: CPU usage (with the summed request), memory
// working set (with the summed limit), pod count, pods not running or not ready, container restarts per bin; per
// node: CPU, memory and fullest-disk percentages.
//
// Queries are resource-centric on the cluster's ARM id by default, as the diagnostics' evidence (see
// diagnostics/evidence/logAnalyticsEvidence.ts): Log Analytics reads every workspace the cluster sends to and needs
// only read access on the cluster. Perf names pods by uid and the stand-in has no join, so the reader reads the pod
// owners once and groups pods into workloads itself; a Deployment's pods (owned by ReplicaSets) are one workload
// across rollouts, so a bad rollout shows as a change of the workload's series, not as a new series.
import type { LogsQueryClient } from '@azure/monitor-query-logs';
import { runInsightsQuery, type InsightsScope } from '../diagnostics/evidence/logAnalyticsEvidence.js';
import { CONTAINER_INSIGHTS_METRIC_QUERIES as Q, type MetricQueryArgs } from './containerInsightsQueries.js';
import type { MetricPoint, MetricReader, MetricSeries, MetricSubject } from './types.js';

export interface ContainerInsightsReaderOptions {
  client: LogsQueryClient;
  /** Default: the cluster resource (resource-centric). */
  workspaceId?: string;
  /** Bin size, minutes (default 1: Container Insights collects every 60 s). */
  binMinutes?: number;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const timeOf = (v: unknown): number | undefined => {
  if (v instanceof Date) return v.getTime();
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : undefined;
};

/** `checkout-7d4b9c6f5` (ReplicaSet) -> Deployment `checkout`; other controllers are the workload themselves. */
export function workloadOf(kind: string, name: string): { kind: string; name: string } {
  if (kind === 'ReplicaSet') {
    const m = /^(.+)-[a-z0-9]{5,10}$/.exec(name);
    if (m?.[1]) return { kind: 'Deployment', name: m[1] };
  }
  return { kind: kind || 'Pod', name };
}

/** Sums per (key, time) into series points, ordered by time. */
class Accumulator {
  private readonly sums = new Map<string, Map<number, number>>();
  add(key: string, t: number, v: number): void {
    let byTime = this.sums.get(key);
    if (!byTime) this.sums.set(key, (byTime = new Map<number, number>()));
    byTime.set(t, (byTime.get(t) ?? 0) + v);
  }
  points(key: string): MetricPoint[] {
    return [...(this.sums.get(key) ?? new Map<number, number>())].map(([t, v]) => ({ t, v })).sort((a, b) => a.t - b.t);
  }
  keys(): string[] {
    return [...this.sums.keys()];
  }
}

const lastValue = (points: MetricPoint[]): number | undefined => points[points.length - 1]?.v;

/** Averages points into bins of `binMs` (inventory is collected every 30-60 s, usage is binned by the query). */
function binAverage(points: MetricPoint[], binMs: number): MetricPoint[] {
  const bins = new Map<number, { sum: number; n: number }>();
  for (const p of points) {
    const t = Math.floor(p.t / binMs) * binMs;
    const b = bins.get(t) ?? { sum: 0, n: 0 };
    b.sum += p.v;
    b.n += 1;
    bins.set(t, b);
  }
  return [...bins].map(([t, b]) => ({ t, v: b.sum / b.n })).sort((a, b) => a.t - b.t);
}

/** A cumulative counter (restart counts) as its increase per bin; a drop (pod replaced) counts as 0. */
function increases(points: MetricPoint[]): MetricPoint[] {
  return points.slice(1).map((p, i) => ({ t: p.t, v: Math.max(0, p.v - (points[i]?.v ?? p.v)) }));
}

export function createContainerInsightsReader(options: ContainerInsightsReaderOptions): MetricReader {
  const binMinutes = options.binMinutes ?? 1;
  const binMs = binMinutes * 60_000;
  return {
    source: 'container-insights',
    async read(clusterId, window, readOptions = {}) {
      const minutes = Math.max(binMinutes, Math.ceil((window.to.getTime() - window.from.getTime()) / 60_000));
      const args: MetricQueryArgs = { clusterId, minutes, binMinutes };
      const scope: InsightsScope = options.workspaceId
        ? { workspaceId: options.workspaceId }
        : { resourceId: clusterId };
      const hours = Math.ceil(minutes / 60);
      const query = (kql: string) => runInsightsQuery(options.client, scope, kql, hours, readOptions.abortSignal);
      const [owners, perf, inventory, nodePerf, disk] = await Promise.all([
        query(Q.podOwners(args)),
        query(Q.containerPerf(args)),
        query(Q.podInventory(args)),
        query(Q.nodePerf(args)),
        query(Q.nodeDisk(args)),
      ]);
      const inWindow = (t: number) => t >= window.from.getTime() - binMs && t <= window.to.getTime();
      return [
        ...workloadUsageSeries(clusterId, owners, perf, args, inWindow),
        ...workloadInventorySeries(inventory, args, binMs, inWindow),
        ...nodeSeries(nodePerf, disk, args, inWindow),
      ];
    },
  };
}

interface Owner {
  namespace: string;
  kind: string;
  name: string;
  controller: string;
}

function workloadUsageSeries(
  clusterId: string,
  ownerRows: Row[],
  perfRows: Row[],
  args: MetricQueryArgs,
  inWindow: (t: number) => boolean,
): MetricSeries[] {
  const owners = new Map<string, Owner>();
  for (const r of ownerRows) {
    const w = workloadOf(text(r.ControllerKind), text(r.ControllerName));
    owners.set(text(r.PodUid), { namespace: text(r.Namespace), ...w, controller: text(r.ControllerName) });
  }
  const acc = new Accumulator();
  const instances = new Map<string, Set<string>>();
  const prefix = `${clusterId}/`.toLowerCase();
  for (const r of perfRows) {
    const instance = text(r.InstanceName);
    if (!instance.toLowerCase().startsWith(prefix)) continue;
    const [uid] = instance.slice(prefix.length).split('/');
    const owner = owners.get(uid ?? '');
    const t = timeOf(r.TimeGenerated);
    const v = num(r.avg_CounterValue);
    if (!owner || t === undefined || v === undefined || !inWindow(t)) continue;
    const key = `${owner.namespace}\u0000${owner.kind}\u0000${owner.name}`;
    acc.add(`${key}\u0000${text(r.CounterName)}`, t, v);
    const set = instances.get(key) ?? new Set<string>();
    set.add(instance);
    instances.set(key, set);
  }
  const out: MetricSeries[] = [];
  for (const [key, set] of instances) {
    const [namespace = '', kind = '', name = ''] = key.split('\u0000');
    const subject: MetricSubject = { kind: 'workload', namespace, name, workloadKind: kind };
    const cpu = acc.points(`${key}\u0000cpuUsageNanoCores`).map((p) => ({ t: p.t, v: p.v / 1e9 }));
    const memory = acc.points(`${key}\u0000memoryWorkingSetBytes`);
    const request = lastValue(acc.points(`${key}\u0000cpuRequestNanoCores`));
    const limit = lastValue(acc.points(`${key}\u0000memoryLimitBytes`));
    const list = [...set].sort();
    if (cpu.length > 0)
      out.push({
        metric: 'cpu-usage',
        unit: 'cores',
        subject,
        source: 'container-insights',
        query: Q.containerSeries({ ...args, counter: 'cpuUsageNanoCores', instances: list }),
        points: cpu,
        reference: request !== undefined ? { request: request / 1e9 } : undefined,
      });
    if (memory.length > 0)
      out.push({
        metric: 'memory-working-set',
        unit: 'bytes',
        subject,
        source: 'container-insights',
        query: Q.containerSeries({ ...args, counter: 'memoryWorkingSetBytes', instances: list }),
        points: memory,
        reference: limit !== undefined ? { limit } : undefined,
      });
  }
  return out;
}

function workloadInventorySeries(
  rows: Row[],
  args: MetricQueryArgs,
  binMs: number,
  inWindow: (t: number) => boolean,
): MetricSeries[] {
  const acc = new Accumulator();
  const controllers = new Map<string, string>();
  for (const r of rows) {
    const t = timeOf(r.TimeGenerated);
    if (t === undefined || !inWindow(t)) continue;
    const w = workloadOf(text(r.ControllerKind), text(r.ControllerName));
    const key = `${text(r.Namespace)}\u0000${w.kind}\u0000${w.name}`;
    controllers.set(key, w.name);
    acc.add(`${key}\u0000pods`, t, num(r.Pods) ?? 0);
    acc.add(`${key}\u0000notReady`, t, num(r.NotReady) ?? 0);
    acc.add(`${key}\u0000restarts`, t, num(r.Restarts) ?? 0);
  }
  const out: MetricSeries[] = [];
  for (const [key, controllerPrefix] of controllers) {
    const [namespace = '', kind = '', name = ''] = key.split('\u0000');
    const subject: MetricSubject = { kind: 'workload', namespace, name, workloadKind: kind };
    const query = Q.workloadInventory({ ...args, namespace, controllerPrefix });
    const base = { subject, source: 'container-insights' as const, query, unit: 'count' as const };
    out.push({ ...base, metric: 'pod-count', points: binAverage(acc.points(`${key}\u0000pods`), binMs) });
    out.push({ ...base, metric: 'pods-not-ready', points: binAverage(acc.points(`${key}\u0000notReady`), binMs) });
    out.push({
      ...base,
      metric: 'restarts',
      points: increases(binAverage(acc.points(`${key}\u0000restarts`), binMs)),
    });
  }
  return out;
}

function nodeSeries(
  perfRows: Row[],
  diskRows: Row[],
  args: MetricQueryArgs,
  inWindow: (t: number) => boolean,
): MetricSeries[] {
  const acc = new Accumulator();
  for (const r of perfRows) {
    const t = timeOf(r.TimeGenerated);
    const v = num(r.avg_CounterValue);
    if (t === undefined || v === undefined || !inWindow(t)) continue;
    acc.add(`${text(r.Computer)}\u0000${text(r.CounterName)}`, t, v);
  }
  const nodes = new Set(acc.keys().map((k) => k.split('\u0000')[0] ?? ''));
  const out: MetricSeries[] = [];
  const percentOf = (node: string, usage: string, capacity: string): MetricPoint[] => {
    const cap = lastValue(acc.points(`${node}\u0000${capacity}`));
    if (!cap) return [];
    return acc.points(`${node}\u0000${usage}`).map((p) => ({ t: p.t, v: (100 * p.v) / cap }));
  };
  for (const node of [...nodes].sort()) {
    const subject: MetricSubject = { kind: 'node', name: node };
    for (const [metric, usage, capacity] of [
      ['node-cpu', 'cpuUsageNanoCores', 'cpuCapacityNanoCores'],
      ['node-memory', 'memoryWorkingSetBytes', 'memoryCapacityBytes'],
    ] as const) {
      const points = percentOf(node, usage, capacity);
      if (points.length === 0) continue;
      const query = Q.nodeSeries({ ...args, node, counter: usage });
      out.push({ metric, unit: 'percent', subject, source: 'container-insights', query, points });
    }
  }
  const disk = new Accumulator();
  for (const r of diskRows) {
    const t = timeOf(r.TimeGenerated);
    const v = num(r.max_Val);
    if (t !== undefined && v !== undefined && inWindow(t)) disk.add(text(r.Computer), t, v);
  }
  for (const node of disk.keys().sort())
    out.push({
      metric: 'node-disk',
      unit: 'percent',
      subject: { kind: 'node', name: node },
      source: 'container-insights',
      query: Q.nodeDiskSeries({ ...args, node }),
      points: disk.points(node),
    });
  return out;
}
