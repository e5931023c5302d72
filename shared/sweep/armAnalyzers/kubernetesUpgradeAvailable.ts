// arm.kubernetes-upgrade-available: the upgrade profile (managedClusters.getUpgradeProfile) offers GA upgrades.
import { AKS_DOCS, clusterFinding, clusterName, compareVersions, type ArmAnalyzer } from './armAnalyzer.js';

export const kubernetesUpgradeAvailable: ArmAnalyzer = {
  check: 'arm.kubernetes-upgrade-available',
  analyze(facts) {
    const c = facts.cluster;
    const upgrades = (facts.upgradeProfile?.controlPlaneProfile.upgrades ?? [])
      .filter((u) => !u.isPreview && u.kubernetesVersion)
      .map((u) => u.kubernetesVersion ?? '')
      .sort(compareVersions);
    const latest = upgrades[upgrades.length - 1];
    if (latest === undefined) return [];
    const name = clusterName(c);
    const version = c.currentKubernetesVersion ?? c.kubernetesVersion;
    return [
      clusterFinding(c, this.check, {
        severity: 'info',
        message: `Managed cluster ${name} runs Kubernetes ${version ?? '?'}; upgrades are available up to ${latest} (${upgrades.join(', ')}).`,
        evidence: [
          `az aks get-upgrades -n ${name} -g <rg> --query "controlPlaneProfile.upgrades[?!isPreview].kubernetesVersion" → ${upgrades.join(', ')}`,
        ],
        remediation: `Upgrade with \`az aks upgrade -n ${name} -g <rg> -k ${latest}\` in a maintenance window, or let an auto-upgrade channel (patch or stable) do it.`,
        docsUrl: `${AKS_DOCS}/upgrade-aks-cluster`,
      }),
    ];
  },
};
