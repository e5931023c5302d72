// The AKS platform metrics this project reads (Azure Monitor "Supported metrics for
// Microsoft.ContainerService/managedClusters"): every cluster has them, with or without Container Insights or
// managed Prometheus. The reader and the local metrics stand-in both use this list: names, units, dimensions.
export const AKS_METRIC_NAMESPACE = 'Microsoft.ContainerService/managedClusters';

export interface PlatformMetricDefinition {
  /** The Azure metric name (metricnames=…). */
  name: string;
  displayName: string;
  /** Azure's unit name. */
  unit: 'Percent' | 'Count' | 'Bytes' | 'MilliCores';
  dimensions: readonly string[];
}

export const AKS_PLATFORM_METRICS: readonly PlatformMetricDefinition[] = [
  {
    name: 'node_cpu_usage_percentage',
    displayName: 'CPU Usage Percentage',
    unit: 'Percent',
    dimensions: ['node', 'nodepool'],
  },
  {
    name: 'node_memory_working_set_percentage',
    displayName: 'Memory Working Set Percentage',
    unit: 'Percent',
    dimensions: ['node', 'nodepool'],
  },
  {
    name: 'node_disk_usage_percentage',
    displayName: 'Disk Used Percentage',
    unit: 'Percent',
    dimensions: ['node', 'nodepool', 'device'],
  },
  {
    name: 'kube_pod_status_phase',
    displayName: 'Number of pods by phase',
    unit: 'Count',
    dimensions: ['phase', 'namespace', 'pod'],
  },
  {
    name: 'kube_pod_status_ready',
    displayName: 'Number of pods in Ready state',
    unit: 'Count',
    dimensions: ['namespace', 'pod', 'condition'],
  },
  {
    name: 'kube_node_status_condition',
    displayName: 'Statuses for various node conditions',
    unit: 'Count',
    dimensions: ['condition', 'status', 'status2', 'node'],
  },
];
