// ARM facts → findings, table-driven over realistic managedCluster resources (as @azure/arm-containerservice
// deserialises them). Each case says why it should or should not produce the finding.
import { describe, expect, it } from '@jest/globals';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { ArmFacts } from '../../../shared/azure/armFacts.js';
import { analyzeArmFacts, ARM_ANALYZERS } from '../../../shared/sweep/armAnalyzers/index.js';
import { CATALOGUE } from '../../../shared/sweep/catalogue.js';

const versions: ArmFacts['kubernetesVersions'] = [
  { version: '1.29', capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] } },
  { version: '1.30', capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] } },
  { version: '1.31', capabilities: { supportPlan: ['KubernetesOfficial'] } },
  { version: '1.32', isDefault: true, capabilities: { supportPlan: ['KubernetesOfficial'] } },
  { version: '1.34', isPreview: true, capabilities: { supportPlan: ['KubernetesOfficial'] } },
];

function cluster(over: Partial<ManagedCluster> = {}): ManagedCluster {
  return {
    id: '/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod',
    name: 'aks-prod',
    location: 'westeurope',
    sku: { name: 'Base', tier: 'Standard' },
    provisioningState: 'Succeeded',
    powerState: { code: 'Running' },
    kubernetesVersion: '1.31.8',
    currentKubernetesVersion: '1.31.8',
    enableRbac: true,
    supportPlan: 'KubernetesOfficial',
    aadProfile: { managed: true, enableAzureRbac: true },
    disableLocalAccounts: true,
    autoUpgradeProfile: { upgradeChannel: 'patch' },
    apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24'] },
    agentPoolProfiles: [
      {
        name: 'system',
        mode: 'System',
        count: 3,
        enableAutoScaling: true,
        minCount: 3,
        maxCount: 6,
        provisioningState: 'Succeeded',
        powerState: { code: 'Running' },
        nodeImageVersion: 'img-2',
      },
    ],
    ...over,
  };
}

const facts = (c: ManagedCluster, extra: Partial<ArmFacts> = {}): ArmFacts => ({
  cluster: c,
  kubernetesVersions: versions,
  poolUpgradeProfiles: { system: { kubernetesVersion: '1.31.8', osType: 'Linux', latestNodeImageVersion: 'img-2' } },
  ...extra,
});

