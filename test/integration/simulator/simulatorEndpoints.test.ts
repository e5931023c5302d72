// The simulator endpoints called through their exported handlers with real HttpRequest / InvocationContext objects,
// incidents stored in Azurite, and the closed-loop alert received by a local webhook.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startIdentityStorage, type IdentityStorage } from '../../support/identityStorage.js';
import { resetConfigForTesting, loadConfig } from '../../../shared/config/config.js';
import { createTableIncidentStore } from '../../../shared/simulator/incidents/incidentStore.js';
import { HttpRequest, InvocationContext } from '../../support/functionsRuntime.js';

type Handlers = typeof import('../../../functions/simulator.js');
let h: Handlers;
let storage: IdentityStorage;
let webhook: Server;
const received: Array<{ body: Record<string, unknown>; url: string }> = [];
let webhookStatus = 202;

beforeAll(async () => {
  storage = await startIdentityStorage();
  webhook = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      received.push({ body: JSON.parse(text) as Record<string, unknown>, url: req.url ?? '' });
      res.writeHead(webhookStatus).end();
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  Object.assign(process.env, storage.settings);
  process.env.SIMULATOR_ALERT_WEBHOOK_URL = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/api/alerts?code=secret-key`;
  process.env.SIMULATOR_SEED = '42';
  resetConfigForTesting();
  h = await import('../../../functions/simulator.js');
});

afterAll(async () => {
  delete process.env.SIMULATOR_ALERT_WEBHOOK_URL;
  resetConfigForTesting();
  await new Promise<void>((r) => webhook.close(() => r()));
  for (const k of Object.keys(storage.settings)) delete process.env[k];
  await storage.stop();
});

const logs: string[] = [];
function ctx(name = 'test'): InvocationContext {
  return new InvocationContext({
    functionName: name,
    invocationId: `inv-${Math.random().toString(16).slice(2)}`,
    logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
  });
}

function get(path: string): HttpRequest {
  return new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/${path}` });
}

function post(path: string, body?: unknown, params: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({
    method: 'POST',
    url: `http://localhost:7071/api/${path}`,
    params,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: { string: typeof body === 'string' ? body : JSON.stringify(body) } }),
  });
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const body = (r: { jsonBody?: unknown }) => r.jsonBody as Json;

// The docs page and the OpenAPI document of every route: test/unit/api and test/integration/face.

describe('GET /metrics/current', () => {
  it("has exactly the seed's shape plus the series that drove the anomaly score", async () => {
    const res = await h.metricsCurrent(get('metrics/current'), ctx());
    expect(res.status).toBe(200);
    const m = body(res);
    expect(Object.keys(m.services)).toEqual(['api-gateway', 'user-service', 'payment-service', 'notification-service']);
    for (const s of Object.values<Json>(m.services)) {
      expect(Object.keys(s).sort()).toEqual([
        'cpu_usage_percent',
        'error_rate',
        'latency_ms',
        'memory_usage_percent',
        'pod_count',
        'request_rate',
      ]);
    }
    expect(Object.keys(m.system_wide).sort()).toEqual([
      'active_connections',
      'average_latency_ms',
      'total_cpu_usage_percent',
      'total_memory_usage_percent',
      'total_requests_per_second',
    ]);
    expect(m.anomaly_detection).toMatchObject({
      has_anomaly: expect.any(Boolean),
      anomaly_score: expect.any(Number),
      service: expect.any(String),
      metric: expect.any(String),
    });
    expect(['healthy', 'degraded', 'critical']).toContain(m.overall_status);
    expect(Date.parse(m.timestamp)).toBeLessThanOrEqual(Date.now());
  });
});

