// Evicted pods: the kubelet killed them under node pressure (memory, disk, PIDs). The node analyzer reports the
// pressure itself; this says which workloads paid for it.
import { objectAnalyzer } from './objectAnalyzer.js';
import type { Pod } from '../../kube/objects.js';
import { jsonpath, ownerNote, truncate } from './podHelpers.js';
import { parseEvictionMessage } from '../../kube/vocabulary/containerStates.js';

export const podEvicted = objectAnalyzer<Pod>('podEvicted', 'pods', (pod, ns, name, ctx) => {
  if (pod.status?.phase !== 'Failed' || pod.status.reason !== 'Evicted') return;
  const why = pod.status.message ? truncate(pod.status.message, 240) : 'no message';
  // The same reading of the kubelet's eviction message as the diagnosis.
  const starved = parseEvictionMessage(pod.status.message ?? '')?.resource;
  ctx.report({
    check: 'pod.evicted',
    severity: 'warning',
    kind: 'Pod',
    namespace: ns,
    name,
    message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)} was evicted from node ${pod.spec?.nodeName ?? '(unknown)'}${starved ? ` low on ${starved}` : ''} (status.reason Evicted): ${why}`,
    evidence: [
      `${jsonpath('pod', ns, name, 'status.message')} → ${why}`,
      `kubectl describe node ${pod.spec?.nodeName ?? '<node>'}`,
    ],
    remediation:
      'Set memory and ephemeral-storage requests close to real use so the scheduler does not overcommit the node, and size the node pool for the load; delete evicted pods once understood.',
    docsUrl: 'https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/',
  });
});
