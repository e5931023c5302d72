// The streaming detector on synthetic series: each case says why it should or should not fire.
import { describe, expect, it } from '@jest/globals';
import {
  ANOMALY_THRESHOLD,
  scoreSeries,
  StreamingDetector,
} from '../../../shared/simulator/anomaly/streamingDetector.js';
import { gaussian } from '../../../shared/simulator/cluster/seededRandom.js';

const noise = (i: number, sd: number) => sd * gaussian(99, 1, i);
const anomalous = (scores: number[]) => scores.filter((s) => s >= ANOMALY_THRESHOLD).length;

describe('StreamingDetector', () => {
  it('scores in [0,1], 0 during warm-up and for non-finite values', () => {
    const d = new StreamingDetector({ warmup: 10 });
    const scores = Array.from({ length: 200 }, (_, i) => d.update(100 + noise(i, 2)));
    expect(scores.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(d.update(Number.NaN)).toBe(0);
  });

  it('stays quiet on Gaussian noise (no false positives in 5000 points)', () => {
    const scores = scoreSeries(Array.from({ length: 5000 }, (_, i) => 50 + noise(i, 3)));
    expect(anomalous(scores)).toBeLessThanOrEqual(5); // ≤ 0.1%
  });

  it('follows a smooth daily cycle without flagging the peaks (seasonality through the local trend)', () => {
    const values = Array.from(
      { length: 3 * 1440 },
      (_, i) => 100 * (1 + 0.35 * Math.sin((2 * Math.PI * i) / 1440)) + noise(i, 1.5),
    );
    expect(anomalous(scoreSeries(values))).toBeLessThanOrEqual(3);
  });

  it('flags a spike on the first point and is not fooled into absorbing it', () => {
    const values = Array.from({ length: 400 }, (_, i) => 20 + noise(i, 0.5));
    for (let i = 300; i < 330; i++) values[i] = values[i]! + 15; // a 30-point incident
    const scores = scoreSeries(values);
    expect(scores[300]).toBeGreaterThan(0.99);
    // Still anomalous at the end of the incident: the damped update keeps the old baseline.
    expect(scores[329]).toBeGreaterThan(ANOMALY_THRESHOLD);
    // Back to normal afterwards: the return is not an anomaly.
    expect(anomalous(scores.slice(331))).toBe(0);
  });

  it('flags a drop of one unit in a constant integer series (pod counts) through the relative scale floor', () => {
    const values = Array.from({ length: 100 }, () => 3);
    values[80] = 2;
    const scores = scoreSeries(values);
    expect(anomalous(scores.slice(0, 80))).toBe(0);
    expect(scores[80]).toBeGreaterThan(0.99);
  });

  it('learns a sharp periodic shape when given its period (a nightly batch), and flags it without', () => {
    const period = 288; // 5-minute points, daily
    const values = Array.from(
      { length: period * 6 },
      (_, i) => 30 + (i % period >= 24 && i % period < 30 ? 40 : 0) + noise(i, 1),
    );
    const lastDay = (scores: number[]) => anomalous(scores.slice(period * 5));
    expect(lastDay(scoreSeries(values))).toBeGreaterThan(0);
    expect(lastDay(scoreSeries(values, { seasonPeriod: period }))).toBe(0);
  });
});
