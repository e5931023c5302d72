// arm.node-image-upgrade-available: the pool's upgrade profile (agentPools.getUpgradeProfile) names a newer node image.
import { AKS_DOCS, clusterName, poolFinding, poolProp, type ArmAnalyzer } from './armAnalyzer.js';

export const nodeImageUpgradeAvailable: ArmAnalyzer = {
  check: 'arm.node-image-upgrade-available',
  analyze({ cluster: c, poolUpgradeProfiles }) {
    const name = clusterName(c);
    return (c.agentPoolProfiles ?? []).flatMap((pool) => {
      const latestImage = pool.name ? poolUpgradeProfiles[pool.name]?.latestNodeImageVersion : undefined;
      if (!latestImage || !pool.nodeImageVersion || latestImage === pool.nodeImageVersion) return [];
      return [
        poolFinding(c, pool, this.check, {
          severity: 'info',
          message: `Node pool ${pool.name} of ${name} runs node image ${pool.nodeImageVersion}; ${latestImage} is available with the latest OS security patches.`,
          evidence: [
            poolProp(c, pool, 'nodeImageVersion', pool.nodeImageVersion),
            `az aks nodepool get-upgrades --cluster-name ${name} -g <rg> -n ${pool.name} --query latestNodeImageVersion → ${latestImage}`,
          ],
          remediation: `Run \`az aks nodepool upgrade --node-image-only --cluster-name ${name} -g <rg> -n ${pool.name}\`, or set the node OS upgrade channel to NodeImage.`,
          docsUrl: `${AKS_DOCS}/node-image-upgrade`,
        }),
      ];
    });
  },
};
