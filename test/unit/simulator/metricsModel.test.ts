// The metrics model: a pure function of (seed, minute, incidents), seasonal, and each incident type visibly changes
// its service (and the detector notices within the first points).
import { describe, expect, it } from '@jest/globals';
import { readCurrentWithAnomalies } from '../../../shared/simulator/anomaly/metricsAnomaly.js';
import {
  INCIDENT_TYPES,
  type Incident,
  type IncidentType,
  type Severity,
} from '../../../shared/simulator/incidents/incident.js';
import { computeMetricsAt, MINUTE_MS, type ServiceMetrics } from '../../../shared/simulator/metricsModel.js';
import type { ServiceName } from '../../../shared/simulator/services.js';

const START = Date.parse('2026-11-18T14:00:00Z'); // a Wednesday afternoon
const M0 = START / MINUTE_MS;

function incident(type: IncidentType, service: ServiceName, severity: Severity = 'medium', duration = 30): Incident {
  return {
    id: `inc-test-${type}`,
    type,
    service,
    severity,
    startedAt: new Date(START).toISOString(),
    endsAt: new Date(START + duration * MINUTE_MS).toISOString(),
    durationMinutes: duration,
    description: '',
    createdAt: new Date(START).toISOString(),
  };
}

const at = (minute: number, incidents: Incident[] = []) => computeMetricsAt(42, minute, incidents);

describe('baseline', () => {
  it('is deterministic per (seed, minute) and differs between seeds', () => {
    expect(at(M0)).toEqual(at(M0));
    expect(computeMetricsAt(7, M0, [])).not.toEqual(at(M0));
  });

  it('follows daily and weekly seasonality', () => {
    const day = Date.parse('2026-11-18T00:00:00Z') / MINUTE_MS;
    const rate = (m: number) => at(m)['api-gateway'].request_rate;
    expect(rate(day + 14 * 60)).toBeGreaterThan(rate(day + 3 * 60) * 1.3); // afternoon peak vs night trough
    const saturday = Date.parse('2026-11-21T14:00:00Z') / MINUTE_MS;
    expect(rate(saturday)).toBeLessThan(rate(day + 14 * 60) * 0.9);
  });

  it('keeps every service healthy-looking without incidents', () => {
    for (let m = M0; m < M0 + 60; m++) {
      for (const s of Object.values(at(m))) {
        expect(s.error_rate).toBeLessThan(2);
        expect(s.cpu_usage_percent).toBeLessThan(80);
        expect(s.memory_usage_percent).toBeLessThan(70);
      }
    }
  });
});

/** What the incident must do to its service's metrics at the given minute, compared with the same minute without it. */
const effects: Array<[IncidentType, ServiceName, number, (withInc: ServiceMetrics, without: ServiceMetrics) => void]> =
  [
    ['cpu_spike', 'user-service', 1, (w, b) => expect(w.cpu_usage_percent - b.cpu_usage_percent).toBeGreaterThan(20)],
    [
      'memory_leak',
      'payment-service',
      2,
      (w, b) => expect(w.memory_usage_percent - b.memory_usage_percent).toBeGreaterThan(5),
    ],
    ['latency_spike', 'payment-service', 1, (w, b) => expect(w.latency_ms / b.latency_ms).toBeGreaterThan(2)],
    ['error_spike', 'notification-service', 1, (w, b) => expect(w.error_rate - b.error_rate).toBeGreaterThan(4)],
    [
      'pod_crash',
      'api-gateway',
      1,
      (w, b) => {
        expect(w.pod_count).toBeLessThan(b.pod_count);
        expect(w.error_rate).toBeGreaterThan(b.error_rate + 2);
      },
    ],
    ['bad_deployment', 'user-service', 1, (w, b) => expect(w.pod_count).toBe(b.pod_count - 1)],
    ['config_error', 'payment-service', 1, (w, b) => expect(w.pod_count).toBe(b.pod_count - 1)],
    [
      'node_pressure',
      'notification-service',
      1,
      (w, b) => expect(w.memory_usage_percent - b.memory_usage_percent).toBeGreaterThan(5),
    ],
  ];

describe('incident effects on metrics', () => {
  it('covers every incident type', () => {
    expect(effects.map((e) => e[0]).sort()).toEqual([...INCIDENT_TYPES].sort());
  });

  it.each(effects)('%s on %s', (type, service, minute, check) => {
    const inc = incident(type, service);
    check(at(M0 + minute, [inc])[service], at(M0 + minute)[service]);
    // Before it starts and after it ends, the metrics are exactly the baseline.
    expect(at(M0 - 1, [inc])).toEqual(at(M0 - 1));
    expect(at(M0 + 30, [inc])).toEqual(at(M0 + 30));
  });

  it.each(INCIDENT_TYPES)('%s trips the detector within 2 points, naming the affected service', (type) => {
    const service: ServiceName = 'payment-service';
    const inc = incident(type, service, 'low');
    const readings = [0, 1, 2].map((k) => readCurrentWithAnomalies(42, M0 + k, [inc]).anomaly);
    const first = readings.find((r) => r.has_anomaly);
    expect(first).toBeDefined();
    // A latency spike shows at the service and its callers; everything else at the service itself.
    expect(type === 'latency_spike' ? ['payment-service', 'api-gateway'] : [service]).toContain(first?.service);
  });

  it('memory_leak is a saw-tooth: memory climbs to the limit, the OOM kill costs a pod, memory drops', () => {
    const inc = incident('memory_leak', 'payment-service', 'medium', 60);
    const series = Array.from({ length: 16 }, (_, k) => at(M0 + k, [inc])['payment-service']);
    const kills = series.map((m, k) => (m.pod_count < 2 ? k : -1)).filter((k) => k >= 0);
    expect(kills).toEqual([0, 7, 14]);
    expect(series[6]!.memory_usage_percent).toBeGreaterThan(series[1]!.memory_usage_percent + 20);
    expect(series[8]!.memory_usage_percent).toBeLessThan(series[6]!.memory_usage_percent - 20);
  });

  it('latency_spike also slows the callers (api-gateway calls payment-service)', () => {
    const inc = incident('latency_spike', 'payment-service');
    expect(at(M0 + 1, [inc])['api-gateway'].latency_ms).toBeGreaterThan(at(M0 + 1)['api-gateway'].latency_ms * 1.5);
    expect(at(M0 + 1, [inc])['user-service'].latency_ms).toBe(at(M0 + 1)['user-service'].latency_ms);
  });

  it('reads healthy with no incident at an ordinary minute', () => {
    expect(readCurrentWithAnomalies(42, M0, []).anomaly.has_anomaly).toBe(false);
  });
});
