// One minute's state of every service as incidents see it (incidents/incidentKind.ts changes it), kept apart from
// metricsModel.ts, which applies the incident kinds: the kinds import this type, the model imports the kinds.
import type { ServiceName } from './services.js';

/** The parts of a service's state incidents act on, before callers see its latency and errors. */
export interface ServiceFrame {
  requestRate: number;
  cpu: number;
  memory: number;
  /** Latency of the service's own work, ms (callee latency is added after incidents). */
  ownLatency: number;
  /** Errors the service itself produces, % of requests. */
  ownErrorRate: number;
  readyPods: number;
  desiredPods: number;
  /** Load factor of the minute (seasonality), for effects that scale with traffic. */
  load: number;
}

export type MetricsFrame = Record<ServiceName, ServiceFrame>;
