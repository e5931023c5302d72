// The local ARM through the real ContainerServiceClient and SubscriptionClient, authenticated by the real
// ManagedIdentityCredential against the local identity endpoint. Page size 1 so every list pages via nextLink.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { issueToken } from '../../../dev/standins/tokenIssuer.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';
import { PROD_CLUSTER_PROPERTIES } from '../../support/armClusters.js';

const SUB_A = '11111111-1111-1111-1111-111111111111';
const SUB_B = '22222222-2222-2222-2222-222222222222';
const clusterId = (sub: string, rg: string, name: string): string =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
const ARM_SCOPE = 'https://management.azure.com/.default';

let local: LocalAzure;
let caPem: string;
let credential: ManagedIdentityCredential;

async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

function containerService(subscriptionId: string, maxRetries?: number): ContainerServiceClient {
  return new ContainerServiceClient(credential, subscriptionId, {
    endpoint: local.armEndpoint,
    ...(maxRetries !== undefined ? { retryOptions: { maxRetries } } : {}),
  });
}

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  caPem = tls.cert;
  local = await startLocalAzure({
    tls,
    dataDir: '.data/test-standins-arm',
    armPageSize: 1,
    // Writes complete at once here; the phases of an operation are covered in test/integration/simulator/aksArmAndKube.
    aksTimings: { nodeReadyMs: 0, drainMs: 0, updateMs: 0, stopMs: 0 },
    clusters: [
      {
        id: clusterId(SUB_A, 'rg-prod', 'aks-prod'),
        location: 'westeurope',
        kubernetesVersion: '1.31.8',
        kubeApiUrl: 'https://127.0.0.1:7443',
        caPem,
        properties: PROD_CLUSTER_PROPERTIES,
      },
      {
        id: clusterId(SUB_A, 'rg-prod', 'aks-edge'),
        location: 'westeurope',
        kubernetesVersion: '1.30.10',
        kubeApiUrl: 'https://127.0.0.1:7444',
        caPem,
        properties: {
          aadProfile: null,
          disableLocalAccounts: false,
          apiServerAccessProfile: { enablePrivateCluster: true },
        },
      },
      {
        id: clusterId(SUB_A, 'rg-dev', 'aks-dev'),
        location: 'northeurope',
        kubernetesVersion: '1.28.5',
        kubeApiUrl: 'https://127.0.0.1:7445',
        caPem,
        properties: { powerState: { code: 'Stopped' }, autoUpgradeProfile: { upgradeChannel: 'none' } },
      },
      {
        id: clusterId(SUB_B, 'rg-b', 'aks-b'),
        location: 'eastus',
        kubernetesVersion: '1.32.5',
        kubeApiUrl: 'https://127.0.0.1:7446',
        caPem,
      },
    ],
  });
  useLocalIdentity(local);
  credential = new ManagedIdentityCredential();
});

afterAll(async () => {
  clearLocalIdentity();
  await local.close();
});

