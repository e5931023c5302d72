// The scaling timer's writes, against the one simulated AKS cluster as `npm start` wires it: the local ARM serves the
// cluster model, agent pool PUT and stop/start are long-running operations polled by the real ContainerServiceClient,
// and the simulated Kubernetes API shows the nodes follow. Covers an applied scale-out, a PodDisruptionBudget refusal
// read from the real Kubernetes API, an LRO that ends Failed (the ARM error on the record), one that does not finish
// in time, and a cluster stopped and started by a power schedule. Time is the model's injected clock, moved by the
// test while the SDK polls; the timeout case uses a short real deadline because that is what it tests.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api } from '@kubernetes/client-node';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { createContainerServiceClient } from '../../../shared/azure/arm/armClients.js';
import { getKubeConfigForCluster } from '../../../shared/kube/clusterKubeConfig.js';
import { readClusterFacts } from '../../../shared/scaling/readClusterFacts.js';
import { applyScalingAction, readPoolDisruptionFacts } from '../../../shared/scaling/clusterWrites.js';
import { InMemoryScheduleStore } from '../../../shared/scaling/scheduleStore.js';
import { parseSchedule } from '../../../shared/scaling/schedule.js';
import { runScaling, type ScalingRunDeps, type ScalingRunResult } from '../../../shared/scaling/runScaling.js';
import type { ResultRow, ResultTable, ResultsSink } from '../../../shared/results/resultsSink.js';
import { kubeConfigFrom } from '../../support/kubeClients.js';
import { AKS_TIMINGS, startSimulatedAks, TestClock, type SimulatedAks } from '../../support/simulatedAks.js';

