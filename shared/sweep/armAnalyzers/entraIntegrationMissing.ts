// arm.entra-integration-missing: no aadProfile, so no Entra sign-in (the sweep identity included).
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const entraIntegrationMissing: ArmAnalyzer = {
  check: 'arm.entra-integration-missing',
  analyze({ cluster: c }) {
    if (c.aadProfile) return [];
    const name = clusterName(c);
    return [
      clusterFinding(c, this.check, {
        severity: 'critical',
        message: `Managed cluster ${name} uses local accounts only (no aadProfile): nobody, including this sweep's managed identity, can sign in with Microsoft Entra ID, so its Kubernetes objects were not swept.`,
        evidence: [clusterProp(c, 'aadProfile', null), clusterProp(c, 'disableLocalAccounts', c.disableLocalAccounts)],
        remediation: `Enable AKS-managed Entra integration with Azure RBAC (\`az aks update -n ${name} -g <rg> --enable-aad --enable-azure-rbac\`), give the sweep identity "Azure Kubernetes Service RBAC Reader", then disable local accounts.`,
        docsUrl: `${AKS_DOCS}/enable-authentication-microsoft-entra-id`,
      }),
    ];
  },
};
