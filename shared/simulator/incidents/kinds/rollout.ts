// Shared by bad_deployment and config_error: a new ReplicaSet revision whose pods never start. The strategy
// (maxSurge 1, maxUnavailable 1) takes one old pod down first, so capacity drops while the rollout is stuck.
import { asUid, templateHash, kubeSuffix, hashString } from '../../cluster/seededRandom.js';
import type { ClusterModel, DeploymentModel, PodModel } from '../../cluster/clusterModel.js';
import { podsOf } from '../../cluster/clusterModel.js';
import type { IncidentContext } from '../incidentKind.js';

export function startStuckRollout(
  cluster: ClusterModel,
  ctx: IncidentContext,
  change: { image?: string; envFromSecret?: string },
): { deployment: DeploymentModel; newPods: PodModel[] } | undefined {
  const deployment = cluster.deployments.find((d) => d.service === ctx.service);
  if (!deployment) return undefined;
  const startMs = Date.parse(ctx.incident.startedAt);
  const current = deployment.replicaSets[deployment.replicaSets.length - 1];
  if (!current) return undefined;
  const revision = current.revision + 1;
  const hash = templateHash(ctx.seed, hashString(ctx.incident.id), revision);
  const rs = {
    name: `${deployment.name}-${hash}`,
    uid: asUid(`rs-${hash}`),
    hash,
    revision,
    image: change.image ?? current.image,
    replicas: 1,
    createdAtMs: startMs,
    envFromSecret: change.envFromSecret ?? current.envFromSecret,
  };
  deployment.replicaSets.push(rs);
  current.replicas = Math.max(0, deployment.replicas - 1);
  deployment.progressDeadlineExceeded = cluster.nowMs - startMs >= 10 * 60_000;
  const old = podsOf(cluster, ctx.service).filter((p) => p.owner.name === current.name);
  const victim = old[old.length - 1];
  if (victim) cluster.pods.splice(cluster.pods.indexOf(victim), 1);
  const template = old[0];
  if (!template) return undefined;
  const newPods: PodModel[] = [];
  for (let i = 0; i < 2 && i < deployment.replicas; i++) {
    const name = `${rs.name}-${kubeSuffix(5, ctx.seed, hashString(ctx.incident.id), i)}`;
    const pod: PodModel = {
      ...template,
      name,
      uid: asUid(`pod-${hash}-${i}`),
      labels: { ...template.labels, 'pod-template-hash': hash },
      owner: { kind: 'ReplicaSet', name: rs.name, uid: rs.uid },
      nodeName: victim?.nodeName ?? template.nodeName,
      createdAtMs: startMs + i * 1000,
      image: rs.image,
      envFromSecret: rs.envFromSecret,
      phase: 'Pending',
      ready: false,
      restartCount: 0,
      lastTerminated: undefined,
      podIP: `10.244.${3 + i}.${(hashString(name) % 200) + 20}`,
      usage: { cpuMillis: 0, memoryBytes: 0 },
      logs: {},
      state: { kind: 'waiting', reason: 'ContainerCreating' },
    };
    cluster.pods.push(pod);
    newPods.push(pod);
    // maxSurge 1 + maxUnavailable 1 → at most two new pods for a replica count of 2 or more.
    if (deployment.replicas < 3) break;
  }
  return { deployment, newPods };
}