const SUB = '00000000-0000-0000-0000-0000000000b2';
const RG = 'rg-aiops-sim';
const NAME = 'aks-sim';
const CLUSTER_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.ContainerService/managedClusters/${NAME}`;
const ALL_WEEK = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const clock = new TestClock(Date.parse('2026-11-30T10:00:00Z'));
let sim: SimulatedAks;
let config: AppConfig;
let core: CoreV1Api;
let dir: string;
const saved = { ...process.env };

class CapturingSink implements ResultsSink {
  rows: Array<{ table: ResultTable; row: ResultRow }> = [];
  upload(table: ResultTable, rows: ResultRow[]) {
    this.rows.push(...rows.map((row) => ({ table, row })));
    return Promise.resolve({ uploaded: rows.length, spooled: 0 });
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'scaling-apply-'));
  // As dev/start.ts: a static token for the test's own client, managed-identity tokens for the app's reads.
  const kubeToken = 'scaling-apply-test-token';
  sim = await startSimulatedAks({ clusterId: CLUSTER_ID, clock, dataDir: path.join(dir, 'azure'), kubeToken });
  // @azure/identity reads the managed identity endpoint from the environment.
  Object.assign(process.env, sim.local.env);
  config = loadConfig({ ...sim.local.env });
  core = kubeConfigFrom(sim.cluster.kubeconfig({ token: kubeToken })).makeApiClient(CoreV1Api);
});

afterAll(async () => {
  process.env = saved;
  await sim?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function deps(store: InMemoryScheduleStore, sink: ResultsSink, operationTimeoutMs = 60_000): ScalingRunDeps {
  return {
    store,
    sink,
    scalingEnabled: true,
    operationTimeoutMs,
    now: () => new Date(clock.now()),
    readClusterFacts: (id, options) => readClusterFacts(id, { config, ...options }),
    readPoolDisruptionFacts: async (id, pool, options) =>
      readPoolDisruptionFacts(await getKubeConfigForCluster(id, { config, ...options }), pool, options),
    applyAction: (id, nodePool, action, options) =>
      applyScalingAction(createContainerServiceClient(config, SUB), id, nodePool, action, {
        ...options,
        pollIntervalMs: 10,
      }),
  };
}

/** Runs the timer while moving the model's clock a step per event-loop turn, so the SDK's poller sees progress. */
const runWhileTimePasses = (d: ScalingRunDeps): Promise<ScalingRunResult> => clock.passWhile(runScaling(d));

const userNodes = async () =>
  (await core.listNode({ labelSelector: 'kubernetes.azure.com/agentpool=userpool' })).items.filter(
    (n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
  ).length;
const userPool = async () =>
  (await createContainerServiceClient(config, SUB).agentPools.get(RG, NAME, 'userpool')) as {
    count?: number;
    minCount?: number;
    maxCount?: number;
    provisioningState?: string;
  };
const store = async (...schedules: Array<[string, Record<string, unknown>]>) => {
  const s = new InMemoryScheduleStore();
  for (const [name, body] of schedules)
    await s.put(parseSchedule(name, { clusterId: CLUSTER_ID, timeZone: 'UTC', mode: 'apply', ...body }));
  return s;
};
const always = (value: Record<string, unknown>) => ({
  rules: [{ days: ALL_WEEK, from: '00:00', to: '24:00', ...value }],
  otherwise: value,
});

describe('scaling timer against the simulated AKS cluster', () => {
  it('applies a user pool schedule through the agent pool LRO; the Kubernetes nodes follow', async () => {
    expect(await userPool()).toMatchObject({ count: 3, minCount: 2, maxCount: 6 });
    const sink = new CapturingSink();
    const result = await runWhileTimePasses(
      deps(await store(['user-busy', { nodePool: 'userpool', ...always({ minCount: 5, maxCount: 6 }) }]), sink),
    );
    expect(result.decisions[0]).toMatchObject({ outcome: 'applied', mode: 'apply' });
    expect(result.decisions[0]?.reason).toBe(
      'node pool userpool minCount/maxCount 2/6 → 5/6, count 3 → 5 (rules[0] (Mon,Tue,Wed,Thu,Fri,Sat,Sun 00:00–24:00))',
    );
    expect(await userPool()).toMatchObject({ count: 5, minCount: 5, maxCount: 6, provisioningState: 'Succeeded' });
    expect(await userNodes()).toBe(5);
    expect(sink.rows[0]?.row).toMatchObject({ Decision: 'applied', Action: 'setBounds', NodeHoursSaved: -336 });

    // The next run finds ARM as the schedule wants it and writes nothing.
    const again = await runWhileTimePasses(
      deps(await store(['user-busy', { nodePool: 'userpool', ...always({ minCount: 5, maxCount: 6 }) }]), sink),
    );
    expect(again.decisions[0]).toMatchObject({ outcome: 'unchanged' });
  });

  it('refuses a scale-in the payment-service PodDisruptionBudget could not hold, as the Kubernetes API reports it', async () => {
    // What the simulated cluster says, read the way the guard reads it: the budget (seed 42: two healthy pods on two
    // different userpool nodes, one disruption allowed); dropping from 5 nodes to 1 could take both.
    const facts = await readPoolDisruptionFacts(await getKubeConfigForCluster(CLUSTER_ID, { config }), 'userpool');
    const pdb = facts.pdbs.find((p) => p.metadata?.name === 'payment-service');
    const paymentOnUser = facts.pods.filter(
      (p) => p.metadata?.labels?.app === 'payment-service' && facts.poolNodes.includes(p.spec?.nodeName ?? ''),
    );
    expect(pdb?.status?.disruptionsAllowed).toBeLessThan(paymentOnUser.length);
    const sink = new CapturingSink();
    const result = await runWhileTimePasses(
      deps(await store(['user-quiet', { nodePool: 'userpool', ...always({ minCount: 0, maxCount: 0 + 1 }) }]), sink),
    );
    expect(result.decisions[0]).toMatchObject({ outcome: 'skipped' });
    expect(result.decisions[0]?.reason).toMatch(
      /^scale-in refused: PodDisruptionBudget \S+\/payment-service allows \d disruption\(s\) but removing 4 node\(s\) could evict \d of its pods/,
    );
    expect(await userPool()).toMatchObject({ count: 5, minCount: 5 });
  });

  it('records an LRO that ends Failed with the ARM error; the next run skips the Failed cluster', async () => {
    sim.aks.failNextOperation({
      code: 'QuotaExceeded',
      message: 'Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota.',
    });
    const sink = new CapturingSink();
    const failed = await runWhileTimePasses(
      deps(await store(['user-more', { nodePool: 'userpool', ...always({ minCount: 6, maxCount: 6 }) }]), sink),
    );
    expect(failed.decisions[0]).toMatchObject({ outcome: 'failed' });
    expect(failed.decisions[0]?.error).toMatch(/QuotaExceeded/);
    expect(sink.rows[0]?.row).toMatchObject({ Decision: 'failed', Error: expect.stringMatching(/QuotaExceeded/) });

    // The failed operation left the cluster Failed: the next run skips it rather than write again.
    const skipped = await runWhileTimePasses(
      deps(await store(['user-more', { nodePool: 'userpool', ...always({ minCount: 6, maxCount: 6 }) }]), sink),
    );
    expect(skipped.decisions[0]).toMatchObject({
      outcome: 'skipped',
      reason: 'cluster provisioningState is Failed, not Succeeded',
    });
  });

  it('gives up waiting after the operation timeout and records it as failed', async () => {
    // A person reconciles the Failed cluster (a PUT that succeeds), so the next write is accepted.
    const client = createContainerServiceClient(config, SUB);
    const current = await client.agentPools.get(RG, NAME, 'userpool');
    await clock.passWhile(
      client.agentPools.beginCreateOrUpdateAndWait(
        RG,
        NAME,
        'userpool',
        { ...current, minCount: 2, maxCount: 6 },
        { updateIntervalInMs: 10 },
      ),
    );
    expect((await userPool()).provisioningState).toBe('Succeeded');
    // The clock does not move now, so the scale-out never completes; the 300 ms deadline ends the wait.
    const result = await runScaling(
      deps(
        await store(['user-slow', { nodePool: 'userpool', ...always({ minCount: 6, maxCount: 6 }) }]),
        new CapturingSink(),
        300,
      ),
    );
    expect(result.decisions[0]).toMatchObject({ outcome: 'failed' });
    expect(result.decisions[0]?.error).toMatch(/^the ARM operation did not finish within 0 s/);
    // Let it finish so the cluster is usable for the next test.
    clock.advance(AKS_TIMINGS.nodeReadyMs * 2);
    expect((await userPool()).provisioningState).toBe('Succeeded');
  });

  it('stops the cluster on a Stopped rule (the API server goes away) and starts it on Running', async () => {
    const sink = new CapturingSink();
    const stop = await runWhileTimePasses(deps(await store(['nights', always({ power: 'Stopped' })]), sink));
    expect(stop.decisions[0]).toMatchObject({ outcome: 'applied', reason: expect.stringMatching(/^stop cluster/) });
    expect((await readClusterFacts(CLUSTER_ID, { config })).powerState).toBe('Stopped');
    const refused = (await core.listNode().catch((e: unknown) => e)) as Error & { cause?: { code?: string } };
    expect(refused.cause?.code).toBe('ECONNREFUSED');

    const start = await runWhileTimePasses(deps(await store(['days', always({ power: 'Running' })]), sink));
    expect(start.decisions[0]).toMatchObject({ outcome: 'applied', reason: expect.stringMatching(/^start cluster/) });
    expect((await readClusterFacts(CLUSTER_ID, { config })).powerState).toBe('Running');
    expect((await core.listNode()).items.length).toBeGreaterThan(0);
  });
});
