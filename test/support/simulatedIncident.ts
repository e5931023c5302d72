// A simulator incident for tests that build the simulated cluster directly (no incidents table).
import type { Incident } from '../../shared/simulator/incidents/incident.js';

export function simulatedIncident(
  type: Incident['type'],
  service: Incident['service'],
  startMs: number,
  durationMinutes: number,
): Incident {
  return {
    id: `${type}-${service}`,
    type,
    service,
    severity: 'medium',
    startedAt: new Date(startMs).toISOString(),
    endsAt: new Date(startMs + durationMinutes * 60_000).toISOString(),
    durationMinutes,
    description: `${type} on ${service}`,
    createdAt: new Date(startMs).toISOString(),
  };
}
