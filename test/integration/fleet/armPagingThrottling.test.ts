// Discovery over a fleet in several subscriptions as ARM serves it: every list paged with nextLink (the ARM RPC's
// collection paging: follow nextLink until it is absent), and ARM's read throttling (token bucket per scope, 429
// with Retry-After) slowing discovery down instead of failing it. Real @azure/arm-* and @azure/identity clients.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ensureLocalTls } from '../../../dev/tls.js';
import type { LocalAzure } from '../../../dev/standins/localAzure.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { discoverClusters } from '../../../shared/azure/clusterDiscovery.js';
import { getManagedIdentityCredential } from '../../../shared/azure/credential.js';
import { fleetMembers } from '../../../shared/simulator/aks/fleet.js';
import { PROCESS_PACING } from '../../../shared/azure/arm/armPacing.js';
import { startLocalAzureWithIdentity, stopLocalAzureWithIdentity } from '../../support/localAzureIdentity.js';

const members = fleetMembers(60);
let local: LocalAzure;
let config: AppConfig;

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  // @azure/identity finds the managed identity endpoint in the environment, as on App Service: this sets it.
  local = await startLocalAzureWithIdentity('.data/test-fleet-arm', {
    armPageSize: 4,
    clusters: members.map((m) => ({
      id: m.id,
      location: m.location,
      kubernetesVersion: m.kubernetesVersion,
      kubeApiUrl: 'https://127.0.0.1:9',
      caPem: tls.cert,
      properties: m.properties,
    })),
  });
  config = loadConfig({ ARM_ENDPOINT: local.armEndpoint });
});

afterAll(async () => {
  await stopLocalAzureWithIdentity(local);
});

async function armGet(path: string): Promise<Response> {
  const token = await getManagedIdentityCredential(config).getToken('https://management.azure.com/.default');
  return fetch(`${local.armEndpoint}${path}`, { headers: { authorization: `Bearer ${token?.token ?? ''}` } });
}

describe('ARM paging and throttling', () => {
  it('answers with the remaining reads of the scope, and 429 + Retry-After once the bucket is empty', async () => {
    local.faults.arm = { rateLimit: { bucket: 2, refillPerSecond: 0.001 } };
    const sub = members[0]!.subscriptionId;
    const path = `/subscriptions/${sub}/providers/Microsoft.ContainerService/managedClusters?api-version=2026-04-01`;
    const first = await armGet(path);
    expect(first.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('1');
    const body = (await first.json()) as { value: unknown[]; nextLink?: string };
    expect(body.value).toHaveLength(4);
    expect(new URL(body.nextLink ?? '').searchParams.get('$skipToken')).toBe('4');
    expect((await armGet(path)).status).toBe(200);
    const throttled = await armGet(path);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('TooManyRequests');
    // Another subscription has its own bucket; the tenant-level subscription list its own header.
    const other = await armGet(`/subscriptions/${members[1]!.subscriptionId}?api-version=2022-12-01`);
    expect(other.status).toBe(200);
    const tenant = await armGet('/subscriptions?api-version=2022-12-01');
    expect(tenant.headers.get('x-ms-ratelimit-remaining-tenant-reads')).toBe('1');
  });

  it('pages through every subscription and cluster, and waits out more 429s than the SDK retries alone', async () => {
    // Five 429s in a row on the first request: the SDK's retry policy alone gives up after three retries.
    local.faults.arm = { rateLimit: { bucket: 3, refillPerSecond: 6 }, throttleNext: 5, retryAfterSeconds: 1 };
    const before = { ...PROCESS_PACING };
    const result = await discoverClusters({ ...config, SWEEP_SUBSCRIPTION_IDS: [], SWEEP_CLUSTER_IDS: [] });
    expect(result.errors).toEqual([]);
    expect(result.subscriptions).toHaveLength(3);
    expect(result.clusters.map((c) => c.id).sort()).toEqual(members.map((m) => m.id).sort());
    expect(local.faults.arm.throttleNext).toBe(0);
    // The 429s were waited out by the pacing policy, and the small buckets slowed the reads down.
    expect(PROCESS_PACING.throttled - before.throttled).toBeGreaterThanOrEqual(5);
    expect(PROCESS_PACING.pausedMs - before.pausedMs).toBeGreaterThan(5000);
  });
});
