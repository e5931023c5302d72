// Properties of the AnomalyDetector that anomalyDetector.test.ts does not already pin down, on generated series:
// a weekly shape learned from the timestamps, a trend that is not an anomaly, series without timestamps, the point
// channel (simulator options) on a recurring incident, and state that resumes exactly, including states written
// before the point channel existed.
import { describe, expect, it } from '@jest/globals';
import {
  ANOMALY_SCORE_THRESHOLD,
  AnomalyDetector,
  type AnomalyDetectorOptions,
  type AnomalyDetectorState,
  type AnomalyReadingDetail,
} from '../../../shared/anomaly/anomalyDetector.js';
import { ContextNovelty } from '../../../shared/anomaly/contextNovelty.js';
import { SIMULATOR_DETECTOR_OPTIONS } from '../../../shared/simulator/anomaly/metricsAnomaly.js';
import { reported } from './reported.js';
import { gaussian } from '../../../shared/simulator/cluster/seededRandom.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 5); // a Monday
const noise = (stream: number, i: number, sd: number) => sd * gaussian(777, stream, i);

function run(
  values: readonly number[],
  time: (i: number) => number,
  options: Partial<AnomalyDetectorOptions> = {},
): AnomalyReadingDetail[] {
  const d = new AnomalyDetector(options);
  return values.map((v, i) => d.update(v, time(i)));
}

