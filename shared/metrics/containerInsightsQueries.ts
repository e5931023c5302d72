// The KQL the Container Insights metric reader runs, in one place (like diagnostics/evidence/kqlQueries.ts): builders
// render a query from values, CONTAINER_INSIGHTS_METRIC_SAMPLES renders each with sample values so a test validates
// them against the table schemas. Only operators the local stand-in evaluates are used (where, summarize with bin(),
// avg(), max(), dcount(), dcountif(), arg_max(), order by): no join, so the reader joins pods to workloads itself.
//
// Tables and columns: Azure Monitor table reference for Perf (ObjectName K8SContainer/K8SNode, CounterName
// cpuUsageNanoCores, memoryWorkingSetBytes, cpuRequestNanoCores, memoryLimitBytes, cpuCapacityNanoCores,
// memoryCapacityBytes), KubePodInventory (PodUid, ControllerKind, ControllerName, PodStatus, ContainerStatus,
// ContainerRestartCount) and InsightsMetrics (Namespace "container.azm.ms/disk", Name "used_percent", one row per
// node and device, Computer = node).
import { kqlString } from '../diagnostics/evidence/kqlQueries.js';

export interface MetricQueryArgs {
  clusterId: string;
  /** Look-back, minutes. */
  minutes: number;
  /** Bin size, minutes. */
  binMinutes: number;
}

const CONTAINER_COUNTERS = ['cpuUsageNanoCores', 'memoryWorkingSetBytes', 'cpuRequestNanoCores', 'memoryLimitBytes'];
const NODE_COUNTERS = ['cpuUsageNanoCores', 'memoryWorkingSetBytes', 'cpuCapacityNanoCores', 'memoryCapacityBytes'];
const list = (values: readonly string[]) => values.map(kqlString).join(', ');

export const CONTAINER_INSIGHTS_METRIC_QUERIES = {
  /** Per container instance (`<clusterId>/<podUid>/<container>`): usage, request and limit averaged per bin. */
  containerPerf: ({ clusterId, minutes, binMinutes }: MetricQueryArgs) =>
    [
      'Perf',
      `| where TimeGenerated > ago(${minutes}m)`,
      `| where ObjectName == "K8SContainer" and CounterName in (${list(CONTAINER_COUNTERS)}) and InstanceName startswith ${kqlString(`${clusterId}/`)}`,
      `| summarize avg(CounterValue) by bin(TimeGenerated, ${binMinutes}m), InstanceName, CounterName`,
    ].join('\n'),

  /** One container's series, as a person would reproduce one pod's part of a workload series. */
  containerSeries: (args: MetricQueryArgs & { counter: string; instances: readonly string[] }) =>
    [
      'Perf',
      `| where TimeGenerated > ago(${args.minutes}m)`,
      `| where ObjectName == "K8SContainer" and CounterName == ${kqlString(args.counter)} and InstanceName in~ (${list(args.instances)})`,
      `| summarize avg(CounterValue) by bin(TimeGenerated, ${args.binMinutes}m), InstanceName`,
      '| order by TimeGenerated asc',
    ].join('\n'),

  /** Per node: usage and capacity averaged per bin (InstanceName is `<clusterId>/<node>`). */
  nodePerf: ({ clusterId, minutes, binMinutes }: MetricQueryArgs) =>
    [
      'Perf',
      `| where TimeGenerated > ago(${minutes}m)`,
      `| where ObjectName == "K8SNode" and CounterName in (${list(NODE_COUNTERS)}) and InstanceName startswith ${kqlString(`${clusterId}/`)}`,
      `| summarize avg(CounterValue) by bin(TimeGenerated, ${binMinutes}m), Computer, CounterName`,
    ].join('\n'),

  /** Per node: the fullest disk's used percent per bin. */
  nodeDisk: ({ minutes, binMinutes }: MetricQueryArgs) =>
    [
      'InsightsMetrics',
      `| where TimeGenerated > ago(${minutes}m)`,
      '| where Namespace == "container.azm.ms/disk" and Name == "used_percent"',
      `| summarize max(Val) by bin(TimeGenerated, ${binMinutes}m), Computer`,
    ].join('\n'),

  /**
   * Per collection and controller: pods, pods not running/ready, restarts (summed over containers). Grouped by the
   * collection's TimeGenerated (every row of one inventory pass shares it), so counts are never summed across passes.
   */
  podInventory: ({ clusterId, minutes }: MetricQueryArgs) =>
    [
      'KubePodInventory',
      `| where TimeGenerated > ago(${minutes}m)`,
      `| where ClusterId =~ ${kqlString(clusterId)} and ControllerName != ""`,
      '| summarize Pods = dcount(PodUid), NotReady = dcountif(PodUid, PodStatus != "Running" or ContainerStatus != "running"), Restarts = sum(ContainerRestartCount) by TimeGenerated, Namespace, ControllerKind, ControllerName',
    ].join('\n'),

  /** Which workload each pod belongs to (Perf rows name pods by uid only). */
  podOwners: ({ clusterId, minutes }: MetricQueryArgs) =>
    [
      'KubePodInventory',
      `| where TimeGenerated > ago(${minutes}m)`,
      `| where ClusterId =~ ${kqlString(clusterId)} and ControllerName != ""`,
      '| summarize arg_max(TimeGenerated, Namespace, ControllerKind, ControllerName, Name) by PodUid',
    ].join('\n'),

  /** One workload's inventory counts, to reproduce its pods / not-ready / restarts series. */
  workloadInventory: (args: MetricQueryArgs & { namespace: string; controllerPrefix: string }) =>
    [
      'KubePodInventory',
      `| where TimeGenerated > ago(${args.minutes}m)`,
      `| where ClusterId =~ ${kqlString(args.clusterId)} and Namespace == ${kqlString(args.namespace)} and ControllerName startswith ${kqlString(args.controllerPrefix)}`,
      '| summarize Pods = dcount(PodUid), NotReady = dcountif(PodUid, PodStatus != "Running" or ContainerStatus != "running"), Restarts = sum(ContainerRestartCount) by TimeGenerated',
      '| order by TimeGenerated asc',
    ].join('\n'),

  /** One node's Perf counter, to reproduce a node series. */
  nodeSeries: (args: MetricQueryArgs & { node: string; counter: string }) =>
    [
      'Perf',
      `| where TimeGenerated > ago(${args.minutes}m)`,
      `| where ObjectName == "K8SNode" and Computer == ${kqlString(args.node)} and CounterName == ${kqlString(args.counter)}`,
      `| summarize avg(CounterValue) by bin(TimeGenerated, ${args.binMinutes}m)`,
      '| order by TimeGenerated asc',
    ].join('\n'),

  /** One node's disk, to reproduce its disk series. */
  nodeDiskSeries: (args: MetricQueryArgs & { node: string }) =>
    [
      'InsightsMetrics',
      `| where TimeGenerated > ago(${args.minutes}m)`,
      `| where Namespace == "container.azm.ms/disk" and Name == "used_percent" and Computer == ${kqlString(args.node)}`,
      `| summarize max(Val) by bin(TimeGenerated, ${args.binMinutes}m)`,
      '| order by TimeGenerated asc',
    ].join('\n'),
} as const;

