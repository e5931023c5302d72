// failed_scheduling: the scheduler finds no node for the pod. The FailedScheduling message lists, per node, why it
// was filtered out ("0/3 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {...}.");
// the shared scheduling classifier (kube/vocabulary/scheduling.ts, also used by the sweep) maps it to classes. An
// unbound PVC whose StorageClass is missing is left to volume_mount_error, which can see the PVC.
import type { EvidenceItem } from '../types.js';
import { classifySchedulingFailure, SCHEDULING_ADVICE as ADVICE } from '../../kube/vocabulary/scheduling.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import { fields, findEvents, kubectl, podEventEvidence, podLabel } from './podFacts.js';

export const failedSchedulingRule: DiagnosisRule = podRule(
  'failed_scheduling',
  (pod, ctx, podEvents): RuleMatch | undefined => {
    if (pod.spec?.nodeName && pod.status?.phase !== 'Pending') return undefined;
    const events = findEvents(podEvents, 'FailedScheduling');
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const message = events[events.length - 1]?.message ?? cond?.message ?? '';
    if (events.length === 0 && !(cond && (cond.reason === 'Unschedulable' || cond.message))) return undefined;
    const failure = classifySchedulingFailure(message);
    const evidence: EvidenceItem[] = [];
    if (cond) {
      evidence.push({
        source: 'pod.status',
        detail: fields(podLabel(pod), [
          ['conditions.PodScheduled.status', cond.status],
          ['reason', cond.reason],
          ['message', cond.message],
          ['phase', pod.status?.phase],
        ]),
        reproduce: kubectl.podField(pod, '.status.conditions[?(@.type=="PodScheduled")]'),
      });
    }
    for (const e of events.slice(-2)) evidence.push(podEventEvidence(pod, e));
    const selector = pod.spec?.nodeSelector;
    if (failure.classes.includes('affinity_or_selector') && selector && Object.keys(selector).length > 0) {
      evidence.push({
        source: 'pod.spec',
        detail: fields(
          podLabel(pod),
          Object.entries(selector).map(([k, v]) => [`nodeSelector.${k}`, v]),
        ),
        reproduce: kubectl.podField(pod, '.spec.nodeSelector'),
      });
    }
    const pvcOnly = failure.classes.every((c) => c === 'unbound_pvc' || c === 'unknown');
    const confidence = failure.primary === 'unknown' ? 0.6 : pvcOnly ? 0.62 : 0.93;
    return {
      rootCause: 'failed_scheduling',
      confidence,
      detail: failure.primary,
      summary: `Pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} cannot be scheduled: ${failure.classes.map((c) => c.replace(/_/g, ' ')).join(', ')}${failure.resources.length ? ` (${failure.resources.join(', ')})` : ''}`,
      evidence,
      recommendations: failure.classes.map((c) => ADVICE[c]),
      failingNow: true,
    };
  },
);

export {
  classifySchedulingFailure,
  type SchedulingClass,
  type SchedulingFailure,
} from '../../kube/vocabulary/scheduling.js';
