// Containers that ran to completion with a non-zero exit code and are not restarted (restartPolicy Never or
// OnFailure exhausted, e.g. a Job's pod): the pod failed for good. Restarted failures show up as crash loops instead.
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import type { Pod } from '../../kube/objects.js';
import { containerEntries, containerLabel, exitCodeMeaning, jsonpath, ownerNote, truncate } from './podHelpers.js';

export const podTerminatedWithError = objectAnalyzer<Pod>('podTerminatedWithError', 'pods', (pod, ns, name, ctx) => {
  if (pod.status?.phase !== 'Failed' || pod.status.reason === 'Evicted') return;
  const parts: string[] = [];
  const evidence: string[] = [];
  for (const entry of containerEntries(pod)) {
    const t = entry.status.state?.terminated;
    if (!t || t.exitCode === 0 || t.reason === 'OOMKilled') continue;
    parts.push(
      `${containerLabel(entry)} terminated ${t.reason ?? 'with an error'} (${exitCodeMeaning(t.exitCode)})${t.message ? `: ${truncate(t.message, 200)}` : ''}`,
    );
    evidence.push(
      `${jsonpath('pod', ns, name, `${entry.path}.state.terminated`)} → reason=${t.reason ?? ''}, exitCode=${t.exitCode ?? ''}`,
    );
    evidence.push(`kubectl${ns ? ` -n ${ns}` : ''} logs ${name} -c ${entry.status.name}`);
  }
  if (parts.length === 0) return;
  ctx.report({
    check: 'pod.failed',
    severity: 'warning',
    kind: 'Pod',
    namespace: ns,
    name,
    message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)} failed (status.phase Failed): ${parts.join('; ')}.`,
    evidence: [`${jsonpath('pod', ns, name, 'status.phase')} → Failed`, ...evidence, kubectlDescribe('pod', ns, name)],
    remediation:
      'Read the container log for why the process exited; for exit code 127/126/128 fix the command or image, for 1/2 fix the application or its arguments. Delete the failed pod once understood.',
    docsUrl: 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-phase',
  });
});