export type ContainerInsightsMetricQuery = keyof typeof CONTAINER_INSIGHTS_METRIC_QUERIES;

const SAMPLE_CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const SAMPLE = { clusterId: SAMPLE_CLUSTER, minutes: 240, binMinutes: 1 };

/** Each query rendered with sample values (validated in CI against the Container insights schemas). */
export const CONTAINER_INSIGHTS_METRIC_SAMPLES: Record<ContainerInsightsMetricQuery, string> = {
  containerPerf: CONTAINER_INSIGHTS_METRIC_QUERIES.containerPerf(SAMPLE),
  containerSeries: CONTAINER_INSIGHTS_METRIC_QUERIES.containerSeries({
    ...SAMPLE,
    counter: 'cpuUsageNanoCores',
    instances: [`${SAMPLE_CLUSTER}/2af2f43f-663a-4c40-8102-4d35519c205f/checkout`],
  }),
  nodePerf: CONTAINER_INSIGHTS_METRIC_QUERIES.nodePerf(SAMPLE),
  nodeDisk: CONTAINER_INSIGHTS_METRIC_QUERIES.nodeDisk(SAMPLE),
  podInventory: CONTAINER_INSIGHTS_METRIC_QUERIES.podInventory(SAMPLE),
  podOwners: CONTAINER_INSIGHTS_METRIC_QUERIES.podOwners(SAMPLE),
  workloadInventory: CONTAINER_INSIGHTS_METRIC_QUERIES.workloadInventory({
    ...SAMPLE,
    namespace: 'shop',
    controllerPrefix: 'checkout',
  }),
  nodeSeries: CONTAINER_INSIGHTS_METRIC_QUERIES.nodeSeries({
    ...SAMPLE,
    node: 'aks-nodepool1-12345678-vmss000000',
    counter: 'cpuUsageNanoCores',
  }),
  nodeDiskSeries: CONTAINER_INSIGHTS_METRIC_QUERIES.nodeDiskSeries({
    ...SAMPLE,
    node: 'aks-nodepool1-12345678-vmss000000',
  }),
};
