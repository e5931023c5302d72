// Robust forecast baseline: local level + trend (Holt), and a seasonal profile by time of day and by time of week
// learned from the timestamps. Each point is compared with the best of the three forecasts, chosen by which has
// been most accurate recently, so a series with a daily cycle is judged against its daily shape and one without is not
// (learned, not assumed). Robustness:
//   * the scale is an exponentially weighted mean absolute deviation of *clipped* residuals, so one outlier cannot
//     inflate it; a floor relative to the level keeps a constant series from having zero scale;
//   * updates use residuals clipped to ±clip·scale (Huber), so a spike barely moves the baseline, while a level shift
//     that persists is absorbed within a few tens of points.

export interface BaselineOptions {
  alpha: number;
  beta: number;
  scaleAlpha: number;
  clip: number;
  relativeFloor: number;
  absoluteFloor: number;
  /** Slots per day of the seasonal profiles (the weekly profile has 7× as many). */
  slotsPerDay: number;
  seasonAlpha: number;
  /** Smoothing of each model's absolute error, used to pick the model. */
  errorAlpha: number;
}

export const DEFAULT_BASELINE_OPTIONS: BaselineOptions = {
  alpha: 0.2,
  beta: 0.05,
  scaleAlpha: 0.02,
  clip: 3,
  relativeFloor: 0.001,
  absoluteFloor: 1e-9,
  slotsPerDay: 48,
  seasonAlpha: 0.2,
  errorAlpha: 0.01,
};

export type BaselineKind = 'level' | 'daily' | 'weekly';

export interface BaselineState {
  n: number;
  level: number;
  trend: number;
  scale: number;
  daily: Array<number | null>;
  weekly: Array<number | null>;
  /** Smoothed absolute error of each model (level, daily, weekly); -1 until the model has forecast (JSON has no ∞). */
  errors: [number, number, number];
  /** Deviation of the recent points from the seasonal profiles (their local offset). */
  offsets: [number, number];
  /** Model in use: 0 level, 1 daily, 2 weekly. */
  model: number;
}

export interface BaselineReading {
  kind: BaselineKind;
  expected: number;
  residual: number;
  scale: number;
  z: number;
}

const DAY_MS = 86_400_000;

export class RobustBaseline {
  private readonly o: BaselineOptions;
  private s: BaselineState;

  constructor(options: Partial<BaselineOptions> = {}, state?: BaselineState) {
    this.o = { ...DEFAULT_BASELINE_OPTIONS, ...options };
    this.s = state
      ? structuredClone(state)
      : {
          n: 0,
          level: 0,
          trend: 0,
          scale: 0,
          daily: new Array<number | null>(this.o.slotsPerDay).fill(null),
          weekly: new Array<number | null>(this.o.slotsPerDay * 7).fill(null),
          errors: [0, -1, -1],
          offsets: [0, 0],
          model: 0,
        };
  }

  get state(): BaselineState {
    return structuredClone(this.s);
  }

  /** Compares `value` at `timeMs` (NaN when unknown: no seasonal profile) with the forecast, then learns it. */
  update(value: number, timeMs: number): BaselineReading {
    const o = this.o;
    const s = this.s;
    if (s.n === 0) {
      s.level = value;
      s.scale = Math.max(Math.abs(value) * o.relativeFloor, o.absoluteFloor);
      s.n = 1;
      this.learnSeason(value, timeMs, 0);
      return { kind: 'level', expected: value, residual: 0, scale: s.scale, z: 0 };
    }
    const floor = Math.abs(s.level) * o.relativeFloor + o.absoluteFloor;
    const scale = Math.max(s.scale, floor);
    const forecasts: [number, number, number] = [s.level + s.trend, Number.NaN, Number.NaN];
    const slots = this.slots(timeMs);
    if (slots) {
      const d = s.daily[slots[0]];
      const w = s.weekly[slots[1]];
      if (d !== null && d !== undefined) forecasts[1] = d + s.offsets[0];
      if (w !== null && w !== undefined) forecasts[2] = w + s.offsets[1];
    }
    // The model with the smallest recent error wins; a seasonal model must beat the level by a margin to be used.
    // Hysteresis: the model in use stays until another is clearly better, so one broken day does not make the
    // detector drop the profile that the day broke.
    let best = 0;
    for (let m = 0; m < 3; m++) {
      const e = s.errors[m]!;
      if (m !== best && Number.isFinite(forecasts[m]) && e >= 0 && e < 0.8 * s.errors[best]!) best = m;
    }
    s.model = best;
    const expected = forecasts[best]!;
    const residual = value - expected;
    const z = Math.abs(residual) / scale;
    const limit = o.clip * scale;
    const clip = (x: number) => (x > limit ? limit : x < -limit ? -limit : x);
    for (let m = 0; m < 3; m++) {
      const f = forecasts[m]!;
      if (Number.isFinite(f)) {
        const e = Math.min(Math.abs(value - f), 4 * limit);
        const prev = s.errors[m]!;
        // A new model starts with a handicap: it has to earn its place.
        s.errors[m] = prev >= 0 ? prev + o.errorAlpha * (e - prev) : e * 1.5;
      }
    }
    // Learn: clipped residual of the level model; warm-up learns fast so the first scores are calibrated.
    const levelResidual = clip(value - forecasts[0]);
    const alpha = Math.max(o.alpha, 1 / (s.n + 1));
    s.level = s.level + s.trend + alpha * levelResidual;
    s.trend = s.trend + o.beta * alpha * levelResidual;
    const maxTrend = 0.2 * scale;
    if (s.trend > maxTrend) s.trend = maxTrend;
    else if (s.trend < -maxTrend) s.trend = -maxTrend;
    const scaleAlpha = Math.max(o.scaleAlpha, 1 / s.n);
    s.scale = s.scale + scaleAlpha * (Math.abs(clip(residual)) - s.scale);
    this.learnSeason(value, timeMs, limit);
    s.n++;
    return { kind: best === 0 ? 'level' : best === 1 ? 'daily' : 'weekly', expected, residual, scale, z };
  }

  private slots(timeMs: number): [number, number] | undefined {
    if (!Number.isFinite(timeMs)) return undefined;
    const perDay = this.o.slotsPerDay;
    const dayMs = ((timeMs % DAY_MS) + DAY_MS) % DAY_MS;
    const daily = Math.floor((dayMs / DAY_MS) * perDay);
    // 1970-01-01 was a Thursday; the weekly slot only needs to be consistent.
    const day = Math.floor(timeMs / DAY_MS) % 7;
    return [daily, ((day + 7) % 7) * perDay + daily];
  }

  private learnSeason(value: number, timeMs: number, limit: number): void {
    const slots = this.slots(timeMs);
    if (!slots) return;
    const s = this.s;
    const a = this.o.seasonAlpha;
    const profiles = [s.daily, s.weekly] as const;
    for (let p = 0; p < 2; p++) {
      const profile = profiles[p]!;
      const slot = slots[p]!;
      const current = profile[slot];
      if (current === null || current === undefined) {
        profile[slot] = value - s.offsets[p]!;
        continue;
      }
      // The offset follows slow drifts of the whole profile; the slot learns its shape.
      const dev = value - (current + s.offsets[p]!);
      const step = limit > 0 ? Math.max(-4 * limit, Math.min(4 * limit, dev)) : dev;
      profile[slot] = current + a * step;
      s.offsets[p] = s.offsets[p]! + 0.05 * (limit > 0 ? Math.max(-limit, Math.min(limit, dev)) : dev);
    }
  }
}
