// arm.private-api-server: apiServerAccessProfile.enablePrivateCluster; the sweep needs a linked network to reach it.
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const privateApiServer: ArmAnalyzer = {
  check: 'arm.private-api-server',
  analyze({ cluster: c }) {
    if (!c.apiServerAccessProfile?.enablePrivateCluster) return [];
    return [
      clusterFinding(c, this.check, {
        severity: 'info',
        message: `Managed cluster ${clusterName(c)} has a private API server (apiServerAccessProfile.enablePrivateCluster true): the sweep reaches it only from a network linked to its private endpoint (VNet-integrated Function app).`,
        evidence: [
          clusterProp(c, 'apiServerAccessProfile.enablePrivateCluster', true),
          clusterProp(c, 'privateFqdn', c.privateFqdn),
        ],
        remediation:
          'Run the Function app with VNet integration into a network that resolves and reaches the private FQDN, or use the AKS run-command API.',
        docsUrl: `${AKS_DOCS}/private-clusters`,
      }),
    ];
  },
};
