// A Deployment or StatefulSet with one replica and no PodDisruptionBudget goes down on every node drain (AKS
// upgrades, node image updates, autoscaler scale-down). Reported at the end, once all PDBs are known.
import type { Analyzer } from '../analyzer.js';
import { selectorMatches, type LabelSelector } from '../../kube/objects.js';
import { KUBE_RESOURCES } from '../../kube/resources.js';
import type { Workload } from './workloadHelpers.js';

interface Candidate {
  kind: string;
  ns: string | undefined;
  name: string;
  labels: Record<string, string>;
}

export const singleReplicaWithoutPdbAnalyzer: Analyzer = {
  name: 'singleReplicaWithoutPdb',
  resources: ['deployments', 'statefulsets', 'poddisruptionbudgets'],
  bestPractice: true,
  start(ctx) {
    const candidates: Candidate[] = [];
    const pdbs = new Map<string, LabelSelector[]>();
    return {
      consume(resource, obj) {
        const ns = obj.metadata?.namespace ?? '';
        if (resource === 'poddisruptionbudgets') {
          const selector = (obj.spec as { selector?: LabelSelector } | undefined)?.selector;
          if (selector) pdbs.set(ns, [...(pdbs.get(ns) ?? []), selector]);
          return;
        }
        const w = obj as Workload;
        if ((w.spec?.replicas ?? 1) !== 1) return;
        candidates.push({
          kind: KUBE_RESOURCES[resource].kind,
          ns: obj.metadata?.namespace,
          name: obj.metadata?.name ?? '(unnamed)',
          labels: w.spec?.template?.metadata?.labels ?? {},
        });
      },
      finish() {
        for (const c of candidates) {
          if ((pdbs.get(c.ns ?? '') ?? []).some((s) => selectorMatches(s, c.labels))) continue;
          ctx.report({
            check: 'bestpractice.single-replica-no-pdb',
            severity: 'warning',
            kind: c.kind,
            namespace: c.ns,
            name: c.name,
            message: `${c.kind} ${c.ns}/${c.name} runs a single replica (spec.replicas 1) with no PodDisruptionBudget, so it is unavailable during every node drain and AKS upgrade.`,
            evidence: [
              `kubectl -n ${c.ns} get ${c.kind.toLowerCase()} ${c.name} -o jsonpath='{.spec.replicas}' → 1`,
              `kubectl -n ${c.ns} get pdb → none selects ${Object.entries(c.labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(',')}`,
            ],
            remediation:
              'Run at least two replicas and add a PodDisruptionBudget with maxUnavailable: 1 (with one replica a PDB would block drains instead).',
            docsUrl:
              'https://learn.microsoft.com/azure/aks/operator-best-practices-scheduler#plan-for-availability-using-pod-disruption-budgets',
          });
        }
      },
    };
  },
};
