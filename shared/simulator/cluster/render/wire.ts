// Wire-shape helpers shared by the renderers of the simulated cluster's objects (what `kubectl get -o json` shows).
import type { ClusterModel, ContainerState } from '../clusterModel.js';
import { asUid } from '../seededRandom.js';

export type Obj = Record<string, unknown>;

/** What every renderer of the cluster needs: the model, the list resourceVersion and when the cluster was created. */
export interface RenderContext {
  cluster: ClusterModel;
  rv: string;
  createdMs: number;
}

let lastMs = NaN;
let lastIso = '';
/**
 * RFC 3339 at whole seconds, as the API server writes metav1.Time. The last answer is kept: the large cluster renders
 * hundreds of thousands of objects with one creation time, and formatting a Date is most of what that would cost.
 */
export function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    lastMs = ms;
  }
  return lastIso;
}

export function meta(
  name: string,
  namespace: string | undefined,
  uid: string,
  createdMs: number,
  rv: string,
  extra: Obj = {},
): Obj {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: asUid(uid),
    resourceVersion: rv,
    creationTimestamp: iso(createdMs),
    ...extra,
  };
}

export function containerState(state: ContainerState): Obj {
  switch (state.kind) {
    case 'running':
      return { running: { startedAt: iso(state.startedAtMs) } };
    case 'waiting':
      return { waiting: { reason: state.reason, ...(state.message ? { message: state.message } : {}) } };
    case 'terminated':
      return {
        terminated: {
          exitCode: state.exitCode,
          reason: state.reason,
          ...(state.message ? { message: state.message } : {}),
          startedAt: iso(state.startedAtMs),
          finishedAt: iso(state.finishedAtMs),
        },
      };
  }
}

/** metadata.ownerReferences[] of an object its controller made (controller and blockOwnerDeletion both set). */
export function controllerRef(apiVersion: string, kind: string, name: string, uid: string): Obj {
  return { apiVersion, kind, name, uid: asUid(uid), controller: true, blockOwnerDeletion: true };
}

/** The HTTP readiness and liveness probes of a shop service's container (pods and their templates alike). */
export function serviceProbes(port: number): Obj {
  return {
    readinessProbe: {
      httpGet: { path: '/healthz/ready', port, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: '/healthz/live', port, scheme: 'HTTP' },
      initialDelaySeconds: 10,
      periodSeconds: 20,
      timeoutSeconds: 2,
      successThreshold: 1,
      failureThreshold: 3,
    },
  };
}
