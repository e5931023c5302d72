// Playbooks: which evidence each well-known AKS alert needs, and which root causes it usually points at. Names are
// Azure's recommended AKS alert rules (Prometheus community rules and platform metric rules, as the recommended-alerts
// template names them), the kube-prometheus (kubernetes-mixin) rule names, and the legacy Container insights metric
// alerts. An alert that matches no playbook still gets the default evidence set.
import type { RootCause } from './types.js';

export type EvidenceNeed =
  | 'pods'
  | 'owner'
  | 'events'
  | 'previousLogs'
  | 'node'
  | 'pvc'
  | 'podMetrics'
  | 'restartHistory'
  | 'memoryHistory'
  | 'errorLogs'
  /** The current container log of Running pods (error lines behind a 5xx surge). */
  | 'currentLogs'
  /** The workload's metric series against their baseline (evidence/metricEvidence.ts). */
  | 'metrics';

export interface Playbook {
  /** Stable id, also written to the diagnosis row. */
  id: string;
  /** Alert rule names (case-insensitive, also matched as metric names) that select this playbook. */
  alertNames: string[];
  /** What the alert is about: a pod/container, a workload, a node or a volume. */
  scope: 'pod' | 'workload' | 'node' | 'volume' | 'cluster';
  needs: EvidenceNeed[];
  /** Root causes this alert usually ends in; used to break ties between rules of equal confidence. */
  likelyCauses: RootCause[];
}

const POD_NEEDS: EvidenceNeed[] = [
  'pods',
  'owner',
  'events',
  'previousLogs',
  'node',
  'pvc',
  'restartHistory',
  'errorLogs',
];

