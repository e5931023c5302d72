// The sweep functions as the host calls them (real HttpRequest / InvocationContext objects): the timer enqueues
// one message per discovered cluster, the worker sweeps it, and the read API serves the result.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStaticKubeSource } from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { applyHostSettings } from '../../support/hostSettings.js';
import { startKubeBehindArm, type KubeBehindArm } from '../../support/kubeBehindArm.js';
import { nodeWithReady } from '../../support/kubeObjects.js';
import { getConfig, QUEUE_NAMES } from '../../../shared/config/config.js';
import { createQueueClient } from '../../../shared/storage/storageClients.js';
import { getClusters, getLatestSweep, sweepTimer, sweepWorker } from '../../../functions/sweeps.js';
import { HttpRequest, InvocationContext } from '../../support/functionsRuntime.js';

const SUB = '55555555-5555-5555-5555-555555555555';
const CLUSTER = `/subscriptions/${SUB}/resourceGroups/rg-fn/providers/Microsoft.ContainerService/managedClusters/aks-fn`;

let azurite: AzuriteInstance;
let aks: KubeBehindArm;
let resultsDir: string;
let restoreSettings: () => void;

const context = () =>
  new InvocationContext({
    invocationId: 'test',
    functionName: 'sweep',
    logHandler: () => undefined,
    triggerMetadata: { dequeueCount: 1 },
  });
const get = (route: string, query: Record<string, string> = {}) =>
  new HttpRequest({
    method: 'GET',
    url: `http://127.0.0.1:7071/api/${route}?${new URLSearchParams(query).toString()}`,
    query,
  });

beforeAll(async () => {
  aks = await startKubeBehindArm({
    dataDir: '.data/test-sweep-functions',
    clusters: [{ id: CLUSTER, location: 'westeurope', kubernetesVersion: '1.32.5' }],
    kube: {
      source: createStaticKubeSource([
        nodeWithReady('aks-system-1', { status: 'False', reason: 'KubeletNotReady', message: 'PLEG is not healthy' }),
      ]),
    },
  });
  azurite = await startAzurite({ identity: aks.tls });
  resultsDir = await mkdtemp(path.join(tmpdir(), 'sweep-results-'));
  restoreSettings = applyHostSettings(aks.local, azurite, {
    SWEEP_SUBSCRIPTION_IDS: SUB,
    RESULTS_SINK: 'file',
    RESULTS_DIR: resultsDir,
  });
});

afterAll(async () => {
  restoreSettings();
  await Promise.all([aks.close(), azurite.stop()]);
});

describe('sweep functions', () => {
  it('validates the cluster query parameter (400) and answers 404 for a cluster never swept', async () => {
    const missing = await getLatestSweep(get('sweeps/latest'), context());
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.jsonBody)).toContain('cluster');
    const malformed = await getLatestSweep(get('sweeps/latest', { cluster: 'aks-fn' }), context());
    expect(malformed.status).toBe(400);
    const badSeverity = await getLatestSweep(
      get('sweeps/latest', { cluster: CLUSTER, severity: 'urgent', limit: '0' }),
      context(),
    );
    expect(badSeverity.status).toBe(400);
    expect((badSeverity.jsonBody as { problems: string[] }).problems).toEqual([
      expect.stringContaining('severity'),
      expect.stringContaining('limit'),
    ]);
    const unknown = await getLatestSweep(get('sweeps/latest', { cluster: CLUSTER }), context());
    expect(unknown.status).toBe(404);
  });

  it('timer → queue → worker → GET /api/clusters and GET /api/sweeps/latest', async () => {
    await sweepTimer(
      { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } },
      context(),
    );
    const queue = createQueueClient(getConfig(), QUEUE_NAMES.sweeps);
    const received = await queue.receiveMessages({ numberOfMessages: 32 });
    expect(received.receivedMessageItems).toHaveLength(1);
    const body = JSON.parse(
      Buffer.from(received.receivedMessageItems[0]?.messageText ?? '', 'base64').toString('utf8'),
    ) as { clusterId: string; sweepId: string };
    expect(body.clusterId).toBe(CLUSTER);

    await sweepWorker(body, context());

    const clusters = await getClusters(get('clusters'), context());
    expect(clusters.status).toBe(200);
    expect((clusters.jsonBody as { clusters: unknown[] }).clusters).toEqual([
      expect.objectContaining({
        clusterId: CLUSTER,
        clusterName: 'aks-fn',
        lastSweepId: body.sweepId,
        grade: expect.any(String),
        // The fleet view's counts by severity and score trend come with the list.
        counts: expect.objectContaining({ critical: expect.any(Number), warning: expect.any(Number) }),
        trend: [expect.objectContaining({ sweepId: body.sweepId, score: expect.any(Number) })],
      }),
    ]);

    const latest = await getLatestSweep(get('sweeps/latest', { cluster: CLUSTER }), context());
    expect(latest.status).toBe(200);
    const json = latest.jsonBody as {
      summary: { sweepId: string; partial: boolean };
      findings: { check: string; state: string }[];
    };
    expect(json.summary).toMatchObject({ sweepId: body.sweepId, partial: false });
    expect(json.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ check: 'node.not-ready', state: 'new' })]),
    );

    const criticalOnly = await getLatestSweep(
      get('sweeps/latest', { cluster: CLUSTER, severity: 'critical', limit: '1' }),
      context(),
    );
    const c = criticalOnly.jsonBody as { totalFindings: number; findings: { severity: string }[] };
    expect(c.findings).toHaveLength(1);
    expect(c.findings.every((f) => f.severity === 'critical')).toBe(true);
    expect(c.totalFindings).toBeGreaterThanOrEqual(1);

    // The file sink wrote the rows the Log Analytics tables would receive.
    const sweepsFile = await readFile(path.join(resultsDir, 'AksAiopsSweeps_CL.jsonl'), 'utf8');
    expect(sweepsFile).toContain(body.sweepId);
  });

  it('puts a malformed message on sweeps-poison at once instead of retrying or dropping it', async () => {
    const malformed = { clusterId: 'nope', sweepId: `malformed-${Date.now()}` };
    await expect(sweepWorker(malformed, context())).resolves.toBeUndefined();
    const poison = createQueueClient(getConfig(), `${QUEUE_NAMES.sweeps}-poison`);
    const got = await poison.receiveMessages({ numberOfMessages: 32 });
    const bodies = got.receivedMessageItems.map((m) => Buffer.from(m.messageText, 'base64').toString('utf8'));
    expect(bodies).toContain(JSON.stringify(malformed));
  });
});
