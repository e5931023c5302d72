// Label and field selectors with the grammar and the field sets of k8s.io/apimachinery and the v1.30 registry, so a
// selector that a real API server rejects is rejected here too (400 with a message naming the problem).

export class SelectorError extends Error {}

type LabelRequirement =
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'gt' | 'lt'; value: number };

export type LabelSelector = (labels: Record<string, string> | undefined) => boolean;

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateKey(key: string): void {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    throw new SelectorError(
      `unable to parse requirement: key: Invalid value: "${key}": prefix part must be a DNS subdomain`,
    );
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    throw new SelectorError(
      `unable to parse requirement: key: Invalid value: "${key}": name part must consist of alphanumeric characters, ` +
        `'-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

function validateValue(key: string, value: string): void {
  if (value.length > 63 || (value.length > 0 && !NAME.test(value))) {
    throw new SelectorError(
      `unable to parse requirement: values[0][${key}]: Invalid value: "${value}": a valid label must be an empty ` +
        `string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

/** Splits on commas that are not inside parentheses (set-based values contain commas). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseRequirement(raw: string): LabelRequirement {
  const text = raw.trim();
  if (text.startsWith('!')) {
    const key = text.slice(1).trim();
    validateKey(key);
    return { key, op: '!exists' };
  }
  const set = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (set) {
    const key = set[1] ?? '';
    validateKey(key);
    const values = (set[3] ?? '').split(',').map((v) => v.trim());
    for (const v of values) validateValue(key, v);
    return { key, op: set[2] === 'in' ? 'in' : 'notin', values };
  }
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(text);
  if (cmp) {
    const key = cmp[1] ?? '';
    const op = cmp[2] ?? '=';
    const value = (cmp[3] ?? '').trim();
    validateKey(key);
    if (op === '>' || op === '<') {
      const n = Number(value);
      if (!/^-?\d+$/.test(value)) {
        throw new SelectorError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
      }
      return { key, op: op === '>' ? 'gt' : 'lt', value: n };
    }
    validateValue(key, value);
    return { key, op: op === '!=' ? '!=' : '=', value };
  }
  if (/\s/.test(text)) {
    throw new SelectorError(
      `unable to parse requirement: found '${text.split(/\s+/)[1] ?? ''}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  }
  validateKey(text);
  return { key: text, op: 'exists' };
}

/** Parses a labelSelector query value. An empty selector matches everything. Throws {@link SelectorError}. */
export function parseLabelSelector(selector: string | null | undefined): LabelSelector | undefined {
  if (selector === null || selector === undefined || selector.trim() === '') return undefined;
  const reqs = splitTopLevel(selector).map((part) => {
    if (part.trim() === '') throw new SelectorError(`unable to parse requirement: found ',', expected: identifier`);
    return parseRequirement(part);
  });
  return (labels) => reqs.every((req) => matchesRequirement(req, labels ?? {}));
}

function matchesRequirement(req: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case '=':
      return value === req.value;
    case '!=':
      return value !== req.value;
    case 'in':
      return value !== undefined && req.values.includes(value);
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case 'gt':
    case 'lt': {
      if (value === undefined || !/^-?\d+$/.test(value)) return false;
      return req.op === 'gt' ? Number(value) > req.value : Number(value) < req.value;
    }
  }
}

export type FieldSelector = (obj: Record<string, unknown>) => boolean;

/** Field labels each resource supports beyond metadata.name / metadata.namespace (pkg/registry/.../strategy.go). */
const FIELDS_BY_RESOURCE: Record<string, string[]> = {
  '/pods': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  '/events': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  '/nodes': ['spec.unschedulable'],
  '/namespaces': ['status.phase'],
  '/secrets': ['type'],
  'apps/replicasets': ['status.replicas'],
  'batch/jobs': ['status.successful'],
};

function fieldValue(obj: Record<string, unknown>, field: string): string {
  const path = field === 'source' ? ['source', 'component'] : field.split('.');
  let cur: unknown = obj;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null)
    return field === 'spec.unschedulable' || field === 'spec.hostNetwork' ? 'false' : '';
  if (typeof cur === 'string') return cur;
  if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
  return JSON.stringify(cur);
}

/** Splits `a=b,c!=d` honouring the `\,` `\=` `\\` escapes of fields.ParseSelector. */
function splitEscaped(text: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) {
      cur += c + (text[i + 1] ?? '');
      i++;
    } else if (c === sep) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Parses a fieldSelector query value for one resource. Throws {@link SelectorError} for unsupported fields. */
export function parseFieldSelector(
  selector: string | null | undefined,
  resource: { group: string; plural: string },
): FieldSelector | undefined {
  if (selector === null || selector === undefined || selector.trim() === '') return undefined;
  const allowed = new Set([
    'metadata.name',
    'metadata.namespace',
    ...(FIELDS_BY_RESOURCE[`${resource.group}/${resource.plural}`] ?? []),
  ]);
  const reqs = splitEscaped(selector, ',').map((part) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part.trim());
    if (!m) throw new SelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    const field = (m[1] ?? '').trim();
    if (!allowed.has(field)) throw new SelectorError(`field label not supported: ${field}`);
    return { field, negate: m[2] === '!=', value: unescape(m[3] ?? '') };
  });
  return (obj) => reqs.every((req) => (fieldValue(obj, req.field) === req.value) !== req.negate);
}
