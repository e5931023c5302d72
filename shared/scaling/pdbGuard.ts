// The PodDisruptionBudget refusal before a scale-in. AKS picks which nodes a scale-in removes and drains them
// through the eviction API, which refuses an eviction that would take a budget below what it guarantees
// (policy/v1 PodDisruptionBudget status.disruptionsAllowed; https://kubernetes.io/docs/tasks/run-application/configure-pdb/).
// We cannot know which nodes go, so the check assumes the worst: the removed nodes are those running the most pods
// of each budget. A scale-in that could evict more pods of a budget than it currently allows is refused, naming it.
import { selectorMatches, type KubeObject, type LabelSelector, type Pod } from '../kube/objects.js';

export interface PodDisruptionBudget extends KubeObject {
  spec?: { selector?: LabelSelector; minAvailable?: number | string; maxUnavailable?: number | string };
  status?: { disruptionsAllowed?: number; currentHealthy?: number; desiredHealthy?: number; expectedPods?: number };
}

export interface PdbRefusal {
  namespace: string;
  name: string;
  /** Pods of the budget that the worst-case scale-in would evict. */
  evicted: number;
  disruptionsAllowed: number;
  message: string;
}

/** Pods that run (or will run) on a node and count against budgets: not finished, not mirror/static pods. */
function isEvictable(pod: Pod): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  // Static (mirror) pods are not evicted by a drain; DaemonSet pods are ignored by drain (kubectl drain
  // --ignore-daemonsets, as AKS does) and come back on whatever node remains.
  const owners = pod.metadata?.ownerReferences ?? [];
  if (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined) return false;
  return !owners.some((o) => o.kind === 'DaemonSet');
}

/**
 * Budgets a scale-in of `removeNodes` nodes out of `poolNodes` would break, worst case. `pods` are all pods of the
 * cluster (those on other nodes do not matter), `pdbs` all budgets.
 */
export function pdbScaleInRefusals(input: {
  poolNodes: string[];
  removeNodes: number;
  pods: Pod[];
  pdbs: PodDisruptionBudget[];
}): PdbRefusal[] {
  if (input.removeNodes <= 0) return [];
  const onPool = new Set(input.poolNodes);
  const pods = input.pods.filter(
    (p) => p.spec?.nodeName !== undefined && onPool.has(p.spec.nodeName) && isEvictable(p),
  );
  const refusals: PdbRefusal[] = [];
  for (const pdb of input.pdbs) {
    const namespace = pdb.metadata?.namespace ?? 'default';
    const selector = pdb.spec?.selector;
    // policy/v1: an empty selector ({}) selects every pod of the namespace; a missing one selects none.
    const covered = pods.filter(
      (p) =>
        (p.metadata?.namespace ?? 'default') === namespace &&
        selector !== undefined &&
        (Object.keys(selector).length === 0 || selectorMatches(selector, p.metadata?.labels)),
    );
    if (covered.length === 0) continue;
    const perNode = new Map<string, number>();
    for (const p of covered) perNode.set(p.spec?.nodeName ?? '', (perNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
    const worst = [...perNode.values()]
      .sort((a, b) => b - a)
      .slice(0, input.removeNodes)
      .reduce((a, b) => a + b, 0);
    const allowed = pdb.status?.disruptionsAllowed ?? 0;
    if (worst > allowed) {
      const name = pdb.metadata?.name ?? '(unnamed)';
      refusals.push({
        namespace,
        name,
        evicted: worst,
        disruptionsAllowed: allowed,
        message: `PodDisruptionBudget ${namespace}/${name} allows ${allowed} disruption(s) but removing ${input.removeNodes} node(s) could evict ${worst} of its pods (kubectl -n ${namespace} get pdb ${name})`,
      });
    }
  }
  return refusals.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}
