// The streaming anomaly detector: one instance per series, one point at a time, O(1) time and bounded memory per
// point, state that round-trips through JSON. Each point is looked at these ways:
//   * a robust forecast baseline (level + trend, or a learned daily / weekly profile when that forecasts better):
//     how far the value is from what was expected, in units of the series' own recent deviation;
//   * context novelty: how unexpected the value is after the few values before it (shape and rhythm);
//   * a new extreme: a value beyond everything seen so far, by a margin of the range, or a deviation from the
//     baseline far larger than any before it (a record), which the averaged likelihood would only see late;
//   * a long average of the forecast and context surprises (sustainedAlpha), for shifts of level, noise or rhythm
//     too small to stand out over 10 points but lasting for a hundred;
//   * optionally (pointZScale > 0) the point's own deviation as a Gaussian tail, not averaged, so a step is named on
//     its first point; calibrated against the series' own history unless pointCalibrationPrior is 0 (the simulator,
//     whose incidents recur and must each be named).
// The forecast and context surprises (and their long average) each go through an anomaly likelihood
// (anomalyLikelihood.ts): the evidence is how improbable the recent surprise is under that series' own history, in
// decades (-log10 of a tail probability), so the same score means about the same false-alarm rate on a quiet series
// and on a noisy one. The strongest of the channels is the point's evidence, mapped to [0,1): 0.5 ↔ 1e-5 (see evidenceScore). Per point the work is O(1) and
// allocates nothing but the returned reading (typed arrays throughout; bench/anomaly.ts prints the cost).
//
// Episodes: once a point reaches `alertLevel`, the following points of the same episode (at least `quietPoints`,
// and as long as the evidence stays above `releaseLevel`) report a score of 0 while `likelihood` keeps the unmuted
// value. An incident is one alert, not a burst of them; NAB rewards exactly that (only the first detection in a window
// counts; every later flag outside it costs), and so does a person reading findings. A much stronger point later in
// the episode (breakMargin, breakAfter) is reported as a second anomaly.
//
// Measured on NAB's development half with NAB's own scorer (bench/anomaly.ts, README "Anomaly detection").
import {
  AnomalyLikelihood,
  LongAverageLikelihood,
  evidenceScore,
  normalTailLog10,
  type LikelihoodOptions,
  type LikelihoodState,
  type LongAverageState,
} from './anomalyLikelihood.js';
import { EvidenceCalibration, type CalibrationState } from './evidenceCalibration.js';
import { ContextNovelty, type ContextOptions, type ContextState } from './contextNovelty.js';
import { RobustBaseline, type BaselineKind, type BaselineOptions, type BaselineState } from './robustBaseline.js';

export interface AnomalyDetectorOptions {
  baseline: Partial<BaselineOptions>;
  context: Partial<ContextOptions>;
  likelihood: Partial<LikelihoodOptions>;
  /** z (deviation from the baseline in scale units) at which the forecast surprise is 0.5. */
  zHalf: number;
  /** Margin beyond the range seen so far, as a fraction of that range, that makes a value a new extreme. */
  extremeMargin: number;
  /** Deviation from the baseline (z) a new extreme must also have. */
  extremeMinZ: number;
  /** Points before a new extreme can count (the range is still being learned). */
  warmup: number;
  /** Likelihood score that opens an episode. */
  alertLevel: number;
  /** Minimum points an episode mutes after its first point; it lasts while the likelihood ≥ releaseLevel. */
  quietPoints: number;
  releaseLevel: number;
  /** Within an episode, a point this much above the episode's peak likelihood is reported as a new anomaly. */
  breakMargin: number;
  /** Points after an episode's start before a stronger point counts as a new anomaly (see alertScore()). */
  breakAfter: number;
  /** Strength, in points, of the assumption that the likelihood is calibrated (see evidenceCalibration.ts); 0 = off. */
  calibrationPrior: number;
  /** A deviation this many times larger than the largest seen so far is a record (a sharp break inside the range). */
  recordZ: number;
  /**
   * Point channel: the evidence of one point's own deviation, -log10 P(Z > z·pointZScale) (z in units of the
   * baseline's mean absolute deviation, ≈ 0.8 σ for Gaussian noise), with no averaging, so a step or spike is
   * reported on its first point. 0 = off.
   */
  pointZScale: number;
  /** Points before the point channel counts (the scale is still being learned). */
  pointWarmup: number;
  /**
   * Strength, in points, of the assumption that the point channel's Gaussian tail is right; the series' own
   * frequency of such deviations discounts it (evidenceCalibration.ts). 0 = the raw tail: every recurrence of a
   * deviation counts again, which is right when the deviations are incidents and wrong on heavy-tailed noise.
   */
  pointCalibrationPrior: number;
  /**
   * Long averaging window of the surprise (HTM's likelihood has a short one; this is the long one), as the weight of
   * each new point in an exponential average (1/points), judged by its own anomaly likelihood; 0 = off.
   */
  sustainedAlpha: number;
}

