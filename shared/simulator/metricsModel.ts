// Metrics as a pure function of (seed, minute, incidents): daily and weekly seasonality, per-service baselines,
// heavy-tailed noise, then each active incident's effect, then latency and errors travelling to the callers. Every
// instance computes the same numbers for the same minute, so history is computed, never stored.
import { gaussian, hashString, uniform } from './cluster/seededRandom.js';
import { incidentEndMs, MINUTE_MS, type Incident } from './incidents/incident.js';
import { incidentContextAt } from './incidents/incidentKind.js';
import { INCIDENT_KINDS } from './incidents/registry.js';
import type { MetricsFrame } from './metricsFrame.js';
import { METRIC_NAMES, SERVICE_NAMES, SERVICES, type MetricName, type ServiceName } from './services.js';

export { MINUTE_MS } from './incidents/incident.js';

export interface ServiceMetrics {
  cpu_usage_percent: number;
  memory_usage_percent: number;
  latency_ms: number;
  request_rate: number;
  error_rate: number;
  pod_count: number;
}

export type ServicesMetrics = Record<ServiceName, ServiceMetrics>;

/** Daily and weekly traffic shape, smooth everywhere (real traffic does not step at midnight). */
export function loadFactor(minute: number): number {
  const hour = (((minute % 1440) + 1440) % 1440) / 60;
  const daily = 1 + 0.35 * Math.sin((2 * Math.PI * (hour - 8)) / 24) + 0.08 * Math.sin((4 * Math.PI * (hour - 8)) / 24);
  // 1970-01-01 was a Thursday: +3 days makes 0 = Monday 00:00.
  const day = (((minute / 1440 + 3) % 7) + 7) % 7;
  const ramp = (x: number, a: number, b: number) => Math.min(1, Math.max(0, (x - a) / (b - a)));
  const weekend = ramp(day, 4.85, 5.15) - ramp(day, 6.85, 7.0);
  return daily * (1 - 0.25 * weekend);
}

/** Mostly Gaussian with an occasional wider burst, like real telemetry. */
function noise(seed: number, stream: number, minute: number): number {
  const g = gaussian(seed, stream, minute);
  return uniform(seed, stream ^ 0x5bd1e995, minute) < 0.03 ? g * 2.5 : g;
}

const SERVICE_STREAM: Record<ServiceName, number> = Object.fromEntries(
  SERVICE_NAMES.map((s) => [s, hashString(s)]),
) as Record<ServiceName, number>;

function baseFrame(seed: number, minute: number): MetricsFrame {
  const load = loadFactor(minute);
  const frame = {} as MetricsFrame;
  for (const name of SERVICE_NAMES) {
    const p = SERVICES[name];
    const s = SERVICE_STREAM[name];
    const requestRate = p.baseRequestRate * load * (1 + 0.025 * noise(seed, s + 1, minute));
    const cpu = p.cpuIdle + (p.cpuPerRps * requestRate) / p.replicas + 1.2 * noise(seed, s + 2, minute);
    frame[name] = {
      requestRate,
      cpu,
      memory: p.memoryBase + 4 * (load - 1) + 0.4 * noise(seed, s + 3, minute),
      ownLatency: p.baseLatencyMs * (1 + 0.04 * noise(seed, s + 4, minute)),
      ownErrorRate: p.baseErrorRate * (1 + 0.2 * noise(seed, s + 5, minute)),
      readyPods: p.replicas,
      desiredPods: p.replicas,
      load,
    };
  }
  return frame;
}

/**
 * Incidents in effect at `minute`: started at or before it and not ended within or before it (an incident resolved
 * at 10:05:30 no longer shapes the 10:05 minute, so resolving shows at once).
 */
