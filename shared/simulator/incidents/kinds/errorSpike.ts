import { podsOf } from '../../cluster/clusterModel.js';
import { SERVICES } from '../../services.js';
import type { IncidentKind } from '../incidentKind.js';

/** A failing downstream or a bad code path: HTTP 5xx rise; pods stay up, only their logs show it. */
export const errorSpike: IncidentKind = {
  type: 'error_spike',
  summary: 'HTTP 5xx responses surge; callers see part of them; pods stay Running and their logs show the errors.',
  defaultDurationMinutes: 15,
  applyMetrics(f, { factor }) {
    f.ownErrorRate += 7 * factor;
  },
  applyCluster(cluster, { incident, service }) {
    const startMs = Date.parse(incident.startedAt);
    for (const pod of podsOf(cluster, service)) {
      const lines: string[] = [];
      for (let t = startMs; t <= cluster.nowMs && lines.length < 40; t += 15_000) {
        lines.push(
          `${new Date(t).toISOString()} ERROR POST /v1/${service.split('-')[0]} 503 upstream connect error or disconnect/reset before headers. reset reason: connection timeout (${SERVICES[service].port})`,
        );
      }
      pod.logs.current = `${pod.logs.current ?? ''}${lines.join('\n')}\n`;
    }
  },
};