export const DEFAULT_ANOMALY_DETECTOR_OPTIONS: AnomalyDetectorOptions = {
  baseline: {},
  context: {},
  likelihood: {},
  zHalf: 4,
  extremeMargin: 0.05,
  extremeMinZ: 3,
  warmup: 150,
  alertLevel: 0.4,
  quietPoints: 100,
  releaseLevel: 0.1,
  breakMargin: 0.1,
  // = the likelihood's short window: that long one cause keeps raising the averaged likelihood.
  breakAfter: 10,
  calibrationPrior: 30000,
  recordZ: 1.5,
  pointZScale: 0,
  pointWarmup: 30,
  pointCalibrationPrior: 300,
  // ~100 points: ten times the short window, still short next to the 2000-point history it is judged against.
  sustainedAlpha: 0.01,
};

/** Likelihood score at or above which a point is anomalous: a tail probability of 1e-5. */
export const ANOMALY_SCORE_THRESHOLD = 0.5;

export interface AnomalyReadingDetail {
  /** Alert score, [0,1): the likelihood on the first point of an episode, 0 on the rest of it. */
  score: number;
  /** Anomaly likelihood, [0,1), not muted within episodes. */
  likelihood: number;
  /** likelihood ≥ ANOMALY_SCORE_THRESHOLD. */
  anomalous: boolean;
  /** First point of an episode. */
  episodeStart: boolean;
  /** What drove the evidence: the forecast baseline, the recent context, or a value beyond the range seen. */
  driver: 'baseline' | 'context' | 'extreme';
  /** Which baseline the value was compared with, what it expected, and by how much the value missed it. */
  baseline: { kind: BaselineKind; expected: number; deviation: number; scale: number; z: number };
  /** Surprise of the value after its recent context, [0,1]. */
  contextSurprise: number;
  /** The value is beyond the range seen so far. */
  newExtreme: 'above' | 'below' | null;
  /** Evidence in decades: the tail probability is 10^-evidence. */
  evidence: number;
}

export interface AnomalyDetectorState {
  version: 1;
  n: number;
  quietUntil: number;
  episodePeak: number;
  /** Absent in states written before breakAfter existed. */
  episodeOpenedAt?: number;
  maxZ: number;
  baseline: BaselineState;
  context: ContextState;
  forecastLikelihood: LikelihoodState;
  contextLikelihood: LikelihoodState;
  calibration: CalibrationState;
  /** Absent in states written before the point channel existed. */
  pointCalibration?: CalibrationState;
  /** Absent in states written before the long averaging window existed. */
  sustained?: { forecast: LongAverageState; context: LongAverageState };
}

export class AnomalyDetector {
  private readonly o: AnomalyDetectorOptions;
  private readonly baseline: RobustBaseline;
  private readonly context: ContextNovelty;
  private readonly forecastLikelihood: AnomalyLikelihood;
  private readonly contextLikelihood: AnomalyLikelihood;
  private readonly calibration: EvidenceCalibration;
  private readonly pointCalibration: EvidenceCalibration;
  private readonly sustainedForecast: LongAverageLikelihood;
  private readonly sustainedContext: LongAverageLikelihood;
  private n = 0;
  private quietUntil = -1;
  private episodePeak = 0;
  private episodeOpenedAt = -1;
  private maxZ = 0;

