// The metric root causes on generated series: a baseline with daily shape and noise, then an alert window that
// departs from it (or does not). Each case says why the rule should or should not name its cause, and the engine's
// state follows the alerted metric: transient only when it is back inside its baseline.
import { describe, expect, it } from '@jest/globals';
import { diagnoseSnapshot } from '../../../shared/diagnostics/engine.js';
import {
  scoreMetricSeries,
  alertWindowStart,
  type MetricReading,
} from '../../../shared/diagnostics/evidence/metricEvidence.js';
import { emptySnapshot } from '../../../shared/diagnostics/evidence/snapshot.js';
import { normalizeAlert } from '../../../shared/diagnostics/normalizeAlert.js';
import { commonAlertSchema } from '../../../shared/diagnostics/alertSchema.js';
import { buildIncidentAlert } from '../../../shared/simulator/alerts/incidentAlert.js';
import { cpuSaturationRule } from '../../../shared/diagnostics/rules/cpuSaturation.js';
import { errorRateSurgeRule } from '../../../shared/diagnostics/rules/errorRateSurge.js';
import { latencyDegradationRule } from '../../../shared/diagnostics/rules/latencyDegradation.js';
import type { RuleContext } from '../../../shared/diagnostics/rules/ruleTypes.js';
import type { MetricSeries } from '../../../shared/metrics/types.js';
import type { Pod as V1Pod } from 'kubernetes-types/core/v1.js';

const MIN = 60_000;
const NOW = Date.UTC(2026, 10, 18, 14, 30);
const WINDOW_START = NOW - 15 * MIN;

/** Deterministic noise in [-1, 1]. */
const noise = (i: number, seed: number) =>
  Math.sin(i * 12.9898 + seed * 78.233) * 0.5 + Math.sin(i * 4.1414 + seed) * 0.5;

/** Six hours of baseline then the alert window; `during(v, minutesIntoWindow)` reshapes the window's values. */
function series(
  metric: string,
  unit: MetricSeries['unit'],
  level: number,
  during: (v: number, k: number) => number = (v) => v,
  extra: Partial<MetricSeries> = {},
): MetricSeries {
  const points = [];
  for (let t = WINDOW_START - 6 * 60 * MIN, i = 0; t <= NOW; t += MIN, i++) {
    const daily = 1 + 0.1 * Math.sin((2 * Math.PI * t) / (24 * 60 * MIN));
    const v = level * daily * (1 + 0.03 * noise(i, metric.length));
    points.push({ t, v: t >= WINDOW_START ? during(v, (t - WINDOW_START) / MIN) : v });
  }
  return {
    metric,
    unit,
    source: 'prometheus',
    subject: { kind: 'workload', namespace: 'shop', name: 'checkout' },
    query: `promql for ${metric}`,
    points,
    ...extra,
  };
}

const readings = (...s: MetricSeries[]): MetricReading[] =>
  s.map((x) => scoreMetricSeries(x, WINDOW_START)).filter((r): r is MetricReading => r !== undefined);

const pod: V1Pod = {
  metadata: {
    name: 'checkout-7d4b9c6f5-h4j5k',
    namespace: 'shop',
    labels: { 'pod-template-hash': '7d4b9c6f5' },
    ownerReferences: [
      { kind: 'ReplicaSet', name: 'checkout-7d4b9c6f5', apiVersion: 'apps/v1', uid: 'u', controller: true },
    ],
  },
  spec: { containers: [{ name: 'checkout', image: 'checkout:1' }] },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [
      { name: 'checkout', ready: true, restartCount: 0, image: 'checkout:1', imageID: '', state: { running: {} } },
    ],
  },
};

// The alert the simulator fires for a CPU spike (KubeContainerAverageCPUHigh, `for` PT5M), firing at WINDOW_START + 10 min.
const CPU_ALERT = normalizeAlert(
  commonAlertSchema.parse(
    buildIncidentAlert(
      {
        id: 'inc-cpu',
        type: 'cpu_spike',
        service: 'api-gateway',
        severity: 'high',
        startedAt: new Date(WINDOW_START + 9 * MIN).toISOString(),
        endsAt: new Date(NOW + 60 * MIN).toISOString(),
        durationMinutes: 60,
        description: 'cpu',
        createdAt: new Date(WINDOW_START).toISOString(),
      },
      {
        seed: 42,
        clusterName: 'aks',
        clusterId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks',
      },
    ),
  ),
);

