// Helpers the metric rules share: find a scored series, quote it as evidence (values against the baseline, the
// detector's score, the query that reproduces it), and know which metric the alert itself was about.
import { formatBytes } from '../evidence/snapshot.js';
import { alertedMetric, type MetricReading } from '../evidence/metricEvidence.js';
import type { EvidenceItem, RootCause } from '../types.js';
import type { DiagnosisRule, RuleContext, RuleMatch } from './ruleTypes.js';

export function reading(ctx: RuleContext, metric: string): MetricReading | undefined {
  return ctx.snapshot.metrics?.find((r) => r.metric === metric);
}

/** The workload a reading is about: namespace, name and the `namespace/name` label used in sentences. */
export function readingWorkload(r: MetricReading): { ns?: string; name: string; label: string } {
  return { ns: r.subject.namespace, name: r.subject.name, label: `${r.subject.namespace ?? ''}/${r.subject.name}` };
}

/** Anomalous and above its baseline (the direction that hurts for CPU, latency, errors, restarts). */
export function risen(r: MetricReading | undefined): r is MetricReading {
  return r !== undefined && r.anomalous && r.direction === 'up';
}

export function formatMetricValue(value: number, unit: MetricReading['unit']): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case 'cores':
      return `${Math.round(value * 1000)}m`;
    case 'bytes':
      return formatBytes(value);
    case 'seconds':
      return value < 1 ? `${Math.round(value * 1000)} ms` : `${Math.round(value * 100) / 100} s`;
    case 'ratio':
      return `${Math.round(value * 10000) / 100}%`;
    case 'per-second':
      return `${Math.round(value * 10) / 10}/s`;
    default:
      return String(Math.round(value * 100) / 100);
  }
}

/** "latency-p95 of production/payment-service: peak 1.2 s, now 1.1 s, baseline median 180 ms (±12 ms) ..." */
export function describeReading(r: MetricReading): string {
  const f = (v: number) => formatMetricValue(v, r.unit);
  const subject = `${r.subject.namespace ? `${r.subject.namespace}/` : ''}${r.subject.name}`;
  return (
    `${r.metric} of ${subject}: ${r.direction === 'down' ? `low ${f(r.window.trough)}` : `peak ${f(r.window.peak)}`}, ` +
    `last ${f(r.window.last)} at ${r.window.lastAt}, baseline median ${f(r.baseline.median)} ` +
    `(robust spread ${f(r.baseline.spread)}, ${r.baseline.points} points ${r.baseline.from} to ${r.baseline.to}); ` +
    `anomaly score ${Math.round(r.score * 100) / 100}${r.backInBaseline ? '; back inside its baseline' : '; still outside its baseline'}`
  );
}

export function readingEvidence(r: MetricReading): EvidenceItem {
  return { source: r.source, detail: describeReading(r), reproduce: r.query };
}

/** Whether the alert was raised on this metric (its rule measured it). */
export function alertIsAbout(ctx: RuleContext, metric: string): boolean {
  return alertedMetric(ctx.alert) === metric;
}

/**
 * The definition the metric rules share: a rule about a pod's workload, or an alert without an object, that answers
 * only when its metric rose out of its baseline (scored by the anomaly detector); it is handed that reading and the
 * workload it is about.
 */
export function risenMetricRule(
  rootCause: RootCause,
  metric: string,
  evaluate: (
    rose: MetricReading,
    ctx: RuleContext,
    workload: ReturnType<typeof readingWorkload>,
  ) => RuleMatch | undefined,
): DiagnosisRule {
  return {
    rootCause,
    subjects: ['pod', 'alert'],
    evaluate(ctx) {
      const r = reading(ctx, metric);
      return risen(r) ? evaluate(r, ctx, readingWorkload(r)) : undefined;
    },
  };
}
