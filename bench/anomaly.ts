// bench/anomaly: NAB, then simulated weeks of 1-minute metrics with random incidents, scored by the AnomalyDetector
// (shared/anomaly) with the options /metrics/current uses (SIMULATOR_DETECTOR_OPTIONS), one detector per series running
// for the whole time. Prints, per incident type, the detection rate and the delay (points from the incident's first
// minute to the first anomalous point of the affected service), the false-positive rate on normal points, and the
// detector's cost per point: CPU time of the scoring loop alone (metrics are computed beforehand), so other load on the
// machine does not inflate it. Targets (issue 3): detected within 2 points, FP ≤ 1%; ≤ 2 µs/point (issue 15).
//
// NAB: when ../shared/nab (or $NAB_DIR; the development half of the Numenta Anomaly Benchmark) exists next to the checkout, the
// AnomalyDetector is scored with NAB's own scorer through `aks-aiops anomaly --csv` (dist/cli.js), exactly as NAB's
// README there says, and the line "NAB aksaiops: standard S, low-FP S, low-FN S" is printed first. The scorer needs
// Debian's python3-pandas and python3-simplejson; run as root (CI), the bench installs them when missing.
//
//   node dist/bench/anomaly.js [--weeks N] [--seed S] [--severity low|medium|high|critical] [--json]
//                              [--no-nab]
import { ANOMALY_THRESHOLD, SIMULATOR_DETECTOR_OPTIONS } from '../shared/simulator/anomaly/metricsAnomaly.js';
import { AnomalyDetector } from '../shared/anomaly/anomalyDetector.js';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashInts, uniform } from '../shared/simulator/cluster/seededRandom.js';
import {
  INCIDENT_TYPES,
  SEVERITIES,
  type Incident,
  type IncidentType,
} from '../shared/simulator/incidents/incident.js';
import { computeMetricsAt, MINUTE_MS } from '../shared/simulator/metricsModel.js';
import { callersOf, METRIC_NAMES, SERVICE_NAMES, type ServiceName } from '../shared/simulator/services.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  return Number.isFinite(v) ? v : dflt;
}

const weeks = arg('weeks', 4);
const seed = arg('seed', 20261122);
const asJson = process.argv.includes('--json');
const severityArg = process.argv.indexOf('--severity');
/** All incidents at one severity (e.g. `low`, the weakest effects) instead of a random mix. */
const fixedSeverity = severityArg >= 0 ? SEVERITIES.find((s) => s === process.argv[severityArg + 1]) : undefined;
if (severityArg >= 0 && !fixedSeverity) {
  process.stderr.write(`--severity must be one of: ${SEVERITIES.join(', ')}\n`);
  process.exit(2);
}
/** Points after an incident's end excluded from FP counting: the service is still recovering. */
const RECOVERY_POINTS = 5;
const WARMUP_POINTS = 240;

const startMinute = Math.floor(Date.UTC(2026, 0, 5) / MINUTE_MS); // a Monday
const totalMinutes = weeks * 7 * 1440;

// Random incidents: every type equally likely, 3-12 hours apart, 10-40 minutes long.
const incidents: Incident[] = [];
for (let t = startMinute + WARMUP_POINTS + 60, k = 0; t < startMinute + totalMinutes - 60; k++) {
  const type = INCIDENT_TYPES[hashInts(seed, 1, k) % INCIDENT_TYPES.length]!;
  const service = SERVICE_NAMES[hashInts(seed, 2, k) % SERVICE_NAMES.length]!;
  const severity = fixedSeverity ?? SEVERITIES[hashInts(seed, 3, k) % SEVERITIES.length]!;
  const duration = 10 + (hashInts(seed, 4, k) % 31);
  const start = new Date(t * MINUTE_MS).toISOString();
  incidents.push({
    id: `bench-${k}`,
    type,
    service,
    severity,
    startedAt: start,
    endsAt: new Date((t + duration) * MINUTE_MS).toISOString(),
    durationMinutes: duration,
    description: '',
    createdAt: start,
  });
  t += duration + 180 + Math.floor(uniform(seed, 5, k) * 540);
}

