// The definition most rules share: a rule about one pod, handed the pod and the events about it. The subject check
// and the event lookup are done here once, so a rule file holds only what it looks for.
import type { Pod as V1Pod } from 'kubernetes-types/core/v1.js';
import type { EventRecord } from '../evidence/snapshot.js';
import type { RootCause } from '../types.js';
import { podEvents } from './podFacts.js';
import type { DiagnosisRule, RuleContext, RuleMatch } from './ruleTypes.js';

export function podRule(
  rootCause: RootCause,
  evaluate: (pod: V1Pod, ctx: RuleContext, events: EventRecord[]) => RuleMatch | undefined,
): DiagnosisRule {
  return {
    rootCause,
    subjects: ['pod'],
    evaluate(ctx) {
      if (ctx.subject.kind !== 'pod') return undefined;
      return evaluate(ctx.subject.pod, ctx, podEvents(ctx.snapshot, ctx.subject.pod));
    },
  };
}
