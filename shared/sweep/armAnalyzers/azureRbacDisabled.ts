// arm.azure-rbac-disabled: Entra users are authorised by Kubernetes RBAC (aadProfile.enableAzureRbac false).
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const azureRbacDisabled: ArmAnalyzer = {
  check: 'arm.azure-rbac-disabled',
  analyze({ cluster: c }) {
    if (!c.aadProfile || c.aadProfile.enableAzureRbac === true) return [];
    return [
      clusterFinding(c, this.check, {
        severity: 'info',
        message: `Managed cluster ${clusterName(c)} authorises Entra users with Kubernetes RBAC, not Azure RBAC (aadProfile.enableAzureRbac false): the sweep identity needs a Kubernetes RoleBinding instead of an Azure role.`,
        evidence: [clusterProp(c, 'aadProfile.enableAzureRbac', c.aadProfile.enableAzureRbac ?? false)],
        remediation:
          'Either enable Azure RBAC (`az aks update --enable-azure-rbac`) and assign "Azure Kubernetes Service RBAC Reader", or bind the identity to the "view" ClusterRole.',
        docsUrl: `${AKS_DOCS}/manage-azure-rbac`,
      }),
    ];
  },
};
