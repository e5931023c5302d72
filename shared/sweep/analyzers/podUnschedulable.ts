// Pods the scheduler cannot place (PodScheduled=False, reason Unschedulable). The scheduler's message is the
// evidence; the remediation depends on which predicate failed, so it is classified.
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { eventEvidence } from '../eventIndex.js';
import { findCondition, type Pod } from '../../kube/objects.js';
import { jsonpath, ownerNote, truncate } from './podHelpers.js';
import {
  classifySchedulingFailure,
  SCHEDULING_ADVICE,
  SCHEDULING_CAUSE,
  type SchedulingClass,
} from '../../kube/vocabulary/scheduling.js';

/** Why the scheduler refused, from its message (the shared classifier), and what to do about it on AKS. */
export function explainSchedulingFailure(message: string): {
  cls: SchedulingClass;
  cause: string;
  remediation: string;
} {
  const failure = classifySchedulingFailure(message);
  return {
    cls: failure.primary,
    cause: failure.classes.map((c) => SCHEDULING_CAUSE[c]).join(' and '),
    remediation: failure.classes.map((c) => SCHEDULING_ADVICE[c]).join(' '),
  };
}

export const podUnschedulable = objectAnalyzer<Pod>('podUnschedulable', 'pods', (pod, ns, name, ctx) => {
  if (pod.status?.phase !== 'Pending') return;
  const cond = findCondition(pod.status.conditions, 'PodScheduled');
  if (!cond || cond.status !== 'False' || cond.reason !== 'Unschedulable') return;
  const events = ctx.events.about('Pod', ns, name, ['FailedScheduling', 'NotTriggerScaleUp']);
  const schedulerMessage = cond.message ?? events[0]?.message ?? '';
  const { cls, cause, remediation } = explainSchedulingFailure(schedulerMessage);
  ctx.report({
    check: 'pod.unschedulable',
    severity: 'critical',
    kind: 'Pod',
    namespace: ns,
    name,
    message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)} cannot be scheduled (status.conditions PodScheduled=False, Unschedulable) because ${cause} (${cls}): ${truncate(schedulerMessage, 300)}`,
    evidence: [
      `${jsonpath('pod', ns, name, 'status.conditions[?(@.type=="PodScheduled")].message')} → ${truncate(schedulerMessage, 300)}`,
      ...events.map((e) => eventEvidence(ns, name, e)),
      kubectlDescribe('pod', ns, name),
    ],
    remediation,
    docsUrl: 'https://kubernetes.io/docs/concepts/scheduling-eviction/kube-scheduler/',
  });
});
