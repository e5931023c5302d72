// One incident type = one file in kinds/: what it does to the metrics and to the cluster, listed in registry.ts.
import type { ClusterModel } from '../cluster/clusterModel.js';
import type { ServiceFrame } from '../metricsFrame.js';
import type { ServiceName } from '../services.js';
import { MINUTE_MS, SEVERITY_FACTOR, type Incident, type IncidentType } from './incident.js';

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
  /**
   * Changes the minute's metrics of the incident's own service (before its callers see its latency and errors: they
   * are affected through the call graph, never directly).
   */
  applyMetrics(frame: ServiceFrame, ctx: IncidentContext): void;
  /** Changes the simulated cluster at the model's current minute. */
  applyCluster(cluster: ClusterModel, ctx: IncidentContext): void;
}

/** Minutes between OOM kills of a leaking container: faster leaks at higher severity. */
export function oomPeriodMinutes(factor: number): number {
  return Math.max(2, Math.round(7 / factor));
}

/** What an incident kind is told at a minute: how long the incident has run and how severe it is. */
export function incidentContextAt(incident: Incident, minute: number, seed: number): IncidentContext {
  return {
    incident,
    service: incident.service,
    elapsed: minute - Math.floor(Date.parse(incident.startedAt) / MINUTE_MS),
    factor: SEVERITY_FACTOR[incident.severity],
    seed,
  };
}
