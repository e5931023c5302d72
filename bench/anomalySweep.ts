// bench/anomalySweep: the sweep's anomaly findings (shared/metrics/scoreSeries.ts, with the default settings) on the
// simulator's per-service CPU and memory series, as each sweep sees them: the last ANOMALY_WINDOW_MINUTES at one
// point a minute, findings only from the newest ANOMALY_RECENT_MINUTES. Prints, over random windows in simulated
// weeks, the share of quiet series-windows that would raise a finding (false alarms per series per sweep), the share
// of cpu_spike / memory_leak incidents started 2-10 minutes before the sweep that are reported on their service's
// metric, the minutes from the incident's start to the reported point, and the cost of scoring one window.
//
//   node dist/bench/anomalySweep.js [--windows N] [--seed S] [--min-change PERCENT] [--window MINUTES] [--json]
import { loadConfig } from '../shared/config/config.js';
import { scoreSeries } from '../shared/metrics/scoreSeries.js';
import type { MetricSeries } from '../shared/metrics/types.js';
import { uniform } from '../shared/simulator/cluster/seededRandom.js';
import type { Incident, IncidentType } from '../shared/simulator/incidents/incident.js';
import { computeMetricsAt, MINUTE_MS } from '../shared/simulator/metricsModel.js';
import { SERVICE_NAMES } from '../shared/simulator/services.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) ? v : dflt;
};
const windows = arg('windows', 100);
const seed = arg('seed', 20261130);
const config = loadConfig({
  ANOMALY_MIN_CHANGE_PERCENT: String(arg('min-change', 30)),
  ANOMALY_WINDOW_MINUTES: String(arg('window', 240)),
});
const windowMinutes = config.ANOMALY_WINDOW_MINUTES;
const options = (endMs: number) => ({
  now: new Date(endMs),
  recentMs: config.ANOMALY_RECENT_MINUTES * MINUTE_MS,
  minChange: config.ANOMALY_MIN_CHANGE_PERCENT / 100,
});
const METRICS = [
  { metric: 'cpu_usage_percent', incident: 'cpu_spike' },
  { metric: 'memory_usage_percent', incident: 'memory_leak' },
] as const satisfies ReadonlyArray<{ metric: string; incident: IncidentType }>;

function seriesOf(endMinute: number, service: string, metric: string, incidents: Incident[]): MetricSeries {
  const points = [];
  for (let m = endMinute - windowMinutes + 1; m <= endMinute; m++) {
    const frame = computeMetricsAt(seed, m, incidents) as unknown as Record<string, Record<string, number>>;
    points.push({ t: m * MINUTE_MS, v: frame[service]?.[metric] ?? NaN });
  }
  return {
    metric,
    unit: 'percent',
    subject: { kind: 'workload', namespace: 'default', name: service },
    source: 'container-insights',
    query: '',
    points,
  };
}

const start = Math.floor(Date.parse('2026-09-07T00:00:00Z') / MINUTE_MS);
let quiet = 0;
let falseAlarms = 0;
let incidents = 0;
let detected = 0;
const delays: number[] = [];
let scoringMs = 0;
let scored = 0;
for (let w = 0; w < windows; w++) {
  const end = start + Math.floor(uniform(seed, 1, w) * 4 * 7 * 1440);
  for (const service of SERVICE_NAMES) {
    for (const { metric, incident } of METRICS) {
      const t0 = performance.now();
      const q = scoreSeries(seriesOf(end, service, metric, []), options(end * MINUTE_MS));
      scoringMs += performance.now() - t0;
      scored += 1;
      quiet += 1;
      if (q) {
        falseAlarms += 1;
        if (process.argv.includes('--verbose'))
          process.stderr.write(
            `false alarm: ${service} ${metric} ${q.observed.toFixed(1)} vs ${q.expected.toFixed(1)}\n`,
          );
      }
      const lead = 2 + Math.floor(uniform(seed, 2, w * 31 + service.length) * 9);
      const startedMs = (end - lead) * MINUTE_MS;
      const running: Incident = {
        id: `bench-${w}`,
        type: incident,
        service,
        severity: 'medium',
        startedAt: new Date(startedMs).toISOString(),
        endsAt: new Date(startedMs + 30 * MINUTE_MS).toISOString(),
        durationMinutes: 30,
        description: '',
        createdAt: new Date(startedMs).toISOString(),
      };
      const v = scoreSeries(seriesOf(end, service, metric, [running]), options(end * MINUTE_MS));
      incidents += 1;
      if (v && v.at >= startedMs) {
        detected += 1;
        delays.push((v.at - startedMs) / MINUTE_MS);
      } else if (process.argv.includes('--verbose')) {
        process.stderr.write(`missed: ${incident} on ${service}, started ${lead} min before the sweep\n`);
      }
    }
  }
}
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const result = {
  windowMinutes,
  recentMinutes: config.ANOMALY_RECENT_MINUTES,
  minChangePercent: config.ANOMALY_MIN_CHANGE_PERCENT,
  quietSeriesWindows: quiet,
  falseAlarmRate: falseAlarms / quiet,
  incidents,
  detectionRate: detected / incidents,
  meanDelayMinutes: mean(delays),
  maxDelayMinutes: delays.length ? Math.max(...delays) : NaN,
  msPerWindow: scoringMs / scored,
};
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result)}\n`);
else
  process.stdout.write(
    [
      `anomaly sweep (window ${windowMinutes} min, findings from the newest ${result.recentMinutes} min, change ≥ ${result.minChangePercent} %)`,
      `  quiet series-windows: ${quiet}, false alarms ${falseAlarms} (${(100 * result.falseAlarmRate).toFixed(2)} %)`,
      `  incidents (cpu_spike on CPU, memory_leak on memory, started 2-10 min before the sweep): ${incidents}, reported ${detected} (${(100 * result.detectionRate).toFixed(1)} %), delay mean ${result.meanDelayMinutes.toFixed(1)} min, max ${result.maxDelayMinutes} min`,
      `  scoring: ${result.msPerWindow.toFixed(2)} ms per series window (${windowMinutes} points)`,
      '',
    ].join('\n'),
  );
