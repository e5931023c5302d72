// Scores one metric series with the streaming detector and says whether its newest points are an anomaly worth a
// finding. Detector state across sweeps: none is kept. Each sweep re-scores the whole window (ANOMALY_WINDOW_MINUTES,
// a few hundred points per series, microseconds each), which is bounded, needs no storage, survives series that
// come and go (pods, nodes, rollouts) and cannot drift from the data a person re-queries; the price is that the
// detector only knows the window, so daily seasonality is learned only within it. Persisting state per series would
// add a table, a key per (cluster, subject, metric) and a rule for gaps and resets, for little gain at this window.
//
// A finding needs three things: the detector's likelihood at or above ANOMALY_SCORE_THRESHOLD (a tail probability
// ≤ 1e-5 under the series' own history) on a point newer than `recentMs`; a material change: the value is at least
// `minChange` (a fraction) away from the baseline it broke, or one whole unit for counts; and a break that holds
// until the newest point (see holds()). On the simulator's quiet series the detector alone flags a few percent of
// 15-minute windows, by deviations of 2-20 % or by one-minute noise bursts, which nobody would act on; incidents move
// their metric by 50 % and more and stay there (bench/anomalySweep.ts; figures in the README).
import { AnomalyDetector, ANOMALY_SCORE_THRESHOLD, type AnomalyReadingDetail } from '../anomaly/anomalyDetector.js';
import type { MetricSeries } from './types.js';

export interface ScoreOptions {
  now: Date;
  recentMs: number;
  /** Fraction of the baseline, e.g. 0.3. */
  minChange: number;
}

export interface SeriesVerdict {
  series: MetricSeries;
  /** The strongest qualifying point of the recent part. */
  at: number;
  observed: number;
  expected: number;
  likelihood: number;
  detail: AnomalyReadingDetail;
  /** First point of the window and number of points scored. */
  from: number;
  points: number;
}

export function isMaterial(series: Pick<MetricSeries, 'unit'>, observed: number, expected: number, minChange: number) {
  const deviation = Math.abs(observed - expected);
  if (series.unit === 'count') return deviation >= 1;
  return deviation >= minChange * Math.max(Math.abs(expected), Number.EPSILON);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/**
 * The break holds: from the anomalous point to the newest point, the series stays materially away from the baseline
 * it broke (the median of those points), over at least two points. One burst of noise on a low, noisy series (a
 * 10 %-CPU service jumping to 15 % for one minute) is over by the next point; an incident is not. Events on a series
 * that is normally zero (restarts) hold by themselves.
 */
function holds(series: MetricSeries, from: number, expected: number, minChange: number): boolean {
  if (series.unit === 'count' && Math.abs(expected) < 0.5) return true;
  const after = series.points.filter((p) => p.t >= from && Number.isFinite(p.v)).map((p) => p.v);
  return after.length >= 2 && isMaterial(series, median(after), expected, minChange);
}

export function scoreSeries(series: MetricSeries, options: ScoreOptions): SeriesVerdict | undefined {
  const detector = new AnomalyDetector();
  const recentFrom = options.now.getTime() - options.recentMs;
  const candidates: SeriesVerdict[] = [];
  for (const p of series.points) {
    if (!Number.isFinite(p.v)) continue;
    const detail = detector.update(p.v, p.t);
    if (p.t <= recentFrom || detail.likelihood < ANOMALY_SCORE_THRESHOLD) continue;
    if (!isMaterial(series, p.v, detail.baseline.expected, options.minChange)) continue;
    candidates.push({
      series,
      at: p.t,
      observed: p.v,
      expected: detail.baseline.expected,
      likelihood: detail.likelihood,
      detail,
      from: series.points[0]?.t ?? p.t,
      points: series.points.length,
    });
  }
  return candidates
    .sort((a, b) => b.likelihood - a.likelihood)
    .find((c) => holds(series, c.at, c.expected, options.minChange));
}
