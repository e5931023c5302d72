// arm.api-server-unrestricted: a public API server with no authorizedIPRanges (a private one is arm.private-api-server).
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const apiServerUnrestricted: ArmAnalyzer = {
  check: 'arm.api-server-unrestricted',
  analyze({ cluster: c }) {
    const access = c.apiServerAccessProfile;
    if (access?.enablePrivateCluster || (access?.authorizedIPRanges ?? []).length > 0) return [];
    return [
      clusterFinding(c, this.check, {
        severity: 'info',
        message: `Managed cluster ${clusterName(c)} exposes a public API server to every IP address (no apiServerAccessProfile.authorizedIPRanges).`,
        evidence: [clusterProp(c, 'apiServerAccessProfile.authorizedIPRanges', access?.authorizedIPRanges ?? [])],
        remediation:
          'Restrict it with `az aks update --api-server-authorized-ip-ranges` (include the Function app outbound IPs), or make the cluster private.',
        docsUrl: `${AKS_DOCS}/api-server-authorized-ip-ranges`,
      }),
    ];
  },
};
