// arm.nodepool-provisioning-failed: an agent pool's last operation failed.
import { AKS_TROUBLESHOOTING, clusterName, poolFinding, poolProp, type ArmAnalyzer } from './armAnalyzer.js';

export const nodepoolProvisioningFailed: ArmAnalyzer = {
  check: 'arm.nodepool-provisioning-failed',
  analyze({ cluster: c }) {
    return (c.agentPoolProfiles ?? [])
      .filter((pool) => pool.provisioningState === 'Failed')
      .map((pool) =>
        poolFinding(c, pool, this.check, {
          severity: 'critical',
          message: `Node pool ${pool.name} of ${clusterName(c)} is in provisioningState Failed: scaling and upgrades of this pool are blocked.`,
          evidence: [poolProp(c, pool, 'provisioningState', pool.provisioningState)],
          remediation:
            'Check the activity log for the failed operation (quota, subnet IP exhaustion, VM SKU capacity), fix it and reconcile with `az aks nodepool update`.',
          docsUrl: AKS_TROUBLESHOOTING,
        }),
      );
  },
};
