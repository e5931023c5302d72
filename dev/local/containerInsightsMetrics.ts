// The metric rows of the simulated Container insights agent (see containerInsightsFeed.ts): Perf for containers and
// nodes, InsightsMetrics for node disks, and the AKS platform metrics (Microsoft.ContainerService/managedClusters)
// Azure Monitor derives from the same cluster, for the local metrics stand-in (dev/standins/metricsEndpoint.ts).
//
// Perf follows the agent (microsoft/Docker-Provider, in_kube_perf / in_cadvisor_perf): InstanceName is
// `<clusterId>/<podUid>/<container>` (`<clusterId>/<node>` for nodes), usage from metrics.k8s.io, requests and limits
// from the pod spec. InsightsMetrics disk rows follow the agent's telegraf disk input: Namespace
// "container.azm.ms/disk", Name "used_percent" (and "used"/"free" in bytes), Tags JSON with the device and mount
// point, Origin "container.azm.ms/telegraf". The simulator has no disk model: a node's disk is a stable share of its
// capacity (from its name) that drifts a little with the hour, and jumps when the node reports DiskPressure.
import type { PlatformMetricSample } from '../standins/metricsEndpoint.js';
import { parseQuantity } from '../../shared/diagnostics/evidence/snapshot.js';
import type { ContainerInsightsContext, ContainerInsightsSnapshot, LogRow } from './containerInsightsTypes.js';

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const common = (ctx: ContainerInsightsContext, type: string): LogRow => ({
  SourceSystem: 'Containers',
  Type: type,
  _ResourceId: ctx.clusterId,
});

const NANO = 1e9;

/**
 * Perf rows for containers (K8SContainer) and nodes (K8SNode): usage from metrics.k8s.io (memoryWorkingSetBytes,
 * cpuUsageNanoCores; metrics-server reports the working set), requests and limits from the pod spec. A container
 * without a limit gets the node's allocatable as its limit, as Container insights does.
 */
export function perfRows(snapshot: ContainerInsightsSnapshot, ctx: ContainerInsightsContext): LogRow[] {
  const time = ctx.time.toISOString();
  const rows: LogRow[] = [];
  const push = (
    objectName: 'K8SContainer' | 'K8SNode',
    computer: string,
    instance: string,
    counter: string,
    value: number,
  ) =>
    rows.push({
      TimeGenerated: time,
      Computer: computer,
      ObjectName: objectName,
      CounterName: counter,
      InstanceName: instance,
      CounterValue: value,
      ...common(ctx, 'Perf'),
    });

  const allocatable = new Map<string, { cpu?: number; memory?: number }>();
  for (const node of snapshot.nodes) {
    const name = str(rec(node.metadata).name);
    const status = rec(node.status);
    const alloc = rec(status.allocatable);
    const cap = rec(status.capacity);
    const instance = `${ctx.clusterId}/${name}`;
    const cpuAlloc = parseQuantity(alloc.cpu);
    const memAlloc = parseQuantity(alloc.memory);
    allocatable.set(name, { cpu: cpuAlloc, memory: memAlloc });
    if (cpuAlloc !== undefined) push('K8SNode', name, instance, 'cpuAllocatableNanoCores', Math.round(cpuAlloc * NANO));
    if (memAlloc !== undefined) push('K8SNode', name, instance, 'memoryAllocatableBytes', Math.round(memAlloc));
    const cpuCap = parseQuantity(cap.cpu);
    const memCap = parseQuantity(cap.memory);
    if (cpuCap !== undefined) push('K8SNode', name, instance, 'cpuCapacityNanoCores', Math.round(cpuCap * NANO));
    if (memCap !== undefined) push('K8SNode', name, instance, 'memoryCapacityBytes', Math.round(memCap));
  }
  for (const m of snapshot.nodeMetrics) {
    const name = str(rec(m.metadata).name);
    const usage = rec(m.usage);
    const instance = `${ctx.clusterId}/${name}`;
    const cpu = parseQuantity(usage.cpu);
    const memory = parseQuantity(usage.memory);
    if (cpu !== undefined) push('K8SNode', name, instance, 'cpuUsageNanoCores', Math.round(cpu * NANO));
    if (memory !== undefined) push('K8SNode', name, instance, 'memoryWorkingSetBytes', Math.round(memory));
  }

  const podMetrics = new Map<string, Obj>();
  for (const m of snapshot.podMetrics) {
    const meta = rec(m.metadata);
    podMetrics.set(`${str(meta.namespace)}/${str(meta.name)}`, m);
  }
  for (const pod of snapshot.pods) {
    const meta = rec(pod.metadata);
    const spec = rec(pod.spec);
    const node = str(spec.nodeName);
    const uid = str(meta.uid);
    if (!node || !uid) continue; // the agent reports perf for scheduled pods only
    const nodeAlloc = allocatable.get(node) ?? {};
    const usage = new Map(
      arr(podMetrics.get(`${str(meta.namespace)}/${str(meta.name)}`)?.containers).map((c) => [
        str(c.name),
        rec(c.usage),
      ]),
    );
    for (const c of [...arr(spec.initContainers), ...arr(spec.containers)]) {
      const name = str(c.name);
      const instance = `${ctx.clusterId}/${uid}/${name}`;
      const resources = rec(c.resources);
      const requests = rec(resources.requests);
      const limits = rec(resources.limits);
      const cpuLimit = parseQuantity(limits.cpu) ?? nodeAlloc.cpu;
      const memLimit = parseQuantity(limits.memory) ?? nodeAlloc.memory;
      const cpuRequest = parseQuantity(requests.cpu);
      const memRequest = parseQuantity(requests.memory);
      if (cpuRequest !== undefined)
        push('K8SContainer', node, instance, 'cpuRequestNanoCores', Math.round(cpuRequest * NANO));
      if (memRequest !== undefined) push('K8SContainer', node, instance, 'memoryRequestBytes', Math.round(memRequest));
      if (cpuLimit !== undefined)
        push('K8SContainer', node, instance, 'cpuLimitNanoCores', Math.round(cpuLimit * NANO));
      if (memLimit !== undefined) push('K8SContainer', node, instance, 'memoryLimitBytes', Math.round(memLimit));
      const used = usage.get(name);
      if (!used) continue;
      const cpu = parseQuantity(used.cpu);
      const memory = parseQuantity(used.memory);
      if (cpu !== undefined) push('K8SContainer', node, instance, 'cpuUsageNanoCores', Math.round(cpu * NANO));
      if (memory !== undefined) push('K8SContainer', node, instance, 'memoryWorkingSetBytes', Math.round(memory));
    }
  }
  return rows;
}

