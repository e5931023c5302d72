import { addEvent, podsOf, containerOf } from '../../cluster/clusterModel.js';
import type { IncidentKind } from '../incidentKind.js';

/** A slow dependency or lock contention: the service and everyone calling it slow down; readiness probes time out. */
export const latencySpike: IncidentKind = {
  type: 'latency_spike',
  summary: 'Latency multiplies at the service and its callers; readiness probes time out and pods leave the endpoints.',
  defaultDurationMinutes: 15,
  applyMetrics(f, { factor }) {
    f.ownLatency *= 1 + 2.5 * factor;
    f.ownErrorRate += 0.6 * factor; // client timeouts
  },
  applyCluster(cluster, { incident, service, elapsed, factor }) {
    const startMs = Date.parse(incident.startedAt);
    const pods = podsOf(cluster, service);
    // Probes fail after failureThreshold (3 × 10s); more pods flap at higher severity.
    const failing = Math.max(1, Math.min(pods.length, Math.round(pods.length * 0.5 * factor)));
    pods.slice(0, failing).forEach((pod) => {
      if (elapsed >= 1 || cluster.nowMs - startMs >= 30_000) pod.ready = false;
      addEvent(cluster, {
        namespace: pod.namespace,
        involved: containerOf(pod),
        reason: 'Unhealthy',
        message: `Readiness probe failed: Get "http://${pod.podIP ?? '10.244.0.1'}:${pod.port ?? 8080}/healthz/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        type: 'Warning',
        component: 'kubelet',
        host: pod.nodeName,
        firstMs: startMs + 10_000,
        lastMs: Math.max(startMs + 10_000, cluster.nowMs - 5_000),
        count: Math.max(1, elapsed * 6),
      });
    });
  },
};
