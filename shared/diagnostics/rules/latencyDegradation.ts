// latency_degradation: the workload's p95 latency rose far above its baseline (scored by the anomaly detector). Slow
// responses make readiness probes time out, so pods leave the Service endpoints: those probe failures are the
// symptom, the latency their cause, and they are quoted together. When CPU rose as well, saturation is the likelier
// cause of the slowness and this rule steps back.
import type { EvidenceItem } from '../types.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { eventEvidence, findEvents } from './podFacts.js';
import { alertIsAbout, formatMetricValue, reading, readingEvidence, risen, risenMetricRule } from './metricFacts.js';

export const latencyDegradationRule: DiagnosisRule = risenMetricRule(
  'latency_degradation',
  'latency-p95',
  (latency, ctx, { ns, name, label: subject }): RuleMatch | undefined => {
    const probeFailures = findEvents(ctx.snapshot.events, 'Unhealthy', /Readiness probe failed/i).filter(
      (e) => e.object.name.startsWith(`${name}-`) && (ns === undefined || e.object.namespace === ns),
    );
    const evidence: EvidenceItem[] = [
      readingEvidence(latency),
      ...probeFailures.slice(0, 3).map((e) => eventEvidence(e, `pod ${e.object.namespace ?? ''}/${e.object.name}`)),
    ];
    const errors = reading(ctx, 'error-rate');
    if (risen(errors)) evidence.push(readingEvidence(errors));
    const cpuRose = risen(reading(ctx, 'cpu-usage'));
    const probes = probeFailures.reduce((n, e) => n + e.count, 0);
    const factor = latency.baseline.median > 0 ? latency.window.peak / latency.baseline.median : Infinity;
    return {
      rootCause: 'latency_degradation',
      confidence: cpuRose
        ? 0.7
        : Math.min(0.92, 0.8 + (probeFailures.length > 0 ? 0.1 : 0) + (alertIsAbout(ctx, 'latency-p95') ? 0.02 : 0)),
      summary:
        `p95 latency of ${subject} rose to ${formatMetricValue(latency.window.peak, 'seconds')}` +
        `${Number.isFinite(factor) ? ` (${Math.round(factor * 10) / 10}× its baseline of ${formatMetricValue(latency.baseline.median, 'seconds')})` : ''}` +
        `${probeFailures.length > 0 ? `; readiness probes time out (${probes} failures on ${new Set(probeFailures.map((e) => e.object.name)).size} pods), taking pods out of the endpoints` : ''}` +
        `${risen(errors) ? `; the 5xx ratio rose to ${formatMetricValue(errors.window.peak, 'ratio')} with it` : ''}`,
      evidence,
      recommendations: [
        `Find the slow dependency or lock of ${subject}: compare the latency of what it calls in the window ${latency.window.from} to ${latency.window.to} (traces, the callees' own p95).`,
        ...(probeFailures.length > 0
          ? [
              `Until the latency is fixed, readiness probes of ${subject} fail on timeouts: a probe timeoutSeconds above the normal p95 (now ${formatMetricValue(latency.baseline.median, 'seconds')} at baseline) keeps slow-but-working pods serving.`,
            ]
          : []),
      ],
      failingNow: !latency.backInBaseline,
    };
  },
);
