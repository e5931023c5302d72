// The scaling API as the host calls it (real HttpRequest / InvocationContext objects), over Azurite tables and the
// local ARM through the real ContainerServiceClient: schedules are checked against the cluster's agent pools,
// stored, listed, planned against ARM's current state and deleted; ARM refusing or unreachable maps to 500 / 503.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { applyHostSettings } from '../../support/hostSettings.js';
import { resetConfigForTesting } from '../../../shared/config/config.js';
import {
  deleteScheduleByName,
  getScalingPlan,
  getScheduleByName,
  getSchedules,
  putSchedule,
} from '../../../functions/scaling.js';
import { HttpRequest, invocationContext } from '../../support/functionsRuntime.js';
import { berlinBusinessHours } from '../../support/schedules.js';

const SUB = '66666666-6666-6666-6666-666666666666';
const clusterId = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-scale/providers/Microsoft.ContainerService/managedClusters/${name}`;
const CLUSTER = clusterId('aks-scale');
const ALL_WEEK = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

let azurite: AzuriteInstance;
let local: LocalAzure;
let restoreSettings: () => void;

const context = () => invocationContext('scaling');
const request = (
  method: string,
  route: string,
  options: { query?: Record<string, string>; body?: unknown; params?: Record<string, string> } = {},
) =>
  new HttpRequest({
    method,
    url: `http://127.0.0.1:7071/api/${route}?${new URLSearchParams(options.query ?? {}).toString()}`,
    query: options.query ?? {},
    params: options.params ?? {},
    ...(options.body !== undefined
      ? { body: { string: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } }
      : {}),
  });
const put = (name: string, body: unknown) =>
  putSchedule(request('PUT', `scaling/schedules/${name}`, { body, params: { name } }), context());
const problems = (res: { jsonBody?: unknown }) => (res.jsonBody as { problems: string[] }).problems;

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  // Storage over HTTPS with the app's managed identity (no key), as in Azure.
  azurite = await startAzurite({ identity: tls });
  local = await startLocalAzure({
    tls,
    dataDir: '.data/test-scaling-functions',
    clusters: [
      {
        id: CLUSTER,
        location: 'westeurope',
        kubernetesVersion: '1.32.5',
        kubeApiUrl: 'https://127.0.0.1:1',
        caPem: tls.cert,
        properties: {
          agentPoolProfiles: [
            // The stand-in's pools default to the autoscaler on; these two are manual (null removes a default).
            { name: 'system', mode: 'System', count: 2, enableAutoScaling: false, minCount: null, maxCount: null },
            { name: 'user', mode: 'User', count: 3, enableAutoScaling: false, minCount: null, maxCount: null },
            { name: 'burst', mode: 'User', count: 2, enableAutoScaling: true, minCount: 1, maxCount: 5 },
          ],
        },
      },
    ],
  });
  restoreSettings = applyHostSettings(local, azurite);
});

afterAll(async () => {
  restoreSettings();
  await Promise.all([local.close(), azurite.stop()]);
});

