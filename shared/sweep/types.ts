// Contracts of the health sweep. Other capabilities (results sink, HTTP read API, CLI) depend on these shapes;
// extend them, do not rename fields.

export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  clusterId: string;
  /** Stable check id, e.g. `pod.crash-loop`, `node.not-ready`, `arm.kubernetes-version-unsupported`. */
  check: string;
  severity: Severity;
  /** Kubernetes kind (Pod, Deployment, Node, …) or `ManagedCluster` / `AgentPool` for ARM facts. */
  kind: string;
  namespace?: string;
  name: string;
  /** A full sentence naming the object and the field. */
  message: string;
  /** Facts the finding rests on, each reproducible (`kubectl …` or an ARM property path). */
  evidence: string[];
  remediation: string;
  docsUrl?: string;
  /** Stable hash of (clusterId, check, kind, namespace, name): the identity of the finding across sweeps. */
  fingerprint: string;
}

/** A finding with its lifecycle across sweeps, as kept in Table storage. */
export interface TrackedFinding extends Finding {
  firstSeen: string;
  lastSeen: string;
  count: number;
  state: 'new' | 'open' | 'resolved';
  resolvedAt?: string;
}

export interface SweepSummary {
  sweepId: string;
  clusterId: string;
  clusterName: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** 0..100, see shared/sweep/score.ts for the formula. */
  score: number;
  namespaceScores: Record<string, number>;
  counts: { critical: number; warning: number; info: number; new: number; resolved: number };
  objectsScanned: number;
  partial: boolean;
  errors: string[];
}

export interface SweepResult {
  summary: SweepSummary;
  findings: TrackedFinding[];
}
