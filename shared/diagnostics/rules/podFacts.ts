// Small readers over pods, events and nodes shared by the rules, and the evidence wording. Evidence details quote
// their source: `key=value` pairs and "quoted text" are copied from the objects or text they came from, never
// computed, so a reader can find each one with the `reproduce` command (and the corpus test checks exactly that).
import type {
  Container as V1Container,
  ContainerStatus as V1ContainerStatus,
  ContainerStateTerminated as V1ContainerStateTerminated,
  Node as V1Node,
  NodeCondition as V1NodeCondition,
  PersistentVolumeClaim as V1PersistentVolumeClaim,
  Pod as V1Pod,
} from 'kubernetes-types/core/v1.js';
import type { EvidenceItem } from '../types.js';
import { kubectlCommands, shellQuote } from '../../kube/vocabulary/kubectl.js';
import { toDate, type ClusterSnapshot, type EventRecord } from '../evidence/snapshot.js';
import type { RuleContext } from './ruleTypes.js';

export interface ContainerView {
  name: string;
  init: boolean;
  status?: V1ContainerStatus;
  spec?: V1Container;
}

export function podNamespace(pod: V1Pod): string {
  return pod.metadata?.namespace ?? 'default';
}

export function podName(pod: V1Pod): string {
  return pod.metadata?.name ?? '(unnamed)';
}

export function podLabel(pod: V1Pod): string {
  return `pod ${podNamespace(pod)}/${podName(pod)}`;
}

export function containersOf(pod: V1Pod): ContainerView[] {
  const views: ContainerView[] = [];
  const add = (init: boolean, specs: V1Container[] | undefined, statuses: V1ContainerStatus[] | undefined) => {
    const names = new Set<string>([...(specs ?? []).map((c) => c.name), ...(statuses ?? []).map((s) => s.name)]);
    for (const name of names) {
      views.push({
        name,
        init,
        spec: specs?.find((c) => c.name === name),
        status: statuses?.find((s) => s.name === name),
      });
    }
  };
  add(true, pod.spec?.initContainers, pod.status?.initContainerStatuses);
  add(false, pod.spec?.containers, pod.status?.containerStatuses);
  return views;
}

export function containerLabel(pod: V1Pod, c: ContainerView): string {
  return `${podLabel(pod)} ${c.init ? 'init container' : 'container'} ${c.name}`;
}

/** `subject: k=v, k=v`, skipping empty values. */
export function fields(subject: string, pairs: Array<[string, unknown]>): string {
  const parts = pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => `${k}=${String(v)}`);
  return `${subject}: ${parts.join(', ')}`;
}

// ---- reproduce commands ----

const q = shellQuote;

export const kubectl = {
  describePod: (pod: V1Pod) => `kubectl describe pod ${q(podName(pod))} -n ${q(podNamespace(pod))}`,
  containerStatus: (pod: V1Pod, c: ContainerView) =>
    `kubectl get pod ${q(podName(pod))} -n ${q(podNamespace(pod))} -o jsonpath='{.status.${c.init ? 'initContainerStatuses' : 'containerStatuses'}[?(@.name=="${c.name}")]}'`,
  containerSpec: (pod: V1Pod, c: ContainerView, path: string) =>
    `kubectl get pod ${q(podName(pod))} -n ${q(podNamespace(pod))} -o jsonpath='{.spec.${c.init ? 'initContainers' : 'containers'}[?(@.name=="${c.name}")].${path}}'`,
  podField: (pod: V1Pod, path: string) => kubectlCommands.jsonpath('pod', podName(pod), podNamespace(pod), path),
  events: kubectlCommands.events,
  previousLogs: (pod: V1Pod, container: string, tail: number) =>
    kubectlCommands.logs(podName(pod), podNamespace(pod), container, tail, true),
  logs: (pod: V1Pod, container: string, tail: number) =>
    `kubectl logs ${q(podName(pod))} -n ${q(podNamespace(pod))} -c ${q(container)} --tail=${tail}`,
  describeNode: (name: string) => `kubectl describe node ${q(name)}`,
  nodeConditions: (name: string) => `kubectl get node ${q(name)} -o jsonpath='{.status.conditions}'`,
  describePvc: (name: string, namespace: string) => `kubectl describe pvc ${q(name)} -n ${q(namespace)}`,
  getStorageClass: (name: string) => `kubectl get storageclass ${q(name)}`,
  topPod: (pod: V1Pod) => `kubectl top pod ${q(podName(pod))} -n ${q(podNamespace(pod))} --containers`,
  owner: (kind: string, name: string, namespace: string) =>
    `kubectl get ${kind.toLowerCase()} ${q(name)} -n ${q(namespace)}`,
};

// ---- events ----

/** Events about one object: matched on kind (when known) and name, and namespace for namespaced objects. */
export function eventsFor(snapshot: ClusterSnapshot, kind: string, name: string, namespace?: string): EventRecord[] {
  return snapshot.events.filter(
    (e) =>
      e.object.name === name &&
      (e.object.kind === undefined || e.object.kind === kind) &&
      (namespace === undefined || e.object.namespace === undefined || e.object.namespace === namespace),
  );
}

export function podEvents(snapshot: ClusterSnapshot, pod: V1Pod): EventRecord[] {
  return eventsFor(snapshot, 'Pod', podName(pod), podNamespace(pod));
}

