// Pods the scheduler cannot place (PodScheduled=False, reason Unschedulable). The scheduler's message is the
// evidence; the remediation depends on which predicate failed, so it is classified.
import type { Analyzer } from '../analyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { eventEvidence } from '../eventIndex.js';
import { findCondition, type Pod } from '../../kube/objects.js';
import { jsonpath, ownerNote, truncate } from './podHelpers.js';

/** Why the scheduler refused, from its message, and what to do about it on AKS. */
export function classifySchedulingFailure(message: string): { cause: string; remediation: string } {
  const m = message.toLowerCase();
  if (m.includes('unbound immediate persistentvolumeclaims') || m.includes('persistentvolumeclaim'))
    return {
      cause: 'a PersistentVolumeClaim it mounts is not bound',
      remediation:
        'Fix the PersistentVolumeClaim first (see its pvc.pending finding): usually a missing StorageClass or a zone mismatch.',
    };
  if (/insufficient (cpu|memory|pods|ephemeral-storage)/.test(m))
    return {
      cause: 'no node has enough free CPU, memory or pod slots',
      remediation:
        'Enable or raise the cluster autoscaler maximum of the node pool (`az aks nodepool update --enable-cluster-autoscaler --max-count`), add a node pool, or lower the pod requests.',
    };
  if (/insufficient [a-z0-9.-]+\/[a-z0-9.-]+/.test(m))
    return {
      cause: 'no node offers the extended resource it requests (for example a GPU)',
      remediation:
        'Add a node pool with that resource (for GPUs a GPU VM size with the device plugin) or remove the request.',
    };
  if (m.includes('node affinity') || m.includes('node selector') || m.includes("didn't match pod's node"))
    return {
      cause: 'no node matches its nodeSelector or node affinity',
      remediation:
        'Correct the nodeSelector/affinity labels, or label a node pool accordingly (`az aks nodepool update --labels`).',
    };
  if (m.includes('taint'))
    return {
      cause: 'every candidate node has a taint the pod does not tolerate',
      remediation:
        'Add the matching toleration to the pod template, or schedule onto a user node pool without the taint.',
    };
  if (m.includes('volume node affinity') || m.includes('zone'))
    return {
      cause: 'its volume is in a zone without a suitable node',
      remediation: 'Use zone-redundant storage or a node pool in the volume zone.',
    };
  if (m.includes('anti-affinity') || m.includes('pod affinity') || m.includes('topology spread'))
    return {
      cause: 'pod (anti-)affinity or topology spread constraints cannot be met',
      remediation: 'Relax the affinity/spread constraints or add nodes in the missing topology domains.',
    };
  return {
    cause: 'no node satisfies its scheduling constraints',
    remediation: 'Read the scheduler message and adjust the pod constraints or add capacity.',
  };
}

export const podUnschedulable: Analyzer = {
  name: 'podUnschedulable',
  resources: ['pods'],
  start(ctx) {
    return {
      consume(_resource, obj) {
        const pod = obj as Pod;
        if (pod.status?.phase !== 'Pending') return;
        const cond = findCondition(pod.status.conditions, 'PodScheduled');
        if (!cond || cond.status !== 'False' || cond.reason !== 'Unschedulable') return;
        const ns = pod.metadata?.namespace;
        const name = pod.metadata?.name ?? '(unnamed)';
        const events = ctx.events.about('Pod', ns, name, ['FailedScheduling', 'NotTriggerScaleUp']);
        const schedulerMessage = cond.message ?? events[0]?.message ?? '';
        const { cause, remediation } = classifySchedulingFailure(schedulerMessage);
        ctx.report({
          check: 'pod.unschedulable',
          severity: 'critical',
          kind: 'Pod',
          namespace: ns,
          name,
          message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)} cannot be scheduled (status.conditions PodScheduled=False, Unschedulable) because ${cause}: ${truncate(schedulerMessage, 300)}`,
          evidence: [
            `${jsonpath('pod', ns, name, 'status.conditions[?(@.type=="PodScheduled")].message')} → ${truncate(schedulerMessage, 300)}`,
            ...events.map((e) => eventEvidence(ns, name, e)),
            kubectlDescribe('pod', ns, name),
          ],
          remediation,
          docsUrl: 'https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/',
        });
      },
    };
  },
};
