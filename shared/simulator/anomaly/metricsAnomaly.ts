// The detector applied to the simulator's own series: one StreamingDetector per (service, metric), replayed over a
// recent window so any instance, cold or warm, scores the current minute the same way from the computed history.
import { computeMetricsAt, type ServicesMetrics } from '../metricsModel.js';
import type { Incident } from '../incidents/incident.js';
import { METRIC_NAMES, SERVICE_NAMES, type MetricName, type ServiceName } from '../services.js';
import { ANOMALY_THRESHOLD, StreamingDetector, type DetectorOptions } from './streamingDetector.js';

/** Tuned with bench/anomaly.ts on simulated weeks (see docs/simulator.md for the figures). */
export const SIMULATOR_DETECTOR_OPTIONS: DetectorOptions = {};

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
  options: { windowMinutes?: number; detector?: DetectorOptions } = {},
): CurrentReading {
  const window = options.windowMinutes ?? DETECTOR_WINDOW_MINUTES;
  const detectors = new Map<string, StreamingDetector>();
  for (const s of SERVICE_NAMES)
    for (const m of METRIC_NAMES)
      detectors.set(`${s}/${m}`, new StreamingDetector({ ...SIMULATOR_DETECTOR_OPTIONS, ...options.detector }));
  let metrics: ServicesMetrics | undefined;
  const scores: Array<{ service: ServiceName; metric: MetricName; score: number; value: number; z: number }> = [];
  for (let t = minute - window; t <= minute; t++) {
    metrics = computeMetricsAt(seed, t, incidents);
    for (const s of SERVICE_NAMES) {
      for (const m of METRIC_NAMES) {
        const detector = detectors.get(`${s}/${m}`)!;
        const score = detector.update(metrics[s][m]);
        if (t === minute) scores.push({ service: s, metric: m, score, value: metrics[s][m], z: detector.lastZ });
      }
    }
  }
  // Saturated scores tie at 1: the most extreme deviation (z) is what drove the reading.
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