export function eventEvidence(e: EventRecord, subject: string): EvidenceItem {
  const times = e.count > 1 ? ` (x${e.count})` : '';
  return {
    source: 'events',
    detail: `${subject} event ${e.type} ${e.reason}${times}: "${e.message}"`,
    reproduce: kubectl.events(e.object.kind ?? 'Pod', e.object.name, e.object.namespace),
  };
}

/** An event about the pod, quoted as evidence. */
export function podEventEvidence(pod: V1Pod, e: EventRecord): EvidenceItem {
  return eventEvidence(e, podLabel(pod));
}

/** Fields of a container's status, quoted with the command that shows that status. */
export function containerStatusEvidence(pod: V1Pod, c: ContainerView, pairs: Array<[string, unknown]>): EvidenceItem {
  return {
    source: 'pod.status',
    detail: fields(containerLabel(pod, c), pairs),
    reproduce: kubectl.containerStatus(pod, c),
  };
}

export function findEvents(events: EventRecord[], reason: string | RegExp, message?: RegExp): EventRecord[] {
  return events.filter(
    (e) =>
      (typeof reason === 'string' ? e.reason === reason : reason.test(e.reason)) &&
      (!message || message.test(e.message)),
  );
}

// ---- containers ----

export function terminatedOf(c: ContainerView): {
  current?: V1ContainerStateTerminated;
  last?: V1ContainerStateTerminated;
} {
  return { current: c.status?.state?.terminated, last: c.status?.lastState?.terminated };
}

export function waitingReason(c: ContainerView): string | undefined {
  return c.status?.state?.waiting?.reason;
}

/** Milliseconds between a termination and the reference time; undefined when the time is unknown. */
export function msBeforeReference(ctx: RuleContext, t: V1ContainerStateTerminated | undefined): number | undefined {
  const finished = toDate(t?.finishedAt);
  if (!finished || finished.getTime() <= 0) return undefined;
  return ctx.referenceTime.getTime() - finished.getTime();
}

/**
 * A termination by the OOM killer: the kubelet's `OOMKilled` reason (kuberuntime_container.go, from the runtime's
 * OOM event), or the SIGKILL exit code 137 with a reason or message that names the OOM killer (runtimes that record
 * `Error` and keep the kernel's "out of memory" text). Exit 137 alone is not enough: liveness kills end the same way.
 */
export function killedByOom(t: V1ContainerStateTerminated | undefined): boolean {
  if (!t) return false;
  if (t.reason === 'OOMKilled') return true;
  return t.exitCode === 137 && /\boom|out of memory/i.test(`${t.reason ?? ''} ${t.message ?? ''}`);
}

export function isReadyNow(c: ContainerView): boolean {
  return c.status?.ready === true && c.status.state?.running !== undefined;
}

export function podReady(pod: V1Pod): boolean | undefined {
  const cond = pod.status?.conditions?.find((c) => c.type === 'Ready');
  return cond ? cond.status === 'True' : undefined;
}

export function ownerOf(pod: V1Pod): { kind: string; name: string } | undefined {
  const ref = pod.metadata?.ownerReferences?.find((o) => o.controller) ?? pod.metadata?.ownerReferences?.[0];
  if (ref) return { kind: ref.kind, name: ref.name };
  const job = pod.metadata?.labels?.['job-name'] ?? pod.metadata?.labels?.['batch.kubernetes.io/job-name'];
  return job ? { kind: 'Job', name: job } : undefined;
}

/** The workload a pod belongs to: a ReplicaSet's Deployment is named by the pod-template-hash suffix. */
export function workloadOf(pod: V1Pod): { kind: string; name: string } | undefined {
  const owner = ownerOf(pod);
  if (!owner) return undefined;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && hash && owner.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: owner.name.slice(0, -(hash.length + 1)) };
  }
  return owner;
}

export function restartPolicy(pod: V1Pod): string {
  return pod.spec?.restartPolicy ?? 'Always';
}

export function memoryLimitOf(c: ContainerView): string | undefined {
  const v = c.spec?.resources?.limits?.memory;
  return v === undefined ? undefined : String(v);
}

// ---- nodes and volumes ----

export function nodeCondition(node: V1Node, type: string): V1NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === type);
}

export function nodeOfPod(snapshot: ClusterSnapshot, pod: V1Pod): V1Node | undefined {
  const name = pod.spec?.nodeName;
  return name ? snapshot.nodes.find((n) => n.metadata?.name === name) : undefined;
}

export function claimsOf(pod: V1Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : [],
  );
}

export function pvcByName(
  snapshot: ClusterSnapshot,
  name: string,
  namespace: string,
): V1PersistentVolumeClaim | undefined {
  return snapshot.pvcs.find((p) => p.metadata?.name === name && (p.metadata.namespace ?? namespace) === namespace);
}

export function logsFor(snapshot: ClusterSnapshot, pod: V1Pod, container: string) {
  return snapshot.logs.filter(
    (l) => l.pod === podName(pod) && l.namespace === podNamespace(pod) && l.container === container,
  );
}

/** Log lines that look like the reason a process stopped (errors, panics, missing settings). */
export const ERROR_LINE =
  /\b(error|fatal|panic|exception|traceback|failed|failure|refused|denied|not found|no such|cannot|can't|could not|unable|invalid|missing|expired|killed|segmentation fault|out of memory)\b/i;
