// The AKS add-ons' controllers in kube-system, derived from their pods: a DaemonSet per daemon pod owner and a
// Deployment with its ReplicaSet per add-on ReplicaSet (coredns, metrics-server, konnectivity, ...).
import type { PodModel } from '../clusterModel.js';
import { controllerRef, iso, meta, type Obj, type RenderContext } from './wire.js';

function renderDaemonSet(name: string, dsPods: PodModel[], { rv, createdMs }: RenderContext): Obj {
  const first = dsPods[0]!;
  const ready = dsPods.filter((p) => p.ready).length;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(name, 'kube-system', first.owner.uid, createdMs + 60_000, rv, {
      labels: { 'k8s-app': name, 'kubernetes.azure.com/managedby': 'aks' },
      generation: 1,
    }),
    spec: {
      selector: { matchLabels: { 'k8s-app': name } },
      template: {
        metadata: { labels: { 'k8s-app': name } },
        spec: {
          containers: [{ name, image: first.image, resources: { requests: first.requests, limits: first.limits } }],
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists' }],
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    },
    status: {
      currentNumberScheduled: dsPods.length,
      desiredNumberScheduled: dsPods.length,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      ...(ready < dsPods.length ? { numberUnavailable: dsPods.length - ready } : {}),
      updatedNumberScheduled: dsPods.length,
      observedGeneration: 1,
    },
  };
}

function renderAddOnDeployment(rsName: string, rsPods: PodModel[], { rv, createdMs }: RenderContext): Obj[] {
  const first = rsPods[0]!;
  const app = first.containerName;
  const hash = rsName.slice(app.length + 1);
  const ready = rsPods.filter((p) => p.ready).length;
  const labels = first.labels;
  const deployment: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(app, 'kube-system', `${hash}-deploy`, createdMs + 60_000, rv, {
      labels: { ...labels, 'addonmanager.kubernetes.io/mode': 'Reconcile' },
      generation: 1,
      annotations: { 'deployment.kubernetes.io/revision': '1' },
    }),
    spec: {
      replicas: rsPods.length,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: app, image: first.image, resources: { requests: first.requests, limits: first.limits } },
          ],
          priorityClassName: 'system-cluster-critical',
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
    },
    status: {
      observedGeneration: 1,
      replicas: rsPods.length,
      updatedReplicas: rsPods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      conditions: [
        {
          type: 'Available',
          status: 'True',
          reason: 'MinimumReplicasAvailable',
          message: 'Deployment has minimum availability.',
          lastUpdateTime: iso(createdMs + 120_000),
          lastTransitionTime: iso(createdMs + 120_000),
        },
      ],
    },
  };
  const replicaSet: Obj = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(rsName, 'kube-system', first.owner.uid, createdMs + 60_000, rv, {
      labels: { ...labels, 'pod-template-hash': hash },
      ownerReferences: [controllerRef('apps/v1', 'Deployment', app, `${hash}-deploy`)],
    }),
    spec: {
      replicas: rsPods.length,
      selector: { matchLabels: { ...labels, 'pod-template-hash': hash } },
      template: { metadata: { labels }, spec: { containers: [{ name: app, image: first.image }] } },
    },
    status: { replicas: rsPods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: 1 },
  };
  return [deployment, replicaSet];
}

export function renderSystemWorkloads(ctx: RenderContext): Obj[] {
  const { pods } = ctx.cluster;
  const objects: Obj[] = [];
  const dsNames = [...new Set(pods.filter((p) => p.owner.kind === 'DaemonSet').map((p) => p.owner.name))];
  for (const name of dsNames) {
    const dsPods = pods.filter((p) => p.owner.kind === 'DaemonSet' && p.owner.name === name);
    objects.push(renderDaemonSet(name, dsPods, ctx));
  }
  const addOnReplicaSets = [
    ...new Set(
      pods.filter((p) => p.namespace === 'kube-system' && p.owner.kind === 'ReplicaSet').map((p) => p.owner.name),
    ),
  ];
  for (const rsName of addOnReplicaSets) {
    objects.push(
      ...renderAddOnDeployment(
        rsName,
        pods.filter((p) => p.owner.name === rsName),
        ctx,
      ),
    );
  }
  return objects;
}
