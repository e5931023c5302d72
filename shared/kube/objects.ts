// Kubernetes objects as they arrive in plain JSON (timestamps are strings): the `kubernetes-types` definitions of
// the wire format, with every field optional (Wire<T>) because objects come from clusters of any version and from
// hand-written dump files. The sweep parses list pages with JSON.parse rather than the client's typed models
// (issue 4 §Performance), so these are not @kubernetes/client-node's classes (whose timestamps are Dates).

import type * as core from 'kubernetes-types/core/v1.js';
import type * as meta from 'kubernetes-types/meta/v1.js';

/**
 * A wire object as it may arrive: every field optional, at every depth (`kubernetes-types` marks fields required
 * that older clusters or hand-written dumps leave out), timestamps as strings.
 */
export type Wire<T> = T extends (infer E)[]
  ? Wire<E>[]
  : T extends string | number | boolean
    ? T
    : T extends object
      ? { [K in keyof T]?: Wire<T[K]> }
      : T;

/** Maps stay maps of strings (Wire would make each value optional). */
type StringMap = Record<string, string>;

export type ObjectMeta = Omit<Wire<meta.ObjectMeta>, 'labels' | 'annotations'> & {
  labels?: StringMap;
  annotations?: StringMap;
};

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [field: string]: unknown;
}

export type LabelSelector = {
  matchLabels?: StringMap;
  matchExpressions?: Array<Wire<meta.LabelSelectorRequirement> & { key: string; operator: string }>;
};
export type Probe = Wire<core.Probe>;
export type SecurityContext = Wire<core.SecurityContext>;
/** A container has a name even in a fragment: it is how statuses and specs are matched. */
export type Container = Wire<core.Container> & { name: string };
export type PodSpec = Omit<Wire<core.PodSpec>, 'containers' | 'initContainers'> & {
  containers?: Container[];
  initContainers?: Container[];
};
export type PodTemplate = { metadata?: ObjectMeta; spec?: PodSpec };
export type ContainerState = Wire<core.ContainerState>;
export type ContainerStatus = Wire<core.ContainerStatus> & { name: string };
/** Pod and node conditions share these fields (core/v1 PodCondition, NodeCondition). */
export type Condition = Wire<core.PodCondition> & { type: string; status: string };
export type PodStatus = Omit<Wire<core.PodStatus>, 'conditions' | 'containerStatuses' | 'initContainerStatuses'> & {
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
};

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

/**
 * A @kubernetes/client-node model (timestamps deserialized to Date) as the wire object it was read from (timestamps
 * as RFC 3339 strings, the `kubernetes-types` shape): the models' attribute names are the JSON field names.
 */
export function toWire<T>(model: object): T {
  return JSON.parse(JSON.stringify(model)) as T;
}

/** Namespace and name of an object, with safe fallbacks for malformed dumps. */
export function metaOf(obj: KubeObject): { namespace: string | undefined; name: string } {
  return { namespace: obj.metadata?.namespace, name: obj.metadata?.name ?? '(unnamed)' };
}

export function findCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Whether a label selector matches a label set (matchLabels and the four matchExpressions operators). */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(l, e.key);
    const value = l[e.key];
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A selector that selects nothing is written `{}` in some objects and selects everything in others; callers decide. */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return (
    !selector ||
    (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)
  );
}
