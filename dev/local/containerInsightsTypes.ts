// The shapes the simulated Container Insights feed and its metric rows share (a separate module so the feed and
// containerInsightsMetrics.ts do not import each other).
export type LogRow = Record<string, unknown>;
export type Obj = Record<string, unknown>;

export interface ContainerInsightsSnapshot {
  pods: Obj[];
  nodes: Obj[];
  events: Obj[];
  services: Obj[];
  /** metrics.k8s.io/v1beta1 PodMetrics and NodeMetrics; empty when metrics-server is absent. */
  podMetrics: Obj[];
  nodeMetrics: Obj[];
  /** Container log text (KubeObjectSource.podLog); without it no ContainerLogV2 rows are produced. */
  podLog?: (namespace: string, pod: string, container: string, previous: boolean) => string | undefined;
}

export interface ContainerInsightsContext {
  /** ARM id of the AKS cluster: ClusterId and _ResourceId. */
  clusterId: string;
  /** Default: the last segment of clusterId. */
  clusterName?: string;
  /** Collection time: TimeGenerated of inventory, event and perf rows. */
  time: Date;
  /** Collect Normal events too (the agent's collect_all_kube_events); default Warning only, as the agent does. */
  collectNormalEvents?: boolean;
}
