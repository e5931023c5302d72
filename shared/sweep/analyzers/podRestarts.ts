// Restarts above the threshold that are still happening (the last one ended within the hour), as Azure's
// recommended "restarting container count" alert. Crash loops and OOM kills are reported by their own analyzers,
// and a pod that restarted 257 times last year but runs fine now is not a finding.
import { objectAnalyzer } from './objectAnalyzer.js';
import type { Pod } from '../../kube/objects.js';
import { containerEntries, exitCodeMeaning, HOUR_MS, isWithin, jsonpath, ownerNote } from './podHelpers.js';

export const podRestarts = objectAnalyzer<Pod>('podRestarts', 'pods', (pod, ns, name, ctx) => {
  const threshold = ctx.settings.restartThreshold;
  const parts: string[] = [];
  const evidence: string[] = [];
  for (const entry of containerEntries(pod)) {
    const s = entry.status;
    const restarts = s.restartCount ?? 0;
    if (restarts <= threshold) continue;
    if (s.state?.waiting?.reason === 'CrashLoopBackOff') continue;
    const last = s.lastState?.terminated;
    if (!last || last.reason === 'OOMKilled' || !isWithin(last.finishedAt, ctx.settings.now, HOUR_MS)) continue;
    parts.push(
      `container ${s.name} restarted ${restarts} times, last at ${last.finishedAt ?? '?'} (${last.reason ?? 'Error'}, ${exitCodeMeaning(last.exitCode)})`,
    );
    evidence.push(`${jsonpath('pod', ns, name, `${entry.path}.restartCount`)} → ${restarts}`);
    evidence.push(
      `${jsonpath('pod', ns, name, `${entry.path}.lastState.terminated.finishedAt`)} → ${last.finishedAt ?? ''}`,
    );
  }
  if (parts.length === 0) return;
  ctx.report({
    check: 'pod.restarts',
    severity: 'warning',
    kind: 'Pod',
    namespace: ns,
    name,
    message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)} keeps restarting (more than ${threshold} restarts, one within the last hour): ${parts.join('; ')}.`,
    evidence: [...evidence, `kubectl${ns ? ` -n ${ns}` : ''} logs ${name} --previous`],
    remediation:
      'Read the previous container log for why it exits; check liveness probe failures and memory use against the limit.',
    docsUrl: 'https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts',
  });
});
