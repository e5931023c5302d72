import { addEvent, containerOf } from '../../cluster/clusterModel.js';
import { SERVICES } from '../../services.js';
import type { IncidentKind } from '../incidentKind.js';
import { startStuckRollout } from './rollout.js';

/** A rollout to an image tag that does not exist in the registry: ErrImagePull, then ImagePullBackOff. */
export const badDeployment: IncidentKind = {
  type: 'bad_deployment',
  summary:
    'A rollout references an image tag missing from the registry: ErrImagePull / ImagePullBackOff, one pod fewer.',
  defaultDurationMinutes: 30,
  applyMetrics(f, { factor }) {
    f.readyPods = Math.max(0, f.readyPods - 1);
    f.ownErrorRate += 0.8 * factor; // connections reset while the old pod drained
  },
  applyCluster(cluster, ctx) {
    const current = SERVICES[ctx.service].image;
    const badImage = `${current.slice(0, current.lastIndexOf(':'))}:${bumpTag(current.slice(current.lastIndexOf(':') + 1))}`;
    const rollout = startStuckRollout(cluster, ctx, { image: badImage });
    if (!rollout) return;
    const startMs = Date.parse(ctx.incident.startedAt);
    const pullError =
      `Failed to pull image "${badImage}": rpc error: code = NotFound desc = failed to pull and unpack image "${badImage}": ` +
      `failed to resolve reference "${badImage}": ${badImage}: not found`;
    for (const pod of rollout.newPods) {
      // The first attempt fails with ErrImagePull; from then on the kubelet backs off (ImagePullBackOff).
      const firstAttempt = cluster.nowMs - startMs < 40_000;
      pod.state = firstAttempt
        ? { kind: 'waiting', reason: 'ErrImagePull', message: pullError.replace(/^Failed to pull image "[^"]+": /, '') }
        : { kind: 'waiting', reason: 'ImagePullBackOff', message: `Back-off pulling image "${badImage}"` };
      const involved = containerOf(pod);
      const ev = (reason: string, message: string, type: 'Normal' | 'Warning', count: number) =>
        addEvent(cluster, {
          namespace: pod.namespace,
          involved,
          reason,
          message,
          type,
          component: 'kubelet',
          host: pod.nodeName,
          firstMs: startMs + 2000,
          lastMs: Math.max(startMs + 2000, cluster.nowMs - 10_000),
          count,
        });
      const attempts = 1 + Math.floor(ctx.elapsed / 2);
      ev('Pulling', `Pulling image "${badImage}"`, 'Normal', attempts);
      ev('Failed', pullError, 'Warning', attempts);
      ev('Failed', 'Error: ErrImagePull', 'Warning', attempts);
      if (!firstAttempt) {
        ev('BackOff', `Back-off pulling image "${badImage}"`, 'Normal', attempts * 3);
        ev('Failed', 'Error: ImagePullBackOff', 'Warning', attempts * 3);
      }
    }
  },
};

/** 5.2.1 → 5.3.0: a plausible next release that was never pushed. */
function bumpTag(tag: string): string {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(tag);
  return m ? `${m[1]}.${Number(m[2]) + 1}.0` : `${tag}-next`;
}