describe('GET /metrics/history', () => {
  it('returns aligned series for one service and metric with a bounded point count', async () => {
    const res = await h.metricsHistory(
      get('metrics/history?service=payment-service&metric=latency_ms&minutes=120&step=5'),
      ctx(),
    );
    expect(res.status).toBe(200);
    const hist = body(res);
    expect(hist.step_minutes).toBe(5);
    expect(hist.points).toBe(25);
    expect(Object.keys(hist.series)).toEqual(['payment-service']);
    expect(hist.series['payment-service'].latency_ms).toHaveLength(25);
    const all = body(await h.metricsHistory(get('metrics/history?minutes=10080'), ctx()));
    expect(all.points).toBeLessThanOrEqual(1000);
    expect(Object.keys(all.series['user-service'])).toHaveLength(6);
  });

  it.each([
    ['service=checkout', /service must be one of: api-gateway, user-service, payment-service, notification-service/],
    ['metric=cpu', /metric must be one of: cpu_usage_percent/],
    ['minutes=0', /minutes must be between 1 and 10080/],
    ['minutes=abc', /minutes must be a positive whole number/],
    ['minutes=600&step=0', /step must be between 1 and 1440/],
    ['from=yesterday', /from must be an ISO 8601 date-time/],
    ['minutes=10080&step=1', /step: must be at least 11/],
    ['minutes=5&from=2026-01-01T00:00:00Z', /minutes: cannot be combined with from\/to/],
    ['window=5', /unknown query parameter\(s\): window/],
  ])('400 naming the bad parameter for %s', async (query, message) => {
    const res = await h.metricsHistory(get(`metrics/history?${query}`), ctx());
    expect(res.status).toBe(400);
    expect(body(res).problems.join('\n')).toMatch(message);
  });
});

