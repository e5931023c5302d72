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
 * Canonical key of a label set, computed once per labels object: several analyzers index the same objects, and a
 * large cluster has one label set per pod.
 */
const keyCache = new WeakMap<Record<string, string>, string>();
function labelKey(labels: Record<string, string>): string {
  let key = keyCache.get(labels);
  if (key === undefined) {
    key = Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`)
      .join(',');
    keyCache.set(labels, key);
  }
  return key;
}

export class TemplateLabelIndex {
  private readonly byNamespace = new Map<string, Map<string, Record<string, string>>>();

  add(resource: ResourceKey, obj: KubeObject): void {
    const labels =
      resource === 'pods' ? obj.metadata?.labels : podTemplateOf(KUBE_RESOURCES[resource].kind, obj)?.metadata?.labels;
    if (!labels) return;
    const ns = obj.metadata?.namespace ?? '';
    let sets = this.byNamespace.get(ns);
    if (!sets) this.byNamespace.set(ns, (sets = new Map<string, Record<string, string>>()));
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
