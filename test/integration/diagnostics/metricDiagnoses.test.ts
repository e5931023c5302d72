// Every simulated incident type, end to end: the incident shapes the simulated cluster and the series of the local
// Azure Monitor workspace (Prometheus query stand-in), its alert goes through intake and the worker, and the diagnosis
// names what the incident does — never `healthy` or `unknown` while it runs. The worker reads the alerted workload's
// metrics with the real PrometheusReader (fetch + ManagedIdentityCredential against the local identity endpoint).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { identityStorageSettings, startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { startPrometheusEndpoint, type LocalPrometheusEndpoint } from '../../../dev/standins/prometheusEndpoint.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { createDiagnosticsRuntime, type DiagnosticsRuntime } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import { commonAlertSchema } from '../../../shared/diagnostics/alertSchema.js';
import { normalizeAlert, resolveAlertCluster } from '../../../shared/diagnostics/normalizeAlert.js';
import { buildIncidentAlert } from '../../../shared/simulator/alerts/incidentAlert.js';
import {
  startSimulatedCluster,
  type SimulatedCluster,
} from '../../../shared/simulator/cluster/startSimulatedCluster.js';
import { createInMemoryIncidentStore, type IncidentStore } from '../../../shared/simulator/incidents/incidentStore.js';
import type { IncidentType } from '../../../shared/simulator/incidents/incident.js';
import type { ServiceName } from '../../../shared/simulator/services.js';
import type { Diagnosis } from '../../../shared/diagnostics/types.js';
import { INCIDENT_DIAGNOSES } from '../../support/incidentDiagnoses.js';
import { kubeConfigFrom } from '../../support/kubeClients.js';

let azurite: AzuriteInstance;
let local: LocalAzure;
let prom: LocalPrometheusEndpoint;
let sim: SimulatedCluster;
let config: AppConfig;
let withMetrics: DiagnosticsRuntime;
let withoutMetrics: DiagnosticsRuntime;
// A fresh incident history per test, so one incident's effects never sit in the next one's baseline.
let incidents = createInMemoryIncidentStore();
const store: IncidentStore = {
  create: (i, o) => incidents.create(i, o),
  get: (id, o) => incidents.get(id, o),
  resolve: (id, at, o) => incidents.resolve(id, at, o),
  list: (o) => incidents.list(o),
  overlapping: (from, to, o) => incidents.overlapping(from, to, o),
};

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  const dataDir = '.data/test-metric-diagnoses';
  await rm(dataDir, { recursive: true, force: true });
  // Storage over HTTPS with the app's managed identity (no key), as in Azure.
  azurite = await startAzurite({ identity: tls });
  local = await startLocalAzure({ tls, dataDir, clusters: [] });
  process.env.IDENTITY_ENDPOINT = local.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = local.env.IDENTITY_HEADER;
  const storageSettings = identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId);
  const base = loadConfig(storageSettings);
  sim = await startSimulatedCluster({
    config: base,
    tls,
    incidentStore: store,
    token: 'metric-diagnoses-token',
    refreshIntervalMs: 60_000,
  });
  prom = await startPrometheusEndpoint({
    tls,
    cluster: { seed: base.SIMULATOR_SEED, clusterName: sim.clusterName, clusterId: sim.clusterId, aks: sim.aks },
    incidents: (from, to) => store.overlapping(from, to),
    forbiddenAudiences: () => local.faults.forbiddenAudiences,
  });
  config = loadConfig({ ...storageSettings, PROMETHEUS_QUERY_ENDPOINT: prom.endpoint });
  const kc = kubeConfigFrom(sim.kubeconfig({ token: 'metric-diagnoses-token' }));
  const overrides = {
    kubeConfigProvider: async () => kc,
    sink: { upload: async (_t: string, rows: unknown[]) => ({ uploaded: rows.length, spooled: 0 }) },
    resolveCluster: async (name: string) => (name === sim.clusterName ? sim.clusterId : undefined),
  };
  withMetrics = createDiagnosticsRuntime(config, overrides);
  withoutMetrics = createDiagnosticsRuntime(base, overrides);
});

afterAll(async () => {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  await Promise.all([sim?.close(), prom?.close(), local?.close(), azurite?.stop()]);
});

beforeEach(() => {
  incidents = createInMemoryIncidentStore();
});

async function diagnose(
  type: IncidentType,
  service: ServiceName,
  runtime = withMetrics,
  options: { resolveAfterMinutes?: number; startedMinutesAgo?: number } = {},
): Promise<Diagnosis> {
  const incident = await store.create({
    type,
    service,
    severity: 'high',
    durationMinutes: 60,
    description: `metric diagnoses ${type}`,
    startedAt: new Date(Date.now() - (options.startedMinutesAgo ?? 8) * 60_000),
  });
  if (options.resolveAfterMinutes !== undefined)
    await store.resolve(incident.id, new Date(Date.parse(incident.startedAt) + options.resolveAfterMinutes * 60_000));
  await sim.refresh();
  const payload = buildIncidentAlert(incident, {
    seed: config.SIMULATOR_SEED,
    clusterName: sim.clusterName,
    clusterId: sim.clusterId,
  });
  const alert = await resolveAlertCluster(normalizeAlert(commonAlertSchema.parse(payload)), runtime.resolveCluster);
  const deps = runtime.workerDeps();
  return deps.diagnose(alert, { id: `dg-${type}`, budgetMs: 60_000 });
}

