// job_failed: a run-to-completion pod (a Job's, restartPolicy Never/OnFailure) ended Failed - an exit code or a
// runtime start error - rather than looping. It is not a crash loop: nothing restarts it in place.
import type { EvidenceItem } from '../types.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import {
  containerLabel,
  containersOf,
  containerStatusEvidence,
  ERROR_LINE,
  fields,
  kubectl,
  logsFor,
  ownerOf,
  podLabel,
  restartPolicy,
} from './podFacts.js';

export const jobFailedRule: DiagnosisRule = podRule('job_failed', (pod, ctx): RuleMatch | undefined => {
  const owner = ownerOf(pod);
  const runOnce = restartPolicy(pod) !== 'Always' || owner?.kind === 'Job';
  if (!runOnce) return undefined;
  const failed = containersOf(pod).find((c) => {
    const t = c.status?.state?.terminated ?? c.status?.lastState?.terminated;
    return t !== undefined && t.exitCode !== 0 && t.reason !== 'OOMKilled';
  });
  if (!failed && pod.status?.phase !== 'Failed') return undefined;
  if (pod.status?.reason === 'Evicted') return undefined;
  const t = failed?.status?.state?.terminated ?? failed?.status?.lastState?.terminated;
  const evidence: EvidenceItem[] = [
    {
      source: 'pod.status',
      detail: fields(podLabel(pod), [
        ['phase', pod.status?.phase],
        ['owner.kind', owner?.kind],
        ['owner.name', owner?.name],
        ['restartPolicy', pod.spec?.restartPolicy],
      ]),
      reproduce: kubectl.podField(pod, '.status.phase'),
    },
  ];
  if (failed && t) {
    evidence.push(
      containerStatusEvidence(pod, failed, [
        ['state.terminated.reason', t.reason],
        ['exitCode', t.exitCode],
        ['message', t.message],
      ]),
    );
    for (const l of logsFor(ctx.snapshot, pod, failed.name)) {
      for (const line of l.lines.filter((x) => ERROR_LINE.test(x)).slice(-2)) {
        evidence.push({
          source: 'logs',
          detail: `${containerLabel(pod, failed)} log: "${line}"`,
          reproduce: kubectl.logs(pod, failed.name, ctx.logTailLines),
        });
      }
    }
  }
  const startError = t?.reason === 'StartError' || t?.exitCode === 128;
  const recs = [
    startError
      ? `The container runtime could not start ${failed?.name ?? 'the container'} (exit ${t?.exitCode ?? ''}, ${t?.reason ?? ''}): read the runtime message above - a bad command, a volume mounted over a system path, or a platform restriction - and fix the pod spec.`
      : `The job's command failed with exit code ${t?.exitCode ?? 'unknown'}: read its output (\`${kubectl.logs(pod, failed?.name ?? '', ctx.logTailLines)}\`), fix the script, and rerun the ${owner?.kind ?? 'Job'}${owner ? ` ${owner.name}` : ''}; set backoffLimit for retries of transient failures.`,
  ];
  return {
    rootCause: 'job_failed',
    confidence: failed ? 0.88 : 0.7,
    summary: `${owner?.kind === 'Job' ? `Job ${owner.name}` : 'Run-once'} pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} failed${t ? `: container ${failed?.name ?? ''} ${t.reason ?? 'terminated'} with exit code ${t.exitCode}` : ''}`,
    evidence,
    recommendations: recs,
    failingNow: pod.status?.phase === 'Failed',
  };
});