describe('local ARM with the real SDK clients', () => {
  it('lists subscriptions page by page (SubscriptionClient needs the ARM scope when its endpoint is not ARM)', async () => {
    const client = new SubscriptionClient(credential, { endpoint: local.armEndpoint, credentialScopes: [ARM_SCOPE] });
    const subs = await collect(client.subscriptions.list());
    expect(subs.map((s) => s.subscriptionId).sort()).toEqual([SUB_A, SUB_B]);
    expect(subs[0]?.state).toBe('Enabled');
    expect(subs[0]?.tenantId).toBe(local.tenantId);

    // Without credentialScopes the SDK asks for `${endpoint}/.default`: the local ARM refuses that audience.
    const wrongAudience = new SubscriptionClient(credential, { endpoint: local.armEndpoint });
    await expect(collect(wrongAudience.subscriptions.list())).rejects.toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationTokenAudience',
    });
  });

  it('lists managed clusters per subscription and per resource group, following nextLink', async () => {
    const client = containerService(SUB_A);
    const all = await collect(client.managedClusters.list());
    expect(all.map((c) => c.name).sort()).toEqual(['aks-dev', 'aks-edge', 'aks-prod']);
    const prod = await collect(client.managedClusters.listByResourceGroup('rg-prod'));
    expect(prod.map((c) => c.name).sort()).toEqual(['aks-edge', 'aks-prod']);
    const b = await collect(containerService(SUB_B).managedClusters.list());
    expect(b.map((c) => c.id)).toEqual([clusterId(SUB_B, 'rg-b', 'aks-b')]);
  });

  it('serves realistic managed cluster facts with overrides applied', async () => {
    const client = containerService(SUB_A);
    const prod = await client.managedClusters.get('rg-prod', 'aks-prod');
    expect(prod.sku).toEqual({ name: 'Base', tier: 'Standard' });
    expect(prod.provisioningState).toBe('Succeeded');
    expect(prod.powerState?.code).toBe('Running');
    expect(prod.kubernetesVersion).toBe('1.31.8');
    expect(prod.aadProfile).toMatchObject({ managed: true, enableAzureRbac: true, tenantID: local.tenantId });
    expect(prod.disableLocalAccounts).toBe(true);
    expect(prod.agentPoolProfiles?.map((p) => [p.name, p.mode, p.count, p.maxCount, p.enableAutoScaling])).toEqual([
      ['system', 'System', 3, 6, true],
      ['gpu', 'User', 6, 6, true],
    ]);

    const edge = await client.managedClusters.get('rg-prod', 'aks-edge');
    expect(edge.aadProfile).toBeUndefined();
    expect(edge.disableLocalAccounts).toBe(false);
    expect(edge.apiServerAccessProfile?.enablePrivateCluster).toBe(true);
    expect(edge.sku?.tier).toBe('Free');

    const dev = await client.managedClusters.get('rg-dev', 'aks-dev');
    expect(dev.powerState?.code).toBe('Stopped');
    expect(dev.autoUpgradeProfile?.upgradeChannel).toBe('none');
    // Resource names and groups are case-insensitive in ARM.
    expect((await client.managedClusters.get('RG-DEV', 'AKS-DEV')).id).toBe(clusterId(SUB_A, 'rg-dev', 'aks-dev'));
  });

  it('returns a user kubeconfig with the API server and CA; exec (kubelogin) for Entra, token for local accounts', async () => {
    const client = containerService(SUB_A);
    const creds = await client.managedClusters.listClusterUserCredentials('rg-prod', 'aks-prod', { format: 'exec' });
    const value = creds.kubeconfigs?.[0]?.value;
    expect(creds.kubeconfigs?.[0]?.name).toBe('clusterUser');
    const text = Buffer.from(value ?? new Uint8Array()).toString('utf8');
    const kc = new KubeConfig();
    kc.loadFromString(text);
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:7443');
    expect(Buffer.from(kc.getCurrentCluster()?.caData ?? '', 'base64').toString('utf8')).toBe(caPem);
    expect(kc.getCurrentUser()?.exec).toMatchObject({ command: 'kubelogin' });
    expect(kc.getCurrentUser()?.exec?.args).toContain('6dae42f8-4368-4678-94ff-3960e28e3630');

    const azure = await client.managedClusters.listClusterUserCredentials('rg-prod', 'aks-prod', { format: 'azure' });
    const azureDoc = parse(Buffer.from(azure.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString('utf8')) as {
      users: Array<{ user: Record<string, unknown> }>;
    };
    expect(azureDoc.users[0]?.user['auth-provider']).toMatchObject({
      name: 'azure',
      config: { 'apiserver-id': '6dae42f8-4368-4678-94ff-3960e28e3630' },
    });

    const local_ = await client.managedClusters.listClusterUserCredentials('rg-prod', 'aks-edge');
    const edgeDoc = parse(Buffer.from(local_.kubeconfigs?.[0]?.value ?? new Uint8Array()).toString('utf8')) as {
      users: Array<{ user: Record<string, unknown> }>;
    };
    expect(typeof edgeDoc.users[0]?.user.token).toBe('string');
    expect(edgeDoc.users[0]?.user.exec).toBeUndefined();

    await expect(
      client.managedClusters.listClusterUserCredentials('rg-prod', 'aks-prod', { format: 'kubectl' }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });

  it('serves upgrade profiles and the location version catalogue', async () => {
    const client = containerService(SUB_A);
    const profile = await client.managedClusters.getUpgradeProfile('rg-prod', 'aks-prod');
    expect(profile.controlPlaneProfile.kubernetesVersion).toBe('1.31.8');
    expect(profile.controlPlaneProfile.upgrades?.map((u) => u.kubernetesVersion)).toEqual([
      '1.31.11',
      '1.32.5',
      '1.32.7',
    ]);
    expect(profile.agentPoolProfiles.map((p) => p.name)).toEqual(['system', 'gpu']);

    const dev = await client.managedClusters.getUpgradeProfile('rg-dev', 'aks-dev');
    // 1.28 is below the oldest supported minor: only the 1.29 patches are reachable.
    expect(dev.controlPlaneProfile.upgrades?.map((u) => u.kubernetesVersion)).toEqual(['1.29.9', '1.29.14']);

    const versions = await client.managedClusters.listKubernetesVersions('westeurope');
    expect(versions.values?.map((v) => v.version)).toContain('1.31');
    expect(versions.values?.map((v) => v.version)).not.toContain('1.28');
  });

  it('lists and gets agent pools and their upgrade profiles (node image upgrades)', async () => {
    const client = containerService(SUB_A);
    const pools = await collect(client.agentPools.list('rg-prod', 'aks-prod'));
    expect(pools.map((p) => p.name)).toEqual(['system', 'gpu']);
    const gpu = await client.agentPools.get('rg-prod', 'aks-prod', 'gpu');
    expect(gpu.vmSize).toBe('Standard_NC6s_v3');
    expect(gpu.count).toBe(6);
    const gpuUpgrade = await client.agentPools.getUpgradeProfile('rg-prod', 'aks-prod', 'gpu');
    expect(gpuUpgrade.latestNodeImageVersion).not.toBe(gpu.nodeImageVersion);
    const system = await client.agentPools.get('rg-prod', 'aks-prod', 'system');
    const systemUpgrade = await client.agentPools.getUpgradeProfile('rg-prod', 'aks-prod', 'system');
    expect(systemUpgrade.latestNodeImageVersion).toBe(system.nodeImageVersion);
  });

  it('answers 404 in the ARM error shape for unknown clusters, groups, pools and subscriptions', async () => {
    const client = containerService(SUB_A);
    await expect(client.managedClusters.get('rg-prod', 'nope')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
    await expect(collect(client.managedClusters.listByResourceGroup('rg-missing'))).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    });
    await expect(client.agentPools.get('rg-prod', 'aks-prod', 'nope')).rejects.toMatchObject({ statusCode: 404 });
    await expect(
      collect(containerService('33333333-3333-3333-3333-333333333333').managedClusters.list()),
    ).rejects.toMatchObject({ statusCode: 404, code: 'SubscriptionNotFound' });
  });

  it('requires a bearer token for ARM and api-version, with ARM error shapes', async () => {
    const url = `${local.armEndpoint}/subscriptions?api-version=2022-12-01`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('AuthenticationFailed');

    const aksToken = (await credential.getToken('6dae42f8-4368-4678-94ff-3960e28e3630/.default')).token;
    const wrong = await fetch(url, { headers: { authorization: `Bearer ${aksToken}` } });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationTokenAudience');

    const expired = issueToken(
      { aud: 'https://management.azure.com/', iss: 'x', oid: 'o', sub: 'o', appid: 'a', tid: local.tenantId },
      -60,
    ).token;
    const stale = await fetch(url, { headers: { authorization: `Bearer ${expired}` } });
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('ExpiredAuthenticationToken');

    const armToken = (await credential.getToken(ARM_SCOPE)).token;
    const noVersion = await fetch(`${local.armEndpoint}/subscriptions`, {
      headers: { authorization: `Bearer ${armToken}` },
    });
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as { error: { code: string } }).error.code).toBe('MissingApiVersionParameter');
  });

  it('throttles with 429 + Retry-After, which the SDK retries by itself', async () => {
    local.faults.arm = { throttleNext: 1, retryAfterSeconds: 1 };
    const started = Date.now();
    const cluster = await containerService(SUB_A).managedClusters.get('rg-prod', 'aks-prod');
    expect(cluster.name).toBe('aks-prod');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(local.faults.arm.throttleNext).toBe(0);
    delete local.faults.arm;
  });

  it('fails one subscription list with 500 and forbids another with 403 while the rest keeps working', async () => {
    local.faults.arm = { failSubscriptions: [SUB_A], forbidSubscriptions: [SUB_B] };
    try {
      await expect(collect(containerService(SUB_A, 0).managedClusters.list())).rejects.toMatchObject({
        statusCode: 500,
        code: 'InternalServerError',
      });
      await expect(collect(containerService(SUB_B, 0).managedClusters.list())).rejects.toMatchObject({
        statusCode: 403,
        code: 'AuthorizationFailed',
      });
      // Only the subscription-wide list is failing; reading a known cluster still works.
      expect((await containerService(SUB_A, 0).managedClusters.get('rg-dev', 'aks-dev')).name).toBe('aks-dev');
    } finally {
      delete local.faults.arm;
    }
    expect(await collect(containerService(SUB_A).managedClusters.list())).toHaveLength(3);
  });

  it('picks up clusters added and removed at runtime', async () => {
    const id = clusterId(SUB_B, 'rg-b', 'aks-new');
    local.upsertCluster({
      id,
      location: 'eastus',
      kubernetesVersion: '1.33.2',
      kubeApiUrl: 'https://127.0.0.1:7447',
      caPem,
    });
    expect((await collect(containerService(SUB_B).managedClusters.list())).map((c) => c.name).sort()).toEqual([
      'aks-b',
      'aks-new',
    ]);
    local.removeCluster(id);
    await expect(containerService(SUB_B).managedClusters.get('rg-b', 'aks-new')).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('a static cluster takes writes: a pool scales keeping its other properties, a stopped cluster starts', async () => {
    const client = containerService(SUB_A);
    const scaled = await client.agentPools.beginCreateOrUpdateAndWait(
      'rg-prod',
      'aks-prod',
      'gpu',
      { count: 4, enableAutoScaling: true, minCount: 1, maxCount: 6 },
      { updateIntervalInMs: 10 },
    );
    expect([scaled.count, scaled.provisioningState, scaled.vmSize, scaled.nodeImageVersion]).toEqual([
      4,
      'Succeeded',
      'Standard_NC6s_v3',
      'AKSUbuntu-2204gen2containerd-202501.05.0',
    ]);
    expect((await client.managedClusters.get('rg-prod', 'aks-prod')).agentPoolProfiles?.map((p) => p.count)).toEqual([
      3, 4,
    ]);
    expect((await client.managedClusters.get('rg-dev', 'aks-dev')).powerState?.code).toBe('Stopped');
    await client.managedClusters.beginStartAndWait('rg-dev', 'aks-dev', { updateIntervalInMs: 10 });
    const started = await client.managedClusters.get('rg-dev', 'aks-dev');
    expect([started.powerState?.code, started.provisioningState]).toEqual(['Running', 'Succeeded']);
  });
});
