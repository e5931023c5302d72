// arm.kubernetes-version-oldest-supported: the cluster runs the oldest GA minor of its region, next to leave support.
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';
import { versionSupport, versionsEvidence } from './versionSupport.js';

export const kubernetesVersionOldestSupported: ArmAnalyzer = {
  check: 'arm.kubernetes-version-oldest-supported',
  analyze(facts) {
    const c = facts.cluster;
    const support = versionSupport(facts);
    if (!support || support.unsupported || support.lts || support.offered[0] !== support.minor) return [];
    return [
      clusterFinding(c, this.check, {
        severity: 'info',
        message: `Managed cluster ${clusterName(c)} runs Kubernetes ${support.version}, the oldest minor AKS still supports in ${c.location}; it leaves support when the next minor is released.`,
        evidence: [
          clusterProp(c, 'currentKubernetesVersion', support.version),
          versionsEvidence(c.location, support.offered),
        ],
        remediation: 'Plan the upgrade to the next minor version now, or enable an auto-upgrade channel.',
        docsUrl: `${AKS_DOCS}/supported-kubernetes-versions`,
      }),
    ];
  },
};