  constructor(options: Partial<AnomalyDetectorOptions> = {}, state?: AnomalyDetectorState) {
    this.o = { ...DEFAULT_ANOMALY_DETECTOR_OPTIONS, ...options };
    this.baseline = new RobustBaseline(this.o.baseline, state?.baseline);
    this.context = new ContextNovelty(this.o.context, state?.context);
    this.forecastLikelihood = new AnomalyLikelihood(this.o.likelihood, state?.forecastLikelihood);
    this.contextLikelihood = new AnomalyLikelihood(this.o.likelihood, state?.contextLikelihood);
    this.calibration = new EvidenceCalibration(this.o.calibrationPrior, state?.calibration);
    this.pointCalibration = new EvidenceCalibration(this.o.pointCalibrationPrior, state?.pointCalibration);
    const a = this.o.sustainedAlpha;
    this.sustainedForecast = new LongAverageLikelihood(a, this.o.likelihood, state?.sustained?.forecast);
    this.sustainedContext = new LongAverageLikelihood(a, this.o.likelihood, state?.sustained?.context);
    if (state) {
      this.n = state.n;
      this.quietUntil = state.quietUntil;
      this.episodePeak = state.episodePeak;
      this.episodeOpenedAt = state.episodeOpenedAt ?? -1;
      this.maxZ = state.maxZ;
    }
  }

  /** Points seen. */
  get count(): number {
    return this.n;
  }

  /** Everything needed to resume; plain JSON. */
  toJSON(): AnomalyDetectorState {
    return {
      version: 1,
      n: this.n,
      quietUntil: this.quietUntil,
      episodePeak: this.episodePeak,
      episodeOpenedAt: this.episodeOpenedAt,
      maxZ: this.maxZ,
      baseline: this.baseline.state,
      context: this.context.state,
      forecastLikelihood: this.forecastLikelihood.state,
      contextLikelihood: this.contextLikelihood.state,
      calibration: this.calibration.state,
      pointCalibration: this.pointCalibration.state,
      sustained: { forecast: this.sustainedForecast.state, context: this.sustainedContext.state },
    };
  }

  /** Resumes from `toJSON()` output (e.g. after JSON.parse); the options are not part of the state. */
  static fromJSON(state: AnomalyDetectorState, options: Partial<AnomalyDetectorOptions> = {}): AnomalyDetector {
    if (!state || state.version !== 1) throw new TypeError('not an anomaly detector state (version 1)');
    return new AnomalyDetector(options, state);
  }

  /**
   * The alert score of a point with this likelihood: one report per episode. An episode opens when the likelihood
   * reaches alertLevel and reports it on that point. The rest of the episode (at least quietPoints, and while the likelihood stays ≥ releaseLevel) reports 0, unless a
   * point beats the episode's peak by breakMargin at least breakAfter points after it opened: a second anomaly.
   */
  private alertScore(likelihood: number): number {
    const o = this.o;
    if (this.n <= this.quietUntil) {
      if (this.n === this.quietUntil && likelihood >= o.releaseLevel) this.quietUntil++;
      // The averaged likelihood keeps rising for a while after one cause; only a later, much stronger point is a
      // second anomaly rather than more of the first. But an episode that opened below ANOMALY_SCORE_THRESHOLD is
      // reported again when it reaches it: at the threshold findings use, it has not been reported yet.
      const crosses = this.episodePeak < ANOMALY_SCORE_THRESHOLD && likelihood >= ANOMALY_SCORE_THRESHOLD;
      const stronger = likelihood >= this.episodePeak + o.breakMargin && this.n - this.episodeOpenedAt >= o.breakAfter;
      if (crosses || stronger) {
        this.open(likelihood);
        return likelihood;
      }
      return 0;
    }
    if (likelihood < o.alertLevel) return likelihood;
    this.open(likelihood);
    return likelihood;
  }

  private open(peak: number): void {
    this.episodePeak = peak;
    this.episodeOpenedAt = this.n;
    this.quietUntil = this.n + this.o.quietPoints;
  }

