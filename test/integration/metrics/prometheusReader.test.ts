// The managed-Prometheus reader over the wire: real fetch and the real ManagedIdentityCredential against the local
// managed-identity endpoint and the local Azure Monitor workspace query endpoint, which serves the simulator's series.
// Incidents shape the series the reader returns exactly as they shape the cluster.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { ManagedIdentityCredential } from '@azure/identity';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { startPrometheusEndpoint, type LocalPrometheusEndpoint } from '../../../dev/standins/prometheusEndpoint.js';
import { PrometheusReader, workloadOfPod } from '../../../shared/metrics/prometheusReader.js';
import type { MetricSeries } from '../../../shared/metrics/types.js';
import type { Incident } from '../../../shared/simulator/incidents/incident.js';
import { RemoteServiceError } from '../../../shared/errors.js';

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const MINUTE = 60_000;
const now = Math.floor(Date.now() / MINUTE) * MINUTE;
const incident = (type: Incident['type'], service: Incident['service'], minutesAgo: number): Incident => ({
  id: `${type}-${service}`,
  type,
  service,
  severity: 'high',
  startedAt: new Date(now - minutesAgo * MINUTE).toISOString(),
  endsAt: new Date(now + 60 * MINUTE).toISOString(),
  durationMinutes: 60 + minutesAgo,
  description: type,
  createdAt: new Date(now - minutesAgo * MINUTE).toISOString(),
});
const INCIDENTS = [
  incident('cpu_spike', 'api-gateway', 20),
  incident('latency_spike', 'payment-service', 20),
  incident('error_spike', 'user-service', 20),
  incident('pod_crash', 'notification-service', 20),
];

let local: LocalAzure;
let prom: LocalPrometheusEndpoint;
let reader: PrometheusReader;
const window = { from: new Date(now - 3 * 60 * MINUTE), to: new Date(now) };

beforeAll(async () => {
  const dataDir = '.data/test-prometheus-reader';
  await rm(dataDir, { recursive: true, force: true });
  const tls = await ensureLocalTls('.data');
  local = await startLocalAzure({ tls, dataDir, clusters: [] });
  process.env.IDENTITY_ENDPOINT = local.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = local.env.IDENTITY_HEADER;
  prom = await startPrometheusEndpoint({
    tls,
    cluster: { seed: 42, clusterName: 'aks-sim', clusterId: CLUSTER_ID },
    incidents: () => INCIDENTS,
    forbiddenAudiences: () => local.faults.forbiddenAudiences,
  });
  reader = new PrometheusReader(prom.endpoint, new ManagedIdentityCredential());
});

afterAll(async () => {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  await prom?.close();
  await local?.close();
});

const mean = (s: MetricSeries | undefined, fromMs: number, toMs: number) => {
  const pts = (s?.points ?? []).filter((p) => p.t >= fromMs && p.t <= toMs);
  if (pts.length === 0) throw new Error(`no points of ${s?.metric ?? '?'} in the window`);
  return pts.reduce((a, p) => a + p.v, 0) / pts.length;
};
const before = (s: MetricSeries | undefined) => mean(s, now - 150 * MINUTE, now - 30 * MINUTE);
const during = (s: MetricSeries | undefined) => mean(s, now - 12 * MINUTE, now);
const series = async (service: string, metric: string) =>
  (await reader.readWorkload(CLUSTER_ID, { namespace: 'production', name: service }, window)).find(
    (s) => s.metric === metric,
  );

