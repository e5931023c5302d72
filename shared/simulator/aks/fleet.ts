// A simulated fleet: N AKS clusters across several subscriptions and resource groups, each a cheap, seeded
// variation (size, Kubernetes version, VM sizes, tier, failing pods) of the simulated cluster. Pure data: the dev
// host and the fleet benchmark serve it (dev/fleet/fleetServers.ts) through the ARM stand-in and one Kubernetes API
// server per cluster.
//
// By design at most 5% of the fleet cannot be swept: about half of that budget is unreachable (its API server
// refuses connections; one of them is the private cluster, whose API server only a VNet-integrated app reaches) and
// the rest is access-denied (listClusterUserCredential answers 403: no "Cluster User Role" for the sweep's
// identity). A few clusters are stopped, and a few are degraded (a failed agent pool, many failing pods).
import { hashInts, uniform } from '../cluster/seededRandom.js';

export type FleetRole = 'healthy' | 'degraded' | 'stopped' | 'unreachable' | 'private' | 'forbidden';

export interface FleetMember {
  index: number;
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  kubernetesVersion: string;
  role: FleetRole;
  /** Size of the generated Kubernetes content (shared/simulator/cluster/largeCluster.ts). */
  nodes: number;
  pods: number;
  failingShare: number;
  seed: number;
  /** managedCluster property overrides for the ARM stand-in (LocalCluster.properties). */
  properties: Record<string, unknown>;
}

/** Clusters per subscription and resource groups per subscription: 1,000 clusters are 40 subscriptions, 120 groups. */
export const CLUSTERS_PER_SUBSCRIPTION = 25;
export const GROUPS_PER_SUBSCRIPTION = 3;
/** Share of the fleet that is unreachable or access-denied by design. */
export const UNSWEEPABLE_SHARE = 0.05;

const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'swedencentral'];
const VERSIONS = ['1.30.10', '1.31.8', '1.31.11', '1.32.5', '1.32.7', '1.33.2', '1.29.14', '1.28.15'];
const VM_SIZES = ['Standard_D4ds_v5', 'Standard_D8ds_v5', 'Standard_D2ds_v5', 'Standard_E4ds_v5', 'Standard_D16ds_v5'];
const ENVS = ['prod', 'stage', 'dev', 'test', 'shared'];

/** A deterministic subscription id for subscription `k` of a fleet. */
export function fleetSubscriptionId(k: number): string {
  return `f1ee7000-0000-4000-8000-${k.toString(16).padStart(12, '0')}`;
}

/**
 * Special roles for a seeded shuffle of indices 1..n-1 (index 0 stays healthy: it is the dev host's own cluster):
 * unreachable (the first of them private), access-denied, then 2% stopped and 5% degraded.
 */
function assignRoles(n: number, seed: number): Map<number, FleetRole> {
  const budget = Math.floor(n * UNSWEEPABLE_SHARE);
  const unreachable = Math.ceil(budget / 2);
  const order = Array.from({ length: n - 1 }, (_, i) => i + 1).sort(
    (a, b) => hashInts(seed, a, 11) - hashInts(seed, b, 11) || a - b,
  );
  const roles = new Map<number, FleetRole>();
  let next = 0;
  const take = (count: number, role: FleetRole) => {
    for (let i = 0; i < count && next < order.length; i++) roles.set(order[next++]!, role);
  };
  if (unreachable > 0) take(1, 'private');
  take(unreachable - 1, 'unreachable');
  take(budget - unreachable, 'forbidden');
  if (n >= 10) {
    take(Math.max(1, Math.floor(n * 0.02)), 'stopped');
    take(Math.max(1, Math.floor(n * 0.05)), 'degraded');
  }
  return roles;
}

function pick<T>(list: readonly T[], ...keys: number[]): T {
  return list[hashInts(...keys) % list.length]!;
}

export function fleetMembers(n: number, options: { seed?: number; firstId?: string } = {}): FleetMember[] {
  const seed = options.seed ?? 16;
  const count = Math.max(1, Math.floor(n));
  const subscriptions = Math.max(1, Math.ceil(count / CLUSTERS_PER_SUBSCRIPTION));
  const roles = assignRoles(count, seed);
  return Array.from({ length: count }, (_, index): FleetMember => {
    const sub = index % subscriptions;
    const subscriptionId = fleetSubscriptionId(sub + 1);
    const env = pick(ENVS, seed, index, 1);
    const resourceGroup = `rg-${env}-${(Math.floor(index / subscriptions) % GROUPS_PER_SUBSCRIPTION) + 1}`;
    const name = `aks-${env}-${String(index).padStart(4, '0')}`;
    const generatedId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${name}`;
    const id = index === 0 && options.firstId ? options.firstId : generatedId;
    const role = roles.get(index) ?? 'healthy';
    const kubernetesVersion = pick(VERSIONS, seed, index, 2);
    const location = pick(LOCATIONS, seed, index, 3);
    // The size of the simulated cluster and a few times it: 2-7 nodes, 4-15 pods a node (the shop is 3 nodes, ~30 pods).
    const nodes = 2 + (hashInts(seed, index, 4) % 6);
    const pods = nodes * (4 + (hashInts(seed, index, 5) % 12));
    const vmSize = pick(VM_SIZES, seed, index, 6);
    const systemNodes = Math.min(3, nodes - 1);
    const properties: Record<string, unknown> = {
      sku: { name: 'Base', tier: uniform(seed, index, 7) < 0.6 ? 'Standard' : 'Free' },
      agentPoolProfiles: [
        { name: 'system', mode: 'System', count: systemNodes, minCount: 1, maxCount: 3, vmSize: 'Standard_D4ds_v5' },
        {
          name: 'user',
          mode: 'User',
          count: nodes - systemNodes,
          minCount: 1,
          maxCount: Math.max(nodes - systemNodes, 2 + (hashInts(seed, index, 8) % 10)),
          vmSize,
          ...(role === 'degraded' ? { provisioningState: 'Failed' } : {}),
        },
      ],
    };
    if (role === 'stopped') properties.powerState = { code: 'Stopped' };
    if (role === 'private') {
      properties.apiServerAccessProfile = { enablePrivateCluster: true };
      properties.privateFQDN = `${name}-${subscriptionId.slice(0, 8)}.privatelink.${location}.azmk8s.io`;
    }
    return {
      index,
      id,
      subscriptionId: id.split('/')[2] ?? subscriptionId,
      resourceGroup,
      name,
      location,
      kubernetesVersion,
      role,
      nodes,
      pods,
      failingShare: role === 'degraded' ? 0.25 : 0.02 + uniform(seed, index, 9) * 0.04,
      seed: hashInts(seed, index, 10),
      properties,
    };
  });
}

/** Clusters a sweep can read (summaries with Kubernetes content), and those it can only report. */
export function isSweepable(member: Pick<FleetMember, 'role'>): boolean {
  return member.role !== 'unreachable' && member.role !== 'private' && member.role !== 'forbidden';
}
