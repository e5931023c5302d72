// What an incident is, as stored and as returned by the API. Status is derived from time, never stored, so every
// instance agrees on it.
import type { ServiceName } from '../services.js';

export const INCIDENT_TYPES = [
  'cpu_spike',
  'memory_leak',
  'latency_spike',
  'error_spike',
  'pod_crash',
  'bad_deployment',
  'config_error',
  'node_pressure',
] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The simulator's time step: metrics, cluster states and incidents all move by whole minutes. */
export const MINUTE_MS = 60_000;

/** Effect multiplier per severity: every incident is noticeable, critical ones are severe. */
export const SEVERITY_FACTOR: Record<Severity, number> = { low: 0.6, medium: 1, high: 1.5, critical: 2.2 };

export interface Incident {
  id: string;
  type: IncidentType;
  service: ServiceName;
  severity: Severity;
  /** ISO time the incident starts affecting metrics and the cluster (minute-aligned). */
  startedAt: string;
  /** Planned end: startedAt + durationMinutes. */
  endsAt: string;
  /** Set when ended early through POST /incidents/{id}/resolve. */
  resolvedAt?: string;
  durationMinutes: number;
  description: string;
  createdAt: string;
}

export interface IncidentView extends Incident {
  status: 'active' | 'resolved';
}

/** Milliseconds at which the incident stops having effects. */
export function incidentEndMs(incident: Pick<Incident, 'endsAt' | 'resolvedAt'>): number {
  const planned = Date.parse(incident.endsAt);
  return incident.resolvedAt === undefined ? planned : Math.min(planned, Date.parse(incident.resolvedAt));
}

export function incidentStatus(incident: Incident, now: Date): 'active' | 'resolved' {
  return now.getTime() < incidentEndMs(incident) ? 'active' : 'resolved';
}

export function viewIncident(incident: Incident, now: Date): IncidentView {
  return { ...incident, status: incidentStatus(incident, now) };
}

export function isIncidentType(value: unknown): value is IncidentType {
  return typeof value === 'string' && (INCIDENT_TYPES as readonly string[]).includes(value);
}