describe('scaling schedules API', () => {
  const businessHours = berlinBusinessHours({
    clusterId: CLUSTER,
    nodePool: 'user',
    during: { count: 3 },
    otherwise: { count: 0 },
    mode: 'plan',
  });

  it('creates (201), replaces (200), reads and lists a schedule', async () => {
    const created = await put('user-business-hours', businessHours);
    expect(created.status).toBe(201);
    expect(created.jsonBody).toMatchObject({ name: 'user-business-hours', ...businessHours });
    const replaced = await put('user-business-hours', { ...businessHours, mode: 'apply' });
    expect(replaced.status).toBe(200);
    const read = await getScheduleByName(
      request('GET', 'scaling/schedules/user-business-hours', { params: { name: 'user-business-hours' } }),
      context(),
    );
    expect(read.status).toBe(200);
    expect(read.jsonBody).toMatchObject({
      mode: 'apply',
      createdAt: (created.jsonBody as { createdAt: string }).createdAt,
    });
    // Cluster ids compare case-insensitively (alerts and the portal lowercase them).
    const listed = await getSchedules(
      request('GET', 'scaling/schedules', { query: { cluster: CLUSTER.toLowerCase() } }),
      context(),
    );
    expect((listed.jsonBody as { schedules: Array<{ name: string }> }).schedules.map((s) => s.name)).toEqual([
      'user-business-hours',
    ]);
    const other = await getSchedules(
      request('GET', 'scaling/schedules', { query: { cluster: clusterId('aks-other') } }),
      context(),
    );
    expect(other.jsonBody).toEqual({ schedules: [] });
  });

  it('refuses with 400 naming the field: pool facts from ARM and the body itself', async () => {
    const unknownPool = await put('x', { ...businessHours, nodePool: 'gpu' });
    expect(unknownPool.status).toBe(400);
    expect(problems(unknownPool)).toEqual([
      "nodePool: the cluster has no node pool 'gpu' (it has system, user, burst)",
    ]);
    const systemToZero = await put('x', { ...businessHours, nodePool: 'system' });
    expect(problems(systemToZero)).toEqual([
      "otherwise.count: 'system' is a System node pool and never goes below 1 node",
    ]);
    const wrongKind = await put('x', { ...businessHours, nodePool: 'burst' });
    expect(problems(wrongKind)[0]).toMatch(/^rules\[0\]\.count: node pool 'burst' has the cluster autoscaler on/);
    const overlap = await put('x', {
      ...businessHours,
      rules: [...businessHours.rules, { days: ['Fri'], from: '17:00', to: '23:00', count: 1 }],
    });
    expect(problems(overlap)).toEqual(['rules[1]: overlaps rules[0] at Fri 17:00 (rules must not overlap)']);
    const unknownCluster = await put('x', { ...businessHours, clusterId: clusterId('aks-nowhere') });
    expect(unknownCluster.status).toBe(400);
    expect(problems(unknownCluster)[0]).toMatch(/^clusterId: ARM has no managed cluster/);
    const notJson = await put('x', '{"clusterId":');
    expect(notJson.status).toBe(400);
    expect(problems(notJson)[0]).toMatch(/^body: not valid JSON/);
    const badName = await put('a%2Fb', businessHours);
    expect(problems(badName)[0]).toMatch(/^name:/);
    const badQuery = await getSchedules(
      request('GET', 'scaling/schedules', { query: { cluster: 'aks-scale' } }),
      context(),
    );
    expect(badQuery.status).toBe(400);
  });

  it('plans desired vs ARM state per schedule', async () => {
    expect(
      (
        await put('burst-always', {
          clusterId: CLUSTER,
          nodePool: 'burst',
          timeZone: 'UTC',
          rules: [{ days: ALL_WEEK, from: '00:00', to: '24:00', minCount: 0, maxCount: 3 }],
          otherwise: { minCount: 1, maxCount: 5 },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await put('power-running', {
          clusterId: CLUSTER,
          timeZone: 'UTC',
          rules: [],
          otherwise: { power: 'Running' },
        })
      ).status,
    ).toBe(201);
    const res = await getScalingPlan(request('GET', 'scaling/plan', { query: { cluster: CLUSTER } }), context());
    expect(res.status).toBe(200);
    const body = res.jsonBody as {
      provisioningState: string;
      powerState: string;
      plans: Array<Record<string, unknown>>;
    };
    expect(body).toMatchObject({ provisioningState: 'Succeeded', powerState: 'Running' });
    const byName = Object.fromEntries(body.plans.map((p) => [p.schedule, p]));
    expect(byName['burst-always']).toMatchObject({
      nodePool: 'burst',
      desired: { minCount: 0, maxCount: 3 },
      current: { minCount: 1, maxCount: 5 },
      action: { kind: 'setBounds', from: { minCount: 1, maxCount: 5 }, to: { minCount: 0, maxCount: 3 } },
    });
    expect(byName['power-running']).toMatchObject({ current: { power: 'Running' }, action: { kind: 'none' } });
    // The business-hours schedule changes twice a weekday; whichever side of it now is, a next change is given.
    expect(byName['user-business-hours']?.nextChange).toEqual({ at: expect.any(String), value: expect.any(Object) });
    const missing = await getScalingPlan(request('GET', 'scaling/plan'), context());
    expect(missing.status).toBe(400);
  });

  it('deletes (204), then 404 for the gone schedule', async () => {
    const del = () =>
      deleteScheduleByName(
        request('DELETE', 'scaling/schedules/power-running', { params: { name: 'power-running' } }),
        context(),
      );
    expect((await del()).status).toBe(204);
    expect((await del()).status).toBe(404);
    const get = await getScheduleByName(
      request('GET', 'scaling/schedules/power-running', { params: { name: 'power-running' } }),
      context(),
    );
    expect(get.status).toBe(404);
  });

  it('answers 500 naming the missing role when ARM refuses, 503 with Retry-After when ARM is unreachable', async () => {
    local.faults.arm = { forbidSubscriptions: [SUB] };
    try {
      const refused = await put('x', businessHours);
      expect(refused.status).toBe(500);
      expect(JSON.stringify(refused.jsonBody)).toContain('Microsoft.ContainerService/managedClusters/read');
    } finally {
      local.faults.arm = {};
    }
    // A port that was free a moment ago: nothing listens, so every connection is refused until the timeout.
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    Object.assign(process.env, { ARM_ENDPOINT: `https://127.0.0.1:${closedPort}`, SCALING_ARM_TIMEOUT_SECONDS: '1' });
    resetConfigForTesting();
    try {
      const down = await put('x', businessHours);
      expect(down.status).toBe(503);
      expect(down.headers).toMatchObject({ 'Retry-After': '30' });
    } finally {
      Object.assign(process.env, { ARM_ENDPOINT: local.env.ARM_ENDPOINT });
      delete process.env.SCALING_ARM_TIMEOUT_SECONDS;
      resetConfigForTesting();
    }
  });
});