// Minute → incident index active, or recovering (excluded from FP counting).
const activeAt = new Int32Array(totalMinutes).fill(-1);
const excluded = new Uint8Array(totalMinutes);
incidents.forEach((inc, idx) => {
  const s = Date.parse(inc.startedAt) / MINUTE_MS - startMinute;
  for (let m = s; m < s + inc.durationMinutes && m < totalMinutes; m++) activeAt[m] = idx;
  for (let m = s; m < s + inc.durationMinutes + RECOVERY_POINTS && m < totalMinutes; m++) excluded[m] = 1;
});

const series = SERVICE_NAMES.flatMap((s) => METRIC_NAMES.map((m) => ({ service: s, metric: m })));
const S = series.length;

// Pass 1: the metrics, minute by minute (not timed).
const values = new Float64Array(totalMinutes * S);
for (let i = 0; i < totalMinutes; i++) {
  const metrics = computeMetricsAt(seed, startMinute + i, incidents);
  for (let k = 0; k < S; k++) values[i * S + k] = metrics[series[k]!.service][series[k]!.metric];
}

// Pass 2: the detectors alone, timed. Anomalous = the unmuted likelihood at or above the threshold, as /metrics/current.
const detectors = series.map(() => new AnomalyDetector(SIMULATOR_DETECTOR_OPTIONS));
const scores = new Float32Array(totalMinutes * S);
const cpu0 = process.cpuUsage();
for (let i = 0; i < totalMinutes; i++) {
  const timeMs = (startMinute + i) * MINUTE_MS;
  for (let k = 0; k < S; k++) scores[i * S + k] = detectors[k]!.update(values[i * S + k]!, timeMs).likelihood;
}
const cpu = process.cpuUsage(cpu0);
const points = totalMinutes * S;

/** CPU ns/point of `detectors` over the same values (the cost of the default, NAB-measured options). */
function costOf(make: () => AnomalyDetector): number {
  const ds = series.map(make);
  const start = process.cpuUsage();
  for (let i = 0; i < totalMinutes; i++) {
    const timeMs = (startMinute + i) * MINUTE_MS;
    for (let k = 0; k < S; k++) ds[k]!.update(values[i * S + k]!, timeMs);
  }
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / points;
}
const defaultNsPerPoint = costOf(() => new AnomalyDetector());

// Pass 3: detections and false positives.
const firstDetection = new Int32Array(incidents.length).fill(-1);
let normalSeriesPoints = 0;
let falseSeriesPoints = 0;
let normalMinutes = 0;
let falseMinutes = 0;
const fpBySeries = new Map<string, number>();
for (let i = WARMUP_POINTS; i < totalMinutes; i++) {
  const minute = startMinute + i;
  const idx = activeAt[i]!;
  if (idx >= 0) {
    const inc = incidents[idx]!;
    const elapsed = minute - Date.parse(inc.startedAt) / MINUTE_MS;
    const affected = new Set<ServiceName>([
      inc.service,
      ...(inc.type === 'latency_spike' ? callersOf(inc.service) : []),
    ]);
    if (
      firstDetection[idx] === -1 &&
      series.some((s, k) => affected.has(s.service) && scores[i * S + k]! >= ANOMALY_THRESHOLD)
    ) {
      firstDetection[idx] = elapsed;
    }
  } else if (!excluded[i]) {
    normalMinutes++;
    let any = false;
    for (let k = 0; k < S; k++) {
      normalSeriesPoints++;
      if (scores[i * S + k]! >= ANOMALY_THRESHOLD) {
        falseSeriesPoints++;
        any = true;
        const key = `${series[k]!.service}/${series[k]!.metric}`;
        fpBySeries.set(key, (fpBySeries.get(key) ?? 0) + 1);
      }
    }
    if (any) falseMinutes++;
  }
}

const byType = INCIDENT_TYPES.map((type: IncidentType) => {
  const idx = incidents.map((inc, i) => (inc.type === type ? i : -1)).filter((i) => i >= 0);
  const delays = idx.map((i) => firstDetection[i]!).filter((d) => d >= 0);
  const within2 = delays.filter((d) => d <= 2).length;
  return {
    type,
    incidents: idx.length,
    detected: delays.length,
    detectedWithin2Points: within2,
    detectionRate: idx.length ? delays.length / idx.length : 0,
    meanDelayPoints: delays.length ? delays.reduce((a, b) => a + b, 0) / delays.length : NaN,
    maxDelayPoints: delays.length ? Math.max(...delays) : NaN,
  };
});

