// Shared by the detector tests: which points a run of readings reported.
import { ANOMALY_SCORE_THRESHOLD, type AnomalyReadingDetail } from '../../../shared/anomaly/anomalyDetector.js';

/** Indexes (in the whole run) of the points in [from, to) whose alert score is at or above the threshold. */
export const reported = (r: readonly AnomalyReadingDetail[], from = 0, to = r.length): number[] =>
  r
    .slice(from, to)
    .map((x, i) => (x.score >= ANOMALY_SCORE_THRESHOLD ? from + i : -1))
    .filter((i) => i >= 0);
