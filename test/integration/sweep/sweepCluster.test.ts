// A cluster sweep end to end over the wire: local ARM + managed identity, the simulated Kubernetes API (which
// changes between sweeps as an incident starts and ends), Table storage in Azurite, and a collecting results sink.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ensureLocalTls } from '../../../dev/tls.js';
import { AKS_SERVER_APP_ID, startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import {
  createStaticKubeSource,
  startKubeApiServer,
  type KubeApiServer,
  type KubeObjectSource,
} from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { identityStorageSettings, startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { FindingsStore } from '../../../shared/sweep/findingsStore.js';
import { sweepCluster } from '../../../shared/sweep/sweepCluster.js';
import type { ResultRow, ResultTable, ResultsSink } from '../../../shared/results/resultsSink.js';

const CLUSTER =
  '/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop';

function objects(incident: boolean): Record<string, unknown>[] {
  const labels = { app: 'web' };
  const container = {
    name: 'web',
    image: 'shop/web:1.4.2',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    securityContext: { runAsNonRoot: true, runAsUser: 1000 },
  };
  const pod = (i: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-6d4cf56db6-p${i}`,
      namespace: 'shop',
      labels,
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-6d4cf56db6', controller: true }],
    },
    spec: { nodeName: 'aks-system-1', containers: [container] },
    status: {
      phase: 'Running',
      containerStatuses: [
        incident && i === 0
          ? {
              name: 'web',
              ready: false,
              restartCount: 6,
              state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } },
              lastState: { terminated: { reason: 'Error', exitCode: 1 } },
            }
          : { name: 'web', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-01T00:00:00Z' } } },
      ],
    },
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'aks-system-1' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
      status: { replicas: 3, readyReplicas: incident ? 2 : 3, availableReplicas: incident ? 2 : 3 },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
      status: { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: labels, ports: [{ port: 80 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.244.0.10' }, { ip: '10.244.0.11' }] }],
    },
    ...[0, 1, 2].map(pod),
  ];
}

class CollectingSink implements ResultsSink {
  rows: { table: ResultTable; row: ResultRow }[] = [];
  async upload(table: ResultTable, rows: ResultRow[]) {
    for (const row of rows) this.rows.push({ table, row });
    return { uploaded: rows.length, spooled: 0 };
  }
}

let azurite: AzuriteInstance;
let local: LocalAzure;
let kube: KubeApiServer;
let config: AppConfig;
let store: FindingsStore;
let current: KubeObjectSource = createStaticKubeSource(objects(false));
let revision = 1;
let forbidPods = false;
let throttlePods = false;

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  azurite = await startAzurite({ identity: tls });
  let verify: (t: string | undefined) => 'ok' | 'unauthorized' | 'forbidden' = () => 'unauthorized';
  kube = await startKubeApiServer({
    source: { list: (r, ns) => current.list(r, ns), revision: () => String(revision) },
    tls,
    authenticate: (t) => verify(t),
    interceptor: (req) => {
      if (req.path === '/api/v1/pods' && forbidPods)
        return { status: 403, body: { kind: 'Status', code: 403, reason: 'Forbidden' } };
      if (req.path === '/api/v1/pods' && throttlePods)
        return { status: 429, headers: { 'Retry-After': '30' }, body: { kind: 'Status', code: 429 } };
      return undefined;
    },
  });
  local = await startLocalAzure({
    tls,
    dataDir: '.data/test-sweep-cluster',
    clusters: [
      {
        id: CLUSTER,
        location: 'westeurope',
        kubernetesVersion: '1.32.5',
        kubeApiUrl: kube.url,
        caPem: tls.cert,
        properties: { sku: { tier: 'Standard' } },
      },
    ],
  });
  verify = (t) => local.verifyToken(t, AKS_SERVER_APP_ID);
  process.env.IDENTITY_ENDPOINT = local.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = local.env.IDENTITY_HEADER;
  config = loadConfig({
    ...identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId),
    ARM_ENDPOINT: local.armEndpoint,
  });
  store = await FindingsStore.open(config);
});

afterAll(async () => {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  await Promise.all([local.close(), kube.close(), azurite.stop()]);
});

beforeEach(() => {
  forbidPods = false;
  throttlePods = false;
});

function setIncident(on: boolean) {
  current = createStaticKubeSource(objects(on));
  revision++;
}

describe('sweepCluster across sweeps', () => {
  const sink = new CollectingSink();
  const crashCheck = (findings: { check: string; name: string }[]) =>
    findings.find((f) => f.check === 'pod.crash-loop' && f.name === 'web-6d4cf56db6-p0');

  it('reports a new incident once, keeps it open while it lasts, and resolves it when it ends', async () => {
    setIncident(true);
    const s1 = await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'sweep-0001' });
    expect(s1.summary.partial).toBe(false);
    expect(s1.summary.errors).toEqual([]);
    expect(crashCheck(s1.findings)).toMatchObject({ state: 'new', count: 1 });
    expect(s1.summary.counts.new).toBe(s1.findings.length);
    expect(s1.summary.score).toBeLessThan(100);
    expect(s1.summary.namespaceScores.shop).toBeLessThan(100);
    const crash1 = s1.findings.find((f) => f.check === 'pod.crash-loop');
    const rows = sink.rows.filter((r) => r.table === 'AksAiopsFindings_CL' && r.row.SweepId === 'sweep-0001');
    expect(rows.map((r) => r.row.RecordId)).toContain(`sweep-0001/${crash1?.fingerprint ?? '?'}`);
    expect(sink.rows.filter((r) => r.table === 'AksAiopsSweeps_CL').map((r) => r.row.RecordId)).toEqual(['sweep-0001']);

    const s2 = await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'sweep-0002' });
    expect(crashCheck(s2.findings)).toMatchObject({ state: 'open', count: 2, firstSeen: crash1?.firstSeen });
    expect(s2.summary.counts.new).toBe(0);

    // The same message delivered again: nothing double-counted.
    const retry = await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'sweep-0002' });
    expect(crashCheck(retry.findings)).toMatchObject({ state: 'open', count: 2 });

    setIncident(false);
    const s3 = await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'sweep-0003' });
    expect(crashCheck(s3.findings)).toBeUndefined();
    expect(s3.summary.counts.resolved).toBeGreaterThanOrEqual(2);
    const stored = await store.loadFindings(CLUSTER);
    expect(stored.find((f) => f.check === 'pod.crash-loop')).toMatchObject({ state: 'resolved', count: 2 });
    expect(
      sink.rows.some(
        (r) => r.row.SweepId === 'sweep-0003' && r.row.Check === 'pod.crash-loop' && r.row.State === 'resolved',
      ),
    ).toBe(true);

    expect(await store.latestSweep(CLUSTER)).toMatchObject({ sweepId: 'sweep-0003', partial: false });
    expect(await store.listClusters()).toEqual([
      expect.objectContaining({ clusterId: CLUSTER, clusterName: 'aks-shop', lastSweepId: 'sweep-0003' }),
    ]);
  });

  it('a 403 on pods marks the sweep partial, names the missing role, and resolves nothing', async () => {
    setIncident(true);
    await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'sweep-0004' });
    forbidPods = true;
    setIncident(false);
    const s = await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'sweep-0005' });
    expect(s.summary.partial).toBe(true);
    expect(s.findings.find((f) => f.check === 'cluster.kube-access-denied')?.message).toContain(
      'Azure Kubernetes Service RBAC Reader',
    );
    const stored = await store.loadFindings(CLUSTER, { openOnly: true });
    expect(stored.some((f) => f.check === 'pod.crash-loop')).toBe(true);
  });

  it('prunes resolved findings and sweep history past the retention, keeping open findings and the latest summary', async () => {
    setIncident(false);
    await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'sweep-0010' });
    const before = await store.loadFindings(CLUSTER);
    const open = before.filter((f) => f.state !== 'resolved').length;
    expect(before.some((f) => f.state === 'resolved')).toBe(true);
    expect((await store.listSweeps(CLUSTER)).length).toBeGreaterThan(1);
    const removed = await store.prune(CLUSTER, new Date(Date.now() + 24 * 3600 * 1000));
    expect(removed).toBeGreaterThan(0);
    const after = await store.loadFindings(CLUSTER);
    expect(after.every((f) => f.state !== 'resolved')).toBe(true);
    expect(after).toHaveLength(open);
    expect(await store.listSweeps(CLUSTER)).toEqual([]);
    expect(await store.latestSweep(CLUSTER)).toBeDefined();
  });

  it('stops at the per-cluster time budget and reports a partial sweep', async () => {
    // The pods list answers 429 with Retry-After 30 s for ever: only the 1 s budget can end this sweep in time.
    throttlePods = true;
    const s = await sweepCluster(CLUSTER, {
      config: { ...config, SWEEP_TIME_BUDGET_SECONDS: 1 },
      sink,
      store,
      sweepId: 'sweep-0006',
    });
    expect(s.summary.partial).toBe(true);
    expect(s.summary.errors.some((e) => e.startsWith('pods:') && e.includes('time budget'))).toBe(true);
  });

  it('applies SWEEP_POLICY to ARM and Kubernetes findings; a broken policy sweeps with the defaults and says so', async () => {
    const sink = new CollectingSink();
    const base = { AzureWebJobsStorage: azurite.connectionString, ARM_ENDPOINT: local.armEndpoint };
    const before = await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'sweep-policy-1' });
    const arm = before.findings.find((f) => f.kind === 'ManagedCluster' && !f.check.startsWith('cluster.'));
    const kube = before.findings.find((f) => f.kind === 'Deployment');
    expect(arm).toBeDefined();
    expect(kube).toBeDefined();
    const policy = `checks:\n  ${arm!.check}: off\n  ${kube!.check}: critical\n`;
    const after = await sweepCluster(CLUSTER, {
      config: loadConfig({ ...base, SWEEP_POLICY: policy }),
      sink,
      store,
      sweepId: 'sweep-policy-2',
    });
    expect(after.findings.some((f) => f.check === arm!.check)).toBe(false);
    expect(after.findings.find((f) => f.check === kube!.check)?.severity).toBe('critical');
    const broken = await sweepCluster(CLUSTER, {
      config: loadConfig({ ...base, SWEEP_POLICY: 'checks:\n  no.such-check: off\n' }),
      sink,
      store,
      sweepId: 'sweep-policy-3',
    });
    expect(broken.summary.errors).toContain(
      'policy: SWEEP_POLICY: unknown check id(s) no.such-check (see docs/sweeps.md); swept with the default checks',
    );
    expect(broken.findings.some((f) => f.check === arm!.check)).toBe(true);
  });
});
