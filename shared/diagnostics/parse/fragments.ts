// JSON and YAML as people paste it: whole objects, but also a bare `status` block, a `containerStatuses` array, one
// container status, an Event of an old API version (core `v1` with involvedObject, `events.k8s.io/v1beta1` with
// regarding/note/deprecatedCount), objects without apiVersion/kind, and text cut in the middle of an object.
// Shapes are recognised by the fields the Kubernetes API defines for them (core/v1 PodStatus, ContainerStatus,
// NodeStatus, PersistentVolumeClaimSpec, Event), never by the names in a particular paste.
import { parseAllDocuments } from 'yaml';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A container status (core/v1 ContainerStatus): a name plus state, lastState or restartCount. */
function isContainerStatus(v: unknown): v is Obj {
  return isObj(v) && typeof v.name === 'string' && ('state' in v || 'lastState' in v || 'restartCount' in v);
}

/** A pod status (core/v1 PodStatus). */
function isPodStatus(v: Obj): boolean {
  return (
    Array.isArray(v.containerStatuses) ||
    Array.isArray(v.initContainerStatuses) ||
    (typeof v.phase === 'string' && /^(Pending|Running|Succeeded|Failed|Unknown)$/.test(v.phase) && !('capacity' in v))
  );
}

function isNodeStatus(v: Obj): boolean {
  return isObj(v.nodeInfo) || (Array.isArray(v.conditions) && ('capacity' in v || 'allocatable' in v));
}

function isEvent(v: Obj): boolean {
  return typeof v.reason === 'string' && (isObj(v.involvedObject) || isObj(v.regarding));
}

/**
 * Turns a parsed value into Kubernetes objects with `kind` set, recognising fragments by shape. `fragment` is true
 * when the kind had to be inferred (no apiVersion/kind in the paste).
 */
export function objectsOfValue(v: unknown): Array<{ object: Obj; fragment: boolean }> {
  if (Array.isArray(v)) {
    if (v.length > 0 && v.every(isContainerStatus))
      return [{ object: { kind: 'Pod', status: { containerStatuses: v } }, fragment: true }];
    return v.flatMap(objectsOfValue);
  }
  if (!isObj(v)) return [];
  if (typeof v.kind === 'string') {
    if (Array.isArray(v.items)) return v.items.flatMap(objectsOfValue);
    return [{ object: v, fragment: false }];
  }
  if (Array.isArray(v.items)) return v.items.flatMap(objectsOfValue);
  if (isEvent(v)) return [{ object: { ...v, kind: 'Event' }, fragment: true }];
  const status = isObj(v.status) ? v.status : undefined;
  const spec = isObj(v.spec) ? v.spec : undefined;
  if (status && isPodStatus(status)) return [{ object: { ...v, kind: 'Pod' }, fragment: true }];
  if (status && isNodeStatus(status)) return [{ object: { ...v, kind: 'Node' }, fragment: true }];
  if (spec && Array.isArray(spec.accessModes))
    return [{ object: { ...v, kind: 'PersistentVolumeClaim' }, fragment: true }];
  if (spec && Array.isArray(spec.containers)) return [{ object: { ...v, kind: 'Pod' }, fragment: true }];
  if (isPodStatus(v)) return [{ object: { kind: 'Pod', status: v }, fragment: true }];
  if (isNodeStatus(v)) return [{ object: { kind: 'Node', status: v }, fragment: true }];
  if (isContainerStatus(v)) return [{ object: { kind: 'Pod', status: { containerStatuses: [v] } }, fragment: true }];
  if (status) return objectsOfValue(status).map((o) => ({ ...o, fragment: true }));
  return [];
}

/**
 * Parses JSON that may be cut anywhere: on a syntax error, the text is cut back to the last complete member or
 * element and the open brackets are closed. Also accepts `"key": value` members without their enclosing braces.
 */
export function parseJsonTolerant(text: string): { value: unknown; repaired: boolean } | undefined {
  const t = text.trim();
  const attempt = (s: string): unknown => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      return undefined;
    }
  };
  const whole = attempt(t);
  if (whole !== undefined) return { value: whole, repaired: false };
  const body = /^"[^"]+"\s*:/.test(t) ? `{${t.replace(/,\s*$/, '')}}` : t;
  const wrapped = attempt(body);
  if (wrapped !== undefined) return { value: wrapped, repaired: true };
  // Cut points: after each complete value (before a comma) outside strings, with the brackets open there.
  const cuts: Array<{ at: number; open: string }> = [];
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') stack.push(ch === '{' ? '}' : ']');
    else if (ch === '}' || ch === ']') {
      stack.pop();
      cuts.push({ at: i + 1, open: [...stack].reverse().join('') });
    } else if (ch === ',') cuts.push({ at: i, open: [...stack].reverse().join('') });
  }
  for (let k = cuts.length - 1; k >= 0 && k >= cuts.length - 50; k--) {
    const c = cuts[k]!;
    const v = attempt(body.slice(0, c.at) + c.open);
    if (v !== undefined) return { value: v, repaired: true };
  }
  return undefined;
}

/** Parses YAML that may be cut: trailing lines are dropped until the rest parses (at most 20). */
export function parseYamlTolerant(text: string): { values: unknown[]; repaired: boolean } | undefined {
  const lines = text.split('\n');
  for (let drop = 0; drop <= Math.min(20, lines.length - 1); drop++) {
    const t = lines.slice(0, lines.length - drop).join('\n');
    try {
      const docs = parseAllDocuments(t);
      const list = Array.isArray(docs) ? docs : [docs];
      if (list.some((d) => d.errors.length > 0)) continue;
      const values = list.map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
      if (values.length === 0) return undefined;
      return { values, repaired: drop > 0 };
    } catch {
      continue;
    }
  }
  return undefined;
}
