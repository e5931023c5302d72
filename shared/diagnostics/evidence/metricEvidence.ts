// Metric evidence for a diagnosis: the alerted workload's series (CPU against request/limit and throttling, memory,
// restarts, request rate, 5xx ratio, p95 latency, HPA replicas) over the alert window and a baseline window before it,
// each scored with the streaming anomaly detector (shared/anomaly) and summarised as a MetricReading the rules read.
// A metric alert is itself evidence: the reading says whether the alerted metric is still outside its baseline, which
// is what separates "the alert was transient" from "it is still happening".
//
// Scoring is pure (scoreMetricSeries); gathering does the I/O through a reader and turns failures into gaps.
import { AnomalyDetector, ANOMALY_SCORE_THRESHOLD } from '../../anomaly/anomalyDetector.js';
import type { MetricSeries } from '../../metrics/types.js';
import type { WorkloadMetric, WorkloadRef } from '../../metrics/prometheusReader.js';
import type { NormalizedAlert } from '../normalizeAlert.js';
import { evidenceGap } from './gaps.js';

/** One series, judged: how it behaved in the alert window against its own baseline. */
export interface MetricReading {
  metric: string;
  unit: MetricSeries['unit'];
  source: MetricSeries['source'];
  /** The PromQL / KQL that reproduces the series. */
  query: string;
  subject: MetricSeries['subject'];
  reference?: MetricSeries['reference'];
  baseline: { from: string; to: string; points: number; median: number; spread: number };
  window: { from: string; to: string; points: number; peak: number; trough: number; last: number; lastAt: string };
  /** Highest anomaly likelihood the detector gave a point of the alert window, [0,1). */
  score: number;
  /** The detector flagged the window (score ≥ ANOMALY_SCORE_THRESHOLD), in the direction `direction`. */
  anomalous: boolean;
  direction: 'up' | 'down' | 'none';
  /** The last points are back inside the baseline band (median ± BAND × spread). */
  backInBaseline: boolean;
}

/** Robust spreads a value must be from the baseline median to count as outside it. */
const BAND = 4;
/** Points needed before the window for a baseline worth the name. */
const MIN_BASELINE_POINTS = 30;
/** Trailing points that decide whether the series is back inside its baseline. */
const TAIL_POINTS = 3;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Scores a series whose alert window starts at `windowStart`: the detector learns every point before it and scores
 * the window's points; the baseline band is the robust median ± BAND × (1.4826 × MAD), floored at 1% of the median
 * so a perfectly flat baseline does not make every wiggle an excursion. Undefined when the baseline or the window
 * has too few points to judge.
 */
export function scoreMetricSeries(series: MetricSeries, windowStart: number): MetricReading | undefined {
  const points = series.points.filter((p) => Number.isFinite(p.v));
  const base = points.filter((p) => p.t < windowStart);
  const win = points.filter((p) => p.t >= windowStart);
  if (base.length < MIN_BASELINE_POINTS || win.length === 0) return undefined;
  const detector = new AnomalyDetector();
  let score = 0;
  for (const p of points) {
    const r = detector.update(p.v, p.t);
    if (p.t >= windowStart) score = Math.max(score, r.likelihood);
  }
  const values = base.map((p) => p.v);
  const med = median(values);
  const mad = median(values.map((v) => Math.abs(v - med)));
  const spread = Math.max(1.4826 * mad, 0.01 * Math.abs(med), Number.EPSILON);
  const winValues = win.map((p) => p.v);
  const peak = Math.max(...winValues);
  const trough = Math.min(...winValues);
  const upBy = (peak - med) / spread;
  const downBy = (med - trough) / spread;
  const outside = Math.max(upBy, downBy) >= BAND;
  const direction: MetricReading['direction'] = !outside ? 'none' : upBy >= downBy ? 'up' : 'down';
  const tail = win.slice(-TAIL_POINTS);
  const last = win[win.length - 1]!;
  return {
    metric: series.metric,
    unit: series.unit,
    source: series.source,
    query: series.query,
    subject: series.subject,
    ...(series.reference ? { reference: series.reference } : {}),
    baseline: {
      from: new Date(base[0]!.t).toISOString(),
      to: new Date(base[base.length - 1]!.t).toISOString(),
      points: base.length,
      median: med,
      spread,
    },
    window: {
      from: new Date(win[0]!.t).toISOString(),
      to: new Date(last.t).toISOString(),
      points: win.length,
      peak,
      trough,
      last: last.v,
      lastAt: new Date(last.t).toISOString(),
    },
    score,
    // The detector decides whether the window is anomalous; the band says which way and whether it is over.
    anomalous: score >= ANOMALY_SCORE_THRESHOLD && direction !== 'none',
    direction,
    backInBaseline: tail.every((p) => Math.abs(p.v - med) < BAND * spread),
  };
}

