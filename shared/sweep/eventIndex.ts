// Warning events indexed by the object they are about, bounded so a noisy cluster cannot exhaust memory: the
// newest few per object and reason are kept, which is what evidence needs.
import type { KubeObject } from '../kube/objects.js';

export interface EventSummary {
  reason: string;
  message: string;
  count: number;
  lastSeen: string;
}

interface RawEvent extends KubeObject {
  involvedObject?: { kind?: string; namespace?: string; name?: string };
  regarding?: { kind?: string; namespace?: string; name?: string };
  reason?: string;
  message?: string;
  note?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
}

const MAX_OBJECTS = 50_000;
const NONE: readonly EventSummary[] = Object.freeze([]);
const MAX_REASONS_PER_OBJECT = 6;

export class EventIndex {
  private readonly byObject = new Map<string, EventSummary[]>();
  /** Names of objects with events: a cheap first check, since most objects have none. */
  private readonly names = new Set<string>();
  private dropped = 0;

  add(raw: KubeObject): void {
    const e = raw as RawEvent;
    const about = e.involvedObject ?? e.regarding;
    if (!about?.kind || !about.name) return;
    const key = keyOf(about.kind, about.namespace ?? e.metadata?.namespace, about.name);
    let list = this.byObject.get(key);
    if (!list) {
      if (this.byObject.size >= MAX_OBJECTS) {
        this.dropped++;
        return;
      }
      list = [];
      this.byObject.set(key, list);
      this.names.add(about.name);
    }
    const reason = e.reason ?? 'Unknown';
    const message = (e.message ?? e.note ?? '').trim();
    const count = e.series?.count ?? e.count ?? 1;
    const lastSeen =
      e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';
    const same = list.find((x) => x.reason === reason);
    if (same) {
      same.count += count;
      if (lastSeen >= same.lastSeen) {
        same.lastSeen = lastSeen;
        same.message = message;
      }
    } else if (list.length < MAX_REASONS_PER_OBJECT) {
      list.push({ reason, message, count, lastSeen });
    }
  }

  /** Events about one object, optionally of given reasons, newest first. */
  about(
    kind: string,
    namespace: string | undefined,
    name: string,
    reasons?: readonly string[],
  ): readonly EventSummary[] {
    if (!this.names.has(name)) return NONE;
    const list = this.byObject.get(keyOf(kind, namespace, name));
    if (!list) return NONE;
    const filtered = reasons ? list.filter((e) => reasons.includes(e.reason)) : list;
    return [...filtered].sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
  }

  /** Objects whose events were not kept because the index was full. */
  get droppedObjects(): number {
    return this.dropped;
  }
}

function keyOf(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/** Evidence line quoting an event as `kubectl get events` shows it. */
export function eventEvidence(namespace: string | undefined, name: string, e: EventSummary): string {
  const ns = namespace ? ` -n ${namespace}` : '';
  return `kubectl${ns} get events --field-selector involvedObject.name=${name},reason=${e.reason} → ${e.reason} (x${e.count}): ${e.message}`;
}
