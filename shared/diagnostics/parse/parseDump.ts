// Auto-detects what a pasted file holds and turns it into a snapshot: Kubernetes objects as JSON or YAML (single
// objects, `List`s, multi-document YAML), `kubectl describe pod|node|pvc` text, `kubectl get events` tables, or
// several of these one after the other (separated by `---` or simply concatenated).
import type { CoreV1Event, V1StorageClass } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ValidationError } from '../../errors.js';
import { emptySnapshot, toDate, type ClusterSnapshot, type EventRecord } from '../evidence/snapshot.js';
import { looksLikeDescribe, parseKubectlDescribe } from './kubectlDescribe.js';
import { looksLikeEventsTable, parseKubectlEvents } from './kubectlEvents.js';

export type DumpFormat = 'json' | 'yaml' | 'describe' | 'events';

export interface ParsedDump {
  snapshot: ClusterSnapshot;
  formats: DumpFormat[];
}

type Obj = Record<string, unknown> & { kind?: string; items?: unknown[] };

/** Converts a core/v1 or events.k8s.io/v1 Event object into an EventRecord. */
export function eventRecordFromObject(e: CoreV1Event & Record<string, unknown>): EventRecord {
  const regarding = e.involvedObject ?? (e as { regarding?: CoreV1Event['involvedObject'] }).regarding ?? { name: '' };
  const series = e.series as { count?: number; lastObservedTime?: unknown } | undefined;
  return {
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? (e as { note?: string }).note ?? '',
    count: e.count ?? series?.count ?? 1,
    object: {
      kind: regarding.kind,
      name: regarding.name ?? '',
      namespace: regarding.namespace ?? e.metadata?.namespace,
      fieldPath: regarding.fieldPath,
    },
    source: e.source?.component ?? e.reportingComponent ?? (e as { reportingController?: string }).reportingController,
    lastSeen:
      toDate(e.lastTimestamp) ?? toDate(series?.lastObservedTime) ?? toDate(e.eventTime) ?? toDate(e.firstTimestamp),
  };
}

function addObject(snapshot: ClusterSnapshot, o: unknown): number {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return 0;
  const obj = o as Obj;
  if (Array.isArray(obj.items)) return obj.items.reduce<number>((n, item) => n + addObject(snapshot, item), 0);
  switch (obj.kind) {
    case 'Pod':
      snapshot.pods.push(obj);
      return 1;
    case 'Node':
      snapshot.nodes.push(obj);
      return 1;
    case 'PersistentVolumeClaim':
      snapshot.pvcs.push(obj);
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

const OBJECT_HINT = /^\s*(apiVersion|kind|items):/m;

/** Parses a dump. Throws ValidationError when nothing recognisable is in it. */
export function parseDump(text: string, options: { now?: Date } = {}): ParsedDump {
  const snapshot = emptySnapshot('file', options.now ?? new Date());
  const formats = new Set<DumpFormat>();
  const textChunks: string[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const json: unknown = JSON.parse(trimmed);
      const n = Array.isArray(json)
        ? json.reduce<number>((acc, o) => acc + addObject(snapshot, o), 0)
        : addObject(snapshot, json);
      if (n > 0) formats.add('json');
    } catch {
      textChunks.push(text);
    }
  } else {
    for (const chunk of text.replace(/\r\n/g, '\n').split(/^---\s*$/m)) {
      const t = chunk.trim();
      if (t.startsWith('{') || t.startsWith('[')) {
        try {
          const json: unknown = JSON.parse(t);
          const n = Array.isArray(json)
            ? json.reduce<number>((acc, o) => acc + addObject(snapshot, o), 0)
            : addObject(snapshot, json);
          if (n > 0) {
            formats.add('json');
            continue;
          }
        } catch {
          // not JSON after all: read as text below
        }
      }
      if (OBJECT_HINT.test(chunk) && !looksLikeDescribe(chunk)) {
        let added = 0;
        try {
          for (const doc of parseAllDocuments(chunk)) {
            if (doc.errors.length > 0) throw new Error(doc.errors[0]?.message ?? 'YAML error');
            added += addObject(snapshot, doc.toJS());
          }
        } catch {
          added = 0;
        }
        if (added > 0) {
          formats.add('yaml');
          continue;
        }
      }
      textChunks.push(chunk);
    }
  }
  for (const chunk of textChunks) {
    if (looksLikeDescribe(chunk)) {
      const d = parseKubectlDescribe(chunk);
      if (d.pods.length + d.nodes.length + d.pvcs.length > 0) formats.add('describe');
      snapshot.pods.push(...d.pods);
      snapshot.nodes.push(...d.nodes);
      snapshot.pvcs.push(...d.pvcs);
      snapshot.events.push(...d.events);
    }
    if (looksLikeEventsTable(chunk)) {
      const events = parseKubectlEvents(chunk);
      if (events.length > 0) formats.add('events');
      snapshot.events.push(...events);
    }
  }
  if (snapshot.pods.length + snapshot.nodes.length + snapshot.pvcs.length + snapshot.events.length === 0) {
    throw new ValidationError(
      'Found no Kubernetes objects in the input: expected JSON or YAML objects (a Pod, Node, PVC, Event or a List), `kubectl describe pod|node|pvc` output or `kubectl get events` output',
    );
  }
  snapshot.observedAt = latestTimestamp(snapshot) ?? snapshot.observedAt;
  if (formats.has('events')) {
    // `kubectl get events` text: make each pod it mentions a subject (without status) so the rules can read them.
    for (const e of snapshot.events) {
      if (e.object.kind !== 'Pod' || snapshot.pods.some((p) => p.metadata?.name === e.object.name)) continue;
      // Without -A the table has no namespace column; kubelet and scheduler messages name it.
      const ns = e.object.namespace ?? namespaceFromMessages(snapshot.events, e.object.name);
      for (const ev of snapshot.events)
        if (ev.object.name === e.object.name && ev.object.namespace === undefined) ev.object.namespace = ns;
      snapshot.pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: e.object.name, namespace: ns ?? 'default' },
        status: {},
      });
    }
  }
  return { snapshot, formats: [...formats] };
}
