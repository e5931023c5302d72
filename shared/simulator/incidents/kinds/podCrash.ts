import { applyCrashLoop, podsOf } from '../../cluster/clusterModel.js';
import type { IncidentKind } from '../incidentKind.js';

/** The application exits with an error (exit code 1) on start: CrashLoopBackOff, fewer pods, more errors. */
export const podCrash: IncidentKind = {
  type: 'pod_crash',
  summary: 'The application exits with code 1 and restarts in CrashLoopBackOff: fewer ready pods, more errors.',
  defaultDurationMinutes: 20,
  applyMetrics(f, { factor }) {
    const crashing = Math.max(1, Math.min(f.desiredPods, Math.round(f.desiredPods * 0.5 * factor)));
    f.readyPods = Math.max(0, f.readyPods - crashing);
    f.ownErrorRate += 4 * factor;
  },
  applyCluster(cluster, { incident, service, elapsed, factor }) {
    const startMs = Date.parse(incident.startedAt);
    const pods = podsOf(cluster, service);
    const crashing = Math.max(1, Math.min(pods.length, Math.round(pods.length * 0.5 * factor)));
    for (const pod of pods.slice(0, crashing)) {
      pod.ready = false;
      pod.state = {
        kind: 'waiting',
        reason: 'CrashLoopBackOff',
        message: `back-off 10s restarting failed container=${pod.containerName} pod=${pod.name}_${pod.namespace}(${pod.uid})`,
      };
      applyCrashLoop(cluster, pod, {
        startMs,
        elapsedMinutes: elapsed,
        periodMinutes: 1,
        reason: 'Error',
        exitCode: 1,
        previousLog: [
          `${new Date(startMs).toISOString()} INFO ${service} starting (node v20.18.0)`,
          `${new Date(startMs + 1500).toISOString()} ERROR failed to initialise database pool: connect ECONNREFUSED 10.0.12.7:5432`,
          'Error: connect ECONNREFUSED 10.0.12.7:5432',
          '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
          '',
        ].join('\n'),
      });
    }
  },
};