export const PLAYBOOKS: Playbook[] = [
  {
    id: 'pod-crash-looping',
    alertNames: [
      'KubePodCrashLooping',
      'KubePodContainerRestart',
      'Pod container restarted in last 1 hour',
      'restartingContainerCount',
      'Restarting container count',
      'aks-aiops-ci-pod-restarts', // infra/containerInsightsAlerts.json (rule names get a suffix per workspace)
    ],
    scope: 'pod',
    needs: [...POD_NEEDS, 'memoryHistory'],
    likelyCauses: ['crash_loop', 'oom_killed', 'probe_failure', 'config_error'],
  },
  {
    id: 'oom-killed',
    alertNames: [
      'KubeContainerOOMKilled', // infra/prometheusRules.json
      'aks-aiops-ci-oom-killed',
      'KubeContainerOOMKilledCount',
      'Number of OOM killed containers is greater than 0',
      'oomKilledContainerCount',
      'OOM Killed Containers',
    ],
    scope: 'pod',
    needs: [...POD_NEEDS, 'podMetrics', 'memoryHistory'],
    likelyCauses: ['oom_killed'],
  },
  {
    id: 'pod-not-ready',
    alertNames: [
      'KubePodNotReady',
      'KubePodNotReadyByController',
      'KubePodReadyStateLow',
      'Ready state of pods is less than 80%',
      'podReadyPercentage',
      'aks-aiops-ci-pods-not-running',
    ],
    scope: 'pod',
    needs: [...POD_NEEDS, 'metrics'],
    likelyCauses: [
      'failed_scheduling',
      'probe_failure',
      'latency_degradation',
      'image_pull_error',
      'volume_mount_error',
      'crash_loop',
    ],
  },
  {
    id: 'container-waiting',
    alertNames: ['KubeContainerWaiting'],
    scope: 'pod',
    needs: POD_NEEDS,
    likelyCauses: ['image_pull_error', 'config_error', 'crash_loop', 'volume_mount_error'],
  },
  {
    id: 'pod-failed',
    alertNames: [
      'KubePodFailedState',
      'Number of pods in failed state are greater than 0.',
      'Pods in failed state',
      'podCount',
    ],
    scope: 'pod',
    needs: POD_NEEDS,
    likelyCauses: ['evicted', 'job_failed', 'oom_killed'],
  },
  {
    id: 'workload-replicas-mismatch',
    alertNames: [
      'KubeDeploymentReplicasMismatch',
      'KubeStatefulSetReplicasMismatch',
      'KubeDaemonSetNotScheduled',
      'KubeDaemonSetMisScheduled',
      'KubeHpaReplicasMismatch',
      'KubeDeploymentRolloutStuck',
    ],
    scope: 'workload',
    needs: POD_NEEDS,
    likelyCauses: ['failed_scheduling', 'image_pull_error', 'crash_loop', 'probe_failure'],
  },
  {
    id: 'job-failed',
    alertNames: ['KubeJobFailed', 'KubeJobStale', 'KubeJobNotCompleted', 'completedJobsCount', 'Stale job count'],
    scope: 'workload',
    needs: [...POD_NEEDS],
    likelyCauses: ['job_failed', 'oom_killed', 'config_error'],
  },
  {
    id: 'node-not-ready',
    alertNames: [
      'KubeNodeNotReady',
      'KubeNodeUnreachable',
      'KubeNodeReadinessFlapping',
      'nodesCount',
      'Node NotReady status',
      'KubeletDown',
      'aks-aiops-ci-node-not-ready',
    ],
    scope: 'node',
    needs: ['node', 'events', 'pods'],
    likelyCauses: ['node_not_ready'],
  },
  {
    id: 'node-resources-high',
    alertNames: [
      'Node cpu percentage is greater than 95%',
      'Node memory working set percentage is greater than 100%',
      'cpuUsagePercentage',
      'memoryWorkingSetPercentage',
      'node_cpu_usage_percentage',
      'node_memory_working_set_percentage',
    ],
    scope: 'node',
    needs: ['node', 'events', 'pods', 'podMetrics'],
    likelyCauses: ['node_not_ready', 'healthy'],
  },
  {
    id: 'container-resources-high',
    alertNames: [
      'KubeContainerAverageCPUHigh',
      'KubeContainerAverageMemoryHigh',
      'Average CPU usage per container is greater than 95%',
      'Average Memory usage per container is greater than 95%',
      'cpuExceededPercentage',
      'memoryWorkingSetExceededPercentage',
      'memoryRssExceededPercentage',
      'CPUThrottlingHigh',
    ],
    scope: 'pod',
    needs: [...POD_NEEDS, 'podMetrics', 'memoryHistory', 'metrics'],
    likelyCauses: ['oom_killed', 'cpu_throttling', 'cpu_saturation'],
  },
  {
    // Service-level alerts on the applications' own HTTP metrics (managed Prometheus rule groups, Application
    // Insights failed-request and response-time alerts).
    id: 'service-errors-or-latency',
    alertNames: ['HTTPErrorRateHigh', 'requests/failed', 'HTTPLatencyHigh', 'requests/duration', 'KubeHpaMaxedOut'],
    scope: 'workload',
    needs: [...POD_NEEDS, 'currentLogs', 'metrics'],
    likelyCauses: ['error_rate_surge', 'latency_degradation', 'cpu_saturation'],
  },
  {
    id: 'volume-usage-high',
    alertNames: [
      'KubePVUsageHigh',
      'Average PV usage is greater than 80%',
      'pvUsageExceededPercentage',
      'KubePersistentVolumeFillingUp',
      'KubePersistentVolumeInodesFillingUp',
      'KubePersistentVolumeErrors',
    ],
    scope: 'volume',
    needs: ['pvc', 'pods', 'events'],
    likelyCauses: ['volume_mount_error'],
  },
  {
    // Warning events naming a failure (infra/kql/alert-ci-warning-events.kql): the object is usually a pod.
    id: 'failure-events',
    alertNames: ['aks-aiops-ci-warning-events'],
    scope: 'pod',
    needs: POD_NEEDS,
    likelyCauses: ['failed_scheduling', 'crash_loop', 'volume_mount_error', 'evicted', 'probe_failure', 'oom_killed'],
  },
];

export const DEFAULT_PLAYBOOK: Playbook = {
  id: 'default',
  alertNames: [],
  scope: 'pod',
  needs: POD_NEEDS,
  likelyCauses: [],
};

const normalizeName = (s: string) => s.trim().toLowerCase();

/** The playbook for an alert rule name or metric name (kube-prometheus, Azure recommended or Container insights). */
export function findPlaybook(names: Array<string | undefined | null>): Playbook {
  const wanted = names.filter((n): n is string => typeof n === 'string' && n.length > 0).map(normalizeName);
  for (const name of wanted) {
    const hit = PLAYBOOKS.find((p) => p.alertNames.some((a) => normalizeName(a) === name));
    if (hit) return hit;
  }
  // Rule names are free text ("prod - KubePodCrashLooping"): fall back to a contained well-known name.
  for (const name of wanted) {
    const hit = PLAYBOOKS.find((p) => p.alertNames.some((a) => a.length > 8 && name.includes(normalizeName(a))));
    if (hit) return hit;
  }
  return DEFAULT_PLAYBOOK;
}
