// oom_killed: a container was killed by the kernel OOM killer because it reached its memory limit (or the node ran
// out of memory). Hard cases: the kill recorded as `Error` with exit code 137 (SIGKILL) rather than `OOMKilled`, and
// an OOMKilled lastState while the pod is Ready again (recent: still a diagnosis, state `recovered`; days old: not).
import type { EvidenceItem } from '../types.js';
import { formatBytes, parseQuantity } from '../evidence/snapshot.js';
import type { DiagnosisRule, RuleContext, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import {
  containerLabel,
  containersOf,
  containerStatusEvidence,
  eventEvidence,
  fields,
  findEvents,
  isReadyNow,
  killedByOom,
  kubectl,
  memoryLimitOf,
  msBeforeReference,
  waitingReason,
  type ContainerView,
} from './podFacts.js';

/** An OOM older than this, on a container that is Ready again, is history rather than the cause of this alert. */
const STALE_AFTER_MS = 24 * 3600 * 1000;

function recommendation(c: ContainerView, ctx: RuleContext, pod: Parameters<typeof kubectl.topPod>[0]): string {
  const limitText = memoryLimitOf(c);
  const limit = parseQuantity(limitText);
  const usage = ctx.snapshot.usage.find((u) => u.pod === pod.metadata?.name && u.container === c.name)?.memoryBytes;
  const history = ctx.snapshot.history
    .filter((h) => h.kind === 'memory' && h.container === c.name && h.memoryBytes !== undefined)
    .map((h) => h.memoryBytes ?? 0);
  const peak = Math.max(usage ?? 0, ...history);
  if (limitText && limit) {
    const target = formatBytes(Math.max(limit * 1.5, peak * 1.25));
    const seen = peak > 0 ? `, working set reached ${formatBytes(peak)}` : '';
    return `Container ${c.name}: memory limit ${limitText}${seen}: raise the limit to at least ${target} (and the request to match) or fix the leak; check the usage trend before and after with \`${kubectl.topPod(pod)}\`.`;
  }
  return `Container ${c.name} has no memory limit, so the node itself ran out of memory: set requests and limits from observed usage, and check the node's other pods (\`kubectl describe node ${pod.spec?.nodeName ?? '<node>'}\`).`;
}

export const oomKilledRule: DiagnosisRule = podRule('oom_killed', (pod, ctx, events): RuleMatch | undefined => {
  const livenessKills = findEvents(events, /Killing|Unhealthy/, /liveness probe/i);
  let best: RuleMatch | undefined;

  for (const c of containersOf(pod)) {
    const candidates = [
      { t: c.status?.state?.terminated, where: 'state.terminated' },
      { t: c.status?.lastState?.terminated, where: 'lastState.terminated' },
    ];
    for (const { t, where } of candidates) {
      if (!t) continue;
      const explicit = killedByOom(t);
      const sigkill = !explicit && t.exitCode === 137;
      if (!explicit && !sigkill) continue;
      const age = msBeforeReference(ctx, t);
      const readyNow = isReadyNow(c);
      if (readyNow && age !== undefined && age > STALE_AFTER_MS) continue;

      const limitText = memoryLimitOf(c);
      const evidence: EvidenceItem[] = [
        containerStatusEvidence(pod, c, [
          [`${where}.reason`, t.reason],
          ['exitCode', t.exitCode],
          ['message', t.message],
          ['restartCount', c.status?.restartCount],
        ]),
      ];
      if (limitText) {
        evidence.push({
          source: 'pod.spec',
          detail: fields(containerLabel(pod, c), [
            ['resources.limits.memory', limitText],
            ['resources.requests.memory', c.spec?.resources?.requests?.memory],
          ]),
          reproduce: kubectl.containerSpec(pod, c, 'resources'),
        });
      }
      const usage = ctx.snapshot.usage.find((u) => u.pod === pod.metadata?.name && u.container === c.name);
      if (usage?.memoryText) {
        evidence.push({
          source: 'metrics.k8s.io',
          detail: fields(containerLabel(pod, c), [['usage.memory', usage.memoryText]]),
          reproduce: kubectl.topPod(pod),
        });
      }
      const memoryHistory = ctx.snapshot.history.filter(
        (h) => h.kind === 'memory' && (h.container === undefined || h.container === c.name),
      );
      for (const h of memoryHistory)
        evidence.push({ source: 'log-analytics', detail: h.detail, reproduce: h.reproduce });
      const otherHistory = ctx.snapshot.history.filter(
        (h) =>
          (h.kind === 'restarts' || h.kind === 'errorLogs') && (h.container === undefined || h.container === c.name),
      );
      for (const h of otherHistory.slice(0, 3))
        evidence.push({ source: 'log-analytics', detail: h.detail, reproduce: h.reproduce });
      const oomEvents = findEvents(events, /OOMKill|SystemOOM/);
      for (const e of [...oomEvents, ...findEvents(events, 'BackOff', new RegExp(`container ${c.name}\\b`))].slice(
        0,
        2,
      )) {
        evidence.push(eventEvidence(e, `pod ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`));
      }

      let confidence: number;
      if (explicit) confidence = readyNow ? 0.86 : 0.95;
      else {
        // Exit 137 is SIGKILL: the OOM killer, or the kubelet after failed liveness probes. Decide from what else
        // was seen: memory near the limit makes it an OOM, liveness kills make it a probe failure.
        if (livenessKills.length > 0) confidence = 0.3;
        else {
          const limit = parseQuantity(limitText);
          const peak = Math.max(usage?.memoryBytes ?? 0, ...memoryHistory.map((h) => h.memoryBytes ?? 0));
          confidence = limit && peak >= 0.9 * limit ? 0.9 : limit ? 0.72 : 0.55;
        }
      }
      const failingNow = !readyNow || waitingReason(c) === 'CrashLoopBackOff';
      const what =
        t.reason === 'OOMKilled'
          ? 'was OOMKilled'
          : explicit
            ? `was killed by the OOM killer (exit code 137, reason ${t.reason ?? 'unknown'})`
            : "was killed with exit code 137 (SIGKILL, the OOM killer's signal)";
      const match: RuleMatch = {
        rootCause: 'oom_killed',
        confidence,
        summary:
          `Container ${c.name} of ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} ${what}` +
          (limitText ? ` against its ${limitText} memory limit` : '') +
          (failingNow
            ? waitingReason(c)
              ? `; it is now ${waitingReason(c)}`
              : '; it is not Ready'
            : '; it is Ready again'),
        evidence,
        recommendations: [recommendation(c, ctx, pod)],
        failingNow,
      };
      if (!best || match.confidence > best.confidence) best = match;
    }
  }
  return best;
});
