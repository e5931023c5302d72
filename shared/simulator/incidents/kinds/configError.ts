import { addEvent, containerOf } from '../../cluster/clusterModel.js';
import type { IncidentKind } from '../incidentKind.js';
import { startStuckRollout } from './rollout.js';

/** A rollout that reads its environment from a Secret nobody created: CreateContainerConfigError. */
export const configError: IncidentKind = {
  type: 'config_error',
  summary: 'A rollout references a Secret that does not exist: CreateContainerConfigError naming it, one pod fewer.',
  defaultDurationMinutes: 30,
  applyMetrics(f, { factor }) {
    f.readyPods = Math.max(0, f.readyPods - 1);
    f.ownErrorRate += 0.8 * factor;
  },
  applyCluster(cluster, ctx) {
    const secret = `${ctx.service}-credentials`;
    const rollout = startStuckRollout(cluster, ctx, { envFromSecret: secret });
    if (!rollout) return;
    const startMs = Date.parse(ctx.incident.startedAt);
    for (const pod of rollout.newPods) {
      pod.state = { kind: 'waiting', reason: 'CreateContainerConfigError', message: `secret "${secret}" not found` };
      addEvent(cluster, {
        namespace: pod.namespace,
        involved: containerOf(pod),
        reason: 'Failed',
        message: `Error: secret "${secret}" not found`,
        type: 'Warning',
        component: 'kubelet',
        host: pod.nodeName,
        firstMs: startMs + 3000,
        lastMs: Math.max(startMs + 3000, cluster.nowMs - 8000),
        count: 1 + ctx.elapsed * 4,
      });
    }
  },
};
