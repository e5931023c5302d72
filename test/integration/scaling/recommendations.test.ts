// Recommendations for the simulated cluster, end to end over the wire: four weeks of Container insights history
// generated from the simulator (dev/local/containerInsightsHistory.ts) served by the local Log Analytics endpoint,
// the cluster's pools from the local ARM (the same SimulatedAksCluster `npm start` serves), read through the real
// LogsQueryClient and ContainerServiceClient. The learned schedule must follow the simulator's traffic shape
// (shared/simulator/metricsModel.ts loadFactor: busy weekday daytime peaking at 14:00 UTC, quiet nights, lighter
// weekends); the route answers 400s naming the field; the CLI prints the same and exits 2 on bad input.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { generateContainerInsightsHistory } from '../../../dev/local/containerInsightsHistory.js';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { captureCliIo } from '../../support/cliIo.js';
import { getConfig, resetConfigForTesting } from '../../../shared/config/config.js';
import { defaultClusterSpec, SimulatedAksCluster } from '../../../shared/simulator/aks/aksCluster.js';
import { getScalingRecommendations } from '../../../functions/scalingRecommendations.js';
import { createUsageHistoryReader, type ScalingRecommendations } from '../../../shared/scaling/recommendations.js';
import { runCli } from '../../../cli/main.js';
import { rightsizingSignalSource } from '../../../shared/scaling/rightsizingSignalSource.js';
import { createContainerServiceClient } from '../../../shared/azure/arm/armClients.js';
import { parseManagedClusterId } from '../../../shared/azure/arm/managedClusterId.js';
import type { ScheduleRule } from '../../../shared/scaling/schedule.js';

const { HttpRequest, InvocationContext } = createRequire(import.meta.url)(
  '@azure/functions',
) as typeof import('@azure/functions');

const CLUSTER =
  '/subscriptions/77777777-7777-7777-7777-777777777777/resourceGroups/rg-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const SEED = 42;

let azurite: AzuriteInstance;
let local: LocalAzure;
const saved = { ...process.env };

const context = () =>
  new InvocationContext({ invocationId: 'test', functionName: 'recommendations', logHandler: () => undefined });
const get = (query: Record<string, string>) =>
  getScalingRecommendations(
    new HttpRequest({
      method: 'GET',
      url: `http://127.0.0.1:7071/api/scaling/recommendations?${new URLSearchParams(query).toString()}`,
      query,
    }),
    context(),
  );

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  const now = Date.now();
  const aks = new SimulatedAksCluster(defaultClusterSpec(CLUSTER), { seed: SEED, now: () => Date.now() });
  const [history, storage] = await Promise.all([
    generateContainerInsightsHistory({
      seed: SEED,
      clusterId: CLUSTER,
      clusterName: 'aks-sim',
      createdAtMs: aks.createdAtMs,
      toMs: now,
    }),
    startAzurite(),
  ]);
  azurite = storage;
  local = await startLocalAzure({
    tls,
    dataDir: '.data/test-scaling-recommendations',
    clusters: [
      {
        id: CLUSTER,
        location: 'eastus',
        kubernetesVersion: '1.30.6',
        kubeApiUrl: 'https://127.0.0.1:1',
        caPem: tls.cert,
        aks,
      },
    ],
  });
  for (const [table, rows] of Object.entries(history)) local.setLogAnalyticsRows(table, rows);
  Object.assign(process.env, local.env, { AzureWebJobsStorage: azurite.connectionString });
  resetConfigForTesting();
}, 120_000);

afterAll(async () => {
  process.env = saved;
  resetConfigForTesting();
  await Promise.all([local.close(), azurite.stop()]);
});

/** Hours of the week (0 = Monday 00:00) a schedule's rules cover. */
function coveredHours(rules: ScheduleRule[]): Set<number> {
  const days = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
  const out = new Set<number>();
  for (const r of rules)
    for (const d of r.days)
      for (let h = Number(r.from.slice(0, 2)); h < Number(r.to.slice(0, 2)); h++) out.add(days.indexOf(d) * 24 + h);
  return out;
}

