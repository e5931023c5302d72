// What must hold when a fleet is swept, over the wire: Azurite (Table and Queue storage through the managed
// identity), the local ARM and identity endpoints, and simulated Kubernetes API servers, with the real SDK clients.
//  - idempotent sweep keys: overlapping timer runs name a cluster's sweep alike, and duplicate or redelivered
//    messages sweep it once;
//  - changed-only finding writes, with the periodic full refresh;
//  - a cluster whose API server hangs is cut off by its own budget without holding up the others.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { ensureLocalTls } from '../../../dev/tls.js';
import { AKS_SERVER_APP_ID, startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import {
  createStaticKubeSource,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { applyHostSettings } from '../../support/hostSettings.js';
import { getConfig, loadConfig, QUEUE_NAMES } from '../../../shared/config/config.js';
import { createQueueClient } from '../../../shared/storage/storageClients.js';
import { FindingsStore } from '../../../shared/sweep/findingsStore.js';
import { sweepTimer, sweepWorker } from '../../../functions/sweeps.js';
import { SweepClaims } from '../../../shared/sweep/sweepClaims.js';
import { sweepCluster } from '../../../shared/sweep/sweepCluster.js';
import { clusterKeyOf } from '../../../shared/sweep/fingerprint.js';
import type { ResultsSink } from '../../../shared/results/resultsSink.js';

const { InvocationContext } = createRequire(import.meta.url)('@azure/functions') as typeof import('@azure/functions');

const SUB = '16161616-1616-4616-8616-161616161616';
const idOf = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-fleet/providers/Microsoft.ContainerService/managedClusters/${name}`;
const FAST_A = idOf('aks-fast-a');
const FAST_B = idOf('aks-fast-b');
const SLOW = idOf('aks-slow');

let azurite: AzuriteInstance;
let local: LocalAzure;
const kubes: KubeApiServer[] = [];
let releaseSlow: () => void = () => undefined;
let restoreSettings: () => void;
const nullSink: ResultsSink = { upload: (_t, rows) => Promise.resolve({ uploaded: rows.length, spooled: 0 }) };

/** A node, Ready or not: NotReady nodes are findings; making one Ready resolves its finding. */
const node = (name: string, ready: boolean): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', reason: 'KubeletNotReady' }] },
});
const fastObjects: Array<Record<string, unknown>> = [
  node('aks-a-1', false),
  node('aks-a-2', false),
  node('aks-a-3', true),
];

const context = (id: string, dequeueCount = 1) =>
  new InvocationContext({
    invocationId: `inv-${Math.random()}`,
    functionName: 'sweepWorker',
    logHandler: () => undefined,
    triggerMetadata: { dequeueCount, id },
  });

async function historyRows(clusterId: string): Promise<number> {
  const table = TableClient.fromConnectionString(azurite.connectionString, 'sweeps', {
    allowInsecureConnection: true,
  });
  let n = 0;
  for await (const _ of table.listEntities({
    queryOptions: { filter: `PartitionKey eq '${clusterKeyOf(clusterId)}'` },
  }))
    n += 1;
  return n;
}

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  azurite = await startAzurite({ identity: tls });
  let verify: (t: string | undefined) => 'ok' | 'unauthorized' | 'forbidden' = () => 'unauthorized';
  const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
  for (const slow of [false, false, true]) {
    kubes.push(
      await startKubeApiServer({
        source: createStaticKubeSource(fastObjects),
        tls,
        authenticate: (t) => verify(t),
        // The slow cluster's API server accepts connections and then answers nothing until the test ends.
        beforeRequest: slow ? () => slowGate : undefined,
      }),
    );
  }
  local = await startLocalAzure({
    tls,
    dataDir: '.data/test-fleet-sweep',
    clusters: [FAST_A, FAST_B, SLOW].map((id, i) => ({
      id,
      location: 'westeurope',
      kubernetesVersion: '1.32.5',
      kubeApiUrl: kubes[i]!.url,
      caPem: tls.cert,
    })),
  });
  verify = (t) => local.verifyToken(t, AKS_SERVER_APP_ID);
  restoreSettings = applyHostSettings(local, azurite, {
    SWEEP_SUBSCRIPTION_IDS: SUB,
    SWEEP_CLUSTER_IDS: '',
    RESULTS_SINK: 'file',
    RESULTS_DIR: await mkdtemp(path.join(tmpdir(), 'fleet-sweep-')),
    SWEEP_TIME_BUDGET_SECONDS: '3',
  });
});

afterAll(async () => {
  releaseSlow();
  restoreSettings();
  await Promise.all([local.close(), ...kubes.map((k) => k.close()), azurite.stop()]);
});

describe('idempotent sweep keys', () => {
  it('overlapping timer runs enqueue the same sweep id; duplicate and redelivered messages sweep a cluster once', async () => {
    const timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: '', next: '', lastUpdated: '' },
    };
    await Promise.all([sweepTimer(timer, context('t1')), sweepTimer(timer, context('t2'))]);
    const queue = createQueueClient(getConfig(), QUEUE_NAMES.sweeps);
    const messages: Array<{ clusterId: string; sweepId: string }> = [];
    for (let batch = await queue.receiveMessages({ numberOfMessages: 32 }); ;) {
      for (const m of batch.receivedMessageItems) {
        messages.push(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as (typeof messages)[0]);
      }
      if (batch.receivedMessageItems.length === 0) break;
      batch = await queue.receiveMessages({ numberOfMessages: 32 });
    }
    const forA = messages.filter((m) => m.clusterId === FAST_A);
    expect(forA).toHaveLength(2);
    expect(forA[0]!.sweepId).toBe(forA[1]!.sweepId);

    // Both overlapping messages at once (different message ids), then a redelivery of the first after it succeeded.
    await Promise.all([sweepWorker(forA[0], context('msg-1')), sweepWorker(forA[1], context('msg-2'))]);
    await sweepWorker(forA[0], context('msg-1', 2));
    expect(await historyRows(FAST_A)).toBe(1);
    const claim = await (await SweepClaims.open(getConfig())).read(FAST_A);
    expect(claim).toMatchObject({ sweepId: forA[0]!.sweepId, state: 'done' });
  });

  it('a run started by hand (no schedule status) is a "sweep now": its sweeps are new ones, not the period\'s', async () => {
    const byHand = { isPastDue: false, schedule: { adjustForDST: false } } as unknown as Parameters<
      typeof sweepTimer
    >[0];
    await sweepTimer(byHand, context('hand-1'));
    await new Promise((r) => setTimeout(r, 5));
    await sweepTimer(byHand, context('hand-2'));
    const queue = createQueueClient(getConfig(), QUEUE_NAMES.sweeps);
    const ids: string[] = [];
    for (let batch = await queue.receiveMessages({ numberOfMessages: 32 }); batch.receivedMessageItems.length > 0;) {
      for (const m of batch.receivedMessageItems) {
        const body = JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as {
          clusterId: string;
          sweepId: string;
        };
        if (body.clusterId === FAST_A) ids.push(body.sweepId);
        await queue.deleteMessage(m.messageId, m.popReceipt);
      }
      batch = await queue.receiveMessages({ numberOfMessages: 32 });
    }
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('a redelivery takes over its own crashed claim; another message waits for the lease; an expired lease is free', async () => {
    const claims = await SweepClaims.open(getConfig());
    const cluster = FAST_B;
    const t0 = new Date('2026-11-30T23:00:00Z');
    const sweepId = '20261130-230000-0000abcd';
    const lease = { leaseMs: 60_000 };
    expect(await claims.claim(cluster, sweepId, { owner: 'msg-a', now: t0, ...lease })).toBe('claimed');
    // msg-a's worker died mid-sweep: its redelivery (same message id) continues; a duplicate message does not.
    expect(await claims.claim(cluster, sweepId, { owner: 'msg-b', now: t0, ...lease })).toBe('held');
    expect(await claims.claim(cluster, sweepId, { owner: 'msg-a', now: t0, ...lease })).toBe('claimed');
    const later = new Date(t0.getTime() + 61_000);
    expect(await claims.claim(cluster, sweepId, { owner: 'msg-b', now: later, ...lease })).toBe('claimed');
    await claims.complete(cluster, sweepId, { owner: 'msg-b', now: later });
    expect(await claims.claim(cluster, sweepId, { owner: 'msg-c', now: later, ...lease })).toBe('duplicate');
    // A stale message of an older period is superseded; the next period starts a new sweep.
    expect(await claims.claim(cluster, '20261130-224500-0000abcd', { owner: 'old', now: later, ...lease })).toBe(
      'superseded',
    );
    expect(await claims.claim(cluster, '20261130-231500-0000abcd', { owner: 'next', now: later, ...lease })).toBe(
      'claimed',
    );
  });
});

describe('changed-only finding writes', () => {
  it('rewrites only new, changed and resolved findings, and everything once the full-refresh interval has passed', async () => {
    const config = loadConfig({ ...process.env, SWEEP_FULL_REFRESH_HOURS: '6' });
    const store = await FindingsStore.open(config);
    const cluster = idOf('aks-fast-a');
    const table = TableClient.fromConnectionString(azurite.connectionString, 'findings', {
      allowInsecureConnection: true,
    });
    const etags = async () => {
      const out = new Map<string, string>();
      for await (const e of table.listEntities({
        queryOptions: { filter: `PartitionKey eq '${clusterKeyOf(cluster)}'` },
      }))
        out.set(`${String(e.check)}|${String(e.name)}`, e.etag);
      return out;
    };
    const sweep = (at: string, id: string) =>
      sweepCluster(cluster, { config, sink: nullSink, store, sweepId: id, now: () => new Date(at) });
    await sweep('2026-12-01T00:00:00Z', '20261201-000000-00000001');
    await sweep('2026-12-01T00:15:00Z', '20261201-001500-00000002'); // new → open: written
    const afterOpen = await etags();
    // One NotReady node recovers (the servers hold these very objects).
    const recovering = fastObjects[1] as unknown as { status: { conditions: Array<{ status: string }> } };
    recovering.status.conditions[0]!.status = 'True';
    const third = await sweep('2026-12-01T00:30:00Z', '20261201-003000-00000003');
    expect(third.summary.counts.resolved).toBe(1);
    const afterThird = await etags();
    const changed = [...afterThird].filter(([k, v]) => afterOpen.get(k) !== v).map(([k]) => k);
    expect(changed.filter((k) => k.includes('aks-a-2'))).toHaveLength(changed.length); // only the resolved one
    expect(changed.length).toBeGreaterThan(0);
    expect(afterThird.get(changed[0]!)).toBeDefined();
    const unchangedOpen = [...afterThird.keys()].filter((k) => k.includes('aks-a-1'));
    expect(unchangedOpen.length).toBeGreaterThan(0);
    for (const k of unchangedOpen) expect(afterThird.get(k)).toBe(afterOpen.get(k));

    // Six hours after their last write, unchanged open findings are rewritten with their current lastSeen.
    await sweep('2026-12-01T06:20:00Z', '20261201-062000-00000004');
    const refreshed = await etags();
    for (const k of unchangedOpen) expect(refreshed.get(k)).not.toBe(afterThird.get(k));
    const stored = await store.loadFindings(cluster, { openOnly: true });
    expect(stored.find((f) => f.name === 'aks-a-1')?.lastSeen).toBe('2026-12-01T06:20:00.000Z');
  });
});

describe('per-cluster budget', () => {
  it('a hanging API server ends in a partial sweep with the error recorded, while the other clusters finish first', async () => {
    const config = getConfig();
    const store = await FindingsStore.open(config);
    const finished: string[] = [];
    const run = (id: string, sweepId: string) =>
      sweepCluster(id, { config, sink: nullSink, store, sweepId }).then((r) => {
        finished.push(id);
        return r;
      });
    const [slow, a, b] = await Promise.all([
      run(SLOW, '20261201-100000-0000000a'),
      run(FAST_A, '20261201-100000-0000000b'),
      run(FAST_B, '20261201-100000-0000000c'),
    ]);
    expect(finished.indexOf(SLOW)).toBe(2);
    expect(a.summary.partial).toBe(false);
    expect(b.summary.partial).toBe(false);
    expect(slow.summary.partial).toBe(true);
    expect(slow.summary.errors.join('\n')).toMatch(/kubernetes|abort|time/i);
    // The partial result is stored like any other: the cluster is reported, not lost.
    expect((await store.latestSweep(SLOW))?.sweepId).toBe('20261201-100000-0000000a');
  });
});
