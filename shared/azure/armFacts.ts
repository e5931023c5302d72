// ARM facts about a managed cluster, as `readArmFacts` (armFactsReader.ts) reads them. The checks over them are
// analyzers of the sweep (shared/sweep/armAnalyzers/), one per file.
import type {
  AgentPoolUpgradeProfile,
  KubernetesVersion,
  ManagedCluster,
  ManagedClusterUpgradeProfile,
} from '@azure/arm-containerservice';

export interface ArmFacts {
  cluster: ManagedCluster;
  upgradeProfile?: ManagedClusterUpgradeProfile;
  /** Versions AKS offers in the cluster's region (managedClusters.listKubernetesVersions). */
  kubernetesVersions?: KubernetesVersion[];
  /** Per agent pool name. */
  poolUpgradeProfiles: Record<string, AgentPoolUpgradeProfile>;
}
