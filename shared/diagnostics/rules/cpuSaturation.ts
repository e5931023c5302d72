// cpu_saturation: the workload's CPU usage rose far above its baseline (scored by the anomaly detector) and shows a
// sign of running out: usage at the CPU limit, CFS throttling, the HPA scaling out or already at its maximum, or the
// alert itself being a CPU alert. Without a CPU limit nothing throttles, so the HPA and the alert carry the case.
import type { EvidenceItem } from '../types.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { alertIsAbout, formatMetricValue, reading, readingEvidence, risenMetricRule } from './metricFacts.js';

export const cpuSaturationRule: DiagnosisRule = risenMetricRule(
  'cpu_saturation',
  'cpu-usage',
  (cpu, ctx, { label: subject }): RuleMatch | undefined => {
    const signs: string[] = [];
    const evidence: EvidenceItem[] = [readingEvidence(cpu)];
    const limit = cpu.reference?.limit;
    const request = cpu.reference?.request;
    if (limit && cpu.window.peak >= 0.9 * limit)
      signs.push(
        `usage reached ${Math.round((cpu.window.peak / limit) * 100)}% of the ${formatMetricValue(limit, 'cores')} CPU limit`,
      );
    const throttled = reading(ctx, 'cpu-throttled-ratio');
    if (throttled && ((throttled.anomalous && throttled.direction === 'up') || throttled.window.peak >= 0.25)) {
      signs.push(`${formatMetricValue(throttled.window.peak, 'ratio')} of CFS periods throttled`);
      evidence.push(readingEvidence(throttled));
    }
    const current = reading(ctx, 'hpa-current-replicas');
    const desired = reading(ctx, 'hpa-desired-replicas');
    const max = reading(ctx, 'hpa-max-replicas');
    if (current && max && current.window.last >= max.window.last) {
      signs.push(`the HPA is at its maximum of ${max.window.last} replicas`);
      evidence.push(readingEvidence(current), readingEvidence(max));
    } else if (current && desired && desired.window.peak > current.baseline.median) {
      signs.push(`the HPA scaled towards ${desired.window.peak} replicas (baseline ${current.baseline.median})`);
      evidence.push(readingEvidence(desired));
    }
    const cpuAlert = alertIsAbout(ctx, 'cpu-usage');
    if (signs.length === 0 && !cpuAlert) return undefined;
    const over = request
      ? ` (${Math.round((cpu.window.peak / request) * 100)}% of the ${formatMetricValue(request, 'cores')} requested)`
      : '';
    return {
      rootCause: 'cpu_saturation',
      confidence: Math.min(0.92, 0.75 + (cpuAlert ? 0.1 : 0) + 0.04 * signs.length),
      summary: `CPU of ${subject} rose to ${formatMetricValue(cpu.window.peak, 'cores')}${over}, far above its baseline of ${formatMetricValue(cpu.baseline.median, 'cores')}${signs.length > 0 ? `: ${signs.join('; ')}` : ''}`,
      evidence,
      recommendations: [
        limit
          ? `Raise the CPU limit of ${subject} (now ${formatMetricValue(limit, 'cores')}) or remove it; throttled containers answer slowly and fail probes.`
          : `Find what made ${subject} busier (a traffic change, a hot loop, a release) in the window ${cpu.window.from} to ${cpu.window.to}; scale out or raise the CPU request so the scheduler and the HPA plan for the real usage.`,
        ...(signs.some((s) => s.includes('maximum'))
          ? [`The HPA of ${subject} cannot add replicas: raise maxReplicas or add node capacity.`]
          : []),
      ],
      failingNow: !cpu.backInBaseline,
    };
  },
);