function ctx(metrics: MetricReading[], extra: Partial<RuleContext> = {}): RuleContext {
  const snapshot = { ...emptySnapshot('live', new Date(NOW)), pods: [pod], metrics };
  return { snapshot, subject: { kind: 'pod', pod }, referenceTime: new Date(NOW), logTailLines: 100, ...extra };
}

const spike = (factor: number) => (v: number, k: number) => (k >= 2 ? v * factor : v);
const blip = (factor: number) => (v: number, k: number) => (k >= 2 && k < 5 ? v * factor : v);

describe('scoring a series against its baseline', () => {
  it('a level shift in the window is anomalous, upwards, and still outside its baseline', () => {
    const [r] = readings(series('cpu-usage', 'cores', 0.4, spike(2.2)));
    expect(r).toMatchObject({ anomalous: true, direction: 'up', backInBaseline: false });
    expect(r!.score).toBeGreaterThanOrEqual(0.5);
    expect(r!.baseline.points).toBe(360);
  });
  it('noise of the usual size is not an anomaly', () => {
    const [r] = readings(series('cpu-usage', 'cores', 0.4));
    expect(r).toMatchObject({ anomalous: false, direction: 'none', backInBaseline: true });
  });
  it('a blip that ended: back inside its baseline', () => {
    const [r] = readings(series('cpu-usage', 'cores', 0.4, blip(3)));
    expect(r?.backInBaseline).toBe(true);
    expect(r?.window.peak).toBeGreaterThan(1);
  });
  it('too little history for a baseline: no reading rather than a guess', () => {
    const s = series('cpu-usage', 'cores', 0.4);
    expect(scoreMetricSeries({ ...s, points: s.points.slice(-40) }, WINDOW_START)).toBeUndefined();
  });
  it('the alert window starts at the metric alert window, else `for` plus the rate window before firing', () => {
    expect(alertWindowStart(CPU_ALERT, new Date(NOW))).toBe(WINDOW_START + 10 * MIN - 5 * MIN - 5 * MIN);
  });
});

describe('cpu_saturation', () => {
  it('CPU far above baseline on a CPU alert names saturation, with the series and its query as evidence', () => {
    const cpu = series('cpu-usage', 'cores', 0.4, spike(2.2), { reference: { request: 0.5 } });
    const m = cpuSaturationRule.evaluate(ctx(readings(cpu), { alert: CPU_ALERT }));
    expect(m).toMatchObject({ rootCause: 'cpu_saturation', failingNow: true });
    expect(m!.summary).toMatch(
      /CPU of shop\/checkout rose to \d+m \(\d+% of the 500m requested\), far above its baseline/,
    );
    expect(m!.evidence[0]).toMatchObject({ source: 'prometheus', reproduce: 'promql for cpu-usage' });
  });
  it('at the CPU limit and throttled: both signs are named, even without a CPU alert', () => {
    const cpu = series('cpu-usage', 'cores', 0.4, spike(2.4), { reference: { limit: 1 } });
    const throttled = series('cpu-throttled-ratio', 'ratio', 0.01, (v, k) => (k >= 2 ? 0.6 : v));
    const m = cpuSaturationRule.evaluate(ctx(readings(cpu, throttled)));
    expect(m!.summary).toMatch(/of the 1000m CPU limit; 60% of CFS periods throttled/);
  });
  it('CPU up without any saturation sign and on an unrelated alert: not this rule (the rise may be healthy load)', () => {
    const cpu = series('cpu-usage', 'cores', 0.4, spike(2.2));
    expect(cpuSaturationRule.evaluate(ctx(readings(cpu)))).toBeUndefined();
  });
  it('CPU down (an outage, not saturation): not this rule', () => {
    const cpu = series('cpu-usage', 'cores', 0.4, spike(0.2));
    expect(cpuSaturationRule.evaluate(ctx(readings(cpu), { alert: CPU_ALERT }))).toBeUndefined();
  });
});

