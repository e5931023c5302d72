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
  /**
   * Deviation (z) from the closest of the forecasts that have been learned, whichever is in use: what the most
   * lenient baseline makes of the value. A value some learned profile expects (the daily shape resuming after a
   * flat stretch during which the level won) is not a record.
   */
  zMin: number;
}

const DAY_MS = 86_400_000;

const KINDS: readonly BaselineKind[] = ['level', 'daily', 'weekly'];

/** Profile slots in a Float64Array, NaN where never seen; the state keeps null there (JSON has no NaN). */
const toProfile = (p: ReadonlyArray<number | null>) => Float64Array.from(p, (x) => (x === null ? Number.NaN : x));
const fromProfile = (p: Float64Array) => Array.from(p, (x) => (Number.isNaN(x) ? null : x));

export class RobustBaseline {
  private readonly o: BaselineOptions;
  private n = 0;
  private level = 0;
  private trend = 0;
  private scale = 0;
  private readonly daily: Float64Array;
  private readonly weekly: Float64Array;
  /** Smoothed absolute error of each model (level, daily, weekly); -1 until the model has forecast. */
  private readonly errors = new Float64Array([0, -1, -1]);
  private readonly offsets = new Float64Array(2);
  private model = 0;
  /** Slots of the current point (daily, weekly), -1 without a timestamp. */
  private dailySlot = -1;
  private weeklySlot = -1;

  constructor(options: Partial<BaselineOptions> = {}, state?: BaselineState) {
    this.o = { ...DEFAULT_BASELINE_OPTIONS, ...options };
    this.daily = new Float64Array(this.o.slotsPerDay).fill(Number.NaN);
    this.weekly = new Float64Array(this.o.slotsPerDay * 7).fill(Number.NaN);
    if (state) {
      this.n = state.n;
      this.level = state.level;
      this.trend = state.trend;
      this.scale = state.scale;
      this.daily.set(toProfile(state.daily).subarray(0, this.daily.length));
      this.weekly.set(toProfile(state.weekly).subarray(0, this.weekly.length));
      this.errors.set(state.errors);
      this.offsets.set(state.offsets);
      this.model = state.model;
    }
  }

  get state(): BaselineState {
    return {
      n: this.n,
      level: this.level,
      trend: this.trend,
      scale: this.scale,
      daily: fromProfile(this.daily),
      weekly: fromProfile(this.weekly),
      errors: [this.errors[0]!, this.errors[1]!, this.errors[2]!],
      offsets: [this.offsets[0]!, this.offsets[1]!],
      model: this.model,
    };
  }

  /** Compares `value` at `timeMs` (NaN when unknown: no seasonal profile) with the forecast, then learns it. */
  update(value: number, timeMs: number): BaselineReading {
    const o = this.o;
    this.locate(timeMs);
    if (this.n === 0) {
      this.level = value;
      this.scale = Math.max(Math.abs(value) * o.relativeFloor, o.absoluteFloor);
      this.n = 1;
      this.learnSeason(value, 0);
      return { kind: 'level', expected: value, residual: 0, scale: this.scale, z: 0, zMin: 0 };
    }
    const floor = Math.abs(this.level) * o.relativeFloor + o.absoluteFloor;
    const scale = Math.max(this.scale, floor);
    const f0 = this.level + this.trend;
    let f1 = Number.NaN;
    let f2 = Number.NaN;
    if (this.dailySlot >= 0) {
      f1 = this.daily[this.dailySlot]! + this.offsets[0]!;
      f2 = this.weekly[this.weeklySlot]! + this.offsets[1]!;
    }
    // The model with the smallest recent error wins; a seasonal model must beat the level by a margin to be used.
    // Hysteresis: the model in use stays until another is clearly better, so one broken day does not make the
    // detector drop the profile that the day broke.
    const e = this.errors;
    let best = 0;
    if (!Number.isNaN(f1) && e[1]! >= 0 && e[1]! < 0.8 * e[0]!) best = 1;
    if (!Number.isNaN(f2) && e[2]! >= 0 && e[2]! < 0.8 * e[best]!) best = 2;
    this.model = best;
    const expected = best === 0 ? f0 : best === 1 ? f1 : f2;
    const residual = value - expected;
    const z = Math.abs(residual) / scale;
    let closest = Math.abs(value - f0);
    if (!Number.isNaN(f1) && e[1]! >= 0) closest = Math.min(closest, Math.abs(value - f1));
    if (!Number.isNaN(f2) && e[2]! >= 0) closest = Math.min(closest, Math.abs(value - f2));
    const limit = o.clip * scale;
    this.learnError(0, value, f0, limit);
    this.learnError(1, value, f1, limit);
    this.learnError(2, value, f2, limit);
    // Learn: clipped residual of the level model; warm-up learns fast so the first scores are calibrated.
    const levelResidual = clamp(value - f0, limit);
    const alpha = Math.max(o.alpha, 1 / (this.n + 1));
    this.level = this.level + this.trend + alpha * levelResidual;
    this.trend = clamp(this.trend + o.beta * alpha * levelResidual, 0.2 * scale);
    const scaleAlpha = Math.max(o.scaleAlpha, 1 / this.n);
    this.scale = this.scale + scaleAlpha * (Math.abs(clamp(residual, limit)) - this.scale);
    this.learnSeason(value, limit);
    this.n++;
    return { kind: KINDS[best]!, expected, residual, scale, z, zMin: closest / scale };
  }

  private learnError(m: number, value: number, forecast: number, limit: number): void {
    if (Number.isNaN(forecast)) return;
    const err = Math.min(Math.abs(value - forecast), 4 * limit);
    const prev = this.errors[m]!;
    // A new model starts with a handicap: it has to earn its place.
    this.errors[m] = prev >= 0 ? prev + this.o.errorAlpha * (err - prev) : err * 1.5;
  }

  private locate(timeMs: number): void {
    if (!Number.isFinite(timeMs)) {
      this.dailySlot = this.weeklySlot = -1;
      return;
    }
    const perDay = this.o.slotsPerDay;
    const dayMs = ((timeMs % DAY_MS) + DAY_MS) % DAY_MS;
    const daily = Math.floor((dayMs / DAY_MS) * perDay);
    // 1970-01-01 was a Thursday; the weekly slot only needs to be consistent.
    const day = Math.floor(timeMs / DAY_MS) % 7;
    this.dailySlot = daily;
    this.weeklySlot = ((day + 7) % 7) * perDay + daily;
  }

  private learnSeason(value: number, limit: number): void {
    if (this.dailySlot < 0) return;
    this.learnSlot(this.daily, this.dailySlot, 0, value, limit);
    this.learnSlot(this.weekly, this.weeklySlot, 1, value, limit);
  }

  private learnSlot(profile: Float64Array, slot: number, p: number, value: number, limit: number): void {
    const current = profile[slot]!;
    const offset = this.offsets[p]!;
    if (Number.isNaN(current)) {
      profile[slot] = value - offset;
      return;
    }
    // The offset follows slow drifts of the whole profile; the slot learns its shape.
    const dev = value - (current + offset);
    profile[slot] = current + this.o.seasonAlpha * (limit > 0 ? clamp(dev, 4 * limit) : dev);
    this.offsets[p] = offset + 0.05 * (limit > 0 ? clamp(dev, limit) : dev);
  }
}

function clamp(x: number, limit: number): number {
  return x > limit ? limit : x < -limit ? -limit : x;
}
