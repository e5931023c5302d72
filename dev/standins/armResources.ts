// Resource shapes the local ARM serves for Microsoft.ContainerService, modelled on the managedClusters REST spec
// (api-version 2026-04-01, what @azure/arm-containerservice 25.x sends): a managed cluster, its agent pools, the
// upgrade profiles, the Kubernetes version catalogue of a location, and the user kubeconfig that
// listClusterUserCredential returns. Everything a test does not override gets a realistic default.
import { stringify } from 'yaml';
import { createHash, randomUUID } from 'node:crypto';
import {
  DEFAULT_NODE_IMAGE,
  type AgentPoolSpec,
  type ManagedClusterSpec,
  type SimulatedAksCluster,
} from '../../shared/simulator/aks/aksCluster.js';

export interface LocalCluster {
  /** /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name> */
  id: string;
  location: string;
  kubernetesVersion: string;
  /** The (simulated) Kubernetes API server and its CA. */
  kubeApiUrl: string;
  caPem: string;
  /**
   * Overrides merged into the managedCluster properties (powerState, aadProfile, disableLocalAccounts,
   * apiServerAccessProfile, autoUpgradeProfile, agentPoolProfiles…). `null` removes a default (e.g.
   * `aadProfile: null` for a cluster with local accounts only). `sku`, `tags` and `identity` are top-level ARM
   * properties and are lifted there.
   */
  properties?: Record<string, unknown>;
  /**
   * Overrides for upgradeProfiles/default `properties` (controlPlaneProfile, agentPoolProfiles). An
   * agentPoolProfiles entry may carry `latestNodeImageVersion`, served by that pool's own upgrade profile.
   */
  upgradeProfile?: Record<string, unknown>;
  /**
   * The simulated AKS cluster behind this resource (what `npm start` serves to kubectl too): its power state,
   * provisioning state and agent pools override the static properties, and ARM writes go to it. Clusters without
   * one get a model of their static pools on their first write (armEndpoint.ts).
   */
  aks?: SimulatedAksCluster;
}

