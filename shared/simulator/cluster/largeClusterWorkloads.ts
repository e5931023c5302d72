// Namespaces and workloads (Deployment → ReplicaSet) of the simulated large cluster, rendered from their index (see
// largeClusterLayout.ts). A workload's ready count is that of its pods, so its status agrees with the pods served.
// Deployment conditions follow pkg/controller/deployment/util (Available from minimum availability).
import { CREATED } from './largeClusterNodes.js';
import type { LargeClusterLayout } from './largeClusterLayout.js';
import { controllerRef, meta, type Obj } from './render/wire.js';
import { asUid } from './seededRandom.js';

const CREATED_MS = Date.parse(CREATED);

export function largeClusterNamespace(l: LargeClusterLayout, k: number): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(l.nsName(k), undefined, `ns-${l.seed}-${k}`, CREATED_MS, '1'),
    status: { phase: 'Active' },
  };
}

function deployment(l: LargeClusterLayout, w: number, template: Obj, count: number, readyCount: number): Obj {
  const app = l.workloadName(w);
  const available = readyCount >= Math.ceil(count * 0.75);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: app,
      namespace: l.namespaceOfWorkload(w),
      uid: asUid(`deploy-${l.seed}-${w}`),
      generation: 1,
      resourceVersion: '1',
      creationTimestamp: CREATED,
      labels: { app },
    },
    spec: {
      replicas: count,
      selector: { matchLabels: { app } },
      template,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
    status: {
      ...workloadStatus(count, readyCount),
      updatedReplicas: count,
      ...(readyCount < count ? { unavailableReplicas: count - readyCount } : {}),
      conditions: [
        {
          type: 'Available',
          status: available ? 'True' : 'False',
          reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          lastTransitionTime: CREATED,
        },
      ],
    },
  };
}

function workloadStatus(count: number, readyCount: number): Obj {
  return { replicas: count, readyReplicas: readyCount, availableReplicas: readyCount, observedGeneration: 1 };
}

function replicaSet(l: LargeClusterLayout, w: number, template: Obj, count: number, readyCount: number): Obj {
  const app = l.workloadName(w);
  const labels = { app, 'pod-template-hash': l.rsHash(w) };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: meta(`${app}-${l.rsHash(w)}`, l.namespaceOfWorkload(w), `rs-${l.seed}-${w}`, CREATED_MS, '1', {
      labels,
      ownerReferences: [controllerRef('apps/v1', 'Deployment', app, `deploy-${l.seed}-${w}`)],
    }),
    spec: { replicas: count, selector: { matchLabels: { ...labels } }, template },
    status: workloadStatus(count, readyCount),
  };
}

export function largeClusterWorkload(l: LargeClusterLayout, w: number): { deployment: Obj; replicaSet: Obj } {
  const app = l.workloadName(w);
  const first = w * l.podsPerWorkload;
  const count = Math.min(l.podsPerWorkload, l.pods - first);
  let readyCount = 0;
  for (let j = first; j < first + count; j++) if (l.failureOf(j) === undefined) readyCount++;
  const template = {
    metadata: { labels: { app } },
    spec: {
      containers: [
        {
          name: 'app',
          image: `acrlarge.azurecr.io/${app}:1.${w % 20}.0`,
          resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        },
      ],
    },
  };
  return {
    deployment: deployment(l, w, template, count, readyCount),
    replicaSet: replicaSet(l, w, template, count, readyCount),
  };
}
