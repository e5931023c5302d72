// arm.auto-upgrade-disabled: autoUpgradeProfile.upgradeChannel unset or none.
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const autoUpgradeDisabled: ArmAnalyzer = {
  check: 'arm.auto-upgrade-disabled',
  analyze({ cluster: c }) {
    const channel = c.autoUpgradeProfile?.upgradeChannel;
    if (channel && channel !== 'none') return [];
    const name = clusterName(c);
    return [
      clusterFinding(c, this.check, {
        severity: 'info',
        message: `Managed cluster ${name} has no auto-upgrade channel (autoUpgradeProfile.upgradeChannel ${channel ?? 'unset'}): it falls behind on patches unless upgraded by hand.`,
        evidence: [clusterProp(c, 'autoUpgradeProfile.upgradeChannel', channel)],
        remediation: `Enable the patch or stable channel with a planned maintenance window: \`az aks update -n ${name} -g <rg> --auto-upgrade-channel patch\`.`,
        docsUrl: `${AKS_DOCS}/auto-upgrade-cluster`,
      }),
    ];
  },
};
