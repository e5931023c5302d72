// The scaling timer's run against the local ARM (real ContainerServiceClient) and a local Kubernetes API (real
// KubeConfig from listClusterUserCredential, managed-identity tokens): every schedule yields one decision on the
// record — planned (plan mode, or scaling not enabled, and saying so), unchanged, skipped (cluster not Succeeded,
// a scale-in a PodDisruptionBudget could not hold) or failed (ARM error) — and nothing is written to ARM for any of them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createStaticKubeSource } from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { startKubeBehindArm, type KubeBehindArm } from '../../support/kubeBehindArm.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { readClusterFacts } from '../../../shared/scaling/readClusterFacts.js';
import { readPoolDisruptionFacts, type WriteAction } from '../../../shared/scaling/clusterWrites.js';
import { getKubeConfigForCluster } from '../../../shared/kube/clusterKubeConfig.js';
import { InMemoryScheduleStore } from '../../../shared/scaling/scheduleStore.js';
import { parseSchedule } from '../../../shared/scaling/schedule.js';
import { runScaling, type ScalingRunDeps } from '../../../shared/scaling/runScaling.js';
import type { ResultRow, ResultTable, ResultsSink } from '../../../shared/results/resultsSink.js';
import type { KubeObject } from '../../../shared/kube/objects.js';