  /**
   * Scores `value` (observed at `timeMs`, when known: it places the point in the daily and weekly profiles) against
   * everything before it, then learns it. Gaps and irregular intervals need nothing special: the profiles are keyed
   * by time of day and week, the level by order.
   */
  update(value: number, timeMs: number = Number.NaN): AnomalyReadingDetail {
    const o = this.o;
    const min = this.context.min;
    const max = this.context.max;
    const b = this.baseline.update(value, timeMs);
    const contextSurprise = this.context.update(value);
    const surprise = b.z / (b.z + o.zHalf);
    const forecastEvidence = this.forecastLikelihood.updateDecades(surprise);
    const contextEvidence = this.contextLikelihood.updateDecades(contextSurprise);
    let evidence = Math.max(forecastEvidence, contextEvidence);
    let driver: AnomalyReadingDetail['driver'] = forecastEvidence >= contextEvidence ? 'baseline' : 'context';
    if (o.sustainedAlpha > 0) {
      // The long window: a shift of level, noise or rhythm too small for the 10-point average to stand out, but
      // lasting for dozens of points (a noisier machine, a slower road, a changed daily shape), is improbable as a
      // long average; and an episode lasts while it is, so the tail of one anomaly is not reported as another.
      // Each surprise has its own long average and likelihood; the stronger evidence counts (their raw scales
      // differ: context surprise sits near 1 on plain noise).
      const forecastLong = this.sustainedForecast.updateDecades(surprise, this.n);
      const contextLong = this.sustainedContext.updateDecades(contextSurprise, this.n);
      if (Math.max(forecastLong, contextLong) > evidence) {
        evidence = Math.max(forecastLong, contextLong);
        driver = forecastLong >= contextLong ? 'baseline' : 'context';
      }
    }
    let newExtreme: AnomalyReadingDetail['newExtreme'] = null;
    if (this.n >= o.warmup && max > min) {
      const margin = o.extremeMargin * (max - min);
      if (value > max + margin) newExtreme = 'above';
      else if (value < min - margin) newExtreme = 'below';
      // A trending series sets new records all the time: a record counts only if it also breaks the baseline, and
      // every learned baseline (a daily profile may expect what the level did not).
      if (newExtreme && b.zMin < o.extremeMinZ) newExtreme = null;
      if (newExtreme) {
        // Beyond the range by the margin is worth 1e-5; every further margin one more decade.
        const excess = newExtreme === 'above' ? value - max : min - value;
        const extremeEvidence = 4 + excess / margin;
        if (extremeEvidence > evidence) {
          evidence = extremeEvidence;
          driver = 'extreme';
        }
      }
    }
    if (o.calibrationPrior > 0) evidence = this.calibration.update(evidence);
    if (o.pointZScale > 0 && this.n >= o.pointWarmup) {
      const raw = normalTailLog10(b.z * o.pointZScale);
      const pointEvidence = o.pointCalibrationPrior > 0 ? this.pointCalibration.update(raw) : raw;
      if (pointEvidence > evidence) {
        evidence = pointEvidence;
        driver = 'baseline';
      }
    }
    if (o.recordZ > 0) {
      // A deviation from the baseline larger than any before it, inside the range or not.
      // Measured against the closest learned baseline: a value a learned profile expects is no record.
      if (this.n >= o.warmup && this.maxZ > 0 && b.zMin > o.recordZ * this.maxZ && b.zMin >= o.extremeMinZ) {
        const recordEvidence = 4 + (b.zMin / this.maxZ - o.recordZ) * 10;
        if (recordEvidence > evidence) {
          evidence = recordEvidence;
          driver = 'baseline';
        }
      }
      if (b.z > this.maxZ) this.maxZ = b.z;
    }
    const likelihood = evidenceScore(evidence);
    const score = this.alertScore(likelihood);
    const episodeStart = score > 0 && this.episodeOpenedAt === this.n;
    this.n++;
    return {
      score,
      likelihood,
      anomalous: likelihood >= ANOMALY_SCORE_THRESHOLD,
      episodeStart,
      driver,
      baseline: { kind: b.kind, expected: b.expected, deviation: b.residual, scale: b.scale, z: b.z },
      contextSurprise,
      newExtreme,
      evidence,
    };
  }
}
