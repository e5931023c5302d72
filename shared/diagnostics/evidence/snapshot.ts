// The facts a diagnosis is made from, whichever way they were obtained: listed live from a cluster's API, parsed
// from a file people pasted into a ticket, or read back from Container insights. Rules only ever see this shape,
// which keeps them pure: the same rule runs against a live cluster, a describe dump and a test fixture.
import type { V1Node, V1PersistentVolumeClaim, V1Pod, V1StorageClass } from '@kubernetes/client-node';

/** One Kubernetes event, from the API (CoreV1Event) or from `kubectl describe` / `kubectl get events` text. */
export interface EventRecord {
  type: string;
  reason: string;
  message: string;
  count: number;
  object: { kind?: string; name: string; namespace?: string; fieldPath?: string };
  source?: string;
  /** When it was last seen; unknown for text dumps that only give a relative age. */
  lastSeen?: Date;
  /** The age column as printed (`6m9s (x5 over 7m39s)`), for text dumps. */
  age?: string;
}

export interface ContainerLogTail {
  namespace: string;
  pod: string;
  container: string;
  previous: boolean;
  /** Already bounded and redacted. */
  lines: string[];
}

/** Current usage from metrics.k8s.io. */
export interface ContainerUsage {
  namespace: string;
  pod: string;
  container: string;
  cpuMillicores?: number;
  memoryBytes?: number;
  /** The quantities as the API printed them, quoted in evidence. */
  cpuText?: string;
  memoryText?: string;
}

/** A fact from Container insights history (Log Analytics), quoted with the KQL that returns it. */
export interface HistoryFact {
  kind: 'restarts' | 'memory' | 'errorLogs' | 'podStatus';
  namespace: string;
  pod?: string;
  container?: string;
  detail: string;
  reproduce: string;
  /** Peak memory working set in bytes, for `memory`. */
  memoryBytes?: number;
  /** Restart count reached, for `restarts`. */
  restarts?: number;
}

export interface OwnerRecord {
  kind: string;
  name: string;
  namespace: string;
  /** Desired / ready replicas where the owner has them. */
  replicas?: number;
  readyReplicas?: number;
}

export interface ClusterSnapshot {
  pods: V1Pod[];
  nodes: V1Node[];
  events: EventRecord[];
  pvcs: V1PersistentVolumeClaim[];
  /** undefined: not known (a text dump without them); []: listed and there are none. */
  storageClasses?: V1StorageClass[];
  owners: OwnerRecord[];
  logs: ContainerLogTail[];
  usage: ContainerUsage[];
  history: HistoryFact[];
  /** When these facts were true: the listing time live, or the time a dump was taken (else parse time). */
  observedAt: Date;
  origin: 'live' | 'file';
  /** What could not be gathered (partial failures are data, not aborts). */
  gaps: string[];
}

export function emptySnapshot(origin: ClusterSnapshot['origin'], observedAt = new Date()): ClusterSnapshot {
  return {
    pods: [],
    nodes: [],
    events: [],
    pvcs: [],
    owners: [],
    logs: [],
    usage: [],
    history: [],
    observedAt,
    origin,
    gaps: [],
  };
}

/** Timestamps are Date objects from the API client and strings from YAML/JSON dumps. */
export function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'string' || typeof value === 'number') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A Kubernetes quantity ("100Mi", "250m", "1.5Gi", "2e3") as a number of base units; undefined if malformed. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^\s*([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|K|M|G|T|P|E)?\s*$/.exec(q);
  if (!m?.[1]) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  const factor = BINARY[suffix] ?? DECIMAL[suffix];
  return factor === undefined ? undefined : n * factor;
}

/** Bytes as the closest binary quantity, rounded up ("384Mi"). */
export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30 && bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30}Gi`;
  if (bytes >= 2 ** 20) return `${Math.ceil(bytes / 2 ** 20)}Mi`;
  if (bytes >= 2 ** 10) return `${Math.ceil(bytes / 2 ** 10)}Ki`;
  return `${Math.ceil(bytes)}`;
}
