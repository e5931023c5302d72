// A cluster sweep end to end over the wire: local ARM + managed identity, the simulated Kubernetes API (which
// changes between sweeps as an incident starts and ends), Table storage in Azurite, and a collecting results sink.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ensureLocalTls } from '../../../dev/tls.js';
import { identityStorageSettings, startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { CLUSTER, CollectingSink, startShopStandins, type ShopStandins } from '../../support/shopCluster.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { FindingsStore } from '../../../shared/sweep/findingsStore.js';
import { sweepCluster } from '../../../shared/sweep/sweepCluster.js';

let azurite: AzuriteInstance;
let shop: ShopStandins;
let config: AppConfig;
let store: FindingsStore;

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  azurite = await startAzurite({ identity: tls });
  shop = await startShopStandins(tls, '.data/test-sweep-cluster');
  const { local } = shop;
  useLocalIdentity(local);
  config = loadConfig({
    ...identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId),
    ARM_ENDPOINT: local.armEndpoint,
    // The sweep also reads the cluster's platform metrics (anomaly.* findings): from the local stand-in.
    METRICS_ENDPOINT: local.metricsEndpoint,
  });
  store = await FindingsStore.open(config);
});

afterAll(async () => {
  clearLocalIdentity();
  await Promise.all([shop.close(), azurite.stop()]);
});

beforeEach(() => {
  shop.forbidPods = false;
  shop.throttlePods = false;
});

const setIncident = (on: boolean) => shop.setIncident(on);

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
    shop.forbidPods = true;
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
    shop.throttlePods = true;
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
    const base = { AzureWebJobsStorage: azurite.connectionString, ARM_ENDPOINT: shop.local.armEndpoint };
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
