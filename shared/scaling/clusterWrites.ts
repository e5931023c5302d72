// The Kubernetes reads behind the PodDisruptionBudget check, and the ARM writes that carry out a plan: agent pool
// create-or-update (the full pool read back and PUT with the new count or bounds, as `az aks nodepool scale`
// does) and managed cluster start/stop. All three are ARM long-running operations
// (Microsoft.ContainerService REST spec: AgentPools_CreateOrUpdate 200/201, ManagedClusters_Stop/Start 202 with
// Azure-AsyncOperation); the SDK's pollers follow them to Succeeded or throw on Failed/Canceled. Every call has
// the operation timeout and the caller's signal.
import type { KubeConfig } from '@kubernetes/client-node';
import type { ContainerServiceClient } from '@azure/arm-containerservice';
import { listPages } from '../kube/listPages.js';
import { KUBE_RESOURCES } from '../kube/resources.js';
import type { Pod } from '../kube/objects.js';
import { parseManagedClusterId } from '../azure/arm/managedClusterId.js';
import type { PlannedAction } from './planSchedule.js';
import type { PodDisruptionBudget } from './pdbGuard.js';

export interface PoolDisruptionFacts {
  poolNodes: string[];
  pods: Pod[];
  pdbs: PodDisruptionBudget[];
}

/** Nodes of `pool` (by the AKS agent pool label), every pod and every PodDisruptionBudget. */
export async function readPoolDisruptionFacts(
  kc: KubeConfig,
  pool: string,
  options: { abortSignal?: AbortSignal; requestTimeoutMs?: number } = {},
): Promise<PoolDisruptionFacts> {
  const collect = async <T>(resource: keyof typeof KUBE_RESOURCES, labelSelector?: string): Promise<T[]> => {
    const out: T[] = [];
    for await (const page of listPages(kc, KUBE_RESOURCES[resource], {
      labelSelector,
      abortSignal: options.abortSignal,
      requestTimeoutMs: options.requestTimeoutMs,
    }))
      out.push(...(page as T[]));
    return out;
  };
  const [nodes, pods, pdbs] = await Promise.all([
    collect<{ metadata?: { name?: string } }>('nodes', `kubernetes.azure.com/agentpool=${pool}`),
    collect<Pod>('pods'),
    collect<PodDisruptionBudget>('poddisruptionbudgets'),
  ]);
  return { poolNodes: nodes.map((n) => n.metadata?.name ?? '').filter((n) => n !== ''), pods, pdbs };
}

export type WriteAction = Extract<PlannedAction, { kind: 'scale' | 'setBounds' | 'start' | 'stop' }>;

/** Carries out `action` on the cluster (and pool) and waits for ARM's long-running operation to finish. */
export async function applyScalingAction(
  client: ContainerServiceClient,
  clusterId: string,
  nodePool: string | undefined,
  action: WriteAction,
  options: { abortSignal: AbortSignal; pollIntervalMs?: number },
): Promise<void> {
  const id = parseManagedClusterId(clusterId);
  const lro = { abortSignal: options.abortSignal, updateIntervalInMs: options.pollIntervalMs };
  if (action.kind === 'stop') {
    await client.managedClusters.beginStopAndWait(id.resourceGroup, id.name, lro);
    return;
  }
  if (action.kind === 'start') {
    await client.managedClusters.beginStartAndWait(id.resourceGroup, id.name, lro);
    return;
  }
  const poolName = nodePool ?? '';
  const pool = await client.agentPools.get(id.resourceGroup, id.name, poolName, { abortSignal: options.abortSignal });
  const body =
    action.kind === 'scale'
      ? { ...pool, count: action.to }
      : {
          ...pool,
          enableAutoScaling: true,
          minCount: action.to.minCount,
          maxCount: action.to.maxCount,
          // AKS keeps count within the bounds; send it so, rather than have the PUT refused.
          count: action.toCount ?? pool.count,
        };
  await client.agentPools.beginCreateOrUpdateAndWait(id.resourceGroup, id.name, poolName, body, lro);
}
