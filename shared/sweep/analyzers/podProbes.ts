// Probe failures. Readiness: a running container that has stayed not-ready well past its probe's first chance to
// pass (the pod receives no traffic). Liveness: "Liveness probe failed" warnings, which end in restarts.
import { objectAnalyzer } from './objectAnalyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { eventEvidence } from '../eventIndex.js';
import type { Pod, Probe } from '../../kube/objects.js';
import { ageMs, containerEntries, jsonpath, ownerNote, truncate } from './podHelpers.js';
import { describeProbe, probeKindOf } from '../../kube/vocabulary/probes.js';

/** Time after start by which a passing readiness probe must have succeeded, with a floor of one minute. */
function readinessGraceMs(probe: Probe): number {
  const initial = probe.initialDelaySeconds ?? 0;
  const period = probe.periodSeconds ?? 10;
  const failures = probe.failureThreshold ?? 3;
  return Math.max(60, initial + period * failures) * 1000;
}

const DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/';

export const podProbes = objectAnalyzer<Pod>('podProbes', 'pods', (pod, ns, name, ctx) => {
  if (pod.status?.phase !== 'Running') return;
  const unhealthy = ctx.events.about('Pod', ns, name, ['Unhealthy']);
  const statuses = pod.status.containerStatuses ?? [];
  // The common case, every container ready, needs nothing more.
  if (unhealthy.length === 0 && statuses.every((s) => s.ready !== false)) return;
  const specs = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c]));
  const notReady: string[] = [];
  const evidence: string[] = [];
  for (const entry of containerEntries(pod)) {
    if (entry.init) continue;
    const s = entry.status;
    const probe = specs.get(s.name)?.readinessProbe;
    if (!probe || s.ready !== false || !s.state?.running) continue;
    const runningFor = ageMs(s.state.running.startedAt, ctx.settings.now);
    if (runningFor === undefined || runningFor < readinessGraceMs(probe)) continue;
    notReady.push(
      `container ${s.name} (readiness ${describeProbe(probe)}) has been running ${Math.round(runningFor / 60000)} min without becoming ready`,
    );
    evidence.push(
      `${jsonpath('pod', ns, name, `${entry.path}.ready`)} → false (running since ${s.state.running.startedAt ?? '?'})`,
    );
  }
  if (notReady.length > 0) {
    const events = unhealthy.filter((e) => probeKindOf(e.message ?? '') === 'readiness');
    ctx.report({
      check: 'pod.readiness-probe-failing',
      severity: 'warning',
      kind: 'Pod',
      namespace: ns,
      name,
      message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)} is not ready, so it gets no Service traffic: ${notReady.join('; ')}.`,
      evidence: [...evidence, ...events.map((e) => eventEvidence(ns, name, e)), kubectlDescribe('pod', ns, name)],
      remediation:
        'Check that the readiness probe path, port and scheme match what the application serves and that its dependencies are reachable; raise initialDelaySeconds/failureThreshold if it is only slow to start.',
      docsUrl: DOCS,
    });
  }
  const liveness = unhealthy.filter((e) => probeKindOf(e.message ?? '') === 'liveness');
  if (liveness.length > 0) {
    const first = liveness[0];
    ctx.report({
      check: 'pod.liveness-probe-failing',
      severity: 'warning',
      kind: 'Pod',
      namespace: ns,
      name,
      message: `Pod ${ns ? `${ns}/` : ''}${name}${ownerNote(pod)} fails its liveness probe (${first?.count ?? 1} Unhealthy events), so the kubelet restarts it: ${truncate(first?.message ?? '', 240)}`,
      evidence: [...liveness.map((e) => eventEvidence(ns, name, e)), kubectlDescribe('pod', ns, name)],
      remediation:
        'Make the liveness probe check only the process itself (not dependencies), give it a startupProbe or a longer timeout if the application is slow, and fix the hang it detects.',
      docsUrl: DOCS,
    });
  }
});