describe('AnomalyDetector properties', () => {
  it('learns a weekly shape (quiet weekends) and forecasts the weekend from the weekly profile', () => {
    // Hourly points; weekdays ~100 with a daily bump, weekends ~30: the daily profile alone cannot explain Saturday.
    const perWeek = 24 * 7;
    const shape = (i: number) => {
      const day = Math.floor(i / 24) % 7; // 0 = Monday
      const hour = i % 24;
      return (day >= 5 ? 30 : 100) + 20 * Math.sin((Math.PI * hour) / 24) ** 2;
    };
    const values = Array.from({ length: perWeek * 8 }, (_, i) => shape(i) + noise(1, i, 1.5));
    const r = run(values, (i) => T0 + i * HOUR);
    // From the fourth week on, no weekend (nor Monday morning) is reported.
    expect(reported(r, perWeek * 3)).toEqual([]);
    const lastSaturday = r.slice(perWeek * 7 + 5 * 24, perWeek * 7 + 6 * 24);
    expect(lastSaturday.filter((x) => x.baseline.kind === 'weekly').length).toBeGreaterThan(12);
    expect(Math.max(...lastSaturday.map((x) => x.baseline.z))).toBeLessThan(8);
  });

  it('reports a weekday that looks like a weekend once the weekly shape is learned', () => {
    const perWeek = 24 * 7;
    const level = (i: number) => (Math.floor(i / 24) % 7 >= 5 ? 30 : 100);
    const values = Array.from({ length: perWeek * 6 }, (_, i) => level(i) + noise(2, i, 1.5));
    const wednesday = perWeek * 5 + 2 * 24;
    for (let i = wednesday; i < wednesday + 24; i++) values[i] = 30 + noise(3, i, 1.5);
    const r = run(values, (i) => T0 + i * HOUR);
    // The averaged likelihood needs a few points of a level drop (the point channel, off by default, would not).
    const hits = reported(r, wednesday, wednesday + 24);
    expect(hits[0]).toBeDefined();
    expect(hits[0]! - wednesday).toBeLessThanOrEqual(10);
    expect(r[hits[0]!]!.baseline.expected).toBeGreaterThan(80);
    expect(r[hits[0]!]!.baseline.kind).toBe('weekly');
  });

  it('follows a steady trend without reporting it', () => {
    const values = Array.from({ length: 5000 }, (_, i) => 10 + 0.05 * i + noise(4, i, 1));
    const r = run(values, (i) => T0 + i * 60_000);
    expect(reported(r, 300)).toEqual([]);
    expect(Math.abs(r[4999]!.baseline.expected - values[4999]!)).toBeLessThan(5);
  });

  it('works without timestamps (level model only) and still reports a spike', () => {
    const values = Array.from({ length: 3000 }, (_, i) => 40 + noise(5, i, 2));
    values[2000] = 90;
    const r = run(values, () => Number.NaN);
    expect(r.every((x) => x.baseline.kind === 'level')).toBe(true);
    expect(reported(r, 500)).toEqual([2000]);
  });

  it('reports a noise burst (variance change) that moves no level', () => {
    const values = Array.from({ length: 4000 }, (_, i) => 50 + noise(6, i, i >= 3000 && i < 3100 ? 12 : 1));
    const r = run(values, (i) => T0 + i * 300_000);
    const hits = reported(r, 3000, 3100);
    expect(hits.length).toBeGreaterThanOrEqual(1);
    expect(hits[0]! - 3000).toBeLessThan(20);
    // Gaussian noise before it: at most one report in 2 500 points (the stationary-noise case bounds the rate).
    expect(reported(r, 500, 3000).length).toBeLessThanOrEqual(1);
  });

  it('with the point channel uncalibrated (simulator options), reports every recurrence of an incident on its first point', () => {
    // A 1-minute series where the same 20-minute step recurs every 4 hours: a calibrated detector learns the step as
    // part of the series; the simulator must name each one.
    const every = 240;
    const values = Array.from(
      { length: every * 12 },
      (_, i) => 20 + noise(7, i, 0.5) + (i % every >= 200 && i % every < 220 ? 15 : 0),
    );
    const r = run(values, (i) => T0 + i * 60_000, SIMULATOR_DETECTOR_OPTIONS);
    for (let k = 0; k < 12; k++) {
      const start = k * every + 200;
      expect(r[start]!.likelihood).toBeGreaterThanOrEqual(ANOMALY_SCORE_THRESHOLD);
    }
    // Outside the incidents and the minutes right after them, nothing.
    const quiet = r.filter((x, i) => i > 60 && i % every < 195 && x.likelihood >= ANOMALY_SCORE_THRESHOLD);
    expect(quiet.length).toBeLessThanOrEqual(2);
  });

  it('resumes exactly from JSON with the point channel on, and from a state written without it', () => {
    const values = Array.from(
      { length: 4000 },
      (_, i) => 50 + 10 * Math.sin(i / 30) + noise(8, i, 2) + (i % 900 === 0 ? 30 : 0),
    );
    const time = (i: number) => T0 + i * 60_000;
    const opts = SIMULATOR_DETECTOR_OPTIONS;
    const whole = run(values, time, opts).map((x) => x.likelihood);
    const first = new AnomalyDetector(opts);
    const head = values.slice(0, 2100).map((v, i) => first.update(v, time(i)).likelihood);
    const state = JSON.parse(JSON.stringify(first.toJSON())) as AnomalyDetectorState;
    const resumed = AnomalyDetector.fromJSON(state, opts);
    const tail = values.slice(2100).map((v, i) => resumed.update(v, time(2100 + i)).likelihood);
    expect([...head, ...tail]).toEqual(whole);
    // A state from before the point channel: no pointCalibration; it resumes (with a fresh point calibration).
    const { pointCalibration, ...older } = state;
    expect(pointCalibration).toBeDefined();
    expect(() => AnomalyDetector.fromJSON(older).update(50, time(2100))).not.toThrow();
  });

  it('keeps the context table bounded and its serialised keys stable across a resume', () => {
    const c = new ContextNovelty({ maxContexts: 500 });
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i / 7) * 10 + noise(9, i, 3));
    values.slice(0, 2500).forEach((v) => c.update(v));
    const state = c.state;
    expect(state.counts.length).toBeLessThanOrEqual(501);
    // Context keys are positive, prefix counters negative (order 1's prefix is -1): the format states were written in.
    expect(state.counts.some(([k]) => k === -1)).toBe(true);
    const resumed = new ContextNovelty({ maxContexts: 500 }, JSON.parse(JSON.stringify(state)) as typeof state);
    const a = values.slice(2500).map((v) => c.update(v));
    const b = values.slice(2500).map((v) => resumed.update(v));
    expect(b).toEqual(a);
    expect(() => new ContextNovelty({ levels: 40, maxOrder: 8 })).toThrow(/31-bit/);
  });
});
