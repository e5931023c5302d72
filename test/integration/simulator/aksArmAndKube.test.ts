// Issue 12's "done when", wired as `npm start` wires it (dev/start.ts): one simulated AKS cluster served both by the
// local ARM and by the simulated Kubernetes API. The real ContainerServiceClient scales a pool and stops/starts the
// cluster (its own LRO poller, a short poll interval); kubectl and @kubernetes/client-node see the nodes follow.
// Time is an injected clock that the test moves; nothing here waits for a simulated delay to pass in real time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { CoreV1Api } from '@kubernetes/client-node';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';
import { kubeConfigFrom } from '../../support/kubeClients.js';
import { AKS_TIMINGS, startSimulatedAks, TestClock, type SimulatedAks } from '../../support/simulatedAks.js';

const SUB = '00000000-0000-0000-0000-0000000000a1';
const RG = 'rg-aiops-sim';
const NAME = 'aks-sim';
const CLUSTER_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${NAME}`;
const POLL = { updateIntervalInMs: 10 };

const clock = new TestClock(Date.parse('2026-11-24T09:00:00Z'));
let sim: SimulatedAks;
let client: ContainerServiceClient;
let core: CoreV1Api;
let dir: string;
let kubeconfigPath: string;
const run = promisify(execFile);

const kubectlOnPath = (process.env.PATH ?? '')
  .split(path.delimiter)
  .some((d) => d !== '' && existsSync(path.join(d, 'kubectl')));

async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const out = await run('kubectl', ['--kubeconfig', kubeconfigPath, '--request-timeout=5s', ...args], {
      env: { ...process.env, KUBECACHEDIR: path.join(dir, 'kubectl-cache') },
    });
    return { ...out, code: 0 };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : 1 };
  }
}

/** Node name -> [pool, Ready status, unschedulable] as the Kubernetes API reports them. */
async function kubeNodes(): Promise<Record<string, [string, string, boolean]>> {
  const nodes = (await core.listNode()).items;
  return Object.fromEntries(
    nodes.map((n) => [
      n.metadata?.name ?? '',
      [
        n.metadata?.labels?.['kubernetes.azure.com/agentpool'] ?? '',
        n.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '',
        n.spec?.unschedulable === true,
      ],
    ]),
  );
}

const countByPool = (nodes: Record<string, [string, string, boolean]>) =>
  Object.values(nodes).reduce<Record<string, number>>((acc, [pool]) => ({ ...acc, [pool]: (acc[pool] ?? 0) + 1 }), {});

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'aks-model-'));
  const kubeToken = 'aks-model-test-token';
  sim = await startSimulatedAks({ clusterId: CLUSTER_ID, clock, dataDir: path.join(dir, 'azure'), kubeToken });
  kubeconfigPath = path.join(dir, 'kubeconfig');
  await sim.cluster.writeKubeconfig(kubeconfigPath, { token: kubeToken });
  useLocalIdentity(sim.local);
  client = new ContainerServiceClient(new ManagedIdentityCredential(), SUB, { endpoint: sim.local.armEndpoint });
  core = kubeConfigFrom(sim.cluster.kubeconfig({ token: kubeToken })).makeApiClient(CoreV1Api);
});

afterAll(async () => {
  clearLocalIdentity();
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ARM and the Kubernetes API tell the same story', () => {
  it('agent pools (names, counts, modes) are the nodes the API server lists', async () => {
    const pools = [];
    for await (const p of client.agentPools.list(RG, NAME)) pools.push(p);
    expect(pools.map((p) => [p.name, p.mode, p.count, p.vmSize, p.provisioningState])).toEqual([
      ['nodepool1', 'System', 2, 'Standard_D4ds_v5', 'Succeeded'],
      ['userpool', 'User', 3, 'Standard_D4ds_v5', 'Succeeded'],
    ]);
    const nodes = (await core.listNode()).items;
    expect(countByPool(await kubeNodes())).toEqual({ nodepool1: 2, userpool: 3 });
    const first = nodes[0]!;
    expect(first.metadata?.labels).toMatchObject({
      'kubernetes.azure.com/agentpool': 'nodepool1',
      'kubernetes.azure.com/mode': 'system',
      'node.kubernetes.io/instance-type': 'Standard_D4ds_v5',
      'topology.kubernetes.io/zone': 'eastus-1',
      'kubernetes.azure.com/node-image-version': pools[0]?.nodeImageVersion,
    });
    const managed = await client.managedClusters.get(RG, NAME);
    expect(managed.powerState?.code).toBe('Running');
    expect(managed.agentPoolProfiles?.map((p) => p.name)).toEqual(['nodepool1', 'userpool']);
  });

  (kubectlOnPath ? it : it.skip)(
    'kubectl get nodes -L kubernetes.azure.com/agentpool shows the ARM pools',
    async () => {
      const out = await kubectl('get', 'nodes', '-L', 'kubernetes.azure.com/agentpool');
      expect(out.code).toBe(0);
      const rows = out.stdout.trim().split('\n').slice(1);
      expect(rows).toHaveLength(5);
      expect(rows.filter((r) => /^aks-userpool-\d{8}-vmss00000[0-2]\s+Ready\s.*\suserpool$/.test(r))).toHaveLength(3);
      expect(rows.filter((r) => /^aks-nodepool1-\d{8}-vmss00000[0-1]\s+Ready\s.*\snodepool1$/.test(r))).toHaveLength(2);
    },
  );

  it('a scale-out through beginCreateOrUpdate: Scaling with NotReady nodes, then Succeeded with them Ready', async () => {
    const poller = await client.agentPools.beginCreateOrUpdate(
      RG,
      NAME,
      'userpool',
      { count: 5, enableAutoScaling: true, minCount: 2, maxCount: 6 },
      POLL,
    );
    const pool = await client.agentPools.get(RG, NAME, 'userpool');
    expect([pool.provisioningState, pool.count]).toEqual(['Scaling', 5]);
    expect((await client.managedClusters.get(RG, NAME)).provisioningState).toBe('Scaling');
    let nodes = await kubeNodes();
    expect(Object.values(nodes).filter(([p, ready]) => p === 'userpool' && ready === 'False')).toHaveLength(2);

    // A second write while this one runs: 409 OperationNotAllowed, as AKS answers.
    const conflict = await client.managedClusters.beginStopAndWait(RG, NAME, POLL).catch((e: unknown) => e);
    expect(conflict).toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
    expect((conflict as Error).message).toMatch(/Another agentpool operation \(userpool - Scaling\) is in progress/);

    clock.advance(AKS_TIMINGS.nodeReadyMs);
    const done = await poller.pollUntilDone();
    expect([done.provisioningState, done.count]).toEqual(['Succeeded', 5]);
    nodes = await kubeNodes();
    expect(countByPool(nodes)).toEqual({ nodepool1: 2, userpool: 5 });
    expect(Object.values(nodes).every(([, ready]) => ready === 'True')).toBe(true);
  });

  it('a scale-in through beginCreateOrUpdateAndWait drains and removes the newest nodes; pods keep running', async () => {
    const before = Object.keys(await kubeNodes()).filter((n) => n.includes('-userpool-'));
    const result = await clock.passWhile(
      client.agentPools.beginCreateOrUpdateAndWait(RG, NAME, 'userpool', { count: 2, enableAutoScaling: false }, POLL),
    );
    expect([result.provisioningState, result.count, result.enableAutoScaling]).toEqual(['Succeeded', 2, false]);
    const after = Object.keys(await kubeNodes()).filter((n) => n.includes('-userpool-'));
    expect(after).toEqual(before.slice(0, 2));
    const pods = (await core.listNamespacedPod({ namespace: 'production' })).items;
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((p) => p.status?.phase === 'Running' && after.includes(p.spec?.nodeName ?? ''))).toBe(true);
  });

  it('an invalid update answers 400 InvalidParameter and starts nothing', async () => {
    const err = await client.agentPools
      .beginCreateOrUpdateAndWait(RG, NAME, 'userpool', { enableAutoScaling: true, minCount: 5, maxCount: 2 }, POLL)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 400, code: 'InvalidParameter' });
    expect((await client.agentPools.get(RG, NAME, 'userpool')).provisioningState).toBe('Succeeded');
  });

  it('a failed operation ends the poller with the error and the pool Failed', async () => {
    sim.aks.failNextOperation({
      code: 'QuotaExceeded',
      message: 'Operation could not be completed as it results in exceeding approved standardDDSv5Family Cores quota.',
    });
    const err = await clock
      .passWhile(client.agentPools.beginCreateOrUpdateAndWait(RG, NAME, 'userpool', { count: 4 }, POLL))
      .catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/quota/i);
    const pool = await client.agentPools.get(RG, NAME, 'userpool');
    expect([pool.provisioningState, pool.count]).toEqual(['Failed', 2]);
    expect(countByPool(await kubeNodes())).toEqual({ nodepool1: 2, userpool: 2 });
  });

  it('stopping the cluster takes the API server away; starting brings it back', async () => {
    await clock.passWhile(client.managedClusters.beginStopAndWait(RG, NAME, POLL));
    const stopped = await client.managedClusters.get(RG, NAME);
    expect([stopped.provisioningState, stopped.powerState?.code]).toEqual(['Succeeded', 'Stopped']);
    expect((await client.agentPools.get(RG, NAME, 'userpool')).powerState?.code).toBe('Stopped');
    const refused = (await core.listNode().catch((e: unknown) => e)) as Error & { cause?: { code?: string } };
    expect(refused.cause?.code).toBe('ECONNREFUSED');
    if (kubectlOnPath) {
      const out = await kubectl('get', 'nodes');
      expect(out.code).not.toBe(0);
      expect(out.stderr).toMatch(/The connection to the server 127\.0\.0\.1:\d+ was refused/);
    }

    await clock.passWhile(client.managedClusters.beginStartAndWait(RG, NAME, POLL));
    const started = await client.managedClusters.get(RG, NAME);
    expect([started.provisioningState, started.powerState?.code]).toEqual(['Succeeded', 'Running']);
    expect(countByPool(await kubeNodes())).toEqual({ nodepool1: 2, userpool: 2 });
    if (kubectlOnPath) {
      const out = await kubectl('get', 'nodes', '-L', 'kubernetes.azure.com/agentpool');
      expect(out.code).toBe(0);
      expect(out.stdout.trim().split('\n').slice(1)).toHaveLength(4);
    }
  });

  it('speaks the ARM LRO contract on the wire: 202 + Azure-AsyncOperation + Location, status InProgress -> Succeeded, 409 body', async () => {
    const token = (await new ManagedIdentityCredential().getToken('https://management.azure.com/.default')).token;
    const call = (method: string, url: string) =>
      fetch(url.startsWith('http') ? url : `${sim.local.armEndpoint}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
    const cluster = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${NAME}`;
    const stop = await call('POST', `${cluster}/stop?api-version=2026-04-01`);
    expect(stop.status).toBe(202);
    const asyncOp = stop.headers.get('azure-asyncoperation') ?? '';
    const location = stop.headers.get('location') ?? '';
    expect(asyncOp).toMatch(
      new RegExp(
        `^${sim.local.armEndpoint}/subscriptions/${SUB}/providers/Microsoft.ContainerService/locations/eastus/operations/[^/?]+\\?api-version=`,
      ),
    );
    expect(location).toMatch(/\/locations\/eastus\/operationresults\/[^/?]+\?api-version=/);
    expect(await (await call('GET', asyncOp)).json()).toMatchObject({ status: 'InProgress' });
    expect((await call('GET', location)).status).toBe(202);
    expect((await (await call('GET', `${cluster}?api-version=2026-04-01`)).json()) as unknown).toMatchObject({
      properties: { provisioningState: 'Stopping', powerState: { code: 'Running' } },
    });

    const conflict = await call('POST', `${cluster}/start?api-version=2026-04-01`);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ error: { code: 'OperationNotAllowed' } });

    clock.advance(AKS_TIMINGS.stopMs);
    expect(await (await call('GET', asyncOp)).json()).toMatchObject({
      status: 'Succeeded',
      endTime: expect.any(String),
    });
    expect((await call('GET', location)).status).toBe(204);
    await clock.passWhile(client.managedClusters.beginStartAndWait(RG, NAME, POLL));
    expect((await client.managedClusters.get(RG, NAME)).powerState?.code).toBe('Running');

    // Agent pool PUT: 200 with the pool in its new state and Azure-AsyncOperation (final state via that header).
    const put = await fetch(`${sim.local.armEndpoint}${cluster}/agentPools/nodepool1?api-version=2026-04-01`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { count: 3, enableAutoScaling: true, minCount: 1, maxCount: 3 } }),
    });
    expect(put.status).toBe(200);
    expect(put.headers.get('azure-asyncoperation')).toMatch(/\/locations\/eastus\/operations\//);
    expect(await put.json()).toMatchObject({
      name: 'nodepool1',
      properties: { count: 3, provisioningState: 'Scaling' },
    });
    clock.advance(AKS_TIMINGS.nodeReadyMs);
    expect(await (await call('GET', put.headers.get('azure-asyncoperation') ?? '')).json()).toMatchObject({
      status: 'Succeeded',
    });
  });
});
