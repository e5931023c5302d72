// Every KQL text the diagnostics run against Container insights, in one place. The builders render a query from
// values; KQL_SAMPLES renders each with sample values so a test validates them against the table schemas (a typo in
// a column name fails CI, not an incident). Only operators the local stand-in evaluates are used: where (==, and),
// project, summarize max()/arg_max() by, order by, take, ago().

/** A KQL string literal: values come from alerts and clusters, so they are always escaped, never spliced. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, ' ')}"`;
}

export interface PodQueryArgs {
  clusterId: string;
  namespace: string;
  pod: string;
  /** Look-back window, hours. */
  hours?: number;
}

export interface ContainerQueryArgs extends PodQueryArgs {
  container: string;
}

export interface MemoryQueryArgs {
  clusterId: string;
  podUid: string;
  container: string;
  hours?: number;
}

/** The peak of one K8SContainer Perf counter of a container (Perf InstanceName is `<clusterId>/<podUid>/<container>`). */
function containerCounterPeak(counter: string, { clusterId, podUid, container, hours = 6 }: MemoryQueryArgs): string {
  return [
    'Perf',
    `| where TimeGenerated > ago(${hours}h)`,
    `| where ObjectName == "K8SContainer" and CounterName == "${counter}" and InstanceName =~ ${kqlString(`${clusterId}/${podUid}/${container}`)}`,
    '| summarize max(CounterValue) by InstanceName',
  ].join('\n');
}

export const KQL_QUERIES = {
  /** Restart count and last termination per container of a pod, from the pod inventory (every minute). */
  restartHistory: ({ clusterId, namespace, pod, hours = 6 }: PodQueryArgs) =>
    [
      'KubePodInventory',
      `| where TimeGenerated > ago(${hours}h)`,
      `| where ClusterId =~ ${kqlString(clusterId)} and Namespace == ${kqlString(namespace)} and Name == ${kqlString(pod)}`,
      '| summarize arg_max(TimeGenerated, ContainerRestartCount, ContainerLastStatus, ContainerStatusReason, PodStatus) by ContainerName',
      '| order by ContainerName asc',
    ].join('\n'),

  /** Peak memory working set of one container. */
  memoryWorkingSet: (args: MemoryQueryArgs) => containerCounterPeak('memoryWorkingSetBytes', args),

  /** The container's memory limit as Container insights recorded it, to compare with the working set. */
  memoryLimit: (args: MemoryQueryArgs) => containerCounterPeak('memoryLimitBytes', args),

  /**
   * The latest log lines of a container (errors are picked out by the caller). ContainerLogV2 has no ClusterId column:
   * the cluster is its _ResourceId, so same-named pods of two clusters sending to one workspace do not mix.
   */
  recentLogs: ({ clusterId, namespace, pod, container, hours = 1 }: ContainerQueryArgs) =>
    [
      'ContainerLogV2',
      `| where TimeGenerated > ago(${hours}h)`,
      `| where _ResourceId =~ ${kqlString(clusterId)} and PodNamespace == ${kqlString(namespace)} and PodName == ${kqlString(pod)} and ContainerName == ${kqlString(container)}`,
      '| project TimeGenerated, LogMessage',
      '| order by TimeGenerated desc',
      '| take 200',
    ].join('\n'),
} as const;

export type KqlQueryName = keyof typeof KQL_QUERIES;

/** The cluster every sample query is rendered for. */
export const SAMPLE_CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';

/** Each query rendered with sample values (validated in CI against the Container insights schemas). */
export const KQL_SAMPLES: Record<KqlQueryName, string> = {
  restartHistory: KQL_QUERIES.restartHistory({
    clusterId: SAMPLE_CLUSTER,
    namespace: 'shop',
    pod: 'checkout-7d4b9c6f5-x2k8p',
  }),
  memoryWorkingSet: KQL_QUERIES.memoryWorkingSet({
    clusterId: SAMPLE_CLUSTER,
    podUid: '2af2f43f-663a-4c40-8102-4d35519c205f',
    container: 'checkout',
  }),
  memoryLimit: KQL_QUERIES.memoryLimit({
    clusterId: SAMPLE_CLUSTER,
    podUid: '2af2f43f-663a-4c40-8102-4d35519c205f',
    container: 'checkout',
  }),
  recentLogs: KQL_QUERIES.recentLogs({
    clusterId: SAMPLE_CLUSTER,
    namespace: 'shop',
    pod: 'checkout-7d4b9c6f5-x2k8p',
    container: 'checkout',
  }),
};
