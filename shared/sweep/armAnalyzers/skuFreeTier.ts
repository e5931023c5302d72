// arm.sku-free-tier: sku.tier Free has no uptime SLA (Free vs Standard pricing tiers).
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const skuFreeTier: ArmAnalyzer = {
  check: 'arm.sku-free-tier',
  analyze({ cluster: c }) {
    if (c.sku?.tier !== 'Free') return [];
    const name = clusterName(c);
    return [
      clusterFinding(c, this.check, {
        severity: 'info',
        message: `Managed cluster ${name} uses the Free tier (sku.tier Free): the control plane has no uptime SLA and is not sized for production load.`,
        evidence: [clusterProp(c, 'sku.tier', 'Free')],
        remediation: `Use the Standard tier for production: \`az aks update -n ${name} -g <rg> --tier standard\`.`,
        docsUrl: `${AKS_DOCS}/free-standard-pricing-tiers`,
      }),
    ];
  },
};
