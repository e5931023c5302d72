// Properties of what the NAB round added to the AnomalyDetector, on generated series over several seeds: one report
// per rise (breakAfter), the long averaging window (LongAverageLikelihood), records judged against the closest
// learned baseline (zMin), and state that resumes exactly with the new parts (and from states written before them).
import { describe, expect, it } from '@jest/globals';
import * as detector from '../../../shared/anomaly/anomalyDetector.js';
import { AnomalyLikelihood, LongAverageLikelihood } from '../../../shared/anomaly/anomalyLikelihood.js';
import { RobustBaseline } from '../../../shared/anomaly/robustBaseline.js';
import { gaussian } from '../../../shared/simulator/cluster/seededRandom.js';
import { reported } from './reported.js';

const T0 = Date.UTC(2026, 0, 5); // a Monday
const MINUTE = 60_000;
const noise = (stream: number, i: number, sd: number) => sd * gaussian(4242, stream, i);
const SEEDS = [1, 2, 3, 4, 5];

function run(
  values: readonly number[],
  options: Partial<detector.AnomalyDetectorOptions> = {},
): detector.AnomalyReadingDetail[] {
  const d = new detector.AnomalyDetector(options);
  return values.map((v, i) => d.update(v, T0 + i * MINUTE));
}

describe('AnomalyDetector episodes and long window', () => {
  it('reports a steep ramp once at the anomaly threshold, not again while the averaged likelihood catches up', () => {
    for (const seed of SEEDS) {
      // Noise, then a deviation growing 3 σ per point for 100 points.
      const values = Array.from(
        { length: 3000 },
        (_, i) => 50 + noise(seed, i, 1) + (i >= 2000 && i < 2100 ? 3 * (i - 2000) : 0),
      );
      const hits = reported(run(values), 2000, 2010);
      expect(hits).toHaveLength(1);
      // Without the rule (breakAfter 0) the same rise is reported again a few points later: one cause, two alerts.
      expect(reported(run(values, { breakAfter: 0 }), 2000, 2010).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('still reports an episode that opened below the threshold when it reaches it', () => {
    let crossed = 0;
    for (const seed of SEEDS) {
      const values = Array.from(
        { length: 3000 },
        (_, i) => 50 + noise(seed + 10, i, 1) + (i >= 2000 && i < 2100 ? 0.5 * (i - 2000) : 0),
      );
      const r = run(values);
      const opened = r.findIndex((x, i) => i >= 2000 && x.episodeStart);
      expect(opened).toBeGreaterThanOrEqual(2000);
      expect(opened).toBeLessThan(2025);
      // However the episode opened, the ramp is reported at the threshold findings use within the first points.
      const hits = reported(r, 2000, 2025);
      expect(hits.length).toBeGreaterThanOrEqual(1);
      if (r[opened]!.score < detector.ANOMALY_SCORE_THRESHOLD) crossed++;
    }
    // At least one seed opens below 0.5 and is reported again on reaching it (the case the rule keeps).
    expect(crossed).toBeGreaterThanOrEqual(1);
  });

  it('long window: a small shift of the raw score that lasts is improbable; stationary scores are not', () => {
    for (const seed of SEEDS) {
      const long = new LongAverageLikelihood(0.01);
      const short = new AnomalyLikelihood();
      let inShift = 0;
      let quiet = 0;
      let shortInShift = 0;
      for (let i = 0; i < 6000; i++) {
        // A raw surprise of mean 0.3 (sd 0.15) that rises by 0.12 for 300 points: under one short-window σ.
        const raw = 0.3 + noise(seed + 20, i, 0.15) + (i >= 5000 && i < 5300 ? 0.12 : 0);
        const decades = long.updateDecades(raw, i);
        const shortDecades = short.updateDecades(raw);
        if (i >= 5000 && i < 5300) {
          inShift = Math.max(inShift, decades);
          shortInShift = Math.max(shortInShift, shortDecades);
        } else if (i > 500) quiet = Math.max(quiet, decades);
      }
      expect(inShift).toBeGreaterThanOrEqual(5); // a tail probability of 1e-5: likelihood 0.5
      expect(quiet).toBeLessThan(5);
      expect(shortInShift).toBeLessThan(10);
    }
  });

  it('measures records against the closest learned baseline: zMin never exceeds z, and a learned daily dip is near it', () => {
    const day = 1440;
    for (const seed of SEEDS) {
      const b = new RobustBaseline();
      let dipZ = 0;
      let dipZMin = 0;
      let worst = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < day * 8; i++) {
        const minuteOfDay = i % day;
        // A smooth daily curve (the level forecasts it best one step ahead) with a nightly one-hour dip (two whole
        // 30-minute profile slots).
        const dip = minuteOfDay >= 180 && minuteOfDay < 240 ? 40 : 0;
        const value = 100 + 30 * Math.sin((2 * Math.PI * i) / day) - dip + noise(seed + 30, i, 1);
        const r = b.update(value, T0 + i * MINUTE);
        worst = Math.max(worst, r.zMin - r.z);
        if (i >= day * 7 && minuteOfDay === 180) {
          dipZ = r.z;
          dipZMin = r.zMin;
        }
      }
      expect(worst).toBeLessThanOrEqual(1e-9);
      // The level did not expect the dip's first minute; the daily profile, learned over a week, did.
      expect(dipZ).toBeGreaterThan(10);
      expect(dipZMin).toBeLessThan(dipZ / 3);
    }
  });

  it('resumes exactly from JSON with the long window and episodes, and from a state written before them', () => {
    const values = Array.from(
      { length: 5000 },
      (_, i) => 50 + 10 * Math.sin(i / 40) + noise(40, i, i >= 2000 && i < 2600 ? 3 : 1) + (i % 700 === 0 ? 25 : 0),
    );
    const whole = run(values).map((x) => [x.likelihood, x.score]);
    const first = new detector.AnomalyDetector();
    const head = values.slice(0, 2300).map((v, i) => first.update(v, T0 + i * MINUTE));
    const state = JSON.parse(JSON.stringify(first.toJSON())) as detector.AnomalyDetectorState;
    expect(state.sustained?.forecast.likelihood.n).toBe(2300);
    expect(state.episodeOpenedAt).toBeDefined();
    const resumed = detector.AnomalyDetector.fromJSON(state);
    const tail = values.slice(2300).map((v, i) => resumed.update(v, T0 + (2300 + i) * MINUTE));
    expect([...head, ...tail].map((x) => [x.likelihood, x.score])).toEqual(whole);
    // A state from before the long window and breakAfter: it resumes, with a fresh long window.
    const { sustained, episodeOpenedAt, ...older } = state;
    expect(sustained && episodeOpenedAt !== undefined).toBeTruthy();
    const old = detector.AnomalyDetector.fromJSON(older);
    expect(() => values.slice(2300, 2400).forEach((v, i) => old.update(v, T0 + (2300 + i) * MINUTE))).not.toThrow();
  });
});
