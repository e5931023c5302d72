// arm.local-accounts-enabled: Entra is on but the static admin credential still works (disableLocalAccounts false).
// Without aadProfile there is nothing else to sign in with: that is arm.entra-integration-missing instead.
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const localAccountsEnabled: ArmAnalyzer = {
  check: 'arm.local-accounts-enabled',
  analyze({ cluster: c }) {
    if (!c.aadProfile || c.disableLocalAccounts === true) return [];
    const name = clusterName(c);
    return [
      clusterFinding(c, this.check, {
        severity: 'warning',
        message: `Managed cluster ${name} still allows local accounts (disableLocalAccounts false): the static admin credential bypasses Entra ID and Azure RBAC.`,
        evidence: [clusterProp(c, 'disableLocalAccounts', c.disableLocalAccounts ?? false)],
        remediation: `Disable them with \`az aks update -n ${name} -g <rg> --disable-local-accounts\` once every user signs in through Entra ID.`,
        docsUrl: `${AKS_DOCS}/manage-local-accounts-managed-azure-ad`,
      }),
    ];
  },
};
