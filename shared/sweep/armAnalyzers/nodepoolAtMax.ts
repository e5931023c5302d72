// arm.nodepool-at-max: an autoscaled pool already runs maxCount nodes, so pending pods get no new node.
import { AKS_DOCS, clusterName, poolFinding, poolProp, type ArmAnalyzer } from './armAnalyzer.js';

export const nodepoolAtMax: ArmAnalyzer = {
  check: 'arm.nodepool-at-max',
  analyze({ cluster: c }) {
    const name = clusterName(c);
    return (c.agentPoolProfiles ?? [])
      .filter((pool) => pool.enableAutoScaling && pool.maxCount !== undefined && (pool.count ?? 0) >= pool.maxCount)
      .map((pool) =>
        poolFinding(c, pool, this.check, {
          severity: 'warning',
          message: `Node pool ${pool.name} of ${name} runs ${pool.count ?? 0} nodes, the cluster autoscaler maximum (maxCount ${pool.maxCount}): pending pods cannot get new nodes.`,
          evidence: [
            poolProp(c, pool, '[count,maxCount,enableAutoScaling]', [
              pool.count,
              pool.maxCount,
              pool.enableAutoScaling,
            ]),
          ],
          remediation: `Raise the maximum (\`az aks nodepool update --cluster-name ${name} -g <rg> -n ${pool.name} --update-cluster-autoscaler --min-count <n> --max-count <m>\`) if subscription quota and subnet IPs allow, or add a pool.`,
          docsUrl: `${AKS_DOCS}/cluster-autoscaler`,
        }),
      );
  },
};
