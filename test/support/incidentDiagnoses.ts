// What the diagnosis of each simulated incident type should name (docs/diagnostics.md, root causes), on the service
// the tests start it on.
import type { RootCause } from '../../shared/diagnostics/types.js';
import type { IncidentType } from '../../shared/simulator/incidents/incident.js';
import type { ServiceName } from '../../shared/simulator/services.js';

export const INCIDENT_DIAGNOSES: Array<[IncidentType, ServiceName, RootCause]> = [
  ['cpu_spike', 'api-gateway', 'cpu_saturation'],
  ['latency_spike', 'payment-service', 'latency_degradation'],
  ['error_spike', 'user-service', 'error_rate_surge'],
  ['pod_crash', 'payment-service', 'crash_loop'],
  ['memory_leak', 'user-service', 'oom_killed'],
  ['bad_deployment', 'api-gateway', 'image_pull_error'],
  ['config_error', 'notification-service', 'config_error'],
  ['node_pressure', 'payment-service', 'node_not_ready'],
];

/** The incidents that change the Kubernetes objects themselves (a crash loop, an OOM kill, an image that does not
 * pull, a missing ConfigMap): a diagnosis from the objects alone finds them; the others need the metric evidence. */
export const OBJECT_INCIDENT_DIAGNOSES = INCIDENT_DIAGNOSES.filter(([type]) =>
  ['pod_crash', 'memory_leak', 'bad_deployment', 'config_error'].includes(type),
);
