// arm.nodepool-stopped: one pool stopped while the cluster runs (a stopped cluster is arm.cluster-stopped).
import { AKS_DOCS, clusterName, poolFinding, poolProp, type ArmAnalyzer } from './armAnalyzer.js';

export const nodepoolStopped: ArmAnalyzer = {
  check: 'arm.nodepool-stopped',
  analyze({ cluster: c }) {
    if (c.powerState?.code === 'Stopped') return [];
    return (c.agentPoolProfiles ?? [])
      .filter((pool) => pool.powerState?.code === 'Stopped')
      .map((pool) =>
        poolFinding(c, pool, this.check, {
          severity: 'info',
          message: `Node pool ${pool.name} of ${clusterName(c)} is stopped (powerState.code Stopped): it runs no nodes.`,
          evidence: [poolProp(c, pool, 'powerState.code', 'Stopped')],
          remediation: 'Start it with `az aks nodepool start` if it should be serving.',
          docsUrl: `${AKS_DOCS}/start-stop-nodepools`,
        }),
      );
  },
};
