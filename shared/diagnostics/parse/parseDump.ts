// The tolerant reader: takes whatever a person pastes into a ticket and turns it into a snapshot the rules read.
// It recognises, anywhere in the text and in any mix: Kubernetes objects as JSON or YAML (objects, Lists,
// multi-document YAML) and fragments of them (see fragments.ts), `kubectl describe pod|node|pvc` output and
// fragments of it (no `Name:` header, `...` cuts, a single container block, a node's Conditions table), events
// tables and single event lines of every kubectl layout (see eventLines.ts), and `kubectl get pods|nodes|pvc`
// tables (see getTables.ts). Shell prompt lines (`$ kubectl describe po x`, `root@host [ ~ ]# ./kubectl ...`) are
// dropped but name what follows. What a fragment does not say stays unknown, and `missing` lists it.
import type {
  Event as CoreV1Event,
  Node as V1Node,
  PersistentVolumeClaim as V1PersistentVolumeClaim,
  Pod as V1Pod,
} from 'kubernetes-types/core/v1.js';
import type { StorageClass as V1StorageClass } from 'kubernetes-types/storage/v1.js';
import { ValidationError } from '../../errors.js';
import { emptySnapshot, toDate, type ClusterSnapshot, type EventRecord } from '../evidence/snapshot.js';
import { parseDescribeDoc } from './kubectlDescribe.js';
import { isDashes, isEventsHeader, parseEventLine, type EventLine } from './eventLines.js';
import { objectsOfValue, parseJsonTolerant, parseYamlTolerant } from './fragments.js';
import { parseGetTables } from './getTables.js';
import { adoptRow, rowOfFragment } from './fragmentOwner.js';

export type DumpFormat = 'json' | 'yaml' | 'describe' | 'events' | 'table';

export interface ParsedDump {
  snapshot: ClusterSnapshot;
  formats: DumpFormat[];
  /** True when some facts came from fragments (no full object): confidence is lowered accordingly. */
  fragment: boolean;
  /** What the paste does not say that a full object would, e.g. "no container status in the paste". */
  missing: string[];
  /** The input lines (1-based line N is lines[N-1]), for evidence that cites them. */
  lines: string[];
}

export const NO_KUBERNETES_SIGNAL =
  'Found no Kubernetes objects in the input: expected JSON or YAML objects (a Pod, Node, PVC, Event or a List), `kubectl describe pod|node|pvc` output or `kubectl get events` output';

type Obj = Record<string, unknown> & { kind?: string; items?: unknown[] };

/**
 * Converts an Event object of any API version into an EventRecord: core/v1 (involvedObject, message, count,
 * source, lastTimestamp), events.k8s.io/v1beta1 and v1 (regarding, note, series, reportingController, and the
 * deprecatedCount / deprecatedLastTimestamp / deprecatedSource fields that carry the core/v1 values).
 */
export function eventRecordFromObject(e: CoreV1Event & Record<string, unknown>): EventRecord {
  const x = e as CoreV1Event & {
    regarding?: CoreV1Event['involvedObject'];
    note?: string;
    reportingController?: string;
    deprecatedCount?: number;
    deprecatedLastTimestamp?: unknown;
    deprecatedFirstTimestamp?: unknown;
    deprecatedSource?: { component?: string };
  };
  const regarding = x.involvedObject ?? x.regarding ?? { name: '' };
  const series = x.series as { count?: number; lastObservedTime?: unknown } | undefined;
  return {
    type: x.type ?? 'Normal',
    reason: x.reason ?? '',
    message: x.message ?? x.note ?? '',
    count: x.count ?? series?.count ?? x.deprecatedCount ?? 1,
    object: {
      kind: regarding.kind,
      name: regarding.name ?? '',
      namespace: regarding.namespace ?? x.metadata?.namespace,
      fieldPath: regarding.fieldPath,
    },
    source: x.source?.component ?? x.reportingComponent ?? x.reportingController ?? x.deprecatedSource?.component,
    lastSeen:
      toDate(x.lastTimestamp) ??
      toDate(series?.lastObservedTime) ??
      toDate(x.deprecatedLastTimestamp) ??
      toDate(x.eventTime) ??
      toDate(x.firstTimestamp) ??
      toDate(x.deprecatedFirstTimestamp),
  };
}