describe('analyzeArmFacts', () => {
  it.each<[string, string, ArmFacts, string[]]>([
    [
      'well-run cluster',
      'supported version, Standard tier, Entra + Azure RBAC, no local accounts, auto-upgrade, restricted API',
      facts(cluster()),
      [],
    ],
    [
      'failed provisioning',
      'the last operation failed',
      facts(cluster({ provisioningState: 'Failed' })),
      ['arm.cluster-provisioning-failed'],
    ],
    [
      'stopped',
      'workloads are not running',
      facts(cluster({ powerState: { code: 'Stopped' } })),
      ['arm.cluster-stopped'],
    ],
    [
      'out of support',
      '1.28 is no longer offered',
      facts(cluster({ currentKubernetesVersion: '1.28.5', kubernetesVersion: '1.28.5' })),
      ['arm.kubernetes-version-unsupported'],
    ],
    [
      'LTS plan on an LTS version',
      '1.29 under AKSLongTermSupport is supported (and not "oldest" for the official plan)',
      facts(cluster({ currentKubernetesVersion: '1.29.9', supportPlan: 'AKSLongTermSupport' })),
      [],
    ],
    [
      'oldest supported minor',
      '1.29 on the official plan leaves support next',
      facts(cluster({ currentKubernetesVersion: '1.29.9' })),
      ['arm.kubernetes-version-oldest-supported'],
    ],
    [
      'upgrade available',
      'a GA upgrade exists (preview ones are ignored)',
      facts(cluster(), {
        upgradeProfile: {
          controlPlaneProfile: {
            kubernetesVersion: '1.31.8',
            osType: 'Linux',
            upgrades: [{ kubernetesVersion: '1.32.5' }, { kubernetesVersion: '1.34.0', isPreview: true }],
          },
          agentPoolProfiles: [],
        },
      }),
      ['arm.kubernetes-upgrade-available'],
    ],
    [
      'pool at autoscaler max',
      'pending pods cannot get nodes',
      facts(
        cluster({
          agentPoolProfiles: [
            { name: 'system', count: 6, maxCount: 6, enableAutoScaling: true, nodeImageVersion: 'img-2' },
          ],
        }),
      ),
      ['arm.nodepool-at-max'],
    ],
    [
      'pool at a fixed count',
      'no autoscaler: count equal to a stale maxCount means nothing',
      facts(
        cluster({
          agentPoolProfiles: [
            { name: 'system', count: 6, maxCount: 6, enableAutoScaling: false, nodeImageVersion: 'img-2' },
          ],
        }),
      ),
      [],
    ],
    [
      'old node image',
      'a newer node image is available',
      facts(cluster({ agentPoolProfiles: [{ name: 'system', count: 3, nodeImageVersion: 'img-1' }] })),
      ['arm.node-image-upgrade-available'],
    ],
    [
      'failed pool',
      'scaling and upgrades blocked',
      facts(
        cluster({
          agentPoolProfiles: [{ name: 'system', count: 3, provisioningState: 'Failed', nodeImageVersion: 'img-2' }],
        }),
      ),
      ['arm.nodepool-provisioning-failed'],
    ],
    ['Free tier', 'no SLA', facts(cluster({ sku: { name: 'Base', tier: 'Free' } })), ['arm.sku-free-tier']],
    [
      'no auto-upgrade',
      'falls behind on patches',
      facts(cluster({ autoUpgradeProfile: { upgradeChannel: 'none' } })),
      ['arm.auto-upgrade-disabled'],
    ],
    [
      'local accounts only',
      'the managed identity cannot sign in',
      facts(cluster({ aadProfile: undefined, disableLocalAccounts: false })),
      ['arm.entra-integration-missing'],
    ],
    [
      'local accounts still enabled',
      'static admin credential bypasses Entra',
      facts(cluster({ disableLocalAccounts: false })),
      ['arm.local-accounts-enabled'],
    ],
    [
      'Kubernetes RBAC for Entra users',
      'needs a RoleBinding, not an Azure role',
      facts(cluster({ aadProfile: { managed: true, enableAzureRbac: false } })),
      ['arm.azure-rbac-disabled'],
    ],
    [
      'RBAC disabled',
      'anyone authenticated can do anything',
      facts(cluster({ enableRbac: false })),
      ['arm.kubernetes-rbac-disabled'],
    ],
    [
      'private API server',
      'reachable only from a linked network',
      facts(cluster({ apiServerAccessProfile: { enablePrivateCluster: true } })),
      ['arm.private-api-server'],
    ],
    [
      'public API server open to all',
      'no authorized IP ranges',
      facts(cluster({ apiServerAccessProfile: { enablePrivateCluster: false } })),
      ['arm.api-server-unrestricted'],
    ],
  ])('%s', (_name, _why, input, expected) => {
    const findings = analyzeArmFacts(input);
    expect(findings.map((f) => f.check).sort()).toEqual([...expected].sort());
    for (const f of findings) {
      expect(f.message).toMatch(/aks-prod/);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.docsUrl).toMatch(/^https:\/\/learn\.microsoft\.com\//);
    }
  });

  it('names the pool in AgentPool findings as cluster/pool', () => {
    const [f] = analyzeArmFacts(
      facts(cluster({ agentPoolProfiles: [{ name: 'gpu', count: 4, maxCount: 4, enableAutoScaling: true }] })),
    );
    expect(f).toMatchObject({ kind: 'AgentPool', name: 'aks-prod/gpu' });
  });
});

describe('ARM analyzer registry', () => {
  it('registers each ARM check once, exactly the catalogue entries in state "arm"', () => {
    const registered = ARM_ANALYZERS.map((a) => a.check);
    expect(new Set(registered).size).toBe(registered.length);
    const catalogued = CATALOGUE.filter((e) => e.state === 'arm' && e.id.startsWith('arm.')).map((e) => e.id);
    expect([...registered].sort()).toEqual([...catalogued].sort());
  });

  it('each analyzer reports only its own check', () => {
    const worst = facts(
      cluster({
        provisioningState: 'Failed',
        powerState: { code: 'Running' },
        currentKubernetesVersion: '1.27.3',
        sku: { tier: 'Free' },
        autoUpgradeProfile: {},
        aadProfile: { managed: true, enableAzureRbac: false },
        disableLocalAccounts: false,
        enableRbac: false,
        apiServerAccessProfile: {},
        agentPoolProfiles: [
          { name: 'a', provisioningState: 'Failed', powerState: { code: 'Stopped' } },
          { name: 'b', count: 3, maxCount: 3, enableAutoScaling: true, nodeImageVersion: 'old' },
        ],
      }),
    );
    worst.poolUpgradeProfiles = { b: { kubernetesVersion: '1.27.3', osType: 'Linux', latestNodeImageVersion: 'new' } };
    expect(new Set(analyzeArmFacts(worst).map((f) => f.check)).size).toBe(12);
    for (const a of ARM_ANALYZERS) for (const f of a.analyze(worst)) expect(f.check).toBe(a.check);
  });
});
