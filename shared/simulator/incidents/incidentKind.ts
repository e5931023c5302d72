// One incident type = one file in kinds/: what it does to the metrics and to the cluster, listed in registry.ts.
import type { ClusterModel } from '../cluster/clusterModel.js';
import type { MetricsFrame } from '../metricsFrame.js';
import type { ServiceName } from '../services.js';
import type { Incident, IncidentType } from './incident.js';

export interface IncidentContext {
  incident: Incident;
  service: ServiceName;
  /** Whole minutes since the incident started (0 in its first minute). */
  elapsed: number;
  /** SEVERITY_FACTOR of the incident's severity. */
  factor: number;
  seed: number;
}

export interface IncidentKind {
  type: IncidentType;
  /** One sentence for the docs page and the incident's default description. */
  summary: string;
  defaultDurationMinutes: number;
  /** Changes the minute's metrics frame (before callers see the service's latency and errors). */
  applyMetrics(frame: MetricsFrame, ctx: IncidentContext): void;
  /** Changes the simulated cluster at the model's current minute. */
  applyCluster(cluster: ClusterModel, ctx: IncidentContext): void;
}

/** Minutes between OOM kills of a leaking container: faster leaks at higher severity. */
export function oomPeriodMinutes(factor: number): number {
  return Math.max(2, Math.round(7 / factor));
}