describe('incidents', () => {
  it('simulate: 201 with the stored incident; metrics change and the detector trips; the alert reaches the webhook', async () => {
    received.length = 0;
    const res = await h.simulateIncident(
      post('incidents/simulate', {
        type: 'pod_crash',
        service: 'payment-service',
        severity: 'critical',
        duration_minutes: 15,
      }),
      ctx('simulateIncident'),
    );
    expect(res.status).toBe(201);
    const inc = body(res);
    expect(inc).toMatchObject({
      type: 'pod_crash',
      service: 'payment-service',
      severity: 'critical',
      status: 'active',
      durationMinutes: 15,
    });
    expect(inc.id).toMatch(/^inc-/);
    expect(inc.alert).toEqual({ delivered: true, httpStatus: 202 });
    expect(received).toHaveLength(1);
    expect((received[0]?.body.data as Json).essentials.alertRule).toBe('KubePodCrashLooping');
    // Secrets (the function key in the webhook URL) never reach the logs.
    expect(logs.join('\n')).not.toContain('secret-key');

    const m = body(await h.metricsCurrent(get('metrics/current'), ctx()));
    expect(m.services['payment-service'].pod_count).toBeLessThan(2);
    expect(m.anomaly_detection.has_anomaly).toBe(true);
    expect(m.anomaly_detection.service).toBe('payment-service');
    expect(m.overall_status).toBe('critical');
    expect(m.active_incidents).toBe(1);

    // Stored in Table storage: a new store (another instance, a restart) sees it.
    const other = createTableIncidentStore(loadConfig(storage.settings));
    expect((await other.get(inc.id))?.type).toBe('pod_crash');

    const resolved = await h.resolveIncident(post(`incidents/${inc.id}/resolve`, undefined, { id: inc.id }), ctx());
    expect(resolved.status).toBe(200);
    expect(body(resolved)).toMatchObject({ id: inc.id, status: 'resolved', resolvedAt: expect.any(String) });
  });

  it('a failing webhook does not fail the incident', async () => {
    webhookStatus = 500;
    const res = await h.simulateIncident(
      post('incidents/simulate', { type: 'cpu_spike', service: 'api-gateway' }),
      ctx(),
    );
    webhookStatus = 202;
    expect(res.status).toBe(201);
    expect(body(res).alert).toEqual({ delivered: false, httpStatus: 500 });
    expect(logs.some((l) => l.includes('incident alert could not be delivered'))).toBe(true);
    await h.resolveIncident(post(`incidents/${body(res).id}/resolve`, undefined, { id: body(res).id }), ctx());
  });

  it.each([
    [
      { type: 'disk_full', service: 'payment-service' },
      /type must be one of: cpu_spike, memory_leak, latency_spike, error_spike, pod_crash, bad_deployment, config_error, node_pressure/,
    ],
    [
      { type: 'cpu_spike', service: 'checkout' },
      /service must be one of: api-gateway, user-service, payment-service, notification-service/,
    ],
    [{ service: 'payment-service' }, /type must be one of/],
    [
      { type: 'cpu_spike', service: 'api-gateway', severity: 'extreme' },
      /severity must be one of: low, medium, high, critical/,
    ],
    [{ type: 'cpu_spike', service: 'api-gateway', duration_minutes: 0 }, /duration_minutes must be at least 1/],
    [{ type: 'cpu_spike', service: 'api-gateway', duration_minutes: 'ten' }, /duration_minutes must be a number/],
    [{ type: 'cpu_spike', service: 'api-gateway', colour: 'red' }, /unknown field\(s\): colour/],
    ['{not json', /body: must be a JSON object/],
    [[1, 2], /body: must be a JSON object/],
  ])('simulate: 400 listing the valid values for %j', async (input, message) => {
    const res = await h.simulateIncident(post('incidents/simulate', input), ctx());
    expect(res.status).toBe(400);
    expect(body(res).problems.join('\n')).toMatch(message);
  });

  it('lists newest first, filters by status and pages with a continuation token', async () => {
    for (const type of ['memory_leak', 'latency_spike', 'error_spike'] as const) {
      expect(
        (await h.simulateIncident(post('incidents/simulate', { type, service: 'user-service' }), ctx())).status,
      ).toBe(201);
    }
    const active = body(await h.listIncidents(get('incidents?status=active'), ctx()));
    expect(active.items.map((i: Json) => i.type).sort()).toEqual(['error_spike', 'latency_spike', 'memory_leak']);
    const resolved = body(await h.listIncidents(get('incidents?status=resolved'), ctx()));
    expect(resolved.items.map((i: Json) => i.type).sort()).toEqual(['cpu_spike', 'pod_crash']);

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = body(
        await h.listIncidents(
          get(`incidents?limit=2${token ? `&continuation=${encodeURIComponent(token)}` : ''}`),
          ctx(),
        ),
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i: Json) => i.id));
      token = page.continuation;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const starts = (await Promise.all(seen.map(async (id) => id))).map((id) => parseInt(id.split('-')[1] ?? '', 36));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
  });

  it('list: 400 for a bad status or limit; resolve: 404 for an unknown id', async () => {
    const bad = await h.listIncidents(get('incidents?status=open'), ctx());
    expect(bad.status).toBe(400);
    expect(body(bad).problems).toEqual(['status must be one of: active, resolved']);
    expect((await h.listIncidents(get('incidents?limit=500'), ctx())).status).toBe(400);
    const forged = await h.listIncidents(get('incidents?continuation=abc'), ctx());
    expect(forged.status).toBe(400);
    expect(JSON.stringify(forged.jsonBody)).toMatch(/continuation/);
    const missing = await h.resolveIncident(
      post('incidents/inc-zzzzzz-00000000/resolve', undefined, { id: 'inc-zzzzzz-00000000' }),
      ctx(),
    );
    expect(missing.status).toBe(404);
    const malformed = await h.resolveIncident(post('incidents/nope/resolve', undefined, { id: 'nope' }), ctx());
    expect(malformed.status).toBe(404);
  });
});

describe('GET /system/info', () => {
  it('reports version, runtime, uptime, services and configuration without secrets', async () => {
    const info = body(await h.systemInfo(get('system/info'), ctx()));
    expect(info).toMatchObject({
      service: 'aiops-simulator',
      simulated_services: ['api-gateway', 'user-service', 'payment-service', 'notification-service'],
      region: 'local',
    });
    expect(info.runtime.node).toMatch(/^v22\./);
    expect(info.configuration.alert_webhook).toBe('configured');
    expect(JSON.stringify(info)).not.toContain('secret-key');
    expect(JSON.stringify(info)).not.toContain('AccountKey');
  });
});
