// Cluster discovery, ARM facts and Kubernetes access through the local ARM and managed-identity endpoints, with the
// real @azure/arm-containerservice, @azure/arm-resources-subscriptions and @azure/identity clients.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AKS_SERVER_APP_ID } from '../../../dev/standins/localAzure.js';
import { createStaticKubeSource } from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { discoverClusters } from '../../../shared/azure/clusterDiscovery.js';
import { readArmFacts } from '../../../shared/azure/armFactsReader.js';
import { analyzeArmFacts } from '../../../shared/sweep/armAnalyzers/index.js';
import {
  getKubeConfigForCluster,
  LocalAccountsOnlyError,
  createTokenProvider,
} from '../../../shared/kube/clusterKubeConfig.js';
import { listPages } from '../../../shared/kube/listPages.js';
import { KUBE_RESOURCES } from '../../../shared/kube/resources.js';
import { getManagedIdentityCredential } from '../../../shared/azure/credential.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';
import { startKubeBehindArm, type KubeBehindArm } from '../../support/kubeBehindArm.js';
import { nodeWithReady } from '../../support/kubeObjects.js';
import { PROD_CLUSTER_PROPERTIES } from '../../support/armClusters.js';

const SUB_A = '11111111-1111-1111-1111-111111111111';
const SUB_B = '22222222-2222-2222-2222-222222222222';
const SUB_C = '33333333-3333-3333-3333-333333333333';
const id = (sub: string, rg: string, name: string) =>
  `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;
const PROD = id(SUB_A, 'rg-prod', 'aks-prod');
const LEGACY = id(SUB_A, 'rg-prod', 'aks-legacy');
const DEV = id(SUB_B, 'rg-dev', 'aks-dev');
const BROKEN = id(SUB_C, 'rg-c', 'aks-c');

let aks: KubeBehindArm;
let config: AppConfig;
const aksTokens: string[] = [];

beforeAll(async () => {
  aks = await startKubeBehindArm({
    kube: { source: createStaticKubeSource([nodeWithReady('aks-system-1', { status: 'True' })]) },
    onKubeToken: (token) => {
      if (token) aksTokens.push(token);
    },
    dataDir: '.data/test-sweep-discovery',
    armPageSize: 1,
    // Short-lived tokens: the Kubernetes token must be renewed within the test.
    tokenLifetimeSeconds: 303,
    clusters: [
      { id: PROD, location: 'westeurope', kubernetesVersion: '1.31.8', properties: PROD_CLUSTER_PROPERTIES },
      {
        id: LEGACY,
        location: 'westeurope',
        kubernetesVersion: '1.27.9',
        properties: {
          aadProfile: null,
          disableLocalAccounts: false,
          autoUpgradeProfile: { upgradeChannel: 'none' },
          apiServerAccessProfile: { enablePrivateCluster: true },
        },
      },
      {
        id: DEV,
        location: 'northeurope',
        kubernetesVersion: '1.32.5',
        properties: { powerState: { code: 'Stopped' } },
      },
      { id: BROKEN, location: 'eastus', kubernetesVersion: '1.32.5' },
    ],
    faults: { arm: { failSubscriptions: [SUB_C] } },
  });
  useLocalIdentity(aks.local);
  config = loadConfig({ ARM_ENDPOINT: aks.local.armEndpoint });
});

afterAll(async () => {
  clearLocalIdentity();
  await aks.close();
});

describe('discoverClusters', () => {
  it('lists every subscription the identity sees and the clusters in each; one failing subscription is reported, not fatal', async () => {
    const result = await discoverClusters({ ...config, SWEEP_SUBSCRIPTION_IDS: [], SWEEP_CLUSTER_IDS: [] });
    expect(result.subscriptions.sort()).toEqual([SUB_A, SUB_B, SUB_C]);
    expect(result.clusters.map((c) => c.name)).toEqual(['aks-legacy', 'aks-prod', 'aks-dev']);
    expect(result.clusters.every((c) => c.source === 'discovered')).toBe(true);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain(`subscription ${SUB_C}`);
  });

  it('uses SWEEP_SUBSCRIPTION_IDS when set, adds SWEEP_CLUSTER_IDS, and reports a malformed id', async () => {
    const extra = id(SUB_C, 'rg-x', 'aks-named');
    const result = await discoverClusters({
      ...config,
      SWEEP_SUBSCRIPTION_IDS: [SUB_B],
      SWEEP_CLUSTER_IDS: [extra, DEV.toUpperCase(), 'not-an-id'],
    });
    expect(result.clusters.map((c) => [c.name, c.source])).toEqual([
      ['aks-dev', 'discovered'],
      ['aks-named', 'configured'],
    ]);
    expect(result.errors).toEqual(["SWEEP_CLUSTER_IDS: 'not-an-id' is not an AKS cluster resource id"]);
  });

  it('survives ARM throttling (429 + Retry-After) through the SDK retry policy', async () => {
    aks.local.faults.arm = { ...aks.local.faults.arm, throttleNext: 2, retryAfterSeconds: 1 };
    const result = await discoverClusters({ ...config, SWEEP_SUBSCRIPTION_IDS: [SUB_B], SWEEP_CLUSTER_IDS: [] });
    expect(result.clusters.map((c) => c.name)).toEqual(['aks-dev']);
    expect(result.errors).toEqual([]);
  });
});

describe('ARM facts', () => {
  it('reports node pool at autoscaler max, node image upgrade, kubernetes upgrade available', async () => {
    const { facts, errors } = await readArmFacts(PROD, { config });
    expect(errors).toEqual([]);
    const checks = analyzeArmFacts(facts).map((f) => `${f.check} ${f.name}`);
    expect(checks).toEqual(
      expect.arrayContaining([
        'arm.nodepool-at-max aks-prod/gpu',
        'arm.node-image-upgrade-available aks-prod/gpu',
        'arm.kubernetes-upgrade-available aks-prod',
      ]),
    );
    expect(checks).not.toContain('arm.nodepool-at-max aks-prod/system');
    expect(checks.some((c) => c.startsWith('arm.kubernetes-version-unsupported'))).toBe(false);
    expect(checks.some((c) => c.startsWith('arm.sku-free-tier'))).toBe(false);
  });

  it('reports an unsupported version, local accounts only, no auto-upgrade, private API server and Free tier', async () => {
    const { facts } = await readArmFacts(LEGACY, { config });
    const findings = analyzeArmFacts(facts);
    const checks = findings.map((f) => f.check);
    expect(checks).toEqual(
      expect.arrayContaining([
        'arm.kubernetes-version-unsupported',
        'arm.entra-integration-missing',
        'arm.auto-upgrade-disabled',
        'arm.private-api-server',
        'arm.sku-free-tier',
      ]),
    );
    expect(findings.find((f) => f.check === 'arm.kubernetes-version-unsupported')?.message).toContain('1.27.9');
    expect(findings.find((f) => f.check === 'arm.entra-integration-missing')?.remediation).toContain('--enable-aad');
  });

  it('reports a stopped cluster', async () => {
    const { facts } = await readArmFacts(DEV, { config });
    expect(analyzeArmFacts(facts).map((f) => f.check)).toContain('arm.cluster-stopped');
  });
});

describe('Kubernetes access with the managed identity', () => {
  it('builds a KubeConfig from listClusterUserCredential whose requests carry an AKS-audience token the API server accepts', async () => {
    const kc = await getKubeConfigForCluster(PROD, { config });
    const pages = [];
    for await (const page of listPages(kc, KUBE_RESOURCES.nodes)) pages.push(page);
    expect(pages.flat().map((n) => n.metadata?.name)).toEqual(['aks-system-1']);
    const token = aksTokens[aksTokens.length - 1] ?? '';
    expect(aks.local.verifyToken(token, AKS_SERVER_APP_ID)).toBe('ok');
    expect(aks.local.verifyToken(token, 'https://management.azure.com')).not.toBe('ok');
  });

  it('renews the token before it expires', async () => {
    const credential = getManagedIdentityCredential(config);
    const getToken = createTokenProvider(credential, config.AKS_SERVER_SCOPE);
    const first = await getToken();
    // Tokens live 303 s here; with the 5-minute renewal margin the provider must ask again after ~3 s.
    expect(await getToken()).toBe(first);
    await new Promise((r) => setTimeout(r, 3500));
    const second = await getToken();
    expect(second).not.toBe(first);
    expect(aks.local.verifyToken(second, AKS_SERVER_APP_ID)).toBe('ok');
  });

  it('refuses a cluster with local accounts only, naming the fix', async () => {
    const err = await getKubeConfigForCluster(LEGACY, { config }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalAccountsOnlyError);
    expect((err as LocalAccountsOnlyError).remediation).toContain('--enable-aad');
  });

  it('a token for an audience the identity has no role on is refused with 403 by the API server', async () => {
    aks.local.faults.forbiddenAudiences = [AKS_SERVER_APP_ID];
    try {
      const kc = await getKubeConfigForCluster(PROD, { config });
      await expect(
        (async () => {
          for await (const _ of listPages(kc, KUBE_RESOURCES.pods)) void _;
        })(),
      ).rejects.toMatchObject({ statusCode: 403 });
    } finally {
      aks.local.faults.forbiddenAudiences = [];
    }
  });
});