export function activeIncidentsAt(incidents: readonly Incident[], minute: number): Incident[] {
  const t = minute * MINUTE_MS;
  return incidents.filter(
    (i) => Date.parse(i.startedAt) <= t && t < Math.floor(incidentEndMs(i) / MINUTE_MS) * MINUTE_MS,
  );
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Callees before callers, so a caller adds its callees' final latency. */
const PROPAGATION_ORDER: ServiceName[] = (() => {
  const out: ServiceName[] = [];
  const visit = (s: ServiceName) => {
    if (out.includes(s)) return;
    for (const c of SERVICES[s].calls) visit(c);
    out.push(s);
  };
  SERVICE_NAMES.forEach(visit);
  return out;
})();

/** Metrics of every service at one minute (minutes since the Unix epoch). */
export function computeMetricsAt(seed: number, minute: number, incidents: readonly Incident[]): ServicesMetrics {
  const frame = baseFrame(seed, minute);
  for (const incident of activeIncidentsAt(incidents, minute)) {
    INCIDENT_KINDS[incident.type].applyMetrics(frame[incident.service], incidentContextAt(incident, minute, seed));
  }
  const out = {} as ServicesMetrics;
  for (const name of PROPAGATION_ORDER) {
    const f = frame[name];
    const p = SERVICES[name];
    // Work of missing pods lands on the remaining ones; latency grows with utilisation.
    const pods = Math.max(0, f.readyPods);
    const cpu = clamp(pods > 0 ? p.cpuIdle + (f.cpu - p.cpuIdle) * (f.desiredPods / pods) : 0, 0, 100);
    let latency = f.ownLatency * (1 + 0.6 * (cpu / 100) ** 2);
    let errors = f.ownErrorRate;
    for (const callee of p.calls) {
      const c = out[callee];
      latency += c.latency_ms * (callee === 'payment-service' ? 0.3 : 0.4);
      errors += 0.3 * c.error_rate;
    }
    if (pods === 0) errors = 100;
    out[name] = {
      cpu_usage_percent: round(cpu, 2),
      memory_usage_percent: round(clamp(f.memory, 0, 100), 2),
      latency_ms: round(Math.max(1, latency), 1),
      request_rate: round(Math.max(0, f.requestRate), 1),
      error_rate: round(clamp(errors, 0, 100), 3),
      pod_count: pods,
    };
  }
  return Object.fromEntries(SERVICE_NAMES.map((s) => [s, out[s]])) as ServicesMetrics;
}

export interface SystemWideMetrics {
  total_cpu_usage_percent: number;
  total_memory_usage_percent: number;
  average_latency_ms: number;
  total_requests_per_second: number;
  active_connections: number;
}

export function systemWide(metrics: ServicesMetrics): SystemWideMetrics {
  let pods = 0;
  let cpu = 0;
  let mem = 0;
  let rps = 0;
  let latencyWeighted = 0;
  for (const s of SERVICE_NAMES) {
    const m = metrics[s];
    pods += m.pod_count;
    cpu += m.cpu_usage_percent * m.pod_count;
    mem += m.memory_usage_percent * m.pod_count;
    rps += m.request_rate;
    latencyWeighted += m.latency_ms * m.request_rate;
  }
  const gateway = metrics['api-gateway'];
  return {
    total_cpu_usage_percent: round(pods > 0 ? cpu / pods : 0, 2),
    total_memory_usage_percent: round(pods > 0 ? mem / pods : 0, 2),
    average_latency_ms: round(rps > 0 ? latencyWeighted / rps : 0, 1),
    total_requests_per_second: round(rps, 1),
    // Little's law on the edge plus idle keep-alive connections.
    active_connections: Math.round(gateway.request_rate * (gateway.latency_ms / 1000) + 12 * gateway.pod_count),
  };
}

export interface MetricPoint {
  timestamp: string;
  value: number;
}

/** One metric of one service from `fromMinute` to `toMinute` inclusive, every `stepMinutes`. */
export function computeSeries(
  seed: number,
  service: ServiceName,
  metric: MetricName,
  range: { fromMinute: number; toMinute: number; stepMinutes: number },
  incidents: readonly Incident[],
): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (let m = range.fromMinute; m <= range.toMinute; m += range.stepMinutes) {
    out.push({
      timestamp: new Date(m * MINUTE_MS).toISOString(),
      value: computeMetricsAt(seed, m, incidents)[service][metric],
    });
  }
  return out;
}

export { METRIC_NAMES };
