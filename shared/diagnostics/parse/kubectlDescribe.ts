// Offline parsing of `kubectl describe pod|node|pvc` text (what people paste into tickets) into the same object
// shapes the API returns, so the rules run unchanged. The describe printer (kubectl/pkg/describe) writes
// `Key:  value` lines nested by indentation and tabwriter-aligned tables (Events, node Conditions); both are read
// generically: an indentation tree, and tables split at the header's column offsets.
import type {
  Container as V1Container,
  ContainerState as V1ContainerState,
  ContainerStatus as V1ContainerStatus,
  Node as V1Node,
  PersistentVolumeClaim as V1PersistentVolumeClaim,
  Pod as V1Pod,
  Probe as V1Probe,
  Volume as V1Volume,
} from 'kubernetes-types/core/v1.js';
import { ValidationError } from '../../errors.js';
import type { EventRecord } from '../evidence/snapshot.js';

/** Largest describe text parsed (a describe of one object is a few KB; a node with many pods a few hundred KB). */
export const MAX_DESCRIBE_CHARS = 4 * 1024 * 1024;

interface TreeNode {
  key?: string;
  value: string;
  raw: string;
  indent: number;
  children: TreeNode[];
}

const KV = /^([A-Za-z][\w .\-/()#]*?):(?:\s+(.*))?$/;

function buildTree(lines: string[]): TreeNode[] {
  const roots: TreeNode[] = [];
  const stack: TreeNode[] = [];
  for (const raw of lines) {
    if (raw.trim() === '') continue;
    const indent = raw.length - raw.trimStart().length;
    const text = raw.trim();
    const m = KV.exec(text);
    const node: TreeNode = m
      ? { key: m[1]?.trim(), value: (m[2] ?? '').trim(), raw, indent, children: [] }
      : { value: text, raw, indent, children: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  return roots;
}

const child = (n: TreeNode | undefined, key: string) => n?.children.find((c) => c.key === key);
const top = (roots: TreeNode[], key: string) => roots.find((r) => r.key === key);
const none = (v: string | undefined) =>
  v === undefined || v === '' || v === '<none>' || v === '<unset>' || v === '<nil>';
/** A top-level field's value; undefined where kubectl printed that it has none. */
function topValue(roots: TreeNode[], key: string): string | undefined {
  const v = top(roots, key)?.value;
  return none(v) ? undefined : v;
}

/** Key=value lines (labels, selectors) from a value and its continuation lines. */
function pairsOf(n: TreeNode | undefined, sep = '='): Record<string, string> | undefined {
  if (!n) return undefined;
  const items = [n.value, ...n.children.map((c) => c.raw.trim())].filter((s) => !none(s));
  const out: Record<string, string> = {};
  for (const item of items) {
    const i = item.indexOf(sep);
    if (i > 0) out[item.slice(0, i)] = item.slice(i + 1);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function kvChildren(n: TreeNode | undefined): Record<string, string> | undefined {
  if (!n) return undefined;
  const out: Record<string, string> = {};
  for (const c of n.children) if (c.key) out[c.key] = c.value;
  return Object.keys(out).length > 0 ? out : undefined;
}

function textWithContinuation(n: TreeNode | undefined): string | undefined {
  if (!n) return undefined;
  const parts = [n.value, ...n.children.filter((c) => !c.key).map((c) => c.raw.trim())].filter((s) => s !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

// ---- tables ----

interface Table {
  header: string[];
  rows: Array<Record<string, string>>;
}

/** Splits tabwriter rows at the header's column offsets (falling back to 2+ spaces when a row is misaligned). */
function parseTable(headerRaw: string, rowRaws: string[]): Table {
  const columns: Array<{ name: string; start: number }> = [];
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(headerRaw); m; m = re.exec(headerRaw)) columns.push({ name: m[0], start: m.index });
  const header = columns.map((c) => c.name);
  const rows = rowRaws.map((raw) => {
    const row: Record<string, string> = {};
    const aligned = columns.every((c, i) => i === 0 || c.start >= raw.length || raw[c.start - 1] === ' ');
    if (aligned) {
      columns.forEach((c, i) => {
        const end = i + 1 < columns.length ? columns[i + 1]!.start : raw.length;
        row[c.name] = raw.slice(c.start, end).trim();
      });
    } else {
      const cells = raw.trim().split(/\s{2,}/);
      columns.forEach((c, i) => {
        row[c.name] = i === columns.length - 1 ? cells.slice(i).join('  ') : (cells[i] ?? '');
      });
    }
    return row;
  });
  return { header, rows };
}

/** A table nested under a section node: header line, optional dashes line, rows. */
function sectionTable(section: TreeNode | undefined): Table | undefined {
  if (!section || section.children.length === 0) return undefined;
  const [headerNode, ...rest] = section.children;
  if (!headerNode) return undefined;
  const rows = rest.filter((r) => !/^-+(\s+-+)*$/.test(r.raw.trim()));
  const base = headerNode.indent;
  // Rows are at the header's indent; flatten any accidental nesting (wrapped lines).
  const flat: TreeNode[] = [];
  const walk = (n: TreeNode) => {
    flat.push(n);
    n.children.forEach(walk);
  };
  rows.forEach(walk);
  return parseTable(
    headerNode.raw.slice(base),
    flat.map((r) => r.raw.slice(Math.min(base, r.indent))),
  );
}

export function parseAge(age: string): { count: number } {
  const m = /\(x(\d+) over/.exec(age);
  return { count: m?.[1] ? Number(m[1]) : 1 };
}

function eventsOf(roots: TreeNode[], object: EventRecord['object']): EventRecord[] {
  const node = top(roots, 'Events');
  if (!node || node.value !== '') return []; // `Events:  <none>`
  const table = sectionTable(node);
  if (!table) return [];
  return table.rows
    .filter((r) => r.Type === 'Normal' || r.Type === 'Warning')
    .map((r) => ({
      type: r.Type ?? '',
      reason: r.Reason ?? '',
      message: r.Message ?? '',
      count: parseAge(r.Age ?? '').count,
      object,
      source: r.From,
      age: r.Age,
    }));
}

// ---- pods ----

const DATE_KEYS = new Set(['Started', 'Finished']);

/** Converts a describe timestamp ("Tue, 26 Nov 2024 12:36:27 +0100") to RFC 3339; keeps the text if unparseable. */
function isoOf(text: string | undefined): string | undefined {
  if (none(text)) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? text : d.toISOString().replace('.000Z', 'Z');
}

function stateOf(n: TreeNode | undefined): V1ContainerState | undefined {
  if (!n || none(n.value)) return n ? {} : undefined;
  const f = kvChildren(n) ?? {};
  for (const k of Object.keys(f)) if (DATE_KEYS.has(k)) f[k] = isoOf(f[k]) ?? f[k]!;
  const message = textWithContinuation(child(n, 'Message'));
  switch (n.value.split(/\s/)[0]) {
    case 'Waiting':
      return { waiting: { reason: f.Reason, message } };
    case 'Running':
      return { running: { startedAt: f.Started } };
    case 'Terminated':
      return {
        terminated: {
          reason: f.Reason,
          message,
          exitCode: Number(f['Exit Code'] ?? 0),
          signal: f.Signal !== undefined ? Number(f.Signal) : undefined,
          startedAt: f.Started,
          finishedAt: f.Finished,
        },
      };
    default:
      return {};
  }
}

/** "exec [sh -c sleep 600] delay=5s timeout=1s period=10s #success=1 #failure=100", "http-get http://:8080/healthz ..." */
export function parseProbe(text: string | undefined): V1Probe | undefined {
  if (none(text)) return undefined;
  const t = text;
  const num = (k: string) => {
    const m = new RegExp(`${k}=(\\d+)s?`).exec(t);
    return m?.[1] ? Number(m[1]) : undefined;
  };
  const probe: V1Probe = {
    initialDelaySeconds: num('delay'),
    timeoutSeconds: num('timeout'),
    periodSeconds: num('period'),
    successThreshold: num('#success'),
    failureThreshold: num('#failure'),
  };
  const exec = /^exec \[(.*)\]/.exec(t);
  const http = /^http-get (\S+)/.exec(t);
  const tcp = /^tcp-socket :?(\S+)/.exec(t);
  if (exec) probe.exec = { command: (exec[1] ?? '').split(' ') };
  else if (http?.[1]) {
    const u = /^\w+:\/\/[^:/]*:?(\d+)?(\/.*)?$/.exec(http[1]);
    probe.httpGet = { path: u?.[2] ?? '/', port: u?.[1] ? Number(u[1]) : 80 };
  } else if (tcp?.[1]) probe.tcpSocket = { port: Number(tcp[1]) || tcp[1] };
  return probe;
}

function listOf(n: TreeNode | undefined): string[] | undefined {
  if (!n) return undefined;
  const items = [n.value, ...n.children.map((c) => c.raw.trim())].filter((s) => s !== '');
  return items.length > 0 ? items : undefined;
}

function containerOf(n: TreeNode): { spec: V1Container; status: V1ContainerStatus } {
  const name = n.key ?? n.value;
  const image = child(n, 'Image')?.value ?? '';
  const limits = kvChildren(child(n, 'Limits'));
  const requests = kvChildren(child(n, 'Requests'));
  const spec: V1Container = {
    name,
    image,
    command: listOf(child(n, 'Command')),
    args: listOf(child(n, 'Args')),
    resources: limits || requests ? { limits, requests } : {},
    livenessProbe: parseProbe(child(n, 'Liveness')?.value),
    readinessProbe: parseProbe(child(n, 'Readiness')?.value),
    startupProbe: parseProbe(child(n, 'Startup')?.value),
  };
  const ready = child(n, 'Ready')?.value;
  const restarts = child(n, 'Restart Count')?.value;
  // A fragment may lack Ready or Restart Count: unknown stays undefined (not "not ready", not "0 restarts").
  const status = {
    name,
    image,
    imageID: child(n, 'Image ID')?.value ?? '',
    containerID: child(n, 'Container ID')?.value || undefined,
    ready: ready === undefined ? undefined : ready === 'True',
    restartCount: restarts === undefined ? undefined : Number(restarts),
    state: stateOf(child(n, 'State')),
    lastState: stateOf(child(n, 'Last State')),
  } as V1ContainerStatus;
  return { spec, status };
}

function volumesOf(n: TreeNode | undefined): V1Volume[] {
  if (!n) return [];
  return n.children
    .filter((v) => v.key)
    .map((v) => {
      const type = child(v, 'Type')?.value ?? '';
      const vol: V1Volume = { name: v.key! };
      if (type.startsWith('PersistentVolumeClaim'))
        vol.persistentVolumeClaim = {
          claimName: child(v, 'ClaimName')?.value ?? '',
          readOnly: child(v, 'ReadOnly')?.value === 'true',
        };
      else if (type.startsWith('ConfigMap')) vol.configMap = { name: child(v, 'Name')?.value ?? '' };
      else if (type.startsWith('Secret')) vol.secret = { secretName: child(v, 'SecretName')?.value ?? '' };
      else if (type.startsWith('EmptyDir')) vol.emptyDir = {};
      return vol;
    });
}

const CONTAINER_KEYS = ['State', 'Last State', 'Restart Count', 'Container ID', 'Image ID', 'Ready'];

function podFromTree(roots: TreeNode[], fallbackName = ''): { pod: V1Pod; events: EventRecord[] } {
  const val = (k: string) => topValue(roots, k);
  const name = val('Name') ?? fallbackName;
  const namespace = val('Namespace') ?? 'default';
  // A fragment that is one container block: its fields at the top, or one `name:` node holding them.
  const bare = roots.some((r) => r.key && CONTAINER_KEYS.includes(r.key) && r.key !== 'Ready' && r.key !== 'Name');
  const loose = roots.filter(
    (r) =>
      r.key && r.value === '' && r.children.some((c) => c.key && CONTAINER_KEYS.includes(c.key) && c.key !== 'Ready'),
  );
  const controlledBy = val('Controlled By');
  const slash = controlledBy?.indexOf('/') ?? -1;
  const containers = (top(roots, 'Containers')?.children ?? []).filter((c) => c.key).map(containerOf);
  const inits = (top(roots, 'Init Containers')?.children ?? []).filter((c) => c.key).map(containerOf);
  if (!top(roots, 'Containers') && !top(roots, 'Init Containers')) {
    if (bare) containers.push(containerOf({ key: '', value: '', raw: '', indent: -1, children: roots }));
    else containers.push(...loose.map(containerOf));
  }
  const conditionsTable = top(roots, 'Conditions');
  const conditions = (conditionsTable?.children ?? [])
    .map((c) => c.raw.trim().split(/\s+/))
    .filter((cells) => cells.length >= 2 && cells[0] !== 'Type' && !/^-+$/.test(cells[0] ?? ''))
    .map(([type, status]) => ({ type: type!, status: status! }));
  const node = val('Node');
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: pairsOf(top(roots, 'Labels')),
      annotations: pairsOf(top(roots, 'Annotations'), ': '),
      ownerReferences:
        controlledBy && slash > 0
          ? [
              {
                apiVersion: 'v1',
                kind: controlledBy.slice(0, slash),
                name: controlledBy.slice(slash + 1),
                uid: '',
                controller: true,
              },
            ]
          : undefined,
    },
    spec: {
      nodeName: node ? node.split('/')[0] : undefined,
      nodeSelector: pairsOf(top(roots, 'Node-Selectors')),
      containers: containers.map((c) => c.spec),
      initContainers: inits.length > 0 ? inits.map((c) => c.spec) : undefined,
      volumes: volumesOf(top(roots, 'Volumes')),
      priorityClassName: val('Priority Class Name'),
    },
    status: {
      phase: val('Status')?.split(/\s/)[0],
      reason: val('Reason'),
      message: textWithContinuation(top(roots, 'Message')),
      startTime: isoOf(val('Start Time')),
      qosClass: val('QoS Class'),
      conditions: conditionsTable ? conditions : undefined,
      containerStatuses: containers.map((c) => c.status),
      initContainerStatuses: inits.length > 0 ? inits.map((c) => c.status) : undefined,
    },
  };
  return { pod, events: eventsOf(roots, { kind: 'Pod', name, namespace }) };
}

// ---- nodes ----

function nodeFromTree(roots: TreeNode[], fallbackName = ''): { node: V1Node; events: EventRecord[] } {
  const name = top(roots, 'Name')?.value ?? fallbackName;
  const conditions = sectionTable(top(roots, 'Conditions'))?.rows.map((r) => ({
    type: r.Type ?? '',
    status: r.Status ?? '',
    lastHeartbeatTime: isoOf(r.LastHeartbeatTime),
    lastTransitionTime: isoOf(r.LastTransitionTime),
    reason: r.Reason,
    message: r.Message,
  }));
  const taintsNode = top(roots, 'Taints');
  const taints = (taintsNode ? [taintsNode.value, ...taintsNode.children.map((c) => c.raw.trim())] : [])
    .filter((t) => !none(t))
    .map((t) => {
      const m = /^([^=:]+)(?:=([^:]*))?:(\w+)$/.exec(t);
      return { key: m?.[1] ?? t, value: m?.[2], effect: m?.[3] ?? '' };
    });
  const node: V1Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: pairsOf(top(roots, 'Labels')) },
    spec: {
      taints: taints.length > 0 ? taints : undefined,
      unschedulable: top(roots, 'Unschedulable')?.value === 'true',
    },
    status: {
      conditions,
      capacity: kvChildren(top(roots, 'Capacity')),
      allocatable: kvChildren(top(roots, 'Allocatable')),
    },
  };
  return { node, events: eventsOf(roots, { kind: 'Node', name }) };
}

// ---- persistent volume claims ----

function pvcFromTree(roots: TreeNode[], fallbackName = ''): { pvc: V1PersistentVolumeClaim; events: EventRecord[] } {
  const val = (k: string) => topValue(roots, k);
  const name = val('Name') ?? fallbackName;
  const namespace = val('Namespace') ?? 'default';
  const pvc: V1PersistentVolumeClaim = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels: pairsOf(top(roots, 'Labels')) },
    spec: { storageClassName: val('StorageClass'), volumeName: val('Volume'), volumeMode: val('VolumeMode') },
    status: { phase: val('Status') },
  };
  return { pvc, events: eventsOf(roots, { kind: 'PersistentVolumeClaim', name, namespace }) };
}

export interface DescribedObjects {
  pods: V1Pod[];
  nodes: V1Node[];
  pvcs: V1PersistentVolumeClaim[];
  events: EventRecord[];
}

function kindOf(roots: TreeNode[], hint: string | undefined): 'pod' | 'node' | 'pvc' | undefined {
  if (hint)
    return hint.startsWith('po')
      ? 'pod'
      : hint.startsWith('no')
        ? 'node'
        : hint.startsWith('persistentvolumeclaim') || hint === 'pvc'
          ? 'pvc'
          : undefined;
  const has = (k: string) => top(roots, k) !== undefined;
  if (has('Containers') || has('QoS Class') || has('Init Containers')) return 'pod';
  if (has('Kubelet Version') || has('Taints') || has('Allocatable') || has('System Info') || has('ProviderID'))
    return 'node';
  // A node's Conditions table has heartbeat columns (kubectl describe node); a pod's has only Type and Status.
  if (/LastHeartbeatTime/.test(top(roots, 'Conditions')?.children[0]?.raw ?? '')) return 'node';
  if (has('StorageClass') || has('Access Modes') || has('VolumeMode')) return 'pvc';
  // Fragments of a pod describe: pod-level fields or one container block.
  if (['Controlled By', 'Tolerations', 'Node-Selectors', 'Priority Class Name', 'IP', 'Start Time'].some(has))
    return 'pod';
  if (roots.some((r) => r.key && CONTAINER_KEYS.includes(r.key) && r.key !== 'Ready')) return 'pod';
  if (roots.some((r) => r.children.some((c) => c.key === 'State' || c.key === 'Last State'))) return 'pod';
  if (has('Status') && (has('Reason') || has('Message') || has('Node'))) return 'pod';
  return undefined;
}

/**
 * Parses one describe document or fragment (no `Name:` header needed). `hint` is the kind named by a preceding
 * `kubectl describe <kind> <name>` line, `fallbackName` the name it gave.
 */
export function parseDescribeDoc(
  docLines: string[],
  hint?: string,
  fallbackName?: string,
): { kind?: 'pod' | 'node' | 'pvc'; pods: V1Pod[]; nodes: V1Node[]; pvcs: V1PersistentVolumeClaim[] } {
  const lines = docLines.map((l) => l.replace(/\t/g, '        '));
  const nonBlank = lines.filter((l) => l.trim() !== '');
  if (nonBlank.length === 0) return { pods: [], nodes: [], pvcs: [] };
  const base = Math.min(...nonBlank.map((l) => l.length - l.trimStart().length));
  const roots = buildTree(lines.map((l) => l.slice(Math.min(base, l.length - l.trimStart().length))));
  const kind = kindOf(roots, hint);
  if (kind === 'pod') return { kind, pods: [podFromTree(roots, fallbackName).pod], nodes: [], pvcs: [] };
  if (kind === 'node') return { kind, pods: [], nodes: [nodeFromTree(roots, fallbackName).node], pvcs: [] };
  if (kind === 'pvc') return { kind, pods: [], nodes: [], pvcs: [pvcFromTree(roots, fallbackName).pvc] };
  return { pods: [], nodes: [], pvcs: [] };
}

/** True when the text looks like `kubectl describe` output. */
export function looksLikeDescribe(text: string): boolean {
  return (
    /^\s*Name:\s+\S/m.test(text) && /^\s*(Namespace|Labels|Status|Conditions|Events|Roles|StorageClass):/m.test(text)
  );
}

/**
 * Parses one or more `kubectl describe` outputs (pods, nodes, PVCs), optionally separated by the `$ kubectl describe
 * <kind> <name>` command lines people paste along. Unknown documents are skipped.
 */
export function parseKubectlDescribe(text: string): DescribedObjects {
  if (text.length > MAX_DESCRIBE_CHARS)
    throw new ValidationError(
      `kubectl describe text is ${text.length} characters; at most ${MAX_DESCRIBE_CHARS} are read (describe one object at a time)`,
      { tooLarge: true },
    );
  const out: DescribedObjects = { pods: [], nodes: [], pvcs: [], events: [] };
  const lines = text.replace(/\r\n/g, '\n').replace(/\t/g, '        ').split('\n');
  const docs: Array<{ lines: string[]; hint?: string; firstIndent?: number }> = [];
  let current: { lines: string[]; hint?: string; firstIndent?: number } | undefined;
  let hint: string | undefined;
  for (const line of lines) {
    // Match on the trimmed line: `^\s*\$?\s*` backtracks over the indentation quadratically per line, which made
    // deeply indented input cubic (4.9 s for 4.5 MB). Every test below is linear in the line's length.
    const trimmed = line.trimStart();
    const cmd = /^\$?[ ]*kubectl describe (\S+)/.exec(trimmed);
    if (cmd) {
      hint = cmd[1]?.toLowerCase();
      current = undefined;
      continue;
    }
    if (/^Name:\s+\S/.test(trimmed) && (!current || line.length - trimmed.length <= (current.firstIndent ?? 0))) {
      current = { lines: [], hint };
      hint = undefined;
      docs.push(current);
    }
    if (current && current.firstIndent === undefined && trimmed !== '')
      current.firstIndent = line.length - trimmed.length;
    current?.lines.push(line);
  }
  for (const doc of docs) {
    let base = Number.POSITIVE_INFINITY;
    for (const l of doc.lines) if (l.trim() !== '') base = Math.min(base, l.length - l.trimStart().length);
    const roots = buildTree(doc.lines.map((l) => l.slice(Math.min(base, l.length - l.trimStart().length))));
    const kind = kindOf(roots, doc.hint);
    if (kind === 'pod') {
      const r = podFromTree(roots);
      out.pods.push(r.pod);
      out.events.push(...r.events);
    } else if (kind === 'node') {
      const r = nodeFromTree(roots);
      out.nodes.push(r.node);
      out.events.push(...r.events);
    } else if (kind === 'pvc') {
      const r = pvcFromTree(roots);
      out.pvcs.push(r.pvc);
      out.events.push(...r.events);
    }
  }
  return out;
}
