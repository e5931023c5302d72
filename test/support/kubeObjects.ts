// Kubernetes objects that many tests serve from the simulated API server, built from only what each test varies.
import type { V1NodeCondition } from '@kubernetes/client-node';

/** A Node with one condition, Ready, as the kubelet reports it: its status and, when not True, reason and message. */
export function nodeWithReady(
  name: string,
  ready: Pick<V1NodeCondition, 'status' | 'reason' | 'message'>,
): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { conditions: [{ type: 'Ready', ...ready }] } };
}
