// probe_failure: a liveness, readiness or startup probe fails. Liveness/startup failures make the kubelet kill and
// restart the container (exit 137, looks like a crash or an OOM); readiness failures leave it Running but never
// Ready, often with no event left once the events expired - then the probe definition is the only evidence.
import type { Probe as V1Probe } from 'kubernetes-types/core/v1.js';
import type { EvidenceItem } from '../types.js';
import { probeKilledContainer, probeKindOf } from '../../kube/vocabulary/probes.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import {
  containerLabel,
  containersOf,
  containerStatusEvidence,
  fields,
  findEvents,
  kubectl,
  podEventEvidence,
} from './podFacts.js';

function describeProbe(p: V1Probe): Array<[string, unknown]> {
  return [
    ['httpGet.path', p.httpGet?.path],
    ['httpGet.port', p.httpGet?.port],
    ['tcpSocket.port', p.tcpSocket?.port],
    ['exec.command', p.exec?.command?.join(' ')],
    ['grpc.port', p.grpc?.port],
    ['timeoutSeconds', p.timeoutSeconds],
    ['periodSeconds', p.periodSeconds],
    ['failureThreshold', p.failureThreshold],
    ['initialDelaySeconds', p.initialDelaySeconds],
  ];
}

export const probeFailureRule: DiagnosisRule = podRule('probe_failure', (pod, ctx, events): RuleMatch | undefined => {
  const unhealthy = findEvents(events, 'Unhealthy').filter((e) => probeKindOf(e.message) !== undefined);
  const kills = findEvents(events, 'Killing').filter((e) => probeKilledContainer(e.message) !== undefined);
  let best: RuleMatch | undefined;

  for (const c of containersOf(pod)) {
    if (c.init) continue;
    const mine = unhealthy.filter((e) => !e.object.fieldPath || e.object.fieldPath.includes(`{${c.name}}`));
    const myKills = kills.filter((e) => probeKilledContainer(e.message) === c.name);
    const running = c.status?.state?.running !== undefined;
    const notReady = c.status?.ready === false;
    const readiness = c.spec?.readinessProbe;
    let confidence = 0;
    let kind = 'readiness';
    if (myKills.length > 0) {
      confidence = 0.93;
      kind = probeKindOf(myKills[0]?.message ?? '') ?? 'liveness';
    } else if (mine.some((e) => /Liveness|Startup/i.test(e.message)) && (c.status?.restartCount ?? 0) > 0) {
      confidence = 0.88;
      kind = mine.some((e) => probeKindOf(e.message) === 'startup') ? 'startup' : 'liveness';
    } else if (mine.length > 0 && notReady) {
      confidence = 0.85;
      kind = probeKindOf(mine[0]?.message ?? '') ?? 'readiness';
    } else if (mine.length > 0 && c.status === undefined) {
      // Only events in the paste (no container status): the probe failures are the fact there is.
      kind = probeKindOf(mine[0]?.message ?? '') ?? 'readiness';
      confidence = 0.75;
    } else if (running && notReady && readiness && (c.status?.restartCount ?? 0) === 0) {
      // Running, never restarted, not Ready, a readiness probe defined: nothing else can keep it unready.
      confidence = 0.7;
    }
    if (confidence === 0) continue;
    const probe = kind === 'liveness' ? c.spec?.livenessProbe : kind === 'startup' ? c.spec?.startupProbe : readiness;
    const evidence: EvidenceItem[] = [
      containerStatusEvidence(pod, c, [
        ['ready', c.status?.ready],
        [
          'state',
          running
            ? 'running'
            : c.status?.state?.waiting
              ? 'waiting'
              : c.status?.state?.terminated
                ? 'terminated'
                : undefined,
        ],
        ['restartCount', c.status?.restartCount],
        ['lastState.terminated.exitCode', c.status?.lastState?.terminated?.exitCode],
      ]),
    ];
    for (const e of [...myKills.slice(0, 1), ...mine.slice(0, 2)]) evidence.push(podEventEvidence(pod, e));
    if (probe) {
      evidence.push({
        source: 'pod.spec',
        detail: fields(`${containerLabel(pod, c)} ${kind}Probe`, describeProbe(probe)),
        reproduce: kubectl.containerSpec(pod, c, `${kind}Probe`),
      });
    }
    const recs = [
      kind === 'readiness'
        ? `The readiness probe of ${c.name} never passes, so the pod receives no traffic: check that the probe's endpoint/command succeeds inside the container within timeoutSeconds=${probe?.timeoutSeconds ?? 1} (\`kubectl exec\`), and fix the probe or the app.`
        : `The kubelet kills ${c.name} when its ${kind} probe fails: if the app is merely slow to start, add a startupProbe or raise initialDelaySeconds/failureThreshold; if it hangs, fix the endpoint the probe calls (timeoutSeconds=${probe?.timeoutSeconds ?? 1}).`,
    ];
    const match: RuleMatch = {
      rootCause: 'probe_failure',
      confidence,
      detail: kind,
      summary: `The ${kind} probe of container ${c.name} in ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} fails${kind === 'readiness' ? '; the container runs but is not Ready' : '; the kubelet restarts the container'}`,
      evidence,
      recommendations: recs,
      failingNow: notReady,
    };
    if (!best || match.confidence > best.confidence) best = match;
  }
  return best;
});
