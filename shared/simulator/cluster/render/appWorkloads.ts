// The shop's own workloads in their wire shapes: per service a Deployment with its ReplicaSets (one per rollout
// revision), the Service, its Endpoints (ready pods as addresses, the others as notReadyAddresses, as the endpoints
// controller writes them) and the service's ConfigMap. Deployment conditions follow pkg/controller/deployment/util.
import { SERVICES, type ServiceProfile } from '../../services.js';
import {
  APP_NAMESPACE,
  type ClusterModel,
  type DeploymentModel,
  type PodModel,
  type ReplicaSetModel,
} from '../clusterModel.js';
import { asUid, templateHash } from '../seededRandom.js';
import { controllerRef, iso, meta, serviceProbes, type Obj, type RenderContext } from './wire.js';

/** The pod template of one revision: the same container spec the pods of that revision run. */
function podTemplate(d: DeploymentModel, svc: ServiceProfile, rs: ReplicaSetModel): Obj {
  return {
    metadata: {
      labels: { app: d.service, 'app.kubernetes.io/name': d.service, 'app.kubernetes.io/part-of': 'aiops-shop' },
    },
    spec: {
      containers: [
        {
          name: d.service,
          image: rs.image,
          ports: [{ name: 'http', containerPort: svc.port, protocol: 'TCP' }],
          resources: {
            requests: { cpu: svc.cpuRequest, memory: svc.memoryRequest },
            limits: { memory: svc.memoryLimit },
          },
          envFrom: [
            { configMapRef: { name: `${d.service}-config` } },
            ...(rs.envFromSecret ? [{ secretRef: { name: rs.envFromSecret } }] : []),
          ],
          ...serviceProbes(svc.port),
        },
      ],
      serviceAccountName: d.service,
    },
  };
}

function deploymentConditions(d: DeploymentModel, cluster: ClusterModel, ready: number, stuck: boolean): Obj[] {
  const current = d.replicaSets[d.replicaSets.length - 1]!;
  const condition = (type: string, status: string, atMs: number, reason: string, message: string, sinceMs = atMs) => ({
    type,
    status,
    lastUpdateTime: iso(atMs),
    lastTransitionTime: iso(sinceMs),
    reason,
    message,
  });
  return [
    ready >= d.replicas - 1
      ? condition(
          'Available',
          'True',
          current.createdAtMs,
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
        )
      : condition(
          'Available',
          'False',
          cluster.nowMs - 60_000,
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        ),
    d.progressDeadlineExceeded
      ? condition(
          'Progressing',
          'False',
          current.createdAtMs + 600_000,
          'ProgressDeadlineExceeded',
          `ReplicaSet "${current.name}" has timed out progressing.`,
        )
      : stuck
        ? condition(
            'Progressing',
            'True',
            current.createdAtMs,
            'ReplicaSetUpdated',
            `ReplicaSet "${current.name}" is progressing.`,
          )
        : condition(
            'Progressing',
            'True',
            current.createdAtMs + 40_000,
            'NewReplicaSetAvailable',
            `ReplicaSet "${current.name}" has successfully progressed.`,
            d.createdAtMs,
          ),
  ];
}

function renderDeployment(d: DeploymentModel, pods: PodModel[], { cluster, rv }: RenderContext): Obj[] {
  const svc = SERVICES[d.service];
  const current = d.replicaSets[d.replicaSets.length - 1]!;
  const ready = pods.filter((p) => p.ready).length;
  const updated = pods.filter((p) => p.owner.name === current.name).length;
  const stuck = d.replicaSets.length > 2;
  const deployment: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(d.name, d.namespace, d.uid, d.createdAtMs, rv, {
      generation: current.revision,
      labels: { app: d.service },
      annotations: { 'deployment.kubernetes.io/revision': String(current.revision) },
    }),
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: { app: d.service } },
      template: podTemplate(d, svc, current),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: current.revision,
      replicas: pods.length,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(pods.length - ready > 0 ? { unavailableReplicas: Math.max(0, d.replicas + (stuck ? 1 : 0) - ready) } : {}),
      conditions: deploymentConditions(d, cluster, ready, stuck),
    },
  };
  const replicaSets = d.replicaSets.map((rs): Obj => {
    const rsPods = pods.filter((p) => p.owner.name === rs.name);
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(rs.name, d.namespace, rs.uid, rs.createdAtMs, rv, {
        labels: { app: d.service, 'pod-template-hash': rs.hash },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(d.replicas),
          'deployment.kubernetes.io/max-replicas': String(d.replicas + 1),
          'deployment.kubernetes.io/revision': String(rs.revision),
        },
        ownerReferences: [controllerRef('apps/v1', 'Deployment', d.name, d.uid)],
      }),
      spec: {
        replicas: rs.replicas,
        selector: { matchLabels: { app: d.service, 'pod-template-hash': rs.hash } },
        template: podTemplate(d, svc, rs),
      },
      status: {
        replicas: rsPods.length,
        fullyLabeledReplicas: rsPods.length,
        readyReplicas: rsPods.filter((p) => p.ready).length,
        availableReplicas: rsPods.filter((p) => p.ready).length,
        observedGeneration: 1,
      },
    };
  });
  return [deployment, ...replicaSets];
}

function renderServiceObjects(d: DeploymentModel, pods: PodModel[], { cluster, rv }: RenderContext): Obj[] {
  const svc = SERVICES[d.service];
  const ns = APP_NAMESPACE;
  const selectorPods = pods.filter((p) => p.podIP);
  const clusterIP = `10.0.${100 + cluster.deployments.indexOf(d)}.${10 + d.service.length}`;
  const address = (p: PodModel) => ({
    ip: p.podIP,
    nodeName: p.nodeName,
    targetRef: { kind: 'Pod', namespace: ns, name: p.name, uid: asUid(p.uid) },
  });
  const readyPods = selectorPods.filter((p) => p.ready);
  const notReady = selectorPods.filter((p) => !p.ready);
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(d.service, ns, `${templateHash(cluster.seed, 80, d.service.length)}-svc`, d.createdAtMs, rv, {
        labels: { app: d.service },
      }),
      spec: {
        type: 'ClusterIP',
        clusterIP,
        clusterIPs: [clusterIP],
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
        selector: { app: d.service },
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta(d.service, ns, `${templateHash(cluster.seed, 81, d.service.length)}-ep`, d.createdAtMs, rv, {
        labels: { app: d.service },
      }),
      subsets: [
        {
          ...(readyPods.length ? { addresses: readyPods.map(address) } : {}),
          ...(notReady.length ? { notReadyAddresses: notReady.map(address) } : {}),
          ports: [{ name: 'http', port: svc.port, protocol: 'TCP' }],
        },
      ],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(
        `${d.service}-config`,
        ns,
        `${templateHash(cluster.seed, 82, d.service.length)}-cm`,
        d.createdAtMs,
        rv,
      ),
      data: { LOG_LEVEL: 'info', PORT: String(svc.port), UPSTREAMS: svc.calls.map((c) => `http://${c}`).join(',') },
    },
  ];
}

/** Every object of the shop's services, in the order `kubectl get all` would meet them per service. */
export function renderAppWorkloads(ctx: RenderContext): Obj[] {
  return ctx.cluster.deployments.flatMap((d) => {
    const pods = ctx.cluster.pods.filter(
      (p) => p.service === d.service && p.owner.kind === 'ReplicaSet' && p.phase !== 'Failed',
    );
    return [...renderDeployment(d, pods, ctx), ...renderServiceObjects(d, pods, ctx)];
  });
}
