// Calibrates evidence against how often this series has actually produced it. The likelihood assumes the averaged
// surprise is Gaussian; on heavy-tailed series (tweet volumes, bursty request counts) evidence of "1e-5" then turns
// up far more often than once in 100 000 points. So each series counts how many of its points reached each level of
// evidence, and a point's evidence is capped by the empirical rarity of that level:
//     calibrated(E) = min(E, -log10((count(≥E) + prior·10^-E) / (n + prior)))
// With no history (or a series as well-behaved as assumed) the prior keeps the nominal value; a series that keeps
// producing strong evidence has it discounted. That is what makes one threshold mean the same false-alarm rate on
// any series. State: one counter per integer level.

export interface CalibrationState {
  n: number;
  counts: number[];
  last: number;
}

const LEVELS = 20;

export class EvidenceCalibration {
  private n = 0;
  private counts: number[];
  private last = 0;

  constructor(
    private readonly prior: number,
    state?: CalibrationState,
  ) {
    this.counts = state ? [...state.counts] : Array<number>(LEVELS).fill(0);
    this.n = state?.n ?? 0;
    this.last = state?.last ?? 0;
  }

  get state(): CalibrationState {
    return { n: this.n, counts: [...this.counts], last: this.last };
  }

  /** Calibrated evidence for `evidence` (decades), then counts it. */
  update(evidence: number): number {
    let calibrated = evidence;
    if (evidence > 0) {
      // Points that reached the integer level just below E: a conservative count of "at least as strong".
      const level = Math.min(LEVELS, Math.floor(evidence));
      const count = level >= 1 ? this.counts[level - 1]! : this.n;
      const p = (count + this.prior * Math.pow(10, -evidence)) / (this.n + this.prior);
      calibrated = Math.min(evidence, -Math.log10(p));
    }
    // Count excursions (up-crossings), not points: one anomaly keeps the averaged evidence high for several points.
    for (let k = 1; k <= LEVELS && evidence >= k; k++) if (this.last < k) this.counts[k - 1]!++;
    this.last = evidence;
    this.n++;
    return calibrated;
  }
}
