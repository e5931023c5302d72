// PodDisruptionBudgets that block every voluntary disruption (node drains during AKS upgrades hang on them) or
// select no pod at all.
import { objectAnalyzer } from './objectAnalyzer.js';
import type { KubeObject } from '../../kube/objects.js';
import { jsonpath } from './podHelpers.js';

interface Pdb extends KubeObject {
  spec?: { minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { currentHealthy?: number; desiredHealthy?: number; disruptionsAllowed?: number; expectedPods?: number };
}

const DOCS = 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/';

export const podDisruptionBudgetAnalyzer = objectAnalyzer<Pdb>(
  'podDisruptionBudget',
  'poddisruptionbudgets',
  (pdb, ns, name, ctx) => {
    const s = pdb.status;
    if (!s) return;
    if ((s.expectedPods ?? 0) === 0) {
      ctx.report({
        check: 'pdb.no-pods',
        severity: 'info',
        kind: 'PodDisruptionBudget',
        namespace: ns,
        name,
        message: `PodDisruptionBudget ${ns}/${name} selects no pods (status.expectedPods 0), so it protects nothing.`,
        evidence: [
          `${jsonpath('pdb', ns, name, 'status.expectedPods')} → 0`,
          `${jsonpath('pdb', ns, name, 'spec.selector')}`,
        ],
        remediation: 'Fix spec.selector to match the pods it should protect, or delete it.',
        docsUrl: DOCS,
      });
      return;
    }
    if (s.disruptionsAllowed === 0) {
      const unhealthy = (s.currentHealthy ?? 0) < (s.desiredHealthy ?? 0);
      ctx.report({
        check: 'pdb.blocks-disruptions',
        severity: 'warning',
        kind: 'PodDisruptionBudget',
        namespace: ns,
        name,
        message: `PodDisruptionBudget ${ns}/${name} allows no disruption (status.disruptionsAllowed 0, ${s.currentHealthy ?? 0} healthy of ${s.desiredHealthy ?? 0} required${unhealthy ? ', fewer than required' : ''}), so node drains and AKS upgrades block on its pods.`,
        evidence: [
          `${jsonpath('pdb', ns, name, 'status')} → disruptionsAllowed=0, currentHealthy=${s.currentHealthy ?? 0}, desiredHealthy=${s.desiredHealthy ?? 0}, expectedPods=${s.expectedPods ?? 0}`,
        ],
        remediation: unhealthy
          ? 'Make the protected pods healthy again, or lower minAvailable so an unhealthy pod can be evicted.'
          : 'Run more replicas than minAvailable (or set maxUnavailable to at least 1) so one pod can be moved at a time.',
        docsUrl: DOCS,
      });
    }
  },
);
