// Label sets of the pods a namespace runs or will run: pod template labels of every workload controller and the
// labels of listed pods, deduplicated. Used by the spec-level checks that stand in for live state when there is
// none (a manifest set has no Endpoints and no PDB status): "does this selector match any pod template?".
import { selectorMatches, type KubeObject, type LabelSelector } from '../../kube/objects.js';
import type { ResourceKey } from '../../kube/resources.js';
import { TEMPLATE_RESOURCES } from './bestPracticeHelpers.js';
import { podTemplateOf } from './workloadHelpers.js';
import { KUBE_RESOURCES } from '../../kube/resources.js';

/** The objects whose pod labels count: the workload controllers with pod templates, and bare pods. */
export const LABELLED_RESOURCES: readonly ResourceKey[] = TEMPLATE_RESOURCES;

/**
 * Key of a label set, in the order the API server wrote the keys: pods of one template list theirs in the same order,
 * so they still share a key; a set written in another order only costs a second entry, never a wrong answer.
 * (Sorting and joining cost more than anything else the sweep did per pod.)
 */
function labelKey(labels: Record<string, string>): string {
  let key = '';
  for (const k in labels) key += `${k}=${labels[k]}\u0000`;
  return key;
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/** One index per sweep (and per kind of analyzer), shared by every analyzer that needs it. */
const shared = new WeakMap<object, { all?: TemplateLabelIndex; bestPractice?: TemplateLabelIndex }>();

export class TemplateLabelIndex {
  private readonly byNamespace = new Map<string, Map<string, Record<string, string>>>();
  private last: KubeObject | undefined;
  private lastSets: Map<string, Record<string, string>> | undefined;
  private lastLabels: Record<string, string> = {};

  /**
   * The index of this sweep, built once for all analyzers that ask with the same context: each analyzer hands it
   * every object, and an object just added is skipped. Best-practice analyzers do not see exempt namespaces and
   * AKS-managed objects, so they get an index of their own that does not hold them either.
   */
  static shared(sweep: object, bestPractice: boolean): TemplateLabelIndex {
    let entry = shared.get(sweep);
    if (!entry) shared.set(sweep, (entry = {}));
    return bestPractice ? (entry.bestPractice ??= new TemplateLabelIndex()) : (entry.all ??= new TemplateLabelIndex());
  }

  add(resource: ResourceKey, obj: KubeObject): void {
    // The engine hands one object to each analyzer in turn: the second analyzer's add is the same object.
    if (obj === this.last) return;
    this.last = obj;
    const labels =
      resource === 'pods' ? obj.metadata?.labels : podTemplateOf(KUBE_RESOURCES[resource].kind, obj)?.metadata?.labels;
    if (!labels) return;
    const ns = obj.metadata?.namespace ?? '';
    let sets = this.byNamespace.get(ns);
    if (!sets) this.byNamespace.set(ns, (sets = new Map<string, Record<string, string>>()));
    // Pods of one ReplicaSet come one after another with the same labels: no key to build for those.
    if (sets === this.lastSets && sameLabels(labels, this.lastLabels)) return;
    this.lastSets = sets;
    this.lastLabels = labels;
    const key = labelKey(labels);
    if (!sets.has(key)) sets.set(key, labels);
  }

  /** Whether any pod (template) in the namespace carries labels the selector matches. */
  matches(namespace: string | undefined, selector: LabelSelector | undefined): boolean {
    for (const labels of this.byNamespace.get(namespace ?? '')?.values() ?? [])
      if (selectorMatches(selector, labels)) return true;
    return false;
  }

  /** Label sets the selector matches in the namespace. */
  matching(namespace: string | undefined, selector: LabelSelector | undefined): Record<string, string>[] {
    return [...(this.byNamespace.get(namespace ?? '')?.values() ?? [])].filter((l) => selectorMatches(selector, l));
  }
}

/** A Service's `spec.selector` (a plain map) as a LabelSelector. */
export function serviceSelector(selector: Record<string, string> | undefined): LabelSelector | undefined {
  return selector && Object.keys(selector).length > 0 ? { matchLabels: selector } : undefined;
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