/** What reads a workload's series (the managed-Prometheus reader; a Container Insights reader can join). */
export interface WorkloadMetricReader {
  readonly source: MetricSeries['source'];
  readWorkload(
    clusterId: string,
    workload: WorkloadRef,
    window: { from: Date; to: Date },
    options?: { abortSignal?: AbortSignal; metrics?: WorkloadMetric[] },
  ): Promise<MetricSeries[]>;
}

/** Baseline length before the alert window. */
export const BASELINE_MS = 6 * 3_600_000;

/**
 * When the alerted condition began: the metric alert's own window start when it carries one, else the fire time
 * less the rule's `for` and a 5-minute rate window, else 10 minutes before it fired.
 */
export function alertWindowStart(alert: NormalizedAlert | undefined, now: Date): number {
  if (!alert) return now.getTime() - 15 * 60_000;
  const fired = Date.parse(alert.firedAt);
  const windowStart = Date.parse(alert.conditionWindow?.start ?? '');
  if (Number.isFinite(windowStart) && windowStart < fired) return windowStart;
  const forMatch = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(alert.conditionWindow?.forDuration ?? '');
  if (forMatch) {
    const forMs = (Number(forMatch[1] ?? 0) * 3600 + Number(forMatch[2] ?? 0) * 60 + Number(forMatch[3] ?? 0)) * 1000;
    return fired - forMs - 5 * 60_000;
  }
  return fired - 10 * 60_000;
}

/** The series an alert is about, from the names of what its rule measured. */
export function alertedMetric(alert: NormalizedAlert | undefined): WorkloadMetric | undefined {
  if (!alert) return undefined;
  const text = [alert.rule, ...alert.signalNames, alert.facts.find((f) => f.name === 'expression')?.value ?? ''].join(
    ' ',
  );
  if (/cpu/i.test(text)) return 'cpu-usage';
  if (/oom|memory/i.test(text)) return 'memory-working-set';
  if (/latency|duration|slow/i.test(text)) return 'latency-p95';
  if (/5\.\.|5xx|error|fail/i.test(text)) return 'error-rate';
  if (/restart|crash/i.test(text)) return 'restarts';
  if (/ready/i.test(text)) return 'latency-p95';
  return undefined;
}

/** Reads and scores the workload's series; a failed read is a gap, never a guess. */
export async function gatherMetricEvidence(
  reader: WorkloadMetricReader,
  clusterId: string,
  workload: WorkloadRef,
  options: { alert?: NormalizedAlert; now: Date; abortSignal?: AbortSignal },
): Promise<{ readings: MetricReading[]; gaps: string[] }> {
  const start = Math.min(alertWindowStart(options.alert, options.now), options.now.getTime() - 5 * 60_000);
  const what = `${reader.source === 'prometheus' ? 'Prometheus' : reader.source} metrics of ${workload.namespace}/${workload.name}`;
  let series: MetricSeries[];
  try {
    series = await reader.readWorkload(
      clusterId,
      workload,
      { from: new Date(start - BASELINE_MS), to: options.now },
      { abortSignal: options.abortSignal },
    );
  } catch (err) {
    if (options.abortSignal?.aborted) throw err;
    return { readings: [], gaps: [evidenceGap(what, err)] };
  }
  const readings = series.map((s) => scoreMetricSeries(s, start)).filter((r): r is MetricReading => r !== undefined);
  const gaps: string[] = [];
  if (series.length === 0) gaps.push(`${what}: no series in the workspace for this workload`);
  else if (readings.length === 0) gaps.push(`${what}: too little history before the alert to form a baseline`);
  const wanted = alertedMetric(options.alert);
  if (wanted && series.length > 0 && !readings.some((r) => r.metric === wanted))
    gaps.push(`${what}: the alerted metric (${wanted}) has no data`);
  return { readings, gaps };
}
