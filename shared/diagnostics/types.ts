// Contracts of alert-triggered and on-demand diagnostics. Other capabilities (results sink, HTTP read API, CLI)
// depend on these shapes; extend them, do not rename fields.

/** The causes the toolkit was specified with: each one shows in a pod's or node's status, its events or its logs. */
export const STANDARD_ROOT_CAUSES = [
  'oom_killed',
  'crash_loop',
  'image_pull_error',
  'failed_scheduling',
  'probe_failure',
  'config_error',
  'evicted',
  'node_not_ready',
  'volume_mount_error',
  'healthy',
  'unknown',
] as const;

/** Added where the evidence supports them (see docs/diagnostics.md). */
export const ADDED_ROOT_CAUSES = ['job_failed', 'cpu_throttling', 'azure_platform_event'] as const;

/** Read from the workload's metrics against their baseline (evidence/metricEvidence.ts): no object or paste shows them. */
export const METRIC_ROOT_CAUSES = ['cpu_saturation', 'latency_degradation', 'error_rate_surge'] as const;

/** Every root cause, for validation and exhaustive checks. */
export const ROOT_CAUSES = [...STANDARD_ROOT_CAUSES, ...ADDED_ROOT_CAUSES, ...METRIC_ROOT_CAUSES] as const;

export type RootCause = (typeof ROOT_CAUSES)[number];

export function isRootCause(value: string): value is RootCause {
  return (ROOT_CAUSES as readonly string[]).includes(value);
}

export interface EvidenceItem {
  /** Where the fact came from: `pod.status`, `events`, `logs.previous`, `node.status`, `log-analytics`, `alert`,
   * or `input` when it was read from a paste (then `lines` cites it). */
  source: string;
  /** The fact, quoted from the source. */
  detail: string;
  /** A kubectl command or KQL query that shows the same fact. */
  reproduce: string;
  /** For a pasted input (`source: 'input'`): the 1-based input lines the fact was read from, and their text. */
  lines?: Array<{ line: number; text: string }>;
}

export interface DiagnosisTarget {
  clusterId?: string;
  clusterName?: string;
  namespace?: string;
  workload?: string;
  workloadKind?: string;
  pod?: string;
  container?: string;
  node?: string;
  /** PersistentVolumeClaim, for volume alerts. */
  pvc?: string;
}

export interface Diagnosis {
  id: string;
  alertId?: string;
  target: DiagnosisTarget;
  rootCause: RootCause;
  /** 0..1 */
  confidence: number;
  summary: string;
  evidence: EvidenceItem[];
  recommendations: string[];
  /**
   * Evidence that could not be gathered, and why: "<what>: <reason class (status, service code)>". Never upstream error
   * text, and never mixed into the recommendations.
   */
  evidenceGaps?: string[];
  /** `still_failing`, `recovered` or `transient` from the live re-check; `resolved` after the alert resolved. */
  state: 'still_failing' | 'recovered' | 'transient' | 'resolved' | 'unknown';
  /** How many times the same alert fired while this diagnosis was open. */
  firings: number;
  /** A refinement of the root cause, e.g. the scheduling class `insufficient_memory` or the pull error class. */
  rootCauseDetail?: string;
  /** When the alert's Resolved notification closed this diagnosis. */
  resolvedAt?: string;
  startedAt: string;
  finishedAt: string;
}
