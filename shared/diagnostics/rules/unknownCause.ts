// unknown: the fallback when no rule recognises the evidence. It still reports what was looked at, so the reader
// knows where the diagnosis stopped.
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { containersOf, containerStatusEvidence, fields, kubectl, podLabel } from './podFacts.js';

export const unknownRule: DiagnosisRule = {
  rootCause: 'unknown',
  subjects: ['pod', 'node', 'pvc', 'alert'],
  evaluate(ctx): RuleMatch {
    const s = ctx.subject;
    if (s.kind === 'pod') {
      const pod = s.pod;
      return {
        rootCause: 'unknown',
        confidence: 0.1,
        summary: `No known failure pattern in pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} (phase ${pod.status?.phase ?? 'unknown'})`,
        evidence: [
          {
            source: 'pod.status',
            detail: fields(podLabel(pod), [
              ['phase', pod.status?.phase],
              ['reason', pod.status?.reason],
            ]),
            reproduce: kubectl.describePod(pod),
          },
          ...containersOf(pod).map((c) =>
            containerStatusEvidence(pod, c, [
              ['ready', c.status?.ready],
              ['restartCount', c.status?.restartCount],
              ['state.waiting.reason', c.status?.state?.waiting?.reason],
            ]),
          ),
        ],
        recommendations: [`Inspect the pod and its events by hand: \`${kubectl.describePod(pod)}\`.`],
        failingNow: pod.status?.phase !== 'Running' && pod.status?.phase !== 'Succeeded',
      };
    }
    const what =
      s.kind === 'node'
        ? `node ${s.node.metadata?.name ?? ''}`
        : s.kind === 'pvc'
          ? `pvc ${s.pvc.metadata?.name ?? ''}`
          : 'the alert target';
    return {
      rootCause: 'unknown',
      confidence: 0.1,
      summary: `No known failure pattern for ${what}`,
      evidence: [],
      recommendations: ['Open the alert in the Azure portal and inspect the target resource.'],
      failingNow: false,
    };
  },
};
