// Reads the ARM facts of one managed cluster with @azure/arm-containerservice. Only the cluster GET is required;
// upgrade profiles and the version list are best-effort, their failures reported in `errors`.
import type {
  AgentPoolUpgradeProfile,
  KubernetesVersion,
  ManagedClusterUpgradeProfile,
} from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config/config.js';
import { ensureErrorType } from '../errors.js';
import { createContainerServiceClient } from './arm/armClients.js';
import { parseManagedClusterId } from './arm/managedClusterId.js';
import type { ArmFacts } from './armFacts.js';

export interface ArmFactsResult {
  facts: ArmFacts;
  errors: string[];
}

export async function readArmFacts(
  clusterId: string,
  options: {
    config: Pick<AppConfig, 'ARM_ENDPOINT' | 'AZURE_CLIENT_ID'>;
    credential?: TokenCredential;
    abortSignal?: AbortSignal;
  },
): Promise<ArmFactsResult> {
  const id = parseManagedClusterId(clusterId);
  const client = createContainerServiceClient(options.config, id.subscriptionId, options.credential);
  const abortSignal = options.abortSignal;
  const cluster = await client.managedClusters.get(id.resourceGroup, id.name, { abortSignal });
  const errors: string[] = [];
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      errors.push(`arm ${what}: ${ensureErrorType(err).message}`);
      return undefined;
    }
  };
  const [upgradeProfile, versions] = await Promise.all([
    attempt<ManagedClusterUpgradeProfile>('upgrade profile', () =>
      client.managedClusters.getUpgradeProfile(id.resourceGroup, id.name, { abortSignal }),
    ),
    attempt<KubernetesVersion[]>(
      'kubernetes versions',
      async () => (await client.managedClusters.listKubernetesVersions(cluster.location, { abortSignal })).values ?? [],
    ),
  ]);
  const poolUpgradeProfiles: Record<string, AgentPoolUpgradeProfile> = {};
  await Promise.all(
    (cluster.agentPoolProfiles ?? []).map(async (p) => {
      const profile = await attempt(`node pool ${p.name} upgrade profile`, () =>
        client.agentPools.getUpgradeProfile(id.resourceGroup, id.name, p.name, { abortSignal }),
      );
      if (profile) poolUpgradeProfiles[p.name] = profile;
    }),
  );
  return { facts: { cluster, upgradeProfile, kubernetesVersions: versions, poolUpgradeProfiles }, errors };
}
