// The NAB-measured AnomalyDetector on generated series: each case says what real metrics do and why the detector
// should or should not report it. Points are 5 minutes apart unless a case says otherwise.
import { describe, expect, it } from '@jest/globals';
import { AnomalyDetector, type AnomalyReadingDetail } from '../../../shared/anomaly/anomalyDetector.js';
import { reported } from './reported.js';
import { gaussian, uniform } from '../../../shared/simulator/cluster/seededRandom.js';

const STEP = 5 * 60_000;
const T0 = Date.UTC(2026, 0, 5); // a Monday
const noise = (stream: number, i: number, sd: number) => sd * gaussian(4242, stream, i);

function run(values: readonly number[], times?: readonly number[]): AnomalyReadingDetail[] {
  const d = new AnomalyDetector();
  return values.map((v, i) => d.update(v, times ? times[i]! : T0 + i * STEP));
}

describe('AnomalyDetector', () => {
  it('scores in [0,1) and reports nothing on stationary Gaussian noise (10 000 points)', () => {
    const r = run(Array.from({ length: 10_000 }, (_, i) => 50 + noise(1, i, 3)));
    expect(r.every((x) => x.score >= 0 && x.score < 1 && x.likelihood >= 0 && x.likelihood < 1)).toBe(true);
    expect(reported(r).length).toBeLessThanOrEqual(2);
  });

  it('learns a daily shape with a sharp nightly batch: forecast by a learned profile, quiet once learned', () => {
    const perDay = 288;
    const shape = (i: number) => {
      const slot = i % perDay;
      return 100 + 30 * Math.sin((2 * Math.PI * slot) / perDay) + (slot >= 24 && slot < 36 ? 80 : 0);
    };
    const values = Array.from({ length: perDay * 10 }, (_, i) => shape(i) + noise(2, i, 2));
    const r = run(values);
    // Days 4-10: the batch is part of the learned shape, not an anomaly every night.
    expect(reported(r, perDay * 3)).toEqual([]);
    // Inside the last night's batch the forecast comes from a learned seasonal profile, and fits it.
    const batch = r.slice(perDay * 9 + 25, perDay * 9 + 36);
    expect(batch.filter((x) => x.baseline.kind !== 'level' && x.baseline.z < 4).length).toBeGreaterThan(5);
  });

  it('reports a level shift once, explains it, and absorbs the new level', () => {
    const values = Array.from({ length: 4000 }, (_, i) => 20 + noise(4, i, 1) + (i >= 3000 ? 12 : 0));
    const r = run(values);
    const hits = reported(r, 3000);
    expect(hits[0]).toBeDefined();
    expect(hits[0]! - 3000).toBeLessThanOrEqual(2);
    const first = r[hits[0]!]!;
    expect(first.episodeStart).toBe(true);
    expect(first.baseline.deviation).toBeGreaterThan(8); // ~12 above what the baseline expected
    expect(first.baseline.expected).toBeLessThan(25);
    // One report for one shift, not one per point of the new level.
    expect(hits.length).toBeLessThanOrEqual(2);
    expect(reported(r, 3300)).toEqual([]);
  });

  it('reports a single spike on the spike itself', () => {
    const values = Array.from({ length: 3000 }, (_, i) => 200 + noise(5, i, 5));
    values[2500] = 320;
    const r = run(values);
    expect(reported(r, 2000)).toEqual([2500]);
    expect(r[2500]!.baseline.z).toBeGreaterThan(10);
  });

  it('stays quiet on a flat line, then reports a one-unit step (a pod count)', () => {
    const values = Array.from({ length: 2000 }, (_, i) => (i < 1800 ? 3 : 2));
    const r = run(values);
    expect(reported(r, 0, 1800)).toEqual([]);
    expect(reported(r, 1800, 1803)).toEqual([1800]);
  });

  it('is not fooled by gaps and irregular timestamps (a day of missing data, jittered intervals)', () => {
    const times: number[] = [];
    const values: number[] = [];
    let t = T0;
    for (let i = 0; i < 5000; i++) {
      t += STEP * (0.5 + uniform(4242, 6, i)); // 2.5 to 7.5 minutes apart
      if (i === 2500) t += 86_400_000; // a whole day missing
      times.push(t);
      values.push(60 + 10 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000) + noise(6, i, 1));
    }
    values[4000] = values[4000]! + 25;
    const r = run(values, times);
    expect(reported(r, 1000, 4000)).toEqual([]);
    expect(reported(r, 4000, 4001)).toEqual([4000]);
  });

  it('gives about the same false-alarm rate on heavy-tailed noise as on Gaussian noise (calibrated likelihood)', () => {
    const n = 20_000;
    // Laplace noise: far more 4-sigma points than a Gaussian; a raw z threshold would fire on it all the time.
    const laplace = (i: number) => {
      const u = uniform(4242, 7, i) - 0.5;
      return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u)) * 3;
    };
    const heavy = reported(run(Array.from({ length: n }, (_, i) => 100 + laplace(i))), 1000).length;
    const gauss = reported(run(Array.from({ length: n }, (_, i) => 100 + noise(8, i, 3))), 1000).length;
    expect(heavy).toBeLessThanOrEqual(10); // ≤ 0.05% of points
    expect(gauss).toBeLessThanOrEqual(10);
  });

  it('resumes from its JSON state exactly where it stopped, with bounded state', () => {
    const values = Array.from(
      { length: 6000 },
      (_, i) => 50 + 20 * Math.sin(i / 40) + noise(9, i, 4) + (i === 5000 ? 60 : 0),
    );
    const whole = run(values).map((x) => x.score);
    const first = new AnomalyDetector();
    const head = values.slice(0, 3000).map((v, i) => first.update(v, T0 + i * STEP).score);
    const json = JSON.stringify(first.toJSON());
    const resumed = AnomalyDetector.fromJSON(JSON.parse(json));
    const tail = values.slice(3000).map((v, i) => resumed.update(v, T0 + (3000 + i) * STEP).score);
    expect([...head, ...tail]).toEqual(whole);
    expect(resumed.count).toBe(6000);
    // The context table is capped: state stays well under a megabyte however long the series.
    expect(json.length).toBeLessThan(1_000_000);
    expect(() => AnomalyDetector.fromJSON({} as never)).toThrow(/not an anomaly detector state/);
  });
});
