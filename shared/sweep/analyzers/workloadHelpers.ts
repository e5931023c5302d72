// Reading replica counts and pod templates of workload controllers.
import type { KubeObject, PodTemplate, Condition, LabelSelector } from '../../kube/objects.js';
import { kubectlDescribe, type SweepSettings } from '../analyzer.js';
import { jsonpath } from './podHelpers.js';
import type { Severity } from '../types.js';

export interface WorkloadSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  serviceName?: string;
  suspend?: boolean;
  schedule?: string;
  startingDeadlineSeconds?: number;
  backoffLimit?: number;
  jobTemplate?: { spec?: { template?: PodTemplate } };
}

export interface WorkloadStatus {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  updatedReplicas?: number;
  unavailableReplicas?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
  numberUnavailable?: number;
  numberMisscheduled?: number;
  updatedNumberScheduled?: number;
  conditions?: Condition[];
  failed?: number;
  succeeded?: number;
  active?: number;
  lastScheduleTime?: string;
}

export interface Workload extends KubeObject {
  spec?: WorkloadSpec;
  status?: WorkloadStatus;
}

/** The pod template a workload (or a bare Pod) runs, and whether it is the object to fix (not owned by another). */
export function podTemplateOf(kind: string, obj: KubeObject): PodTemplate | undefined {
  const w = obj as Workload;
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'Job':
      return w.spec?.template;
    case 'CronJob':
      return w.spec?.jobTemplate?.spec?.template;
    case 'Pod':
      return { metadata: obj.metadata, spec: obj.spec as PodTemplate['spec'] };
    default:
      return undefined;
  }
}

/** Objects created by another controller are fixed at that controller: a Deployment's ReplicaSets, a CronJob's Jobs. */
export function hasController(obj: KubeObject): boolean {
  // As metav1.GetControllerOf: only an owner reference with controller: true makes an object managed by another.
  return (obj.metadata?.ownerReferences ?? []).some((o) => o.controller === true);
}

/**
 * Whether the object carries status written by its controller. The API server always has at least
 * observedGeneration (or a count) in a controller's status; a manifest has no status or an empty one.
 */
export function hasLiveStatus(obj: KubeObject): boolean {
  const s = obj.status;
  return s !== null && typeof s === 'object' && Object.keys(s).length > 0;
}

export function ratio(ready: number, desired: number): number {
  return desired <= 0 ? 1 : ready / desired;
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * How bad a workload's replica shortfall is, or undefined when enough are ready: fewer ready than the share the
 * settings ask for (Azure's recommended alert: ready pods < 80 %) is one. A workload scaled to zero on purpose is not
 * short of anything.
 */
export function replicaShortfall(ready: number, desired: number, settings: SweepSettings): Severity | undefined {
  return desired > 0 && ratio(ready, desired) < settings.readyRatioThreshold ? shortfallSeverity(ready) : undefined;
}

/** No replica ready is an outage (critical); some ready is degraded service (warning). */
export function shortfallSeverity(ready: number): Severity {
  return ready === 0 ? 'critical' : 'warning';
}

/** Evidence of a replica shortfall: each count field with the value read, then `kubectl describe` of the workload. */
export function replicaEvidence(
  kind: string,
  ns: string | undefined,
  name: string,
  counts: Readonly<Record<string, number>>,
): string[] {
  const lines = Object.entries(counts).map(([field, value]) => `${jsonpath(kind, ns, name, field)} → ${value}`);
  lines.push(kubectlDescribe(kind, ns, name));
  return lines;
}
