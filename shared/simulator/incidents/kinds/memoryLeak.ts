import { applyCrashLoop, addEvent, podsOf } from '../../cluster/clusterModel.js';
import { SERVICES } from '../../services.js';
import { oomPeriodMinutes, type IncidentKind } from '../incidentKind.js';

/**
 * Memory climbs to the limit, the kernel OOM-kills the container (exit 137), it restarts and climbs again: memory
 * is a saw-tooth, each kill costs a pod for a minute and a burst of errors, and the pods end up in CrashLoopBackOff
 * with lastState OOMKilled.
 */
export const memoryLeak: IncidentKind = {
  type: 'memory_leak',
  summary:
    'Memory climbs until the container is OOM-killed (exit 137) and restarts: saw-tooth memory, CrashLoopBackOff.',
  defaultDurationMinutes: 30,
  applyMetrics(f, { service, elapsed, factor }) {
    const period = oomPeriodMinutes(factor);
    // The incident starts when the leak first hits the limit: kills at minutes 0, period, 2·period, ...
    const phase = elapsed % period;
    const base = SERVICES[service].memoryBase;
    f.memory = phase === 0 ? 97 : base + ((97 - base) * phase) / period;
    if (phase === 0) {
      // The kill: one pod is restarting and its in-flight requests fail.
      f.readyPods = Math.max(0, f.readyPods - 1);
      f.ownErrorRate += 2.5 * factor;
    }
  },
  applyCluster(cluster, { incident, service, elapsed, factor }) {
    const startMs = Date.parse(incident.startedAt);
    const period = oomPeriodMinutes(factor);
    const limitBytes =
      SERVICES[service].memoryLimit === '1Gi'
        ? 1024 ** 3
        : SERVICES[service].memoryLimit === '768Mi'
          ? 768 * 1024 ** 2
          : 512 * 1024 ** 2;
    podsOf(cluster, service).forEach((pod, i) => {
      // Pods leak at slightly different speeds, so they are not all killed in the same minute.
      const podElapsed = elapsed - (i % 2);
      if (podElapsed < 0) return;
      pod.usage.memoryBytes = Math.round(limitBytes * Math.min(0.97, 0.55 + (0.42 * (podElapsed % period)) / period));
      applyCrashLoop(cluster, pod, {
        // Shifted by period-1 minutes: the first kill happens in the incident's first minute.
        startMs: startMs + (i % 2) * 60_000 - (period - 1) * 60_000,
        elapsedMinutes: podElapsed + period - 1,
        periodMinutes: period,
        reason: 'OOMKilled',
        exitCode: 137,
        previousLog: [
          `${new Date(startMs).toISOString()} INFO ${service} listening on :${SERVICES[service].port}`,
          `${new Date(startMs + 30_000).toISOString()} INFO cache warm-up: 18211 entries`,
          `${new Date(startMs + 90_000).toISOString()} WARN heap usage 87% of limit, GC pause 412ms`,
          '',
        ].join('\n'),
      });
      if (pod.lastTerminated && pod.nodeName) {
        addEvent(cluster, {
          namespace: 'default',
          involved: { kind: 'Node', name: pod.nodeName, uid: pod.nodeName, apiVersion: 'v1' },
          reason: 'OOMKilling',
          message: `Memory cgroup out of memory: Killed process ${4000 + i * 97} (node) total-vm:1873120kB, anon-rss:${Math.round(limitBytes / 1024)}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:2416kB oom_score_adj:984`,
          type: 'Warning',
          component: 'kernel-monitor',
          host: pod.nodeName,
          firstMs: startMs + 20_000,
          lastMs: pod.lastTerminated.finishedAtMs,
          count: pod.restartCount,
        });
      }
    });
  },
};