describe('latency_degradation and error_rate_surge', () => {
  const latency = series('latency-p95', 'seconds', 0.18, spike(3.5));
  const errors = series('error-rate', 'ratio', 0.003, (v, k) => (k >= 2 ? 0.09 : v));
  it('latency far above baseline, with readiness probe failures of the workload quoted', () => {
    const c = ctx(readings(latency));
    c.snapshot.events.push({
      type: 'Warning',
      reason: 'Unhealthy',
      message: 'Readiness probe failed: context deadline exceeded',
      count: 12,
      object: { kind: 'Pod', name: 'checkout-7d4b9c6f5-h4j5k', namespace: 'shop' },
    });
    const m = latencyDegradationRule.evaluate(c);
    expect(m!.summary).toMatch(
      /p95 latency of shop\/checkout rose to .*readiness probes time out \(12 failures on 1 pods\)/,
    );
    expect(m!.confidence).toBeGreaterThan(0.85); // above probe_failure's 0.85: the latency explains the probes
  });
  it('errors far above baseline, with the log lines counted and quoted', () => {
    const c = ctx(readings(errors));
    c.snapshot.logs.push({
      namespace: 'shop',
      pod: 'checkout-7d4b9c6f5-h4j5k',
      container: 'checkout',
      previous: false,
      lines: [
        '2026-11-18T14:20:00Z ERROR POST /v1/pay 503 upstream connect error',
        '2026-11-18T14:20:15Z ERROR POST /v1/pay 503 upstream connect error',
        '2026-11-18T14:20:20Z INFO GET /healthz 200',
      ],
    });
    const m = errorRateSurgeRule.evaluate(c);
    expect(m!.summary).toMatch(/The 5xx ratio of shop\/checkout rose to 9% \(baseline 0\.\d+%\).*2 error lines/);
    expect(m!.evidence[1]!.detail).toMatch(
      /^2× in the log tail of checkout-7d4b9c6f5-h4j5k \(checkout\): ".*503 upstream/,
    );
  });
  it('errors and latency together: the errors are likely timeouts, so latency wins', () => {
    const both = readings(latency, errors);
    expect(latencyDegradationRule.evaluate(ctx(both))!.confidence).toBeGreaterThan(
      errorRateSurgeRule.evaluate(ctx(both))!.confidence,
    );
  });
  it('a CPU rise behind the latency: saturation is the likelier cause', () => {
    const both = readings(latency, series('cpu-usage', 'cores', 0.4, spike(2.2)));
    expect(latencyDegradationRule.evaluate(ctx(both, { alert: CPU_ALERT }))!.confidence).toBeLessThan(
      cpuSaturationRule.evaluate(ctx(both, { alert: CPU_ALERT }))!.confidence,
    );
  });
});

describe('the state an alert gets when the pod looks healthy', () => {
  const diagnose = (metrics: MetricReading[] | undefined, sought = true) =>
    diagnoseSnapshot(
      { ...emptySnapshot('live', new Date(NOW)), pods: [pod], metrics, metricsSought: sought },
      { target: { namespace: 'shop' }, alert: CPU_ALERT, now: () => new Date(NOW) },
    );
  it('transient when the alerted metric is back inside its baseline, quoting it', () => {
    const d = diagnose(readings(series('cpu-usage', 'cores', 0.4)));
    expect([d.rootCause, d.state]).toEqual(['healthy', 'transient']);
    expect(d.summary).toMatch(/The alerted cpu-usage is back inside its baseline/);
    expect(d.evidence[0]!.source).toBe('prometheus');
  });
  it('not transient when the metrics could not be read', () => {
    const d = diagnose(undefined);
    expect([d.rootCause, d.state]).toEqual(['healthy', 'unknown']);
    expect(d.summary).toMatch(/could not be read/);
  });
  it('not transient when the alerted metric has no reading', () => {
    expect(diagnose([]).state).toBe('unknown');
  });
});
