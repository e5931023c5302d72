// Anomaly likelihood: turns a raw surprise score (any scale, per point) into the probability that the recent raw
// scores are unusual *for this series*. Numenta's HTM detector does this post-processing (nupic
// `algorithms/anomaly_likelihood.py`, used by NAB's `numenta` detector): a short moving average of the raw score is
// compared with a Gaussian fitted to its own history, and the tail probability is reported on a log scale. Because
// every series is judged against its own distribution, one threshold means about the same false-alarm rate on a quiet
// series and on a noisy one, which a raw distance cannot give.
//
// Unlike nupic we fit the Gaussian with exponentially weighted moments (O(1) state, which serialises), not a window
// of the last 8640 scores.

export interface LikelihoodOptions {
  /** Points of raw score averaged before comparing with the history (nupic: 10). */
  shortWindow: number;
  /** Effective memory of the fitted mean and variance, in points. */
  historyPoints: number;
  /** Points before the fit is trusted: the likelihood is 0.5 (no information) until then. */
  learningPoints: number;
  /** Floor of the fitted standard deviation, so a series whose raw score never moves is not infinitely sensitive. */
  minStd: number;
}

export const DEFAULT_LIKELIHOOD_OPTIONS: LikelihoodOptions = {
  shortWindow: 10,
  historyPoints: 2000,
  learningPoints: 150,
  minStd: 0.02,
};

export interface LikelihoodState {
  n: number;
  mean: number;
  variance: number;
  recent: number[];
}

/** Upper tail probability of the standard normal, P(Z > z) (Abramowitz & Stegun 7.1.26 via erfc). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** -log10 P(Z > z) for the standard normal, accurate far into the tail (asymptotic expansion beyond z = 5). */
export function normalTailLog10(z: number): number {
  if (z < 5) return -Math.log10(Math.max(normalTail(z), 1e-300));
  return (z * z) / 2 / Math.LN10 + Math.log10(z * Math.sqrt(2 * Math.PI)) - Math.log10(1 - 1 / (z * z));
}

/** Evidence in decades of improbability (-log10 of a tail probability) mapped to [0,1): 1e-5 → 0.5, 1e-10 → 2/3,
 *  1e-20 → 0.8. It never saturates, so the most improbable points still rank above merely improbable ones. */
export function evidenceScore(decades: number): number {
  return decades <= 0 ? 0 : decades / (decades + 5);
}

export class AnomalyLikelihood {
  private readonly o: LikelihoodOptions;
  private n = 0;
  private mean = 0;
  private variance = 0;
  /** Ring buffer of the last shortWindow raw scores; `filled` of them are valid, the next goes at `head`. */
  private readonly recent: Float64Array;
  private head = 0;
  private filled = 0;

  constructor(options: Partial<LikelihoodOptions> = {}, state?: LikelihoodState) {
    this.o = { ...DEFAULT_LIKELIHOOD_OPTIONS, ...options };
    this.recent = new Float64Array(this.o.shortWindow);
    if (state) {
      this.n = state.n;
      this.mean = state.mean;
      this.variance = state.variance;
      for (const x of state.recent.slice(-this.o.shortWindow)) this.push(x);
    }
  }

  get state(): LikelihoodState {
    const recent: number[] = [];
    const w = this.o.shortWindow;
    for (let i = this.filled; i > 0; i--) recent.push(this.recent[(this.head - i + w) % w]!);
    return { n: this.n, mean: this.mean, variance: this.variance, recent };
  }

  private push(x: number): void {
    this.recent[this.head] = x;
    this.head = (this.head + 1) % this.o.shortWindow;
    if (this.filled < this.o.shortWindow) this.filled++;
  }

  /** -log10 of the tail probability of the current short average under the history fitted so far (0 = nothing unusual). */
  update(raw: number): { decades: number; average: number; mean: number; std: number } {
    const mean = this.mean;
    const std = Math.max(Math.sqrt(this.variance), this.o.minStd);
    const decades = this.updateDecades(raw);
    return { decades, average: this.lastAverage, mean, std };
  }

  private lastAverage = 0;

  /** `update(raw).decades` without allocating (the detector's per-point path). */
  updateDecades(raw: number): number {
    const o = this.o;
    this.push(raw);
    // Summed afresh, oldest first (a short window): a running sum would drift by rounding and break the exact resume.
    let sum = 0;
    const w = o.shortWindow;
    for (let i = this.filled; i > 0; i--) sum += this.recent[(this.head - i + w) % w]!;
    const average = sum / this.filled;
    this.lastAverage = average;
    const std = Math.max(Math.sqrt(this.variance), o.minStd);
    const decades =
      this.n < o.learningPoints || average <= this.mean ? 0 : normalTailLog10((average - this.mean) / std);
    // Learn after scoring. The first points are averaged plainly, then exponentially.
    const a = Math.max(1 / (this.n + 1), 1 / o.historyPoints);
    const d = average - this.mean;
    this.mean += a * d;
    this.variance = (1 - a) * (this.variance + a * d * d);
    this.n++;
    return decades;
  }
}

export interface LongAverageState {
  average: number;
  likelihood: LikelihoodState;
}

/**
 * The long averaging window next to HTM's short one: an exponential average of the raw score (weight `alpha` per
 * point, the plain mean while fewer than 1/alpha points have been seen), judged by its own anomaly likelihood (the
 * average is the likelihood's whole "short window"). A shift too small to stand out over 10 points but lasting for
 * ~1/alpha points is improbable as a long average. O(1) state.
 */
export class LongAverageLikelihood {
  private average = 0;
  private readonly likelihood: AnomalyLikelihood;

  constructor(
    private readonly alpha: number,
    options: Partial<LikelihoodOptions> = {},
    state?: LongAverageState,
  ) {
    this.likelihood = new AnomalyLikelihood({ ...options, shortWindow: 1 }, state?.likelihood);
    this.average = state?.average ?? 0;
  }

  get state(): LongAverageState {
    return { average: this.average, likelihood: this.likelihood.state };
  }

  /** Decades of evidence (-log10 tail probability) of the long average after learning `raw`, the n-th point. */
  updateDecades(raw: number, n: number): number {
    this.average += Math.max(this.alpha, 1 / (n + 1)) * (raw - this.average);
    return this.likelihood.updateDecades(this.average);
  }
}
