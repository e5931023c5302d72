// The detector applied to the simulator's own series: one AnomalyDetector (shared/anomaly, the NAB-measured detector
// every other caller uses) per (service, metric), replayed over a recent window so any instance, cold or warm, scores
// the current minute the same way from the computed history.
import { computeMetricsAt, MINUTE_MS, type ServicesMetrics } from '../metricsModel.js';
import type { Incident } from '../incidents/incident.js';
import { METRIC_NAMES, SERVICE_NAMES, type MetricName, type ServiceName } from '../services.js';
import {
  ANOMALY_SCORE_THRESHOLD,
  AnomalyDetector,
  type AnomalyDetectorOptions,
} from '../../anomaly/anomalyDetector.js';

/** Score at or above which a simulator series is anomalous (the detector's likelihood threshold). */
export const ANOMALY_THRESHOLD = ANOMALY_SCORE_THRESHOLD;

/**
 * The simulator's incidents start abruptly and must be named within 2 points, and the same incident type recurs every
 * few hours: the point channel reports a step on its first point, and is not calibrated against the series' own
 * history (which would learn the recurring incidents as normal). Its z scale puts 0.5 at about 7 mean absolute
 * deviations from the baseline. Measured with bench/anomaly.ts (README, "Anomaly detection").
 */
export const SIMULATOR_DETECTOR_OPTIONS: Partial<AnomalyDetectorOptions> = {
  pointZScale: 0.6,
  pointCalibrationPrior: 0,
};

/** Minutes of history replayed before scoring the current minute. */
export const DETECTOR_WINDOW_MINUTES = 180;

export interface AnomalyReading {
  has_anomaly: boolean;
  anomaly_score: number;
  threshold: number;
  /** The series that drove the score (highest score). */
  service: ServiceName;
  metric: MetricName;
  /** Every series at or above the threshold, highest first. */
  anomalies: Array<{ service: ServiceName; metric: MetricName; score: number; value: number }>;
}

export interface CurrentReading {
  metrics: ServicesMetrics;
  anomaly: AnomalyReading;
}

/** Metrics of `minute` with each series scored against its own preceding window. */
export function readCurrentWithAnomalies(
  seed: number,
  minute: number,
  incidents: readonly Incident[],
  options: { windowMinutes?: number; detector?: Partial<AnomalyDetectorOptions> } = {},
): CurrentReading {
  const window = options.windowMinutes ?? DETECTOR_WINDOW_MINUTES;
  const detectors = new Map<string, AnomalyDetector>();
  for (const s of SERVICE_NAMES)
    for (const m of METRIC_NAMES)
      detectors.set(`${s}/${m}`, new AnomalyDetector({ ...SIMULATOR_DETECTOR_OPTIONS, ...options.detector }));
  let metrics: ServicesMetrics | undefined;
  const scores: Array<{ service: ServiceName; metric: MetricName; score: number; value: number; z: number }> = [];
  for (let t = minute - window; t <= minute; t++) {
    metrics = computeMetricsAt(seed, t, incidents);
    for (const s of SERVICE_NAMES) {
      for (const m of METRIC_NAMES) {
        const reading = detectors.get(`${s}/${m}`)!.update(metrics[s][m], t * MINUTE_MS);
        // The unmuted likelihood: every minute of an incident reads anomalous, not only its first.
        if (t === minute)
          scores.push({
            service: s,
            metric: m,
            score: reading.likelihood,
            value: metrics[s][m],
            z: reading.baseline.z,
          });
      }
    }
  }
  // Equal scores (rounded): the most extreme deviation (z) is what drove the reading.
  scores.sort((a, b) => b.score - a.score || b.z - a.z);
  const top = scores[0]!;
  return {
    metrics: metrics!,
    anomaly: {
      has_anomaly: top.score >= ANOMALY_THRESHOLD,
      anomaly_score: Math.round(top.score * 1000) / 1000,
      threshold: ANOMALY_THRESHOLD,
      service: top.service,
      metric: top.metric,
      anomalies: scores
        .filter((x) => x.score >= ANOMALY_THRESHOLD)
        .map((x) => ({
          service: x.service,
          metric: x.metric,
          value: x.value,
          score: Math.round(x.score * 1000) / 1000,
        })),
    },
  };
}
