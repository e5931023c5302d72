// `kubectl get pods|nodes|pvc` tables (plain, -o wide, -A) read into partial objects: only what a table row says is
// set, everything else stays unknown (no container statuses are invented beyond what STATUS and READY imply).
// STATUS values are those kubectl prints (kubernetes/pkg/printers/internalversion/printers.go printPod): the pod
// phase, `status.reason` (Evicted, NodeLost, OutOfcpu...), a container's waiting or terminated reason
// (CrashLoopBackOff, OOMKilled, Completed, Error...), `Init:<reason>` or `Init:N/M` while init containers run,
// `Terminating` when deletionTimestamp is set, `NotReady` for a Running pod whose Ready condition is False (1.26+),
// `SchedulingGated`; for nodes `Ready`/`NotReady`/`Unknown` with `,SchedulingDisabled` when cordoned (printNode).
import type {
  ContainerStatus as V1ContainerStatus,
  Node as V1Node,
  PersistentVolumeClaim as V1PersistentVolumeClaim,
  Pod as V1Pod,
} from 'kubernetes-types/core/v1.js';

export type GetTableKind = 'pods' | 'nodes' | 'pvcs';

export interface TableRow<T> {
  object: T;
  line: number;
  raw: string;
}

export interface GetTables {
  pods: Array<TableRow<V1Pod>>;
  nodes: Array<TableRow<V1Node>>;
  pvcs: Array<TableRow<V1PersistentVolumeClaim>>;
}

/** The kind of a `kubectl get` header line, if it is one. */
export function getTableKind(line: string): GetTableKind | undefined {
  const t = line.trim();
  if (!/^(NAMESPACE\s+)?NAME\s+/.test(t)) return undefined;
  if (/\bREADY\s+STATUS\s+RESTARTS\b/.test(t)) return 'pods';
  if (/\bSTATUS\s+ROLES\b/.test(t) || /\bSTATUS\s+AGE\s+VERSION\b/.test(t)) return 'nodes';
  if (/\bSTATUS\s+VOLUME\s+CAPACITY\b/.test(t)) return 'pvcs';
  return undefined;
}

interface Column {
  name: string;
  start: number;
}

function columnsOf(header: string): Column[] {
  const cols: Column[] = [];
  // Header names are single words or words joined by one space (`NOMINATED NODE`, `ACCESS MODES`).
  const re = /\S+(?: \S+)*/g;
  for (let m = re.exec(header); m; m = re.exec(header)) cols.push({ name: m[0], start: m.index });
  return cols;
}

function rowOf(cols: Column[], raw: string): Record<string, string> {
  const row: Record<string, string> = {};
  const aligned = cols.every((c, i) => i === 0 || c.start >= raw.length || /\s/.test(raw[c.start - 1] ?? ' '));
  if (aligned && !raw.includes('\t')) {
    cols.forEach((c, i) => {
      const end = i + 1 < cols.length ? cols[i + 1]!.start : raw.length;
      row[c.name] = raw.slice(c.start, end).trim();
    });
  } else {
    // Tabs or re-flowed spaces: cells separated by whitespace; a RESTARTS cell may read `5 (2m ago)`.
    const cells = raw
      .trim()
      .replace(/(\d+) \((\S+ ago)\)/, '$1_($2)')
      .split(/\s+/);
    cols.forEach((c, i) => (row[c.name] = (cells[i] ?? '').replace('_(', ' (')));
  }
  return row;
}

const WAITING =
  /^(CrashLoopBackOff|ImagePullBackOff|ErrImagePull|ErrImageNeverPull|InvalidImageName|CreateContainerConfigError|CreateContainerError|RunContainerError|PreCreateHookError|PostStartHookError|ContainerCreating|PodInitializing|RegistryUnavailable|ImageInspectError)$/;
const TERMINATED =
  /^(OOMKilled|Error|Completed|ContainerCannotRun|StartError|DeadlineExceeded|Signal:\d+|ExitCode:\d+)$/;
const POD_REASON = /^(Evicted|NodeLost|NodeAffinity|OutOf\w+|UnexpectedAdmissionError|Shutdown|Terminated|Preempting)$/;

function terminated(reason: string) {
  const exit = /^ExitCode:(\d+)$/.exec(reason);
  const signal = /^Signal:(\d+)$/.exec(reason);
  return {
    reason: exit || signal ? undefined : reason,
    exitCode: exit ? Number(exit[1]) : reason === 'Completed' ? 0 : reason === 'OOMKilled' ? 137 : undefined,
    signal: signal ? Number(signal[1]) : undefined,
  } as { reason?: string; exitCode: number; signal?: number };
}

