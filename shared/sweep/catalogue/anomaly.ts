// Catalogue entries of the anomaly.* checks: a metric of the cluster's own (Container Insights, managed Prometheus,
// AKS platform metrics) broke its learned baseline in the newest minutes (shared/metrics/anomalySignalSource.ts).
import type { CheckEntryOf } from './entry.js';

type CheckEntry = CheckEntryOf<'anomaly'>;

const SCORE =
  'The streaming detector scored the series over the last hours; the newest points are improbable under its own history (likelihood ≥ 0.5, a tail probability of 1e-5) and far from the baseline.';
const DOCS = 'https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-analyze';
const PLATFORM_DOCS = 'https://learn.microsoft.com/azure/aks/monitor-aks-reference';
const PROMETHEUS_DOCS = 'https://learn.microsoft.com/azure/azure-monitor/metrics/prometheus-metrics-overview';

function a(id: string, title: string, why: string, fix: string, docsUrl = DOCS): CheckEntry {
  return {
    id: `anomaly.${id}`,
    severity: 'warning',
    family: 'anomaly',
    state: 'live',
    title,
    why: `${why} ${SCORE}`,
    fix,
    docsUrl,
  };
}

export const ANOMALY_CHECKS: readonly CheckEntry[] = [
  a(
    'cpu-usage',
    "A workload's CPU usage broke its baseline",
    'A jump in CPU (a hot loop, a traffic change, a bad release) throttles containers at their limit and slows every request.',
    'Compare with the request and limit in the finding; look at recent deployments and traffic; scale out or raise the limit if the load is real.',
  ),
  a(
    'memory-working-set',
    "A workload's memory working set broke its baseline",
    'A working set that climbs away from its usual level ends in an OOM kill when it reaches the limit (a leak, a cache without bound).',
    'Compare with the limit in the finding; take a heap profile; roll back the release that started it, or raise the limit if the growth is expected.',
  ),
  a(
    'restarts',
    "A workload's containers restarted more than usual",
    'Restarts the workload does not usually have are crashes, OOM kills or failing liveness probes.',
    'Read the last termination reason and the previous log of the restarted pods (kubectl logs --previous).',
  ),
  a(
    'pod-count',
    "A workload's pod count changed away from its baseline",
    'Pods appearing or vanishing outside the usual pattern are an autoscaler reacting to load, a failed rollout or evictions.',
    'Check the HorizontalPodAutoscaler, the rollout history and the evictions of the workload.',
  ),
  a(
    'pods-not-ready',
    "More of a workload's pods are not running or not ready",
    'Pods that stop being ready take capacity away and, at the limit, the whole service.',
    'Describe the not-ready pods: probe failures, image pulls, scheduling and mount errors are in their events.',
  ),
  a(
    'node-cpu',
    "A node's CPU usage broke its baseline",
    'A node running hot throttles every pod on it and delays the kubelet.',
    'See which pods on the node grew (kubectl top pods --all-namespaces --sort-by=cpu); spread or scale the node pool.',
    PLATFORM_DOCS,
  ),
  a(
    'node-memory',
    "A node's memory working set broke its baseline",
    'A node near its memory capacity evicts pods and, past that, the kernel OOM-kills them.',
    'See which pods on the node grew; set memory limits; scale the node pool or move to a larger VM size.',
    PLATFORM_DOCS,
  ),
  a(
    'node-disk',
    "A node's disk usage broke its baseline",
    'A filling disk brings DiskPressure, image garbage collection and evictions.',
    'Find what writes to the node disk (container logs, emptyDir volumes, images); clean up or use larger OS disks.',
    PLATFORM_DOCS,
  ),
  a(
    'pods-pending',
    'More pods than usual are Pending in the cluster',
    'Pending pods are waiting for capacity, a volume or an image: work the cluster is not doing.',
    'List Pending pods (kubectl get pods -A --field-selector=status.phase=Pending) and read their events.',
    PLATFORM_DOCS,
  ),
  a(
    'pods-failed',
    'More pods than usual are Failed in the cluster',
    'Failed pods are jobs and pods that ended in error or were evicted.',
    'List Failed pods (kubectl get pods -A --field-selector=status.phase=Failed) and read their status reason.',
    PLATFORM_DOCS,
  ),
  // Application series from managed Prometheus (shared/metrics/prometheusReader.ts).
  a(
    'request-rate',
    "A workload's request rate broke its baseline",
    'Traffic far above or below its usual level is a surge the workload may not be sized for, or callers that can no longer reach it.',
    'Compare with the callers and the ingress; scale out for a real surge, or find what stopped the traffic.',
    PROMETHEUS_DOCS,
  ),
  a(
    'error-rate',
    "A workload's share of 5xx responses broke its baseline",
    'Server errors above their usual share fail requests for users; a release, a dependency or exhaustion of a resource.',
    'Read the error lines of the workload and of its dependencies; roll back the release that started it.',
    PROMETHEUS_DOCS,
  ),
  a(
    'latency-p95',
    "A workload's p95 latency broke its baseline",
    'Slow responses time out callers and queue work upstream; CPU throttling, a slow dependency or lock contention.',
    "Compare with CPU throttling and the dependencies' latency in the same window; scale out or raise the CPU limit if throttled.",
    PROMETHEUS_DOCS,
  ),
];
