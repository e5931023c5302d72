// Kubernetes objects that many tests serve from the simulated API server, built from only what each test varies.
import type { V1NodeCondition } from '@kubernetes/client-node';

/** A Node with one condition, Ready, as the kubelet reports it: its status and, when not True, reason and message. */
export function nodeWithReady(
  name: string,
  ready: Pick<V1NodeCondition, 'status' | 'reason' | 'message'>,
): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [{ type: 'Ready', ...ready }] } };
}

/** The metadata the ReplicaSet controller gives pod `name` of Deployment `app` (ReplicaSet `<app>-<hash>`): the app
 * and pod-template-hash labels and the ReplicaSet as its controller. */
export function replicaSetPodMetadata(
  name: string,
  owner: { namespace: string; app: string; hash: string; replicaSetUid: string },
  extra: { uid?: string; creationTimestamp?: string } = {},
): Record<string, unknown> {
  const replicaSet = `${owner.app}-${owner.hash}`;
  return {
    name,
    namespace: owner.namespace,
    ...extra,
    labels: { app: owner.app, 'pod-template-hash': owner.hash },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: replicaSet, uid: owner.replicaSetUid, controller: true },
    ],
  };
}
