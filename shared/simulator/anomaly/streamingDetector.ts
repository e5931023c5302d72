// A streaming anomaly detector for one metric series: O(1) time and memory per point (plus an optional seasonal
// profile of `seasonPeriod` slots).
//
// Forecast = level + trend (+ seasonal offset of the slot). The daily cycle of a 1-minute series is slow, so a local
// level and trend follow it without a seasonal term; a seasonal profile (Holt-Winters style) is for series with sharp
// periodic shapes and needs a couple of periods to learn. Robustness comes from three habits:
//   * the scale is an exponentially weighted mean absolute deviation of *clipped* residuals, so one outlier cannot
//     inflate it; a floor relative to the level keeps constant series (pod counts) from having zero scale;
//   * updates use residuals clipped to ±clip·scale (Huber), so a spike barely moves the baseline;
//   * while a point is anomalous the baseline adapts much more slowly, so an incident stays visible for its
//     duration and the return to normal is not itself an anomaly.
// The score maps the standardised residual z through a logistic curve: 0.5 at `zThreshold`, ~1 well above.

export interface DetectorOptions {
  /** Level smoothing (0..1). */
  alpha?: number;
  /** Trend smoothing relative to alpha (0..1). */
  beta?: number;
  /** Scale (mean absolute deviation) smoothing (0..1). */
  scaleAlpha?: number;
  /** Residuals are clipped to ±clip·scale when updating. */
  clip?: number;
  /** Standardised residual at which the score is 0.5. */
  zThreshold?: number;
  /** Width of the logistic ramp in z units. */
  zWidth?: number;
  /** Points learned before any score above 0 is given. */
  warmup?: number;
  /** Scale floor relative to |level| and absolute. */
  relativeFloor?: number;
  absoluteFloor?: number;
  /** Seasonal period in points (e.g. 1440 for a daily cycle of 1-minute points); 0 disables. */
  seasonPeriod?: number;
  seasonAlpha?: number;
  /** Factor applied to alpha while the current point is anomalous. */
  anomalyDamping?: number;
}

export const DEFAULT_DETECTOR_OPTIONS: Required<DetectorOptions> = {
  alpha: 0.25,
  beta: 0.05,
  scaleAlpha: 0.05,
  clip: 2.5,
  zThreshold: 7,
  zWidth: 0.8,
  warmup: 15,
  relativeFloor: 0.005,
  absoluteFloor: 1e-6,
  seasonPeriod: 0,
  seasonAlpha: 0.3,
  anomalyDamping: 0.1,
};

/** Score at or above which a point counts as anomalous. */
export const ANOMALY_THRESHOLD = 0.5;

export class StreamingDetector {
  private readonly o: Required<DetectorOptions>;
  private level = 0;
  private trend = 0;
  private scale = 0;
  private n = 0;
  private z = 0;
  private readonly season: Float64Array | undefined;
  private readonly seasonSeen: Uint16Array | undefined;

  constructor(options: DetectorOptions = {}) {
    this.o = { ...DEFAULT_DETECTOR_OPTIONS, ...options };
    if (this.o.seasonPeriod > 1) {
      this.season = new Float64Array(this.o.seasonPeriod);
      this.seasonSeen = new Uint16Array(this.o.seasonPeriod);
    }
  }

  /** Standardised residual of the last point: ranks series whose scores both saturate at 1. */
  get lastZ(): number {
    return this.z;
  }

  /** Number of points seen. */
  get count(): number {
    return this.n;
  }

  /** Scores `value` against the history so far, then learns from it. Non-finite values score 0 and are skipped. */
  update(value: number): number {
    if (!Number.isFinite(value)) return 0;
    const o = this.o;
    const slot = this.season ? this.n % o.seasonPeriod : 0;
    if (this.n === 0) {
      this.level = value;
      this.trend = 0;
      this.scale = Math.max(Math.abs(value) * o.relativeFloor, o.absoluteFloor);
      this.n = 1;
      return 0;
    }
    const seasonal = this.season && this.seasonSeen && this.seasonSeen[slot]! > 0 ? this.season[slot]! : 0;
    const forecast = this.level + this.trend + seasonal;
    const residual = value - forecast;
    const floor = Math.abs(this.level) * o.relativeFloor + o.absoluteFloor;
    const scale = Math.max(this.scale, floor);
    const z = Math.abs(residual) / scale;
    this.z = this.n >= o.warmup ? z : 0;
    let score = 0;
    if (this.n >= o.warmup) score = 1 / (1 + Math.exp(-(z - o.zThreshold) / o.zWidth));

    // Learn, robustly: clipped residual, damped while anomalous.
    const limit = o.clip * scale;
    const clipped = residual > limit ? limit : residual < -limit ? -limit : residual;
    const anomalous = score >= ANOMALY_THRESHOLD;
    // During warm-up the scale estimate is still forming: learn fast so the first scores are calibrated.
    const alpha =
      this.n < o.warmup ? Math.max(o.alpha, 1 / (this.n + 1)) : anomalous ? o.alpha * o.anomalyDamping : o.alpha;
    const previousLevel = this.level;
    this.level = this.level + this.trend + alpha * clipped;
    this.trend = this.trend + o.beta * alpha * clipped;
    // The trend is a local slope; keep it from running away after a level shift.
    const maxTrend = 0.5 * scale;
    if (this.trend > maxTrend) this.trend = maxTrend;
    else if (this.trend < -maxTrend) this.trend = -maxTrend;
    const scaleAlpha =
      this.n < o.warmup
        ? Math.max(o.scaleAlpha, 1 / this.n)
        : anomalous
          ? o.scaleAlpha * o.anomalyDamping
          : o.scaleAlpha;
    this.scale = this.scale + scaleAlpha * (Math.abs(clipped) - this.scale);
    if (this.season && this.seasonSeen) {
      // The seasonal offset learns what the level could not explain at this slot.
      const target = value - previousLevel - this.trend;
      const seen = this.seasonSeen[slot]!;
      // Not damped while anomalous: a shape that recurs every period is exactly what must stop being anomalous.
      // The first sighting of a slot is taken as is; later ones move it by a bounded step.
      const delta = target - this.season[slot]!;
      this.season[slot] =
        seen === 0 ? target : this.season[slot]! + o.seasonAlpha * Math.max(-limit * 4, Math.min(limit * 4, delta));
      if (seen < 65535) this.seasonSeen[slot] = seen + 1;
    }
    this.n++;
    return score;
  }
}

/** Scores a whole series (convenience for the CLI and tests). */
export function scoreSeries(values: readonly number[], options?: DetectorOptions): number[] {
  const d = new StreamingDetector(options);
  return values.map((v) => d.update(v));
}