const SUB = '77777777-7777-7777-7777-777777777777';
const clusterId = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-timer/providers/Microsoft.ContainerService/managedClusters/${name}`;
const READY = clusterId('aks-ready');
const BUSY = clusterId('aks-busy');
const ALL_WEEK = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const manual = (name: string, mode: string, count: number) => ({
  name,
  mode,
  count,
  enableAutoScaling: false,
  minCount: null,
  maxCount: null,
});

/** Our own sink interface, capturing rows (the Log Analytics sink is tested against the ingestion stand-in). */
class CapturingSink implements ResultsSink {
  rows: Array<{ table: ResultTable; row: ResultRow }> = [];
  upload(table: ResultTable, rows: ResultRow[]) {
    this.rows.push(...rows.map((row) => ({ table, row })));
    return Promise.resolve({ uploaded: rows.length, spooled: 0 });
  }
}

// Three user nodes; web has one pod on each and a budget that allows no disruption; batch has a budget with room.
const node = (name: string, pool: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.azure.com/agentpool': pool } },
});
const pod = (ns: string, name: string, app: string, nodeName: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: ns, name, labels: { app } },
  spec: { nodeName, containers: [{ name: app, image: `${app}:1` }] },
  status: { phase: 'Running' },
});
const pdb = (ns: string, name: string, app: string, disruptionsAllowed: number): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { namespace: ns, name },
  spec: { selector: { matchLabels: { app } }, minAvailable: 3 - disruptionsAllowed },
  status: { disruptionsAllowed, currentHealthy: 3, desiredHealthy: 3 - disruptionsAllowed, expectedPods: 3 },
});
const kubeObjects: KubeObject[] = [
  node('aks-system-0', 'system'),
  ...[0, 1, 2].map((i) => node(`aks-user-${i}`, 'user')),
  ...[0, 1, 2].map((i) => pod('shop', `web-${i}`, 'web', `aks-user-${i}`)),
  pdb('shop', 'web', 'web', 0),
];

let aks: KubeBehindArm;
let config: AppConfig;
const saved = { ...process.env };
const writes: Array<{ clusterId: string; nodePool?: string; action: WriteAction }> = [];

beforeAll(async () => {
  const pools = [manual('system', 'System', 1), manual('user', 'User', 3)];
  aks = await startKubeBehindArm({
    kube: { source: createStaticKubeSource(kubeObjects) },
    dataDir: '.data/test-scaling-run',
    clusters: [
      { id: READY, location: 'westeurope', kubernetesVersion: '1.32.5', properties: { agentPoolProfiles: pools } },
      {
        id: BUSY,
        location: 'westeurope',
        kubernetesVersion: '1.32.5',
        properties: { provisioningState: 'Updating', agentPoolProfiles: pools },
      },
    ],
  });
  // @azure/identity reads the managed identity endpoint from the environment.
  Object.assign(process.env, aks.local.env);
  config = loadConfig({ ...aks.local.env });
});

afterAll(async () => {
  process.env = saved;
  await aks.close();
});

function deps(store: InMemoryScheduleStore, sink: ResultsSink, scalingEnabled: boolean): ScalingRunDeps {
  return {
    store,
    sink,
    scalingEnabled,
    operationTimeoutMs: 30_000,
    runId: 'scale-test',
    now: () => new Date('2026-11-30T10:00:00Z'),
    readClusterFacts: (id, options) => readClusterFacts(id, { config, ...options }),
    readPoolDisruptionFacts: async (id, pool, options) =>
      readPoolDisruptionFacts(await getKubeConfigForCluster(id, { config, ...options }), pool, options),
    // Every decision in this file must stop short of ARM: a write recorded here fails the test.
    applyAction: (id, nodePool, action) => {
      writes.push({ clusterId: id, nodePool, action });
      return Promise.resolve();
    },
  };
}

const schedule = (name: string, body: Record<string, unknown>) =>
  parseSchedule(name, { clusterId: READY, nodePool: 'user', timeZone: 'UTC', mode: 'apply', ...body });
const always = (value: Record<string, unknown>) => ({
  rules: [{ days: ALL_WEEK, from: '00:00', to: '24:00', ...value }],
  otherwise: value,
});

describe('runScaling', () => {
  it('records one decision per schedule and changes nothing it must not change', async () => {
    const store = new InMemoryScheduleStore();
    await store.put(schedule('user-to-one', always({ count: 1 })));
    await store.put(schedule('user-plan', { ...always({ count: 5 }), mode: 'plan' }));
    await store.put(schedule('system-same', { nodePool: 'system', ...always({ count: 1 }) }));
    await store.put(schedule('busy-user', { clusterId: BUSY, ...always({ count: 1 }) }));
    await store.put(schedule('gone', { clusterId: clusterId('aks-gone'), ...always({ count: 1 }) }));
    const sink = new CapturingSink();
    const result = await runScaling(deps(store, sink, true));

    const by = Object.fromEntries(result.decisions.map((d) => [d.plan.schedule, d]));
    // web-0..2 sit one per user node and their budget allows 0 disruptions: removing 2 nodes could evict 2.
    expect(by['user-to-one']).toMatchObject({ outcome: 'skipped', mode: 'apply' });
    expect(by['user-to-one']?.reason).toBe(
      'scale-in refused: PodDisruptionBudget shop/web allows 0 disruption(s) but removing 2 node(s) could evict 2 of its pods (kubectl -n shop get pdb web)',
    );
    expect(by['user-plan']).toMatchObject({ outcome: 'planned', nodeHoursSaved: -336 }); // +2 nodes for a week
    expect(by['user-plan']?.reason).toMatch(/count 3 → 5 .*the schedule is in plan mode$/);
    expect(by['system-same']).toMatchObject({ outcome: 'unchanged', nodeHoursSaved: 0 });
    expect(by['busy-user']).toMatchObject({
      outcome: 'skipped',
      reason: 'cluster provisioningState is Updating, not Succeeded',
    });
    expect(by['gone']).toMatchObject({ outcome: 'failed' });
    expect(by['gone']?.error).toMatch(/clusterId: ARM has no managed cluster/);
    expect(writes).toEqual([]);

    // One row per decision, keyed by run and schedule.
    expect(sink.rows.map((r) => [r.table, r.row.RecordId, r.row.Decision]).sort()).toEqual(
      [
        ['AksAiopsScaling_CL', 'scale-test/busy-user', 'skipped'],
        ['AksAiopsScaling_CL', 'scale-test/gone', 'failed'],
        ['AksAiopsScaling_CL', 'scale-test/system-same', 'unchanged'],
        ['AksAiopsScaling_CL', 'scale-test/user-plan', 'planned'],
        ['AksAiopsScaling_CL', 'scale-test/user-to-one', 'skipped'],
      ].sort(),
    );
  });

  it('without SCALING_ENABLED an apply schedule is planned, and the decision says why', async () => {
    const store = new InMemoryScheduleStore();
    await store.put(schedule('user-to-one', always({ count: 1 })));
    const sink = new CapturingSink();
    const result = await runScaling(deps(store, sink, false));
    expect(result.decisions[0]).toMatchObject({ outcome: 'planned', mode: 'plan', nodeHoursSaved: 336 });
    expect(result.decisions[0]?.reason).toMatch(/SCALING_ENABLED=false: deploy with enableScaling=true/);
    expect(sink.rows[0]?.row).toMatchObject({ Mode: 'plan', Decision: 'planned', Action: 'scale' });
    expect(writes).toEqual([]);
  });
});