export interface ParsedClusterId {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const CLUSTER_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i;

export function parseClusterId(id: string): ParsedClusterId {
  const match = CLUSTER_ID.exec(id);
  if (!match) throw new Error(`Not a managed cluster resource id: ${id}`);
  return { subscriptionId: match[1] ?? '', resourceGroup: match[2] ?? '', name: match[3] ?? '' };
}

/** The AKS Entra server application every Entra-enabled cluster's API server accepts tokens for. */
export const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** The public Azure CLI / kubelogin client id that AKS puts in exec kubeconfigs. */
const KUBELOGIN_CLIENT_ID = '80faf920-1908-4b52-b5ef-a8e7bedfc67a';

/**
 * The local catalogue of AKS Kubernetes versions (minor → patches, oldest first). Upgrades follow AKS rules: any
 * newer patch of the same minor, or a patch of the next minor. Minors below the oldest listed are out of support.
 */
export const KUBERNETES_VERSIONS: Record<
  string,
  { patches: string[]; isPreview?: boolean; isDefault?: boolean; lts?: boolean }
> = {
  '1.29': { patches: ['1.29.9', '1.29.14'], lts: true },
  '1.30': { patches: ['1.30.10', '1.30.14'], lts: true },
  '1.31': { patches: ['1.31.8', '1.31.11'] },
  '1.32': { patches: ['1.32.5', '1.32.7'], isDefault: true },
  '1.33': { patches: ['1.33.2', '1.33.3'] },
  '1.34': { patches: ['1.34.0'], isPreview: true },
};

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

export function availableUpgrades(version: string): Array<{ kubernetesVersion: string; isPreview?: boolean }> {
  const minor = minorOf(version);
  const [major = 0, minorNumber = 0] = minor.split('.').map(Number);
  const nextMinor = `${major}.${minorNumber + 1}`;
  const upgrades: Array<{ kubernetesVersion: string; isPreview?: boolean }> = [];
  for (const m of [minor, nextMinor]) {
    const entry = KUBERNETES_VERSIONS[m];
    if (!entry) continue;
    for (const patch of entry.patches) {
      if (compareVersions(patch, version) > 0) {
        upgrades.push({ kubernetesVersion: patch, ...(entry.isPreview ? { isPreview: true } : {}) });
      }
    }
  }
  return upgrades;
}

export function kubernetesVersionsForLocation(): { values: unknown[] } {
  return {
    values: Object.entries(KUBERNETES_VERSIONS).map(([version, entry]) => ({
      version,
      ...(entry.isDefault ? { isDefault: true } : {}),
      ...(entry.isPreview ? { isPreview: true } : {}),
      capabilities: { supportPlan: entry.lts ? ['KubernetesOfficial', 'AKSLongTermSupport'] : ['KubernetesOfficial'] },
      patchVersions: Object.fromEntries(
        entry.patches.map((p) => [p, { upgrades: availableUpgrades(p).map((u) => u.kubernetesVersion) }]),
      ),
    })),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep merge for resource overrides: objects merge, arrays and scalars replace, `null` deletes the key. */
export function mergeOverrides(
  base: Record<string, unknown>,
  overrides: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!overrides) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) {
      delete out[key];
    } else if (isPlainObject(value) && isPlainObject(out[key])) {
      out[key] = mergeOverrides(out[key], value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function defaultAgentPool(name: string, mode: 'System' | 'User', version: string): Record<string, unknown> {
  return {
    name,
    count: 3,
    vmSize: 'Standard_D4ds_v5',
    osDiskSizeGB: 128,
    osDiskType: 'Ephemeral',
    kubeletDiskType: 'OS',
    maxPods: 110,
    type: 'VirtualMachineScaleSets',
    availabilityZones: ['1', '2', '3'],
    enableAutoScaling: true,
    minCount: 3,
    maxCount: 6,
    provisioningState: 'Succeeded',
    powerState: { code: 'Running' },
    orchestratorVersion: version,
    currentOrchestratorVersion: version,
    enableNodePublicIP: false,
    mode,
    enableEncryptionAtHost: false,
    enableUltraSSD: false,
    osType: 'Linux',
    osSKU: 'Ubuntu',
    nodeImageVersion: 'AKSUbuntu-2204gen2containerd-202510.13.0',
    upgradeSettings: { maxSurge: '10%', maxUnavailable: '0' },
    enableFIPS: false,
    securityProfile: { enableVTPM: false, enableSecureBoot: false },
  };
}

/** The latest node image the local "Azure" offers; pools on an older image have a node image upgrade available. */
export const LATEST_NODE_IMAGE = DEFAULT_NODE_IMAGE;

export interface ClusterView {
  cluster: LocalCluster;
  parsed: ParsedClusterId;
  resource: Record<string, unknown>;
  properties: Record<string, unknown>;
  agentPools: Array<Record<string, unknown>>;
}

/** The AKS model spec of a static cluster's ARM view, for clusters that get their first write. */
export function clusterSpecOf(view: ClusterView): ManagedClusterSpec {
  const str = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    id: view.cluster.id,
    location: view.cluster.location,
    kubernetesVersion: view.cluster.kubernetesVersion,
    agentPools: view.agentPools.map((p): AgentPoolSpec => ({
      name: str(p.name, 'pool'),
      mode: p.mode === 'System' ? 'System' : 'User',
      vmSize: str(p.vmSize, 'Standard_D4ds_v5'),
      count: num(p.count) ?? 0,
      enableAutoScaling: p.enableAutoScaling === true,
      minCount: p.enableAutoScaling === true ? num(p.minCount) : undefined,
      maxCount: p.enableAutoScaling === true ? num(p.maxCount) : undefined,
      osType: p.osType === 'Windows' ? 'Windows' : 'Linux',
      osSKU: str(p.osSKU, 'Ubuntu'),
      availabilityZones: Array.isArray(p.availabilityZones) ? p.availabilityZones.map(String) : [],
      nodeImageVersion: str(p.nodeImageVersion, LATEST_NODE_IMAGE),
      orchestratorVersion: str(p.orchestratorVersion, view.cluster.kubernetesVersion),
      maxPods: num(p.maxPods) ?? 110,
    })),
  };
}

/**
 * The model's live state over the static properties: power and provisioning state of the cluster, and each pool's
 * count, autoscaler, mode and states (managedClusters REST spec: properties.provisioningState, properties.powerState
 * {code: Running|Stopped}, agentPoolProfiles[].{count, enableAutoScaling, minCount, maxCount, provisioningState,
 * powerState}).
 */
function overlayModel(
  properties: Record<string, unknown>,
  pools: Array<Record<string, unknown>>,
  aks: SimulatedAksCluster,
) {
  const live = aks.view();
  properties.provisioningState = live.provisioningState;
  properties.powerState = { code: live.powerState };
  const overlaid = live.pools.map((p) => {
    const base = pools.find((b) => String(b.name).toLowerCase() === p.name.toLowerCase()) ?? {};
    const out: Record<string, unknown> = {
      ...base,
      name: p.name,
      mode: p.mode,
      vmSize: p.vmSize,
      count: p.count,
      enableAutoScaling: p.enableAutoScaling,
      osType: p.osType,
      osSKU: p.osSKU,
      availabilityZones: p.availabilityZones,
      nodeImageVersion: p.nodeImageVersion,
      orchestratorVersion: p.orchestratorVersion,
      currentOrchestratorVersion: p.orchestratorVersion,
      maxPods: p.maxPods,
      provisioningState: p.provisioningState,
      powerState: { code: p.powerState },
    };
    if (p.minCount !== undefined) out.minCount = p.minCount;
    else delete out.minCount;
    if (p.maxCount !== undefined) out.maxCount = p.maxCount;
    else delete out.maxCount;
    return out;
  });
  return overlaid;
}

/** Builds the full ARM view of a local cluster: the managedCluster resource and its normalized agent pools. */
export function buildClusterView(cluster: LocalCluster, tenantId: string, model?: SimulatedAksCluster): ClusterView {
  const parsed = parseClusterId(cluster.id);
  const host = new URL(cluster.kubeApiUrl).hostname;
  const version = cluster.kubernetesVersion;
  const { sku, tags, identity, ...propertyOverrides } = cluster.properties ?? {};
  const defaults: Record<string, unknown> = {
    provisioningState: 'Succeeded',
    powerState: { code: 'Running' },
    kubernetesVersion: version,
    currentKubernetesVersion: version,
    dnsPrefix: `${parsed.name}-dns`,
    fqdn: host,
    azurePortalFQDN: host,
    agentPoolProfiles: [defaultAgentPool('system', 'System', version), defaultAgentPool('user', 'User', version)],
    servicePrincipalProfile: { clientId: 'msi' },
    nodeResourceGroup: `MC_${parsed.resourceGroup}_${parsed.name}_${cluster.location}`,
    enableRBAC: true,
    supportPlan: 'KubernetesOfficial',
    networkProfile: {
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'cilium',
      networkDataplane: 'cilium',
      loadBalancerSku: 'standard',
      podCidr: '10.244.0.0/16',
      serviceCidr: '10.0.0.0/16',
      dnsServiceIP: '10.0.0.10',
      outboundType: 'loadBalancer',
      podCidrs: ['10.244.0.0/16'],
      serviceCidrs: ['10.0.0.0/16'],
      ipFamilies: ['IPv4'],
    },
    aadProfile: { managed: true, enableAzureRBAC: true, tenantID: tenantId },
    maxAgentPools: 100,
    disableLocalAccounts: true,
    apiServerAccessProfile: { enablePrivateCluster: false },
    autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
    securityProfile: {},
    storageProfile: {
      diskCSIDriver: { enabled: true },
      fileCSIDriver: { enabled: true },
      snapshotController: { enabled: true },
    },
    oidcIssuerProfile: { enabled: false },
    addonProfiles: { azurepolicy: { enabled: false }, azureKeyvaultSecretsProvider: { enabled: false } },
    identityProfile: {
      kubeletidentity: {
        resourceId: `/subscriptions/${parsed.subscriptionId}/resourcegroups/MC_${parsed.resourceGroup}_${parsed.name}_${cluster.location}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${parsed.name}-agentpool`,
        clientId: stableGuid(`${cluster.id}/kubelet/client`),
        objectId: stableGuid(`${cluster.id}/kubelet/object`),
      },
    },
    resourceUID: stableHex(cluster.id, 24),
  };
  const properties = mergeOverrides(defaults, propertyOverrides);
  const pools = Array.isArray(properties.agentPoolProfiles)
    ? (properties.agentPoolProfiles as Array<Record<string, unknown>>)
    : [];
  const staticPools = pools.map((pool, index) => {
    const name = typeof pool.name === 'string' ? pool.name : `pool${index}`;
    const mode = pool.mode === 'User' ? 'User' : index === 0 ? 'System' : 'User';
    return mergeOverrides(defaultAgentPool(name, mode, version), pool);
  });
  const aks = model ?? cluster.aks;
  const agentPools = aks ? overlayModel(properties, staticPools, aks) : staticPools;
  properties.agentPoolProfiles = agentPools;
  const resource: Record<string, unknown> = {
    id: cluster.id,
    location: cluster.location,
    name: parsed.name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    tags: isPlainObject(tags) ? tags : {},
    sku: mergeOverrides({ name: 'Base', tier: 'Free' }, isPlainObject(sku) ? sku : undefined),
    identity: mergeOverrides(
      { type: 'SystemAssigned', principalId: stableGuid(`${cluster.id}/identity`), tenantId },
      isPlainObject(identity) ? identity : undefined,
    ),
    properties,
  };
  return { cluster, parsed, resource, properties, agentPools };
}

export function agentPoolResource(view: ClusterView, pool: Record<string, unknown>): Record<string, unknown> {
  const { name, ...poolProperties } = pool;
  return {
    id: `${view.cluster.id}/agentPools/${String(name)}`,
    name,
    type: 'Microsoft.ContainerService/managedClusters/agentPools',
    properties: poolProperties,
  };
}

function firstString(...candidates: unknown[]): string {
  return candidates.find((c): c is string => typeof c === 'string') ?? '';
}

function upgradeOverrides(view: ClusterView): Record<string, unknown> {
  return view.cluster.upgradeProfile ?? {};
}

export function clusterUpgradeProfile(view: ClusterView): Record<string, unknown> {
  const overrides = upgradeOverrides(view);
  const version = firstString(view.properties.currentKubernetesVersion, view.cluster.kubernetesVersion);
  const poolOverrides = Array.isArray(overrides.agentPoolProfiles)
    ? (overrides.agentPoolProfiles as Array<Record<string, unknown>>)
    : [];
  const agentPoolProfiles = view.agentPools.map((pool) => {
    const poolVersion = firstString(pool.currentOrchestratorVersion, pool.orchestratorVersion, version);
    const base = {
      name: pool.name,
      kubernetesVersion: poolVersion,
      osType: pool.osType ?? 'Linux',
      upgrades: availableUpgrades(poolVersion),
    };
    const override = poolOverrides.find((o) => o.name === pool.name);
    const { latestNodeImageVersion: _ignored, ...rest } = override ?? {};
    return mergeOverrides(base, rest);
  });
  const controlPlaneProfile = mergeOverrides(
    { kubernetesVersion: version, name: null, osType: 'Linux', upgrades: availableUpgrades(version) },
    isPlainObject(overrides.controlPlaneProfile) ? overrides.controlPlaneProfile : undefined,
  );
  delete controlPlaneProfile.name;
  return {
    id: `${view.cluster.id}/upgradeprofiles/default`,
    name: 'default',
    type: 'Microsoft.ContainerService/managedClusters/upgradeprofiles',
    properties: { controlPlaneProfile, agentPoolProfiles },
  };
}

export function agentPoolUpgradeProfile(view: ClusterView, pool: Record<string, unknown>): Record<string, unknown> {
  const version = firstString(
    pool.currentOrchestratorVersion,
    pool.orchestratorVersion,
    view.cluster.kubernetesVersion,
  );
  const overrides = upgradeOverrides(view);
  const poolOverrides = Array.isArray(overrides.agentPoolProfiles)
    ? (overrides.agentPoolProfiles as Array<Record<string, unknown>>)
    : [];
  const override = poolOverrides.find((o) => o.name === pool.name) ?? {};
  const { name: _name, ...rest } = override;
  return {
    id: `${view.cluster.id}/agentPools/${String(pool.name)}/upgradeProfiles/default`,
    name: 'default',
    type: 'Microsoft.ContainerService/managedClusters/agentPools/upgradeProfiles',
    properties: mergeOverrides(
      {
        kubernetesVersion: version,
        osType: pool.osType ?? 'Linux',
        upgrades: availableUpgrades(version),
        latestNodeImageVersion: LATEST_NODE_IMAGE,
      },
      rest,
    ),
  };
}

/**
 * The clusterUser kubeconfig. Entra-enabled clusters get an exec (kubelogin) user, or the legacy `azure`
 * auth-provider with format=azure; clusters with local accounts only get a static token user, as AKS returns.
 */
export function userKubeconfig(view: ClusterView, tenantId: string, format: 'exec' | 'azure'): string {
  const { name, resourceGroup } = view.parsed;
  const userName = `clusterUser_${resourceGroup}_${name}`;
  const entra = isPlainObject(view.properties.aadProfile);
  let user: Record<string, unknown>;
  if (!entra) {
    user = { token: stableHex(`${view.cluster.id}/clusterUser`, 64) };
  } else if (format === 'azure') {
    user = {
      'auth-provider': {
        name: 'azure',
        config: {
          'apiserver-id': AKS_SERVER_APP_ID,
          'client-id': KUBELOGIN_CLIENT_ID,
          'config-mode': '1',
          environment: 'AzurePublicCloud',
          'tenant-id': tenantId,
        },
      },
    };
  } else {
    user = {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        args: [
          'get-token',
          '--environment',
          'AzurePublicCloud',
          '--server-id',
          AKS_SERVER_APP_ID,
          '--client-id',
          KUBELOGIN_CLIENT_ID,
          '--tenant-id',
          tenantId,
          '--login',
          'devicecode',
        ],
        command: 'kubelogin',
        env: null,
        installHint:
          '\nkubelogin is not installed which is required to connect to AAD enabled cluster.\n\nTo learn more, please go to https://aka.ms/aks/kubelogin\n',
        interactiveMode: 'IfAvailable',
        provideClusterInfo: false,
      },
    };
  }
  return stringify({
    apiVersion: 'v1',
    clusters: [
      {
        cluster: {
          'certificate-authority-data': Buffer.from(view.cluster.caPem).toString('base64'),
          server: view.cluster.kubeApiUrl,
        },
        name,
      },
    ],
    contexts: [{ context: { cluster: name, user: userName }, name }],
    'current-context': name,
    kind: 'Config',
    preferences: {},
    users: [{ name: userName, user }],
  });
}

/** Deterministic ids keep responses stable across restarts without storing anything. */
function stableHex(seed: string, length: number): string {
  let hex = '';
  for (let i = 0; hex.length < length; i++) hex += createHash('sha256').update(`${i}:${seed}`).digest('hex');
  return hex.slice(0, length);
}

export function stableGuid(seed: string): string {
  const h = stableHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function newCorrelationId(): string {
  return randomUUID();
}