const result = {
  weeks,
  seed,
  points,
  series: series.length,
  incidents: incidents.length,
  byType,
  falsePositiveRate: falseSeriesPoints / Math.max(1, normalSeriesPoints),
  falsePositiveMinuteRate: falseMinutes / Math.max(1, normalMinutes),
  noisiestSeries: [...fpBySeries.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3),
  nsPerPoint: ((cpu.user + cpu.system) * 1000) / points,
  defaultNsPerPoint,
};

/** Scores the CLI on NAB's development half with NAB's scorer; undefined when NAB is not there. */
function scoreNab(): { line: string } | { error: string } | undefined {
  const nab = path.resolve(process.env.NAB_DIR ?? '../shared/nab');
  if (process.argv.includes('--no-nab') || !existsSync(path.join(nab, 'score_detector.py'))) return undefined;
  const python = '/usr/bin/python3';
  const hasPandas = () => spawnSync(python, ['-c', 'import pandas, simplejson'], { stdio: 'ignore' }).status === 0;
  if (!hasPandas() && process.getuid?.() === 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'python3-pandas', 'python3-simplejson'], { stdio: 'ignore' });
  }
  if (!hasPandas()) return { error: 'NAB scorer needs python3-pandas and python3-simplejson (apt-get install -y ...)' };
  // The scorer writes results/ and config/thresholds.json: work on a copy, never on the shared checkout.
  const work = mkdtempSync(path.join(tmpdir(), 'nab-'));
  try {
    cpSync(nab, work, { recursive: true });
    const cli = path.resolve('dist/cli.js');
    const r = spawnSync(
      python,
      ['score_detector.py', work, 'aksaiops', '--', process.execPath, cli, 'anomaly', '--csv'],
      { cwd: work, encoding: 'utf8', timeout: 30 * 60_000 },
    );
    const line = r.stdout.split('\n').find((l) => l.startsWith('NAB '));
    return line ? { line } : { error: `NAB scorer failed (exit ${r.status}): ${r.stderr.slice(-400)}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const nabResult = scoreNab();

if (asJson) {
  process.stdout.write(`${JSON.stringify({ nab: nabResult, ...result }, null, 2)}\n`);
} else {
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  const lines = [
    ...(nabResult
      ? [
          'line' in nabResult
            ? `${nabResult.line} — NAB development half, NAB's scorer, via dist/cli.js anomaly --csv (targets: standard ≥ 72, low-FP ≥ 60)`
            : nabResult.error,
          '',
        ]
      : []),
    `bench/anomaly (AnomalyDetector, simulator options): ${weeks} simulated week(s), ${series.length} series, ${points.toLocaleString('en')} points, ${incidents.length} incidents (seed ${seed}, severity ${fixedSeverity ?? 'mixed'})`,
    '',
    `${'incident type'.padEnd(16)} ${'n'.padStart(4)} ${'detected'.padStart(9)} ${'≤2 points'.padStart(10)} ${'mean delay'.padStart(11)} ${'max delay'.padStart(10)}`,
    ...byType.map(
      (r) =>
        `${r.type.padEnd(16)} ${String(r.incidents).padStart(4)} ${pct(r.detectionRate).padStart(9)} ${`${r.detectedWithin2Points}/${r.incidents}`.padStart(10)} ${(Number.isNaN(r.meanDelayPoints) ? '-' : r.meanDelayPoints.toFixed(2)).padStart(11)} ${(Number.isNaN(r.maxDelayPoints) ? '-' : String(r.maxDelayPoints)).padStart(10)}`,
    ),
    '',
    `false positives: ${pct(result.falsePositiveRate)} of normal series points (target ≤ 1%); ${pct(result.falsePositiveMinuteRate)} of normal minutes have any of the ${series.length} series flagged`,
    `noisiest series: ${result.noisiestSeries.map(([k, n]) => `${k} (${n})`).join(', ') || 'none'}`,
    `detector cost: ${result.nsPerPoint.toFixed(0)} ns/point, CPU time (target ≤ 2000 ns); default (NAB) options ${result.defaultNsPerPoint.toFixed(0)} ns/point`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
