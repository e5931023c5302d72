// The facts a diagnosis is made from, whichever way they were obtained: listed live from a cluster's API, parsed
// from a file people pasted into a ticket, or read back from Container insights. Rules only ever see this shape,
// which keeps them pure: the same rule runs against a live cluster, a describe dump and a test fixture.
import type {
  Node as V1Node,
  PersistentVolumeClaim as V1PersistentVolumeClaim,
  Pod as V1Pod,
} from 'kubernetes-types/core/v1.js';
import type { StorageClass as V1StorageClass } from 'kubernetes-types/storage/v1.js';
import type { MetricReading } from './metricEvidence.js';

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
  /**
   * The target workload's metric series, scored against their baseline (evidence/metricEvidence.ts). undefined: not
   * read (no metric source, or not an alert about a workload); []: read, and nothing could be judged.
   */
  metrics?: MetricReading[];
  /** The diagnosis looked for the workload's metrics (a metric alert); with `metrics` undefined they were not read. */
  metricsSought?: boolean;
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

// Quantities live in the shared Kubernetes vocabulary; re-exported for the modules that import them from here.
export { formatBytes, parseQuantity } from '../../kube/vocabulary/quantity.js';
