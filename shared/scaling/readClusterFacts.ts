// The ARM state scaling decisions start from: the cluster's provisioning and power state and, per agent pool, its
// mode, autoscaler setting, count/minCount/maxCount and whether an upgrade runs. One managed cluster GET
// (Microsoft.ContainerService managedClusters, agentPoolProfiles) carries all of it.
import type { TokenCredential } from '@azure/identity';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { AppConfig } from '../config/config.js';
import { MissingPermissionError, RemoteServiceError, ValidationError, ensureErrorType } from '../errors.js';
import { createContainerServiceClient } from '../azure/arm/armClients.js';
import { parseManagedClusterId } from '../azure/arm/managedClusterId.js';
import { redactSecrets } from '../observability/logger.js';
import type { ClusterFacts, PoolFacts } from './validateAgainstCluster.js';

export type ArmConfig = Pick<AppConfig, 'ARM_ENDPOINT' | 'AZURE_CLIENT_ID' | 'SCALING_ARM_TIMEOUT_SECONDS'>;

export function clusterFactsFrom(clusterId: string, cluster: ManagedCluster): ClusterFacts {
  return {
    clusterId,
    provisioningState: cluster.provisioningState,
    powerState: cluster.powerState?.code,
    pools: (cluster.agentPoolProfiles ?? []).map((p): PoolFacts => ({
      name: p.name,
      mode: p.mode ?? 'User',
      enableAutoScaling: p.enableAutoScaling === true,
      count: p.count,
      minCount: p.minCount,
      maxCount: p.maxCount,
      provisioningState: p.provisioningState,
      orchestratorVersion: p.orchestratorVersion,
      currentOrchestratorVersion: p.currentOrchestratorVersion,
    })),
  };
}

/** The status code of an SDK RestError (or anything with a numeric statusCode). */
export function statusOf(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

/**
 * Reads the cluster's scaling facts. A cluster ARM does not know is the caller's mistake (ValidationError naming
 * `clusterId`); anything else ARM answers or fails with is an outage for our caller (RemoteServiceError 503).
 */
export async function readClusterFacts(
  clusterId: string,
  options: { config: ArmConfig; credential?: TokenCredential; abortSignal?: AbortSignal },
): Promise<ClusterFacts> {
  const id = parseManagedClusterId(clusterId);
  const client = createContainerServiceClient(options.config, id.subscriptionId, options.credential);
  const timeout = AbortSignal.timeout(options.config.SCALING_ARM_TIMEOUT_SECONDS * 1000);
  const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
  try {
    return clusterFactsFrom(clusterId, await client.managedClusters.get(id.resourceGroup, id.name, { abortSignal }));
  } catch (err) {
    const status = statusOf(err);
    if (status === 404)
      throw new ValidationError(`clusterId: ARM has no managed cluster ${clusterId}`, {
        problems: [`clusterId: ARM has no managed cluster ${clusterId}`],
        cause: err,
      });
    // Refused access is our deployment's fault (the role is missing), not an outage: a 500 that says so.
    if (status === 401 || status === 403)
      throw new MissingPermissionError(
        `ARM refused to read ${id.name} (${status}): the app's identity needs Microsoft.ContainerService/managedClusters/read on it`,
        { cause: err },
      );
    throw new RemoteServiceError(`Reading ${id.name} from ARM failed: ${redactSecrets(ensureErrorType(err).message)}`, {
      statusCode: 503,
      retryAfterMs: 30_000,
      cause: err,
    });
  }
}
