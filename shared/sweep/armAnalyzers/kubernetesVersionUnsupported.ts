// arm.kubernetes-version-unsupported: the cluster's minor is no longer offered in its region (nor covered by LTS).
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';
import { versionSupport, versionsEvidence } from './versionSupport.js';

export const kubernetesVersionUnsupported: ArmAnalyzer = {
  check: 'arm.kubernetes-version-unsupported',
  analyze(facts) {
    const c = facts.cluster;
    const support = versionSupport(facts);
    if (!support?.unsupported) return [];
    const name = clusterName(c);
    return [
      clusterFinding(c, this.check, {
        severity: 'critical',
        message: `Managed cluster ${name} runs Kubernetes ${support.version}, which AKS no longer supports in ${c.location} (supported minors: ${support.offered.join(', ')}).`,
        evidence: [
          clusterProp(c, 'currentKubernetesVersion', support.version),
          versionsEvidence(c.location, support.offered),
        ],
        remediation: `Upgrade the control plane and node pools one minor version at a time (\`az aks upgrade -n ${name} -g <rg> -k <version>\`), or move to the AKS long-term support plan if you need more time.`,
        docsUrl: `${AKS_DOCS}/supported-kubernetes-versions`,
      }),
    ];
  },
};
