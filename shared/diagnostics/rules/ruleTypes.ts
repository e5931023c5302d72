// The one-method interface every root-cause rule implements, and what it is handed. Rules are pure: they read the
// snapshot and return a match with the evidence they found, or undefined.
import type {
  Node as V1Node,
  PersistentVolumeClaim as V1PersistentVolumeClaim,
  Pod as V1Pod,
} from 'kubernetes-types/core/v1.js';
import type { NormalizedAlert } from '../normalizeAlert.js';
import type { ClusterSnapshot } from '../evidence/snapshot.js';
import type { EvidenceItem, RootCause } from '../types.js';

export type DiagnosisSubject =
  | { kind: 'pod'; pod: V1Pod }
  | { kind: 'node'; node: V1Node }
  | { kind: 'pvc'; pvc: V1PersistentVolumeClaim }
  /** No Kubernetes object: the alert itself is all there is (service health, a VM metric, …). */
  | { kind: 'alert' };

export interface RuleContext {
  snapshot: ClusterSnapshot;
  subject: DiagnosisSubject;
  alert?: NormalizedAlert;
  /** The moment the diagnosis is about: when the alert fired, else when the snapshot was observed. */
  referenceTime: Date;
  /** Log lines read per container (config.DIAGNOSIS_LOG_TAIL_LINES), quoted in reproduce commands. */
  logTailLines: number;
}

export interface RuleMatch {
  rootCause: RootCause;
  /** 0..1, from how direct the evidence found is. */
  confidence: number;
  summary: string;
  evidence: EvidenceItem[];
  recommendations: string[];
  /** Whether the failure is visible in the current state (vs. only in lastState / history). */
  failingNow: boolean;
  /** Optional refinement, e.g. the scheduling class: `insufficient_memory`. */
  detail?: string;
}

export interface DiagnosisRule {
  rootCause: RootCause;
  subjects: Array<DiagnosisSubject['kind']>;
  evaluate(ctx: RuleContext): RuleMatch | undefined;
}
