// cpu_throttling: a container runs at its CPU limit, so the kernel throttles it (slow responses, probe timeouts)
// without any restart or event. Only usage shows it: metrics.k8s.io now, or Container insights history.
import type { EvidenceItem } from '../types.js';
import { parseQuantity } from '../evidence/snapshot.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { podRule } from './podRule.js';
import { containerLabel, containersOf, fields, kubectl } from './podFacts.js';

export const cpuThrottlingRule: DiagnosisRule = podRule('cpu_throttling', (pod, ctx): RuleMatch | undefined => {
  for (const c of containersOf(pod)) {
    const limitText = c.spec?.resources?.limits?.cpu;
    const limit = parseQuantity(limitText);
    const usage = ctx.snapshot.usage.find(
      (u) =>
        u.pod === pod.metadata?.name &&
        u.namespace === (pod.metadata?.namespace ?? 'default') &&
        u.container === c.name,
    );
    if (!limit || usage?.cpuMillicores === undefined) continue;
    const ratio = usage.cpuMillicores / (limit * 1000);
    if (ratio < 0.9) continue;
    const evidence: EvidenceItem[] = [
      {
        source: 'pod.spec',
        detail: fields(containerLabel(pod, c), [['resources.limits.cpu', String(limitText)]]),
        reproduce: kubectl.containerSpec(pod, c, 'resources'),
      },
      {
        source: 'metrics.k8s.io',
        detail: fields(containerLabel(pod, c), [['usage.cpu', usage.cpuText ?? `${usage.cpuMillicores}m`]]),
        reproduce: kubectl.topPod(pod),
      },
    ];
    return {
      rootCause: 'cpu_throttling',
      confidence: ratio >= 0.98 ? 0.8 : 0.7,
      summary: `Container ${c.name} of ${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''} uses ${Math.round(ratio * 100)}% of its ${String(limitText)} CPU limit and is being throttled`,
      evidence,
      recommendations: [
        `Raise the CPU limit of ${c.name} (currently ${String(limitText)}) or remove it and keep a realistic request; CPU limits throttle even when the node has idle CPU.`,
      ],
      failingNow: true,
    };
  }
  return undefined;
});