// ---------------------------------------------------------------- InsightsMetrics (disk)

/** A stable number in [0, 1) from a text (FNV-1a). */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h / 2 ** 32;
}

const DISK_BYTES = 128 * 2 ** 30; // the AKS default OS disk (128 GiB managed disk)

/** Used percent of a node's OS disk at a time (see the header: no disk model in the simulator). */
export function nodeDiskUsedPercent(node: Obj, time: Date): number {
  const name = str(rec(node.metadata).name);
  const pressure = arr(rec(node.status).conditions).some((c) => c.type === 'DiskPressure' && c.status === 'True');
  const base = 22 + 18 * unitHash(name);
  const minute = Math.floor(time.getTime() / 60_000);
  const wobble = 0.6 * Math.sin((2 * Math.PI * (minute % 1440)) / 1440) + 0.2 * (unitHash(`${name}/${minute}`) - 0.5);
  return pressure ? 92 : base + wobble;
}

export function insightsMetricsRows(snapshot: ContainerInsightsSnapshot, ctx: ContainerInsightsContext): LogRow[] {
  const time = ctx.time.toISOString();
  const rows: LogRow[] = [];
  for (const node of snapshot.nodes) {
    const name = str(rec(node.metadata).name);
    const percent = nodeDiskUsedPercent(node, ctx.time);
    const used = Math.round((percent / 100) * DISK_BYTES);
    const tags = JSON.stringify({ 'container.azm.ms/clusterId': ctx.clusterId, device: 'sda1', path: '/' });
    for (const [metric, value] of [
      ['used_percent', percent],
      ['used', used],
      ['free', DISK_BYTES - used],
    ] as const) {
      rows.push({
        TimeGenerated: time,
        Computer: name,
        AgentId: '',
        Name: metric,
        Namespace: 'container.azm.ms/disk',
        Origin: 'container.azm.ms/telegraf',
        Tags: tags,
        Val: value,
        ...common(ctx, 'InsightsMetrics'),
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------- AKS platform metrics

/**
 * The platform metrics of one collection: node CPU and memory working set as a percentage of allocatable, node disk
 * used percentage, and one kube_pod_status_phase sample per pod (value 1, dimensions phase/namespace/pod).
 */
export function platformMetricSamples(
  snapshot: ContainerInsightsSnapshot,
  ctx: ContainerInsightsContext,
): PlatformMetricSample[] {
  const t = ctx.time.getTime();
  const out: PlatformMetricSample[] = [];
  const usage = new Map(snapshot.nodeMetrics.map((m) => [str(rec(m.metadata).name), rec(m.usage)]));
  for (const node of snapshot.nodes) {
    const meta = rec(node.metadata);
    const name = str(meta.name);
    const dimensions = { node: name, nodepool: str(rec(meta.labels).agentpool) };
    const alloc = rec(rec(node.status).allocatable);
    const used = usage.get(name);
    const cpu = parseQuantity(used?.cpu);
    const cpuAlloc = parseQuantity(alloc.cpu);
    const memory = parseQuantity(used?.memory);
    const memAlloc = parseQuantity(alloc.memory);
    if (cpu !== undefined && cpuAlloc)
      out.push({ metric: 'node_cpu_usage_percentage', t, dimensions, value: (100 * cpu) / cpuAlloc });
    if (memory !== undefined && memAlloc)
      out.push({ metric: 'node_memory_working_set_percentage', t, dimensions, value: (100 * memory) / memAlloc });
    out.push({
      metric: 'node_disk_usage_percentage',
      t,
      dimensions: { ...dimensions, device: 'sda1' },
      value: nodeDiskUsedPercent(node, ctx.time),
    });
  }
  for (const pod of snapshot.pods) {
    const meta = rec(pod.metadata);
    out.push({
      metric: 'kube_pod_status_phase',
      t,
      dimensions: { phase: str(rec(pod.status).phase), namespace: str(meta.namespace), pod: str(meta.name) },
      value: 1,
    });
  }
  return out;
}
