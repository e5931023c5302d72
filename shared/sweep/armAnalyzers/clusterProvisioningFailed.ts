// arm.cluster-provisioning-failed: the cluster's last operation failed (provisioningState Failed).
import { AKS_TROUBLESHOOTING, clusterFinding, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const clusterProvisioningFailed: ArmAnalyzer = {
  check: 'arm.cluster-provisioning-failed',
  analyze({ cluster: c }) {
    if (c.provisioningState !== 'Failed') return [];
    return [
      clusterFinding(c, this.check, {
        severity: 'critical',
        message: `Managed cluster ${c.name ?? '(unnamed)'} is in provisioningState Failed: its last operation failed and further changes may be blocked.`,
        evidence: [clusterProp(c, 'provisioningState', c.provisioningState)],
        remediation:
          'Find the failed operation in the activity log, fix its cause, then run `az aks update -n <name> -g <rg>` (no changes) to reconcile the cluster.',
        docsUrl: AKS_TROUBLESHOOTING,
      }),
    ];
  },
};
