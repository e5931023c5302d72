// arm.kubernetes-rbac-disabled: enableRbac false (set at creation only).
import { AKS_DOCS, clusterFinding, clusterName, clusterProp, type ArmAnalyzer } from './armAnalyzer.js';

export const kubernetesRbacDisabled: ArmAnalyzer = {
  check: 'arm.kubernetes-rbac-disabled',
  analyze({ cluster: c }) {
    if (c.enableRbac !== false) return [];
    return [
      clusterFinding(c, this.check, {
        severity: 'critical',
        message: `Managed cluster ${clusterName(c)} has Kubernetes RBAC disabled (enableRbac false): every authenticated user can do anything.`,
        evidence: [clusterProp(c, 'enableRbac', false)],
        remediation: 'RBAC cannot be enabled in place: recreate the cluster with RBAC and migrate the workloads.',
        docsUrl: `${AKS_DOCS}/concepts-identity`,
      }),
    ];
  },
};