function addObject(snapshot: ClusterSnapshot, o: unknown): number {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 0;
  const obj = o as Obj;
  if (Array.isArray(obj.items)) return obj.items.reduce<number>((n, item) => n + addObject(snapshot, item), 0);
  switch (obj.kind) {
    case 'Pod':
      // Parsed JSON/YAML of kind Pod: the wire shape by definition.
      snapshot.pods.push(obj as unknown as V1Pod);
      return 1;
    case 'Node':
      snapshot.nodes.push(obj as unknown as V1Node);
      return 1;
    case 'PersistentVolumeClaim':
      snapshot.pvcs.push(obj as unknown as V1PersistentVolumeClaim);
      return 1;
    case 'StorageClass':
      (snapshot.storageClasses ??= []).push(obj as unknown as V1StorageClass);
      return 1;
    case 'Event':
      snapshot.events.push(eventRecordFromObject(obj as CoreV1Event & Record<string, unknown>));
      return 1;
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job': {
      const meta = obj.metadata as { name?: string; namespace?: string } | undefined;
      const spec = obj.spec as { replicas?: number } | undefined;
      const status = obj.status as { readyReplicas?: number } | undefined;
      snapshot.owners.push({
        kind: obj.kind,
        name: meta?.name ?? '',
        namespace: meta?.namespace ?? 'default',
        replicas: spec?.replicas,
        readyReplicas: status?.readyReplicas,
      });
      return 1;
    }
    default:
      return 0;
  }
}

/** The latest time mentioned in the objects: the best guess of when a dump was taken. */
export function latestTimestamp(snapshot: ClusterSnapshot): Date | undefined {
  let max: number | undefined;
  const see = (v: unknown) => {
    const d = toDate(v);
    if (d && d.getTime() > 0 && (max === undefined || d.getTime() > max)) max = d.getTime();
  };
  for (const p of snapshot.pods) {
    see(p.status?.startTime);
    for (const c of p.status?.conditions ?? []) see(c.lastTransitionTime);
    for (const s of [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])]) {
      for (const st of [s.state, s.lastState]) {
        see(st?.running?.startedAt);
        see(st?.terminated?.finishedAt);
        see(st?.terminated?.startedAt);
      }
    }
  }
  for (const n of snapshot.nodes) for (const c of n.status?.conditions ?? []) see(c.lastHeartbeatTime);
  for (const e of snapshot.events) see(e.lastSeen);
  return max === undefined ? undefined : new Date(max);
}

function namespaceFromMessages(events: EventRecord[], pod: string): string | undefined {
  const esc = pod.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const e of events) {
    const m = new RegExp(`assigned ([a-z0-9-]+)/${esc} to|in pod ${esc}_([a-z0-9-]+)\\(`).exec(e.message);
    if (m) return m[1] ?? m[2];
  }
  return undefined;
}

