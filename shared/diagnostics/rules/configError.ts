// config_error: the container cannot be created because its configuration refers to something missing - a
// ConfigMap, Secret or key (CreateContainerConfigError), a configMap/secret volume (FailedMount), or an invalid
// container spec the runtime rejects (CreateContainerError).
import type { EvidenceItem } from '../types.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import { containersOf, containerStatusEvidence, findEvents, podEventEvidence, waitingReason } from './podFacts.js';

const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
const MISSING =
  /(configmap|secret) "([^"]+)" not found|couldn't find key (\S+) in (ConfigMap|Secret) ([\w.-]+\/[\w.-]+)/i;

export const configErrorRule: DiagnosisRule = podRule('config_error', (pod, ctx, events): RuleMatch | undefined => {
  const failed = findEvents(events, 'Failed', MISSING).concat(
    findEvents(events, 'Failed', /Error: (CreateContainerConfigError|CreateContainerError)/),
  );
  const mounts = findEvents(events, 'FailedMount', /(configmap|secret) "[^"]+" not found/i);
  const evidence: EvidenceItem[] = [];
  let message = '';
  let name: string | undefined;
  for (const c of containersOf(pod)) {
    const reason = waitingReason(c);
    if (!reason || !CONFIG_REASONS.has(reason)) continue;
    const m = c.status?.state?.waiting?.message;
    message ||= m ?? '';
    name ??= c.name;
    evidence.push(
      containerStatusEvidence(pod, c, [
        ['state.waiting.reason', reason],
        ['message', m],
      ]),
    );
  }
  for (const e of [...failed, ...mounts].slice(0, 3)) evidence.push(podEventEvidence(pod, e));
  if (evidence.length === 0) return undefined;
  const text = [message, ...failed.map((e) => e.message), ...mounts.map((e) => e.message)].join('\n');
  const missing = MISSING.exec(text);
  const ns = pod.metadata?.namespace ?? 'default';
  const recs: string[] = [];
  if (missing?.[1] && missing[2]) {
    const kind = missing[1].toLowerCase() === 'secret' ? 'secret' : 'configmap';
    recs.push(
      `Create ${kind} "${missing[2]}" in namespace ${ns} (\`kubectl get ${kind} ${missing[2]} -n ${ns}\` shows it is missing), or fix the reference in the pod template; mark it optional: true only if the app can run without it.`,
    );
  } else if (missing?.[3]) {
    recs.push(
      `Add key ${missing[3]} to ${missing[4] ?? 'the object'} ${missing[5] ?? ''}, or fix the key name in the env/volume reference.`,
    );
  } else {
    recs.push(
      'The runtime rejected the container spec: read the message above and fix the command, env or volume reference it names.',
    );
  }
  return {
    rootCause: 'config_error',
    confidence: missing ? 0.95 : 0.85,
    summary: `${name ? `Container ${name} of ` : 'Pod '}${ns}/${pod.metadata?.name ?? ''} cannot be created: ${missing ? missing[0] : 'invalid container configuration'}`,
    evidence,
    recommendations: recs,
    failingNow: true,
  };
});
