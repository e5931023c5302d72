// Server-side printing (meta.k8s.io/v1 Table), as kube-apiserver does when kubectl asks for `as=Table`: without it
// kubectl can only show NAME and AGE. Columns follow pkg/printers/internalversion for the kinds people `get` most.
import type { ServedResource } from './resources.js';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'date';
  format: string;
  description: string;
  priority: number;
}

type Obj = Record<string, unknown>;
type Printer = { columns: TableColumn[]; cells: (obj: Obj, now: number) => unknown[] };

const col = (name: string, type: TableColumn['type'] = 'string', priority = 0, format = ''): TableColumn => ({
  name,
  type,
  format,
  description: `${name} of the object`,
  priority,
});

const nameCol = col('Name', 'string', 0, 'name');
const ageCol = col('Age');

function get(obj: unknown, ...path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Obj)[p];
  }
  return cur;
}

const str = (v: unknown, dflt = '<none>'): string => (typeof v === 'string' && v !== '' ? v : dflt);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** kubectl's duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 192) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

function age(ts: unknown, now: number): string {
  if (typeof ts !== 'string') return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** The STATUS column of `kubectl get pods` (printPod). */
export function podDisplayStatus(pod: Obj): string {
  let reason = str(get(pod, 'status', 'reason'), '') || str(get(pod, 'status', 'phase'), 'Unknown');
  for (const cs of arr(get(pod, 'status', 'containerStatuses'))) {
    const waiting = str(get(cs, 'state', 'waiting', 'reason'), '');
    const terminated = get(cs, 'state', 'terminated');
    if (waiting) reason = waiting;
    else if (terminated && typeof terminated === 'object') {
      const t = terminated as Obj;
      reason = str(t.reason, '') || (t.signal ? `Signal:${num(t.signal)}` : `ExitCode:${num(t.exitCode)}`);
    }
  }
  if (get(pod, 'metadata', 'deletionTimestamp')) reason = 'Terminating';
  return reason;
}

const PRINTERS: Record<string, Printer> = {
  '/pods': {
    columns: [
      nameCol,
      col('Ready'),
      col('Status'),
      col('Restarts', 'string'),
      ageCol,
      col('IP', 'string', 1),
      col('Node', 'string', 1),
      col('Nominated Node', 'string', 1),
      col('Readiness Gates', 'string', 1),
    ],
    cells: (pod, now) => {
      const statuses = arr(get(pod, 'status', 'containerStatuses'));
      const total = arr(get(pod, 'spec', 'containers')).length;
      const ready = statuses.filter((c) => c.ready === true).length;
      const restarts = statuses.reduce((n, c) => n + num(c.restartCount), 0);
      const lastFinished = statuses
        .map((c) => get(c, 'lastState', 'terminated', 'finishedAt'))
        .filter((x): x is string => typeof x === 'string')
        .sort()
        .pop();
      const restartText =
        restarts > 0 && lastFinished ? `${restarts} (${age(lastFinished, now)} ago)` : String(restarts);
      return [
        get(pod, 'metadata', 'name'),
        `${ready}/${total}`,
        podDisplayStatus(pod),
        restartText,
        age(get(pod, 'metadata', 'creationTimestamp'), now),
        str(get(pod, 'status', 'podIP')),
        str(get(pod, 'spec', 'nodeName')),
        str(get(pod, 'status', 'nominatedNodeName')),
        '<none>',
      ];
    },
  },
  '/nodes': {
    columns: [
      nameCol,
      col('Status'),
      col('Roles'),
      ageCol,
      col('Version'),
      col('Internal-IP', 'string', 1),
      col('OS-Image', 'string', 1),
      col('Kernel-Version', 'string', 1),
      col('Container-Runtime', 'string', 1),
    ],
    cells: (node, now) => {
      const ready = arr(get(node, 'status', 'conditions')).find((c) => c.type === 'Ready');
      let status = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
      if (get(node, 'spec', 'unschedulable') === true) status += ',SchedulingDisabled';
      const labels = (get(node, 'metadata', 'labels') ?? {}) as Record<string, string>;
      const roles = Object.keys(labels)
        .filter((k) => k.startsWith('node-role.kubernetes.io/'))
        .map((k) => k.slice('node-role.kubernetes.io/'.length));
      const ip = arr(get(node, 'status', 'addresses')).find((a) => a.type === 'InternalIP');
      return [
        get(node, 'metadata', 'name'),
        status,
        roles.length > 0 ? roles.join(',') : (labels['kubernetes.azure.com/role'] ?? '<none>'),
        age(get(node, 'metadata', 'creationTimestamp'), now),
        str(get(node, 'status', 'nodeInfo', 'kubeletVersion')),
        str(ip?.address),
        str(get(node, 'status', 'nodeInfo', 'osImage')),
        str(get(node, 'status', 'nodeInfo', 'kernelVersion')),
        str(get(node, 'status', 'nodeInfo', 'containerRuntimeVersion')),
      ];
    },
  },
  '/events': {
    columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Message'), nameCol],
    cells: (ev, now) => [
      age(get(ev, 'lastTimestamp') ?? get(ev, 'eventTime') ?? get(ev, 'metadata', 'creationTimestamp'), now),
      str(get(ev, 'type')),
      str(get(ev, 'reason')),
      `${str(get(ev, 'involvedObject', 'kind'), '').toLowerCase()}/${str(get(ev, 'involvedObject', 'name'), '')}`,
      str(get(ev, 'message'), ''),
      get(ev, 'metadata', 'name'),
    ],
  },
  'apps/deployments': {
    columns: [nameCol, col('Ready'), col('Up-to-date', 'integer'), col('Available', 'integer'), ageCol],
    cells: (d, now) => [
      get(d, 'metadata', 'name'),
      `${num(get(d, 'status', 'readyReplicas'))}/${num(get(d, 'spec', 'replicas'))}`,
      num(get(d, 'status', 'updatedReplicas')),
      num(get(d, 'status', 'availableReplicas')),
      age(get(d, 'metadata', 'creationTimestamp'), now),
    ],
  },
  'apps/replicasets': {
    columns: [nameCol, col('Desired', 'integer'), col('Current', 'integer'), col('Ready', 'integer'), ageCol],
    cells: (rs, now) => [
      get(rs, 'metadata', 'name'),
      num(get(rs, 'spec', 'replicas')),
      num(get(rs, 'status', 'replicas')),
      num(get(rs, 'status', 'readyReplicas')),
      age(get(rs, 'metadata', 'creationTimestamp'), now),
    ],
  },
  '/services': {
    columns: [nameCol, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), ageCol],
    cells: (s, now) => [
      get(s, 'metadata', 'name'),
      str(get(s, 'spec', 'type'), 'ClusterIP'),
      str(get(s, 'spec', 'clusterIP')),
      arr(get(s, 'status', 'loadBalancer', 'ingress'))
        .map((i) => str(i.ip, ''))
        .join(',') || '<none>',
      arr(get(s, 'spec', 'ports'))
        .map((p) => `${num(p.port)}${p.nodePort ? `:${num(p.nodePort)}` : ''}/${str(p.protocol, 'TCP')}`)
        .join(','),
      age(get(s, 'metadata', 'creationTimestamp'), now),
    ],
  },
  '/namespaces': {
    columns: [nameCol, col('Status'), ageCol],
    cells: (n, now) => [
      get(n, 'metadata', 'name'),
      str(get(n, 'status', 'phase'), 'Active'),
      age(get(n, 'metadata', 'creationTimestamp'), now),
    ],
  },
  'metrics.k8s.io/pods': {
    columns: [nameCol, col('Window'), ageCol],
    cells: (m, now) => [
      get(m, 'metadata', 'name'),
      str(get(m, 'window')),
      age(get(m, 'metadata', 'creationTimestamp'), now),
    ],
  },
};

const GENERIC: Printer = {
  columns: [nameCol, ageCol],
  cells: (obj, now) => [get(obj, 'metadata', 'name'), age(get(obj, 'metadata', 'creationTimestamp'), now)],
};

export function tablePrinterFor(resource: ServedResource): Printer {
  return PRINTERS[`${resource.group}/${resource.plural}`] ?? GENERIC;
}

/** One Table row; the object is reduced to PartialObjectMetadata (includeObject=Metadata, kubectl's default). */
export function tableRow(printer: Printer, obj: Obj, now: number): Obj {
  return {
    cells: printer.cells(obj, now),
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} },
  };
}

/** Whether the Accept header asks for server-side printing. */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0] ?? '';
  return /as=Table/.test(first) && /g=meta\.k8s\.io/.test(first);
}