/** A shell prompt + kubectl (or oc) command line: `$ kubectl describe po x -n ns`, `root@master [ ~ ]# ./kubectl ...`. */
const KUBECTL_LINE = /^\s*(?:\S.{0,200}?[$#%>]\s*|[$#%>]\s*)?(?:\.\/)?(?:kubectl|oc|k)\s+([a-z-]+)\b(.*)$/;
/** Any other prompt line (`$ helm install ...`, `PS C:\> ...`). */
const PROMPT_LINE = /^\s*(?:\$|PS [A-Z]:[^>]*>|[\w.-]+@[\w.-]+[^$#]*[$#])\s+\S/;
/** Where the author cut text out. */
const ELLIPSIS = /^\s*(?:\.{3,}|…|\[\.\.\.\]|\(\.\.\.\)|<snip(?:ped)?>|\[snip(?:ped)?\]|# ?\.\.\.)\s*$/;
const YAML_KEY = /^\s*(?:- )?[a-z][A-Za-z0-9]*:(?: |$)/;
const DESCRIBE_KEY = /^\s*[A-Z][\w .\-/()#]*:(?:\s|$)/;

interface Hint {
  verb: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

function hintOf(verb: string, rest: string): Hint {
  const args = rest
    .trim()
    .split(/\s+/)
    .filter((a) => a !== '');
  const hint: Hint = { verb };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n' || a === '--namespace') hint.namespace = args[++i];
    else if (a.startsWith('--namespace=')) hint.namespace = a.slice('--namespace='.length);
    else if (a.startsWith('-')) continue;
    else positional.push(a);
  }
  const [kindArg, nameArg] = positional;
  if (kindArg?.includes('/')) {
    [hint.kind, hint.name] = kindArg.split('/', 2);
  } else {
    hint.kind = kindArg;
    hint.name = nameArg;
  }
  hint.kind = hint.kind?.toLowerCase();
  return hint;
}

interface Segment {
  start: number;
  end: number;
  hint?: Hint;
}

type DescribedKind = 'Pod' | 'Node' | 'PersistentVolumeClaim';

interface Collected {
  pods: V1Pod[];
  nodes: V1Node[];
  pvcs: V1PersistentVolumeClaim[];
  tablePods: V1Pod[];
  events: EventLine[];
  formats: Set<DumpFormat>;
  fragment: boolean;
  /** Describe documents and where they start, to give a describe's events their object. */
  docs: Array<{
    start: number;
    segment: number;
    kind: DescribedKind;
    name: string;
    namespace?: string;
  }>;
}

const UNNAMED_POD = '<pod>';
const UNNAMED_NODE = '<node>';

function addStructured(c: Collected, snapshot: ClusterSnapshot, values: unknown[], fragment: boolean): number {
  let n = 0;
  for (const v of values) {
    for (const { object, fragment: inferred } of objectsOfValue(v)) {
      if (object.kind === 'Pod') {
        const meta = (object.metadata ??= {}) as { name?: string };
        if (!meta.name) {
          meta.name = '';
          c.fragment = true;
        }
      }
      const added = addObject(snapshot, object);
      if (added > 0 && (inferred || fragment)) c.fragment = true;
      n += added;
    }
  }
  return n;
}

function readStructured(c: Collected, snapshot: ClusterSnapshot, lines: string[], seg: Segment, used: boolean[]): void {
  const idx = (from: number, test: (l: string) => boolean) => {
    for (let i = from; i < seg.end; i++) if (!used[i] && test(lines[i]!)) return i;
    return -1;
  };
  const jsonStart = idx(seg.start, (l) => /^\s*(?:[{[]|"[\w.-]+"\s*:\s*[{[])/.test(l));
  if (jsonStart >= 0) {
    const text = lines.slice(jsonStart, seg.end).join('\n');
    const parsed = parseJsonTolerant(text);
    if (parsed && addStructured(c, snapshot, [parsed.value], parsed.repaired) > 0) {
      c.formats.add('json');
      for (let i = jsonStart; i < seg.end; i++) used[i] = true;
      return;
    }
  }
  const body = lines.slice(seg.start, seg.end).filter((_, i) => !used[seg.start + i]);
  const yamlish = body.filter((l) => YAML_KEY.test(l)).length;
  const describeish = body.filter((l) => DESCRIBE_KEY.test(l)).length;
  if (yamlish >= 2 && yamlish > describeish) {
    const yamlStart = idx(seg.start, (l) => YAML_KEY.test(l));
    const parsed = parseYamlTolerant(lines.slice(yamlStart, seg.end).join('\n'));
    if (parsed && addStructured(c, snapshot, parsed.values, parsed.repaired) > 0) {
      c.formats.add('yaml');
      for (let i = yamlStart; i < seg.end; i++) used[i] = true;
    }
  }
}

function readEvents(c: Collected, lines: string[], seg: Segment, used: boolean[]): void {
  let namespaceColumn = false;
  for (let i = seg.start; i < seg.end; i++) {
    if (used[i]) continue;
    const l = lines[i]!;
    if (isEventsHeader(l)) {
      namespaceColumn = /^\s*NAMESPACE\b/.test(l);
      used[i] = true;
      continue;
    }
    if (isDashes(l) && i > 0 && isEventsHeader(lines[i - 1]!)) {
      used[i] = true;
      continue;
    }
    const e = parseEventLine(l, i + 1, namespaceColumn);
    if (e) {
      used[i] = true;
      c.events.push(e);
      c.formats.add('events');
    }
  }
}

function readDescribe(c: Collected, lines: string[], seg: Segment, segIndex: number, used: boolean[]): void {
  const docs: Array<{ start: number; lines: string[]; named: boolean }> = [];
  let current: { start: number; lines: string[]; named: boolean } | undefined;
  for (let i = seg.start; i < seg.end; i++) {
    const l = lines[i]!;
    if (used[i]) {
      // An `Events:` label and its table belong to the describe they end; keep the label out of the tree.
      continue;
    }
    const indent = l.length - l.trimStart().length;
    if (/^\s*Name:\s+\S/.test(l) && (!current || !current.named || indent <= (current.lines[0]?.search(/\S/) ?? 0))) {
      current = { start: i, lines: [], named: true };
      docs.push(current);
    } else if (!current && l.trim() !== '') {
      current = { start: i, lines: [], named: false };
      docs.push(current);
    }
    current?.lines.push(/^\s*Events:\s*$/.test(l) ? '' : l);
  }
  docs.forEach((doc, k) => {
    const hint = k === 0 && seg.hint?.verb === 'describe' ? seg.hint : undefined;
    const r = parseDescribeDoc(doc.lines, hint?.kind, hint?.name);
    if (!r.kind) return;
    c.formats.add('describe');
    if (!doc.named) c.fragment = true;
    // Where each described object starts, so that the Events table below it is given that object.
    const described = (kind: DescribedKind, o: { metadata?: { name?: string; namespace?: string } }) =>
      c.docs.push({
        start: doc.start,
        segment: segIndex,
        kind,
        name: o.metadata!.name!,
        namespace: o.metadata?.namespace,
      });
    for (const p of r.pods) {
      if (hint?.namespace && !doc.lines.some((l) => /^\s*Namespace:/.test(l))) p.metadata!.namespace = hint.namespace;
      if (!doc.lines.some((l) => /^\s*Namespace:/.test(l)) && !hint?.namespace) delete p.metadata!.namespace;
      c.pods.push(p);
      described('Pod', p);
    }
    for (const n of r.nodes) {
      c.nodes.push(n);
      described('Node', n);
    }
    for (const v of r.pvcs) {
      c.pvcs.push(v);
      described('PersistentVolumeClaim', v);
    }
    for (let i = doc.start; i < seg.end && i < doc.start + doc.lines.length; i++) used[i] = true;
  });
}

/** Node events (kubelet/node-controller reasons, core/v1 node event reasons in pkg/kubelet/events). */
const NODE_EVENT =
  /^(NodeNotReady|NodeReady|NodeHas\w+|NodeAllocatableEnforced|Rebooted|Starting|NodeNotSchedulable|NodeSchedulable|RegisteredNode|RemovingNode|DeletingNode|TerminatingEvictedPod|InvalidDiskCapacity|ContainerGCFailed|ImageGCFailed|SystemOOM|KubeletSetupFailed|NodeShutdown)$/;

/** kubernetes-types marks server-set fields read-only; the reader builds the objects, so it may write them. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

function mergePod(target: V1Pod, from: V1Pod): void {
  const into = target as Writable<V1Pod>;
  into.status ??= {};
  const s = into.status;
  const f = from.status ?? {};
  s.phase ??= f.phase;
  s.reason ??= f.reason;
  if (!s.containerStatuses?.length && f.containerStatuses?.length) s.containerStatuses = f.containerStatuses;
  if (!s.initContainerStatuses?.length && f.initContainerStatuses?.length)
    s.initContainerStatuses = f.initContainerStatuses;
  s.conditions ??= f.conditions;
  into.metadata ??= {};
  into.metadata.namespace ??= from.metadata?.namespace;
  if (from.metadata?.deletionTimestamp && !into.metadata.deletionTimestamp)
    into.metadata = { ...into.metadata, deletionTimestamp: from.metadata.deletionTimestamp };
  if (from.spec?.nodeName) (into.spec ??= { containers: [] }).nodeName ??= from.spec.nodeName;
}

// Kubelet event messages that name a container or an image (pkg/kubelet/events and the kuberuntime manager:
// "Created container %s", "Started container %s", "Container %s failed liveness probe, will be restarted",
// "Back-off restarting failed container %s in pod %s", "Pulling image %q", "Failed to pull image %q: ...").
const CONTAINER_IN_MESSAGE =
  /^(?:Created|Started|Stopping|Killing) container (?!with\b)(\S+)|^Container (\S+) (?:failed|definition changed)|^Back-off restarting failed container (\S+)/;
const IMAGE_IN_MESSAGE =
  /^(?:Pulling image|Successfully pulled image|Failed to pull image|Back-off pulling image|Container image) "([^"]+)"/i;
const UNNAMED_CONTAINER = '<container>';

/**
 * A pod known only from its events (an events table or event lines) has no containers; the containers its events
 * name become spec entries (name and image, no status: their state stays unknown) so container rules can run.
 */
function containersFromEvents(pod: V1Pod, events: EventRecord[]): void {
  const mine = events.filter((e) => e.object.kind === 'Pod' && e.object.name === pod.metadata?.name);
  const names = new Set<string>();
  const images = new Set<string>();
  for (const e of mine) {
    const c = CONTAINER_IN_MESSAGE.exec(e.message);
    const name = /spec\.containers\{([^}]+)\}/.exec(e.object.fieldPath ?? '')?.[1] ?? c?.[1] ?? c?.[2] ?? c?.[3];
    if (name) names.add(name);
    const i = IMAGE_IN_MESSAGE.exec(e.message);
    if (i?.[1]) images.add(i[1]);
  }
  const list = [...names];
  const imgs = [...images];
  const imageOf = (i: number) => (list.length === imgs.length ? imgs[i] : imgs.length === 1 ? imgs[0] : undefined);
  const statuses = pod.status?.containerStatuses ?? [];
  // A `kubectl get pods` row knows a container's state but not its name: the events may name it.
  const unnamed = statuses.filter((s) => s.name === '');
  if (unnamed.length === 1 && list.length === 1 && !statuses.some((s) => s.name === list[0]))
    unnamed[0]!.name = list[0]!;
  for (const s of statuses) if (s.name === '') s.name = UNNAMED_CONTAINER;
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])])
    if (c.name === '') c.name = UNNAMED_CONTAINER;
  for (const s of pod.status?.initContainerStatuses ?? []) if (s.name === '') s.name = UNNAMED_CONTAINER;
  if ((pod.spec?.containers?.length ?? 0) > 0) return;
  if (statuses.length > 0) {
    if (imgs.length > 0 || list.length > 0)
      pod.spec = {
        ...(pod.spec ?? {}),
        containers: statuses.map((s, i) => ({ name: s.name, image: imageOf(i) })),
      };
    return;
  }
  // Kubelet events about the pod's containers that name none (`kubectl get events` rows have no SUBOBJECT column):
  // one container whose name the paste does not give.
  const aboutContainers = mine.some((e) =>
    /^(Unhealthy|BackOff|Failed|Killing|Pulling|Pulled|Created|Started|ProbeWarning)$/.test(e.reason),
  );
  if (list.length === 0 && imgs.length === 0 && !aboutContainers) return;
  if (list.length === 0) list.push(UNNAMED_CONTAINER);
  pod.spec = { ...(pod.spec ?? {}), containers: list.map((name, i) => ({ name, image: imageOf(i) })) };
}

/** Reads a paste. Throws ValidationError (today's message) only when it holds no Kubernetes signal at all. */
export function parseDump(text: string, options: { now?: Date } = {}): ParsedDump {
  const snapshot = emptySnapshot('file', options.now ?? new Date());
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const used = lines.map(() => false);
  const c: Collected = {
    pods: [],
    nodes: [],
    pvcs: [],
    tablePods: [],
    events: [],
    formats: new Set(),
    fragment: false,
    docs: [],
  };
  // Segments: split at prompt lines and `---` separators; a kubectl command names what follows it.
  const segments: Segment[] = [];
  let seg: Segment = { start: 0, end: lines.length };
  segments.push(seg);
  lines.forEach((l, i) => {
    const cmd = KUBECTL_LINE.exec(l);
    if (cmd || PROMPT_LINE.test(l) || /^---\s*$/.test(l)) {
      used[i] = true;
      seg.end = i;
      seg = { start: i + 1, end: lines.length, hint: cmd ? hintOf(cmd[1]!, cmd[2] ?? '') : undefined };
      segments.push(seg);
    } else if (ELLIPSIS.test(l)) {
      used[i] = true;
      c.fragment = true;
    }
  });
  segments.forEach((s) => readStructured(c, snapshot, lines, s, used));
  // Tables and event lines are read before describe text so that a describe's Events table is read once.
  const tables = parseGetTables(lines, used);
  if (tables.pods.length + tables.nodes.length + tables.pvcs.length > 0) c.formats.add('table');
  // `kubectl get pods -n x` prints no NAMESPACE column: the command line names it.
  for (const r of tables.pods) {
    const hint = segments.find((s) => r.line - 1 >= s.start && r.line - 1 < s.end)?.hint;
    if (hint?.namespace && !r.object.metadata?.namespace)
      r.object.metadata = { ...r.object.metadata, namespace: hint.namespace };
  }
  c.tablePods.push(...tables.pods.map((r) => r.object));
  segments.forEach((s) => readEvents(c, lines, s, used));
  segments.forEach((s, k) => readDescribe(c, lines, s, k, used));

  // Pods: described/structured first (the richest facts), table rows merged into them by name.
  const pods = [...snapshot.pods.map((p) => p), ...c.pods];
  const unnamed = pods.filter((p) => !p.metadata?.name);
  if (unnamed.length > 1) {
    // Several nameless fragments of one pod (a container block here, a status there): one pod.
    const first = unnamed[0]!;
    for (const p of unnamed.slice(1)) {
      first.status!.containerStatuses = [
        ...(first.status?.containerStatuses ?? []),
        ...(p.status?.containerStatuses ?? []),
      ];
      if (p.spec?.containers?.length) (first.spec ??= { containers: [] }).containers.push(...p.spec.containers);
      mergePod(first, p);
      pods.splice(pods.indexOf(p), 1);
    }
  }
  // A nameless fragment next to a get pods table is one of its rows; a Scheduled event that names the pod decides.
  const scheduled = c.events
    .map((e) => /^Successfully assigned (?:([a-z0-9.-]+)\/)?([a-z0-9.-]+) to /.exec(e.message))
    .find((m) => m);
  const rows = c.tablePods.filter((r) => !scheduled || r.metadata?.name === scheduled[2]);
  const fragment = pods.find((p) => !p.metadata?.name);
  const owner = fragment && rowOfFragment(fragment, rows, new Set(pods.map((p) => p.metadata?.name ?? '')));
  if (fragment && owner) adoptRow(fragment, owner);
  for (const row of c.tablePods) {
    const same = pods.find((p) => p.metadata?.name === row.metadata?.name);
    if (same) mergePod(same, row);
    else pods.push(row);
  }
  snapshot.pods = pods;
  snapshot.nodes.push(...c.nodes, ...tables.nodes.map((r) => r.object));
  snapshot.pvcs.push(...c.pvcs, ...tables.pvcs.map((r) => r.object));
  // A node or claim fragment without its name (a Conditions table alone): a placeholder the commands show as such.
  for (const n of snapshot.nodes) if (!n.metadata?.name) n.metadata = { ...n.metadata, name: UNNAMED_NODE };
  for (const v of snapshot.pvcs) if (!v.metadata?.name) v.metadata = { ...v.metadata, name: '<pvc>' };

  // Events without an object (describe layouts): the describe they close, else the pod a Scheduled message names,
  // else the only object of the paste, else a placeholder named `<pod>` / `<node>`.
  const lineSegment = (line: number) => segments.findIndex((s) => line - 1 >= s.start && line - 1 < s.end);
  for (const e of c.events) {
    if (e.object.name !== '') continue;
    const segIndex = lineSegment(e.line);
    const doc = [...c.docs].reverse().find((d) => d.segment === segIndex && d.start < e.line - 1);
    const hint = segments[segIndex]?.hint;
    if (doc) e.object = { ...e.object, kind: doc.kind, name: doc.name, namespace: doc.namespace };
    else if (hint?.verb === 'describe' && hint.name)
      e.object = {
        ...e.object,
        kind: hint.kind?.startsWith('no') ? 'Node' : 'Pod',
        name: hint.name,
        namespace: hint.namespace,
      };
    else if (scheduled) e.object = { ...e.object, kind: 'Pod', name: scheduled[2]!, namespace: scheduled[1] };
    else if (snapshot.pods.length === 1 && snapshot.nodes.length === 0)
      e.object = { ...e.object, kind: 'Pod', name: snapshot.pods[0]!.metadata?.name ?? '' };
    else if (snapshot.nodes.length === 1 && snapshot.pods.length === 0)
      e.object = { ...e.object, kind: 'Node', name: snapshot.nodes[0]!.metadata?.name ?? '' };
    else if (NODE_EVENT.test(e.reason)) e.object = { ...e.object, kind: 'Node', name: UNNAMED_NODE };
    else e.object = { ...e.object, kind: 'Pod', name: UNNAMED_POD };
  }
  // Unnamed fragments take the name their events give them.
  for (const p of snapshot.pods)
    if (!p.metadata?.name) {
      const named = c.events.find((e) => e.object.kind === 'Pod' && e.object.name !== UNNAMED_POD);
      p.metadata!.name = scheduled?.[2] ?? named?.object.name ?? UNNAMED_POD;
      p.metadata!.namespace ??= scheduled?.[1] ?? named?.object.namespace;
      for (const e of c.events) if (e.object.name === UNNAMED_POD) e.object.name = p.metadata!.name;
    }
  snapshot.events.push(...c.events);

  if (snapshot.pods.length + snapshot.nodes.length + snapshot.pvcs.length + snapshot.events.length === 0)
    throw new ValidationError(NO_KUBERNETES_SIGNAL);
  snapshot.observedAt = latestTimestamp(snapshot) ?? snapshot.observedAt;
  // Each object events name becomes a subject (without status) so the rules can read them.
  for (const e of snapshot.events) {
    if (e.object.kind === 'Node') {
      if (!snapshot.nodes.some((n) => n.metadata?.name === e.object.name))
        snapshot.nodes.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: e.object.name }, status: {} });
      continue;
    }
    if (e.object.kind !== 'Pod' || snapshot.pods.some((p) => p.metadata?.name === e.object.name)) continue;
    // Without -A the table has no namespace column; kubelet and scheduler messages name it.
    const ns = e.object.namespace ?? namespaceFromMessages(snapshot.events, e.object.name);
    for (const ev of snapshot.events)
      if (ev.object.name === e.object.name && ev.object.namespace === undefined) ev.object.namespace = ns;
    snapshot.pods.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: e.object.name, namespace: ns }, status: {} });
  }
  for (const p of snapshot.pods) containersFromEvents(p, snapshot.events);
  if (c.formats.size === 1 && (c.formats.has('events') || c.formats.has('table'))) c.fragment = true;
  return { snapshot, formats: [...c.formats], fragment: c.fragment, missing: [], lines };
}