describe('PrometheusReader against the local workspace query endpoint', () => {
  it('reads a workload: one point a minute, the PromQL that reproduces it, CPU with its request', async () => {
    const all = await reader.readWorkload(CLUSTER_ID, { namespace: 'production', name: 'api-gateway' }, window);
    const names = all.map((s) => s.metric).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        'cpu-usage',
        'error-rate',
        'hpa-current-replicas',
        'latency-p95',
        'memory-working-set',
        'request-rate',
        'restarts',
      ]),
    );
    // Reference-only series are folded into the series they describe.
    expect(names).not.toContain('cpu-request');
    const cpu = all.find((s) => s.metric === 'cpu-usage')!;
    expect(cpu.source).toBe('prometheus');
    expect(cpu.subject).toEqual({ kind: 'workload', namespace: 'production', name: 'api-gateway' });
    expect(cpu.query).toContain('rate(container_cpu_usage_seconds_total{cluster="aks-sim", namespace="production"');
    // three pods requesting 250m each
    expect(cpu.reference?.request).toBeCloseTo(0.75, 6);
    expect(cpu.points.length).toBeGreaterThan(170);
    expect(cpu.points[1]!.t - cpu.points[0]!.t).toBe(MINUTE);
  });

  it('a cpu_spike raises CPU usage and the HPA scales out', async () => {
    const cpu = await series('api-gateway', 'cpu-usage');
    expect(during(cpu)).toBeGreaterThan(1.5 * before(cpu));
    const hpa = await series('api-gateway', 'hpa-desired-replicas');
    expect(during(hpa)).toBeGreaterThan(before(hpa));
  });

  it('a latency_spike raises p95 latency; an error_spike raises the 5xx ratio', async () => {
    const latency = await series('payment-service', 'latency-p95');
    expect(during(latency)).toBeGreaterThan(2 * before(latency));
    const errors = await series('user-service', 'error-rate');
    expect(before(errors)).toBeLessThan(0.01);
    expect(during(errors)).toBeGreaterThan(0.05);
  });

  it('a pod_crash shows as restarts', async () => {
    const restarts = await series('notification-service', 'restarts');
    expect(before(restarts)).toBe(0);
    expect(Math.max(...restarts!.points.map((p) => p.v))).toBeGreaterThan(0);
  });

  it('reads the whole cluster per workload', async () => {
    const all = await reader.read(CLUSTER_ID, { from: new Date(now - 30 * MINUTE), to: new Date(now) });
    const workloads = new Set(all.map((s) => `${s.subject.namespace}/${s.subject.name}`));
    expect(workloads).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    expect([...workloads]).toEqual(expect.arrayContaining(['production/api-gateway', 'kube-system/coredns']));
    expect(workloadOfPod('production', 'api-gateway-7d4b9c6f5-h4j5k')).toEqual({
      namespace: 'production',
      name: 'api-gateway',
      kind: 'Deployment',
    });
  });

  it('answers the Prometheus error envelope: 400 bad_data outside the subset, 401 without a token', async () => {
    const token = await new ManagedIdentityCredential().getToken('https://prometheus.monitor.azure.com/.default');
    const ask = (query: string, auth = `Bearer ${token.token}`) =>
      fetch(`${prom.endpoint}/api/v1/query?query=${encodeURIComponent(query)}`, { headers: { authorization: auth } });
    const bad = await ask('avg_over_time(container_memory_working_set_bytes[5m])');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: expect.stringContaining('not in the local PromQL subset'),
    });
    const ok = await ask('sum(kube_horizontalpodautoscaler_spec_max_replicas)');
    expect(await ok.json()).toEqual({
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: {}, value: [expect.any(Number), '10'] }] },
    });
    expect((await ask('up', '')).status).toBe(401);
    const armToken = await new ManagedIdentityCredential().getToken('https://management.azure.com/.default');
    expect((await ask('up', `Bearer ${armToken.token}`)).status).toBe(401);
    const tooMany = await fetch(`${prom.endpoint}/api/v1/query_range?query=up&start=0&end=100000&step=1`, {
      headers: { authorization: `Bearer ${token.token}` },
    });
    expect(tooMany.status).toBe(400);
  });

  it('maps failures to RemoteServiceError with the status (403 without a role, 503 with Retry-After) and honours abort', async () => {
    prom.faults.current = { status: 503, failNext: 1, retryAfterSeconds: 7 };
    const err = await reader.queryRange('sum(container_memory_working_set_bytes)', window).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteServiceError);
    expect(err).toMatchObject({ statusCode: 503, retryAfterMs: 7000 });
    local.faults.forbiddenAudiences = ['https://prometheus.monitor.azure.com'];
    await expect(reader.queryRange('sum(container_memory_working_set_bytes)', window)).rejects.toMatchObject({
      statusCode: 403,
    });
    local.faults.forbiddenAudiences = undefined;
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    await expect(
      reader.queryRange('sum(container_memory_working_set_bytes)', window, { abortSignal: controller.signal }),
    ).rejects.toThrow('caller gave up');
  });
});
