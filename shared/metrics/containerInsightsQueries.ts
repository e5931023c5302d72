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
import { kqlString, SAMPLE_CLUSTER } from '../diagnostics/evidence/kqlQueries.js';

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
/** `<table> | where TimeGenerated > ago(<minutes>m) | <each step>`. */
const kql = (table: string, minutes: number, ...steps: string[]) =>
  [table, `| where TimeGenerated > ago(${minutes}m)`, ...steps.map((step) => `| ${step}`)].join('\n');
/** Perf counters of one object kind of the cluster, averaged per bin and counter. */
const perfBins = (objectName: string, counters: readonly string[], clusterId: string, minutes: number, by: string) =>
  kql(
    'Perf',
    minutes,
    `where ObjectName == "${objectName}" and CounterName in (${list(counters)}) and InstanceName startswith ${kqlString(`${clusterId}/`)}`,
    `summarize avg(CounterValue) by ${by}, CounterName`,
  );
const INVENTORY_COUNTS =
  'Pods = dcount(PodUid), NotReady = dcountif(PodUid, PodStatus != "Running" or ContainerStatus != "running"), Restarts = sum(ContainerRestartCount)';

export const CONTAINER_INSIGHTS_METRIC_QUERIES = {
  /** Per container instance (`<clusterId>/<podUid>/<container>`): usage, request and limit averaged per bin. */
  containerPerf: ({ clusterId, minutes, binMinutes }: MetricQueryArgs) =>
    perfBins(
      'K8SContainer',
      CONTAINER_COUNTERS,
      clusterId,
      minutes,
      `bin(TimeGenerated, ${binMinutes}m), InstanceName`,
    ),

  /** One container's series, as a person would reproduce one pod's part of a workload series. */
  containerSeries: (args: MetricQueryArgs & { counter: string; instances: readonly string[] }) =>
    kql(
      'Perf',
      args.minutes,
      `where ObjectName == "K8SContainer" and CounterName == ${kqlString(args.counter)} and InstanceName in~ (${list(args.instances)})`,
      `summarize avg(CounterValue) by bin(TimeGenerated, ${args.binMinutes}m), InstanceName`,
      'order by TimeGenerated asc',
    ),

  /** Per node: usage and capacity averaged per bin (InstanceName is `<clusterId>/<node>`). */
  nodePerf: ({ clusterId, minutes, binMinutes }: MetricQueryArgs) =>
    perfBins('K8SNode', NODE_COUNTERS, clusterId, minutes, `bin(TimeGenerated, ${binMinutes}m), Computer`),

  /** Per node: the fullest disk's used percent per bin. */
  nodeDisk: ({ minutes, binMinutes }: MetricQueryArgs) =>
    kql(
      'InsightsMetrics',
      minutes,
      'where Namespace == "container.azm.ms/disk" and Name == "used_percent"',
      `summarize max(Val) by bin(TimeGenerated, ${binMinutes}m), Computer`,
    ),

  /**
   * Per collection and controller: pods, pods not running/ready, restarts (summed over containers). Grouped by the
   * collection's TimeGenerated (every row of one inventory pass shares it), so counts are never summed across passes.
   */
  podInventory: ({ clusterId, minutes }: MetricQueryArgs) =>
    kql(
      'KubePodInventory',
      minutes,
      `where ClusterId =~ ${kqlString(clusterId)} and ControllerName != ""`,
      `summarize ${INVENTORY_COUNTS} by TimeGenerated, Namespace, ControllerKind, ControllerName`,
    ),

  /** Which workload each pod belongs to (Perf rows name pods by uid only). */
  podOwners: ({ clusterId, minutes }: MetricQueryArgs) =>
    kql(
      'KubePodInventory',
      minutes,
      `where ClusterId =~ ${kqlString(clusterId)} and ControllerName != ""`,
      'summarize arg_max(TimeGenerated, Namespace, ControllerKind, ControllerName, Name) by PodUid',
    ),

  /** One workload's inventory counts, to reproduce its pods / not-ready / restarts series. */
  workloadInventory: (args: MetricQueryArgs & { namespace: string; controllerPrefix: string }) =>
    kql(
      'KubePodInventory',
      args.minutes,
      `where ClusterId =~ ${kqlString(args.clusterId)} and Namespace == ${kqlString(args.namespace)} and ControllerName startswith ${kqlString(args.controllerPrefix)}`,
      `summarize ${INVENTORY_COUNTS} by TimeGenerated`,
      'order by TimeGenerated asc',
    ),

  /** One node's Perf counter, to reproduce a node series. */
  nodeSeries: (args: MetricQueryArgs & { node: string; counter: string }) =>
    kql(
      'Perf',
      args.minutes,
      `where ObjectName == "K8SNode" and Computer == ${kqlString(args.node)} and CounterName == ${kqlString(args.counter)}`,
      `summarize avg(CounterValue) by bin(TimeGenerated, ${args.binMinutes}m)`,
      'order by TimeGenerated asc',
    ),

  /** One node's disk, to reproduce its disk series. */
  nodeDiskSeries: (args: MetricQueryArgs & { node: string }) =>
    kql(
      'InsightsMetrics',
      args.minutes,
      `where Namespace == "container.azm.ms/disk" and Name == "used_percent" and Computer == ${kqlString(args.node)}`,
      `summarize max(Val) by bin(TimeGenerated, ${args.binMinutes}m)`,
      'order by TimeGenerated asc',
    ),
} as const;

export type ContainerInsightsMetricQuery = keyof typeof CONTAINER_INSIGHTS_METRIC_QUERIES;

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
