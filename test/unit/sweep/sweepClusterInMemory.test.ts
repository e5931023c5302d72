// sweepCluster with the in-memory findings repository: no Azurite. ARM, the managed identity and the Kubernetes API
// are still the local stand-ins over the wire (test/support/shopCluster.ts), so this is the sweep's own logic:
// lifecycle across sweeps, what it writes to its repository, and how a repository failure surfaces.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureLocalTls } from '../../../dev/tls.js';
import {
  CLUSTER,
  CollectingSink,
  startShopStandins,
  useLocalIdentity,
  type ShopStandins,
} from '../../support/shopCluster.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { RemoteServiceError } from '../../../shared/errors.js';
import { createInMemoryFindingsRepository, type FindingsRepository } from '../../../shared/sweep/findingsRepository.js';
import { sweepCluster } from '../../../shared/sweep/sweepCluster.js';

let shop: ShopStandins;
let config: AppConfig;
let restoreIdentity: () => void;

beforeAll(async () => {
  shop = await startShopStandins(await ensureLocalTls('.data'), '.data/test-sweep-in-memory');
  restoreIdentity = useLocalIdentity(shop.local);
  // A storage setting is required by the config, but nothing here reaches it: the repository is in memory and no
  // policy blob is configured.
  config = loadConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', ARM_ENDPOINT: shop.local.armEndpoint });
});

afterAll(async () => {
  restoreIdentity();
  await shop.close();
});

const crashLoop = (findings: { check: string; name: string }[]) =>
  findings.find((f) => f.check === 'pod.crash-loop' && f.name === 'web-6d4cf56db6-p0');

describe('sweepCluster over the in-memory repository', () => {
  it('opens, keeps and resolves a finding across sweeps and records each sweep as the latest', async () => {
    const store = createInMemoryFindingsRepository();
    const sink = new CollectingSink();
    shop.setIncident(true);
    // Injected clocks: a redelivered message starts at the same time, so it rewrites the same history entry.
    const at = (iso: string) => () => new Date(iso);
    const first = at('2026-11-30T10:00:00Z');
    const s1 = await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'mem-1', now: first, signalSources: [] });
    expect(s1.summary.errors).toEqual([]);
    expect(crashLoop(s1.findings)).toMatchObject({ state: 'new', count: 1 });
    expect(await store.latestSweep(CLUSTER)).toMatchObject({ sweepId: 'mem-1', partial: false });

    const retry = await sweepCluster(CLUSTER, { config, sink, store, sweepId: 'mem-1', now: first, signalSources: [] });
    expect(crashLoop(retry.findings)).toMatchObject({ state: 'new', count: 1 });

    shop.setIncident(false);
    const s2 = await sweepCluster(CLUSTER, {
      config,
      sink,
      store,
      sweepId: 'mem-2',
      now: at('2026-11-30T11:00:00Z'),
      signalSources: [],
    });
    expect(crashLoop(s2.findings)).toBeUndefined();
    expect(s2.summary.counts.resolved).toBeGreaterThanOrEqual(1);
    const stored = await store.loadFindings(CLUSTER);
    expect(crashLoop(stored)).toMatchObject({ state: 'resolved', count: 1, lastSweepId: 'mem-2' });
    expect(crashLoop(await store.loadFindings(CLUSTER, { openOnly: true }))).toBeUndefined();
    expect((await store.listSweeps(CLUSTER)).map((s) => s.sweepId)).toEqual(['mem-2', 'mem-1']);
    expect(await store.listClusters()).toEqual([
      expect.objectContaining({ clusterId: CLUSTER, clusterName: 'aks-shop', lastSweepId: 'mem-2' }),
    ]);
  });

  it('a repository that cannot save the summary fails the sweep as a storage failure (the message is retried)', async () => {
    const inner = createInMemoryFindingsRepository();
    const store: FindingsRepository = {
      ...inner,
      saveSweep: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      },
    };
    const err = await sweepCluster(CLUSTER, { config, sink: new CollectingSink(), store, sweepId: 'mem-3' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RemoteServiceError);
    expect((err as Error).message).toBe('Saving the sweep summary of aks-shop failed: connect ECONNREFUSED');
    // The findings were saved before the summary: a retry of the message finds them and changes nothing twice.
    expect((await inner.loadFindings(CLUSTER)).length).toBeGreaterThan(0);
  });
});
