// arm.cluster-stopped: powerState.code Stopped (az aks stop); its Kubernetes API is not swept.
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const clusterStopped: ArmAnalyzer = {
  check: 'arm.cluster-stopped',
  analyze({ cluster: c }) {
    if (c.powerState?.code !== 'Stopped') return [];
    return [
      clusterFinding(c, this.check, {
        severity: 'warning',
        message: `Managed cluster ${clusterName(c)} is stopped (powerState.code Stopped): its workloads are not running and its Kubernetes API was not swept.`,
        evidence: [clusterProp(c, 'powerState.code', 'Stopped')],
        remediation:
          'Start it with `az aks start` if it should be running; AKS removes clusters stopped for more than 12 months from support.',
        docsUrl: `${AKS_DOCS}/start-stop-cluster`,
      }),
    ];
  },
};