describe('the usage history KQL against the local Log Analytics (real LogsQueryClient)', () => {
  it('reads pools, hourly pool usage and per-container usage of the simulated cluster', async () => {
    const history = await createUsageHistoryReader(getConfig())(CLUSTER, { days: 28 });
    expect(new Set(history.nodes.map((n) => n.pool))).toEqual(new Set(['nodepool1', 'userpool']));
    const user = history.poolHours.filter((h) => h.pool === 'userpool');
    // One aggregate per hour since the workloads were deployed (about three weeks).
    expect(user.length).toBeGreaterThan(14 * 24);
    expect(user.every((h) => h.nodes === 3 && h.cpuAllocatableCores > 10 && h.cpuUsageCores.peak > 0)).toBe(true);
    const gateway = history.containers.filter((c) => c.workload === 'api-gateway');
    expect(gateway).toHaveLength(3);
    expect(gateway[0]).toMatchObject({ namespace: 'production', workloadKind: 'Deployment', container: 'api-gateway' });
    expect(gateway[0]?.cpuUsageCores?.samples).toBe(user.length);
    expect(gateway[0]?.cpuRequestCores).toBeCloseTo(0.25, 6);
  }, 60_000);
});

describe('GET /api/scaling/recommendations on the simulated cluster', () => {
  let recs: ScalingRecommendations;
  beforeAll(async () => {
    const res = await get({ cluster: CLUSTER });
    expect(res.status).toBe(200);
    recs = res.jsonBody as ScalingRecommendations;
  }, 60_000);

  it('proposes a user pool schedule that follows the traffic: busy weekday afternoons, quiet nights, lighter weekends', () => {
    expect(recs.pools.map((p) => p.pool)).toEqual(['userpool']); // system pools are not scheduled
    const pool = recs.pools[0]!;
    expect(pool.reason).toBeUndefined();
    const schedule = pool.schedule!;
    expect(schedule).toMatchObject({ clusterId: CLUSTER, nodePool: 'userpool', timeZone: 'UTC', mode: 'plan' });
    const busy = coveredHours(schedule.rules);
    for (let day = 0; day < 5; day++) {
      expect(busy.has(day * 24 + 14)).toBe(true); // the daily peak (loadFactor: sin((h - 8) / 24 * 2pi) = 1 at 14:00)
      expect(busy.has(day * 24 + 3)).toBe(false); // the night trough
    }
    const weekdayHours = [...busy].filter((h) => h < 5 * 24).length / 5;
    const weekendHours = [...busy].filter((h) => h >= 5 * 24).length / 2;
    expect(weekendHours).toBeLessThan(weekdayHours);
    // The pool runs its autoscaler: floors rise in busy windows and drop otherwise; the ceiling stays the pool's.
    for (const r of schedule.rules) expect(r).toMatchObject({ maxCount: 6 });
    const floors = schedule.rules.map((r) => ('minCount' in r ? r.minCount : 0));
    expect(Math.min(...floors)).toBeGreaterThan('minCount' in schedule.otherwise ? schedule.otherwise.minCount : 99);
    expect(pool.nodeHoursSavedPerWeek).toBeGreaterThan(0);
    expect(pool.basis.days).toBeGreaterThanOrEqual(14);
    expect(pool.risk?.every((r) => r.level === 'low')).toBe(true);
  });

  it("recommends requests from the workloads' usage, with the data each rests on", () => {
    const gateway = recs.workloads.find((w) => w.workload === 'api-gateway')!;
    // The simulated gateway uses more CPU than its 250m request (metricsModel: 6% + 0.28% per request/s per pod).
    expect(gateway.recommended!.cpuRequestCores).toBeGreaterThan(0.25);
    expect(gateway.recommended!.cpuLimitCores).toBeNull();
    expect(gateway.recommended!.memoryRequestBytes).toBeGreaterThanOrEqual(gateway.usage.memoryPeakBytes * 1.15);
    expect(gateway.basis.cpuSamples).toBeGreaterThanOrEqual(100);
    expect(recs.workloads.some((w) => w.namespace === 'kube-system')).toBe(false);
    expect(recs.method.join(' ')).toMatch(/Robusta KRR/);
    expect(Object.keys(recs.queries).sort()).toEqual(['containerUsage', 'nodePools', 'poolHours', 'workloads']);
  });

  it('with one week of data it refuses the schedule and says why', async () => {
    const res = await get({ cluster: CLUSTER, days: '7' });
    const pool = (res.jsonBody as ScalingRecommendations).pools[0]!;
    expect(pool.schedule).toBeUndefined();
    expect(pool.reason).toMatch(/not enough data: 7 days .*at least 14 days/);
  }, 60_000);

  it.each([
    [{}, 'cluster: required'],
    [{ cluster: 'aks-sim' }, 'cluster: must be an AKS managed cluster resource id'],
    [{ cluster: CLUSTER, timeZone: 'Mars/Olympus' }, 'timeZone: must be an IANA time zone'],
    [{ cluster: CLUSTER, days: '0' }, 'days:'],
    [{ cluster: CLUSTER, targetUtilization: '2' }, 'targetUtilization:'],
  ])('400 for %j naming the field', async (query, problem) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect((res.jsonBody as { problems: string[] }).problems.join('\n')).toContain(problem);
  });
});

