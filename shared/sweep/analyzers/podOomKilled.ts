// OOM kills that are not (or no longer) a crash loop: the container is terminated OOMKilled right now, was killed
// for memory within the last hour, or was last killed for memory and has not become ready since. An old OOM kill
// of a container that is ready again is history, not a finding. Crash loops caused by OOM are reported by
// podContainerWaiting.
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import type { Pod } from '../../kube/objects.js';
import { containerEntries, containerLabel, HOUR_MS, isWithin, jsonpath, ownerNote } from './podHelpers.js';
import { oomDocs, oomRemediation } from './podContainerWaiting.js';

export const podOomKilled = objectAnalyzer<Pod>('podOomKilled', 'pods', (pod, ns, name, ctx) => {
  const hits: string[] = [];
  const evidence: string[] = [];
  for (const entry of containerEntries(pod)) {
    const s = entry.status;
    if (s.state?.waiting?.reason === 'CrashLoopBackOff') continue;
    const now = s.state?.terminated?.reason === 'OOMKilled' ? s.state.terminated : undefined;
    const last = s.lastState?.terminated?.reason === 'OOMKilled' ? s.lastState.terminated : undefined;
    const recent =
      now ?? (last && (isWithin(last.finishedAt, ctx.settings.now, HOUR_MS) || s.ready === false) ? last : undefined);
    if (!recent) continue;
    const field = now ? 'state' : 'lastState';
    hits.push(
      `${containerLabel(entry)} (${field}.terminated OOMKilled at ${recent.finishedAt ?? 'unknown time'}, restarts ${s.restartCount ?? 0})`,
    );
    evidence.push(
      `${jsonpath('pod', ns, name, `${entry.path}.${field}.terminated`)} → reason=OOMKilled, exitCode=${recent.exitCode ?? ''}, finishedAt=${recent.finishedAt ?? ''}`,
    );
  }
  if (hits.length === 0) return;
  const limits = (pod.spec?.containers ?? [])
    .map((c) => `${c.name} memory limit ${c.resources?.limits?.memory ?? 'none'}`)
    .join(', ');
  ctx.report({
    check: 'pod.oom-killed',
    severity: 'warning',
    kind: 'Pod',
    namespace: ns,
    name,
    message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)} was OOM-killed and has not recovered (or it happened within the last hour): ${hits.join('; ')}.`,
    evidence: [
      ...evidence,
      `${jsonpath('pod', ns, name, 'spec.containers[*].resources.limits.memory')} → ${limits}`,
      kubectlDescribe('pod', ns, name),
    ],
    remediation: oomRemediation,
    docsUrl: oomDocs,
  });
});
