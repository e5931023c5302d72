// PodDisruptionBudgets read from their spec, so a manifest set (no status) is judged too: a budget that can never
// allow an eviction (maxUnavailable 0, minAvailable 100%, or minAvailable at least the replicas it protects) makes
// every node drain and AKS upgrade hang on its pods; one that selects no pod template protects nothing. The
// eviction API refuses an eviction when currentHealthy - 1 < desiredHealthy
// (https://kubernetes.io/docs/concepts/workloads/pods/disruptions/#pod-disruption-budgets).
import type { Analyzer } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import { selectorMatches, type KubeObject, type LabelSelector } from '../../kube/objects.js';
import { KUBE_RESOURCES } from '../../kube/resources.js';
import { jsonpath } from './podHelpers.js';
import { LABELLED_RESOURCES, TemplateLabelIndex } from './templateLabels.js';
import { hasController, hasLiveStatus, type Workload } from './workloadHelpers.js';

interface Pdb extends KubeObject {
  spec?: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: LabelSelector };
}

interface Replicated {
  kind: string;
  ns: string | undefined;
  name: string;
  replicas: number;
  labels: Record<string, string>;
}

const DOCS = 'https://kubernetes.io/docs/tasks/run-application/configure-pdb/';

/** "0", 0, "0%" → 0; "100%" → 100 (percent); numbers as numbers. */
function parseBudget(v: number | string | undefined): { value: number; percent: boolean } | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return { value: v, percent: false };
  const m = /^(\d+)(%?)$/.exec(v.trim());
  return m ? { value: Number(m[1]), percent: m[2] === '%' } : undefined;
}

export const podDisruptionBudgetSpecAnalyzer: Analyzer = {
  name: 'podDisruptionBudgetSpec',
  resources: ['poddisruptionbudgets', ...LABELLED_RESOURCES],
  start(ctx) {
    const templates = TemplateLabelIndex.shared(ctx, false);
    const replicated: Replicated[] = [];
    const pdbs: Pdb[] = [];
    return {
      consume(resource, obj) {
        if (resource === 'poddisruptionbudgets') {
          pdbs.push(obj as Pdb);
          return;
        }
        templates.add(resource, obj);
        if ((resource === 'deployments' || resource === 'statefulsets') && !hasController(obj)) {
          const w = obj as Workload;
          replicated.push({
            kind: KUBE_RESOURCES[resource].kind,
            ns: obj.metadata?.namespace,
            name: obj.metadata?.name ?? '(unnamed)',
            replicas: w.spec?.replicas ?? 1,
            labels: w.spec?.template?.metadata?.labels ?? {},
          });
        }
      },
      finish() {
        for (const pdb of pdbs) {
          const ns = pdb.metadata?.namespace;
          const name = pdb.metadata?.name ?? '(unnamed)';
          const ref = `PodDisruptionBudget ${displayName(ns, name)}`;
          const base = { kind: 'PodDisruptionBudget', namespace: ns, name, docsUrl: DOCS };
          const selector = pdb.spec?.selector;
          const live = hasLiveStatus(pdb);
          if (!live && !templates.matches(ns, selector)) {
            ctx.report({
              ...base,
              check: 'pdb.no-pods',
              severity: 'info',
              message: `${ref} selects no pod template in namespace ${ns ?? 'default'} (spec.selector ${JSON.stringify(selector ?? {})}), so it protects nothing.`,
              evidence: [`${jsonpath('pdb', ns, name, 'spec.selector')} → ${JSON.stringify(selector ?? {})}`],
              remediation: 'Fix spec.selector to match the pods it should protect, or delete it.',
            });
            continue;
          }
          const maxU = parseBudget(pdb.spec?.maxUnavailable);
          const minA = parseBudget(pdb.spec?.minAvailable);
          let why: string | undefined;
          let field = '';
          if (maxU && maxU.value === 0) {
            why = `spec.maxUnavailable is ${String(pdb.spec?.maxUnavailable)}`;
            field = 'spec.maxUnavailable';
          } else if (minA?.percent && minA.value >= 100) {
            why = `spec.minAvailable is ${String(pdb.spec?.minAvailable)}`;
            field = 'spec.minAvailable';
          } else if (minA && !minA.percent) {
            const selected = replicated.filter((w) => w.ns === ns && selectorMatches(selector, w.labels));
            const replicas = selected.reduce((n, w) => n + w.replicas, 0);
            if (selected.length > 0 && minA.value >= replicas) {
              why = `spec.minAvailable ${minA.value} is at least the ${replicas} replica(s) of ${selected.map((w) => `${w.kind} ${w.name}`).join(', ')}`;
              field = 'spec.minAvailable';
            }
          }
          if (!why) continue;
          ctx.report({
            ...base,
            check: 'pdb.blocks-disruptions',
            severity: 'warning',
            message: `${ref} can never allow an eviction (${why}), so node drains and AKS upgrades block on its pods.`,
            evidence: [
              `${jsonpath('pdb', ns, name, field)} → ${String(field === 'spec.maxUnavailable' ? pdb.spec?.maxUnavailable : pdb.spec?.minAvailable)}`,
            ],
            remediation:
              'Use maxUnavailable: 1 (or a minAvailable below the replica count) and run enough replicas that one pod can be moved at a time.',
          });
        }
      },
    };
  },
};