/** A pod as far as one `kubectl get pods` row tells. The container is unnamed: the table does not say which. */
export function podFromRow(row: Record<string, string>): V1Pod {
  const status = row.STATUS ?? '';
  const [ready, total] = (row.READY ?? '').split('/').map(Number);
  const restarts = Number(/^\d+/.exec(row.RESTARTS ?? '')?.[0] ?? NaN);
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: row.NAME ?? '', namespace: row.NAMESPACE || undefined },
    spec: row.NODE && row.NODE !== '<none>' ? { containers: [], nodeName: row.NODE } : undefined,
    status: {},
  };
  const s = pod.status!;
  // One stand-in for the container(s) STATUS speaks of; `name` is empty because the row does not name it.
  const container = (): V1ContainerStatus => {
    const c = {
      name: '',
      image: '',
      imageID: '',
      ready: ready !== undefined && total !== undefined && !Number.isNaN(ready) ? ready === total : false,
      restartCount: Number.isNaN(restarts) ? 0 : restarts,
    } as V1ContainerStatus;
    if (Number.isNaN(restarts)) delete (c as Partial<V1ContainerStatus>).restartCount;
    return c;
  };
  const init = /^Init:(.+)$/.exec(status);
  if (init) {
    s.phase = 'Pending';
    const r = init[1]!;
    if (/^\d+\/\d+$/.test(r)) return pod; // init containers still running: nothing known to be wrong
    const c = container();
    if (TERMINATED.test(r)) c.state = { terminated: terminated(r) };
    else c.state = { waiting: { reason: r } };
    s.initContainerStatuses = [c];
    return pod;
  }
  if (status === 'Terminating') {
    // Being deleted: the row says so, not when (the epoch stands for "set, time unknown").
    return { ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date(0).toISOString() } };
  }
  if (/^(Pending|Running|Succeeded|Failed|Unknown)$/.test(status)) {
    s.phase = status;
    if (status === 'Running' && ready !== undefined && total !== undefined && !Number.isNaN(ready)) {
      const c = container();
      c.state = { running: {} };
      s.containerStatuses = [c];
      s.conditions = [{ type: 'Ready', status: ready === total ? 'True' : 'False' }];
    }
    return pod;
  }
  if (status === 'NotReady') {
    s.phase = 'Running';
    s.conditions = [{ type: 'Ready', status: 'False' }];
    return pod;
  }
  if (status === 'SchedulingGated') {
    s.phase = 'Pending';
    s.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }];
    return pod;
  }
  if (POD_REASON.test(status)) {
    s.phase = 'Failed';
    s.reason = status;
    return pod;
  }
  const c = container();
  if (WAITING.test(status)) {
    s.phase = status === 'ContainerCreating' || status === 'PodInitializing' ? 'Pending' : undefined;
    c.state = { waiting: { reason: status } };
  } else if (TERMINATED.test(status)) {
    c.state = { terminated: terminated(status) };
    if (status === 'Completed') s.phase = 'Succeeded';
  } else if (status !== '') {
    c.state = { waiting: { reason: status } };
  }
  s.containerStatuses = [c];
  return pod;
}

export function nodeFromRow(row: Record<string, string>): V1Node {
  const parts = (row.STATUS ?? '').split(',');
  const ready = parts[0] === 'Ready' ? 'True' : parts[0] === 'NotReady' ? 'False' : 'Unknown';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: row.NAME ?? '' },
    spec: { unschedulable: parts.includes('SchedulingDisabled') || undefined },
    status: { conditions: [{ type: 'Ready', status: ready }] },
  };
}

export function pvcFromRow(row: Record<string, string>): V1PersistentVolumeClaim {
  const none = (v: string | undefined) => (v === undefined || v === '' || v === '<none>' ? undefined : v);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: row.NAME ?? '', namespace: none(row.NAMESPACE) },
    spec: { storageClassName: none(row.STORAGECLASS), volumeName: none(row.VOLUME) },
    status: { phase: none(row.STATUS) },
  };
}

/**
 * Reads every `kubectl get` table in the lines. A table runs from its header to the first blank line or line that
 * does not start like a row (a prompt, another header). `consumed` marks the lines used.
 */
export function parseGetTables(lines: string[], consumed: boolean[]): GetTables {
  const out: GetTables = { pods: [], nodes: [], pvcs: [] };
  for (let i = 0; i < lines.length; i++) {
    const kind = getTableKind(lines[i]!);
    if (!kind) continue;
    const header = lines[i]!;
    const offset = header.search(/\S/);
    const cols = columnsOf(header.slice(offset).replace(/\t/g, '  '));
    consumed[i] = true;
    for (let j = i + 1; j < lines.length; j++) {
      const raw = lines[j]!;
      if (raw.trim() === '' || consumed[j] || getTableKind(raw)) break;
      // Rows start with a lower-case object name; cells may be empty (a Pending claim has no VOLUME/CAPACITY).
      if (!/^\s*[a-z0-9]/.test(raw) || raw.trim().split(/\s+/).length < 2) break;
      const row = rowOf(cols, raw.slice(Math.min(offset, raw.search(/\S/))).replace(/\t/g, '  '));
      consumed[j] = true;
      if (kind === 'pods') out.pods.push({ object: podFromRow(row), line: j + 1, raw });
      else if (kind === 'nodes') out.nodes.push({ object: nodeFromRow(row), line: j + 1, raw });
      else out.pvcs.push({ object: pvcFromRow(row), line: j + 1, raw });
      i = j;
    }
  }
  return out;
}