describe('the sweep signal source', () => {
  const input = async (config = getConfig()) => {
    const id = parseManagedClusterId(CLUSTER);
    const client = createContainerServiceClient(config, id.subscriptionId);
    return {
      clusterId: CLUSTER,
      cluster: await client.managedClusters.get(id.resourceGroup, id.name),
      config,
      abortSignal: AbortSignal.timeout(60_000),
      now: new Date(),
    };
  };

  it('reports the recommendations as cost.* info findings', async () => {
    const result = await rightsizingSignalSource.collect(await input());
    expect(result.errors).toEqual([]);
    expect(result.drafts.filter((d) => d.check === 'cost.pool-schedule').map((d) => d.name)).toEqual([
      'aks-sim/userpool',
    ]);
    expect(result.drafts.some((d) => d.check === 'cost.workload-requests' && d.name === 'api-gateway')).toBe(true);
    expect(result.drafts.every((d) => d.severity === 'info')).toBe(true);
  }, 60_000);

  it('reads nothing when Container insights querying is off (no LOG_ANALYTICS_WORKSPACE_ID)', async () => {
    const result = await rightsizingSignalSource.collect(
      await input({ ...getConfig(), LOG_ANALYTICS_WORKSPACE_ID: undefined }),
    );
    expect(result).toEqual({ drafts: [], errors: [] });
  });
});

async function cli(args: string[]) {
  const c = captureCliIo();
  const code = await runCli(args, c.io);
  return { code, stdout: c.out(), stderr: c.err() };
}

describe('aks-aiops scale', () => {
  it('recommend prints the learned schedule and the workload requests', async () => {
    const r = await cli(['scale', 'recommend', '--cluster', CLUSTER, '--time-zone', 'Europe/Berlin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/userpool: saves ~[\d.]+ node-hours\/week/);
    expect(r.stdout).toMatch(/production\/api-gateway \[api-gateway\]: cpu 250m -> \d+m/);
  }, 60_000);

  it('plan lists the stored schedules of the cluster (none yet)', async () => {
    const r = await cli(['scale', 'plan', '--cluster', CLUSTER]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no schedules stored for this cluster');
  }, 30_000);

  it.each([
    [['scale'], 'say plan or recommend'],
    [['scale', 'resize', '--cluster', CLUSTER], "unknown subcommand 'resize'"],
    [['scale', 'recommend'], 'cluster: required'],
    [['scale', 'plan', '--cluster', 'not-an-id'], 'cluster: not an AKS managed cluster resource id'],
    [['scale', 'recommend', '--cluster', CLUSTER, '--days', 'x'], 'days:'],
    [['scale', 'plan', '--cluster', CLUSTER, '--bogus'], "Unknown option '--bogus'"],
  ])('%j exits 2 and says why', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