describe('the alert of every simulated incident type names what the incident does', () => {
  it.each(INCIDENT_DIAGNOSES)('%s on %s → %s', async (type, service, expected) => {
    const d = await diagnose(type, service);
    expect({ rootCause: d.rootCause, summary: d.summary }).toEqual({
      rootCause: expected,
      summary: expect.any(String),
    });
    expect(d.state).toBe('still_failing');
    expect(d.evidenceGaps ?? []).toEqual([]);
  });

  it('cpu_saturation quotes the CPU series with its PromQL and the HPA scaling out', async () => {
    const d = await diagnose('cpu_spike', 'api-gateway');
    expect(d.rootCause).toBe('cpu_saturation');
    expect(d.summary).toMatch(/CPU of production\/api-gateway rose to \d+m .*HPA/);
    const cpu = d.evidence.find((e) => e.detail.startsWith('cpu-usage of production/api-gateway'));
    expect(cpu).toMatchObject({
      source: 'prometheus',
      reproduce: expect.stringContaining('container_cpu_usage_seconds_total'),
    });
    expect(cpu?.detail).toMatch(
      /peak \d+m, last \d+m at .*baseline median \d+m .*anomaly score 0\.\d+; still outside its baseline/,
    );
  });

  it('latency_degradation comes with the readiness probe failures it causes', async () => {
    const d = await diagnose('latency_spike', 'payment-service');
    expect(d.summary).toMatch(/p95 latency of production\/payment-service rose to .*readiness probes time out/);
    expect(d.evidence.map((e) => e.source)).toEqual(expect.arrayContaining(['prometheus', 'events']));
    expect(d.evidence.find((e) => e.source === 'prometheus')?.reproduce).toContain('histogram_quantile(0.95');
  });

  it('error_rate_surge counts and quotes the 5xx lines of the pods logs', async () => {
    const d = await diagnose('error_spike', 'user-service');
    expect(d.summary).toMatch(/The 5xx ratio of production\/user-service rose to [\d.]+% .*\d+ error lines/);
    const line = d.evidence.find((e) => e.source === 'logs');
    expect(line?.detail).toMatch(/^\d+× in the log tail of user-service-.*503 upstream connect error/);
  });

  it('an incident that is over: the cause is named and it has recovered, never transient while the metric is out', async () => {
    // Two minutes of spike, over five minutes ago: the alerted CPU series is back inside its baseline. Either the
    // detector still names the spike (a cause that has recovered) or it calls it a blip (transient) — both say it is
    // over, and the evidence shows the series back inside its baseline.
    const d = await diagnose('cpu_spike', 'api-gateway', withMetrics, { resolveAfterMinutes: 2 });
    expect([
      ['cpu_saturation', 'recovered'],
      ['healthy', 'transient'],
    ]).toContainEqual([d.rootCause, d.state]);
    const cpu = d.evidence.find((e) => e.detail.startsWith('cpu-usage of production/api-gateway'));
    expect(cpu?.detail).toMatch(/back inside its baseline/);
    if (d.state === 'transient') expect(d.summary).toMatch(/The alerted cpu-usage is back inside its baseline/);
  });

  it('without a metric source the diagnosis says what is missing instead of calling the alert transient', async () => {
    const d = await diagnose('cpu_spike', 'api-gateway', withoutMetrics);
    expect(d.state).not.toBe('transient');
    expect(d.evidenceGaps).toEqual([
      expect.stringMatching(/^metrics of production\/api-gateway: no metric source configured/),
    ]);
  });

  it('an alert delivered before its samples can be read back is deferred (503), not called transient', async () => {
    // The simulator posts the alert when the incident starts; its fire time is a minute later.
    await expect(diagnose('cpu_spike', 'api-gateway', withMetrics, { startedMinutesAgo: 0 })).rejects.toMatchObject({
      statusCode: 503,
      retryAfterMs: expect.any(Number),
    });
  });

  it('a workspace that refuses the identity is a gap, not a guess', async () => {
    local.faults.forbiddenAudiences = ['https://prometheus.monitor.azure.com'];
    try {
      const d = await diagnose('latency_spike', 'payment-service');
      expect(d.rootCause).not.toBe('latency_degradation');
      expect(d.evidenceGaps).toEqual([
        expect.stringMatching(/^Prometheus metrics of production\/payment-service: access denied \(403/),
      ]);
    } finally {
      local.faults.forbiddenAudiences = undefined;
    }
  });
});
