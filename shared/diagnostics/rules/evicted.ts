// evicted: the kubelet evicted the pod under node pressure (memory, ephemeral storage, PIDs) or because it exceeded
// its ephemeral-storage limit; the pod stays Failed with reason Evicted and a message naming the resource.
import type { EvidenceItem } from '../types.js';
import { parseEvictionMessage } from '../../kube/vocabulary/containerStates.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import { fields, findEvents, kubectl, podEventEvidence, podLabel } from './podFacts.js';

export const evictedRule: DiagnosisRule = podRule('evicted', (pod, ctx, podEvents): RuleMatch | undefined => {
  const events = findEvents(podEvents, /^(Evicted|Evicting|Preempted|TaintManagerEviction)$/);
  const reason = pod.status?.reason;
  if (reason !== 'Evicted' && reason !== 'Preempting' && events.length === 0) return undefined;
  const message = pod.status?.message ?? events[0]?.message ?? '';
  const evidence: EvidenceItem[] = [];
  if (reason) {
    evidence.push({
      source: 'pod.status',
      detail: fields(podLabel(pod), [
        ['phase', pod.status?.phase],
        ['reason', reason],
        ['message', pod.status?.message],
      ]),
      reproduce: kubectl.podField(pod, '.status'),
    });
  }
  for (const e of events.slice(0, 2)) evidence.push(podEventEvidence(pod, e));
  // The kubelet's eviction message, read by the shared vocabulary (also used by the sweep's podEvicted).
  const resource =
    parseEvictionMessage(message)?.resource ||
    (/ephemeral local storage/i.test(message) ? 'ephemeral-storage' : undefined);
  const recs = [
    resource === 'memory'
      ? 'The node ran low on memory and evicted pods using more than they requested: set memory requests close to real usage (BestEffort/Burstable pods go first) and give the pool more headroom.'
      : resource === 'ephemeral-storage' || /ephemeral/i.test(message)
        ? 'Ephemeral storage (container logs, emptyDir, writable layer) filled up: set ephemeral-storage requests/limits, move data to a volume, and rotate logs.'
        : 'Read the eviction message for the resource under pressure and size requests so the scheduler accounts for real usage.',
    `Delete the Failed evicted pods once understood: \`kubectl delete pod ${pod.metadata?.name ?? ''} -n ${pod.metadata?.namespace ?? 'default'}\` (the controller already replaced it).`,
  ];
  return {
    rootCause: 'evicted',
    confidence: reason === 'Evicted' ? 0.95 : 0.8,
    detail: resource,
    summary: `Pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} was evicted${resource ? ` (node low on ${resource})` : ''}`,
    evidence,
    recommendations: recs,
    failingNow: pod.status?.phase === 'Failed',
  };
});
