// The simulated cluster as a small typed model that incidents mutate minute by minute; clusterObjects.ts renders it
// into Kubernetes JSON. Keeping the model separate from the wire shape keeps each incident's effect short and legible.
import type { ServiceName } from '../services.js';

export type ContainerState =
  | { kind: 'running'; startedAtMs: number }
  | { kind: 'waiting'; reason: string; message?: string }
  | {
      kind: 'terminated';
      reason: string;
      exitCode: number;
      startedAtMs: number;
      finishedAtMs: number;
      message?: string;
    };

export interface PodModel {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  /** The app service this pod belongs to (undefined for system pods). */
  service?: ServiceName;
  owner: { kind: 'ReplicaSet' | 'DaemonSet' | 'StatefulSet' | 'Job'; name: string; uid: string };
  nodeName?: string;
  createdAtMs: number;
  containerName: string;
  image: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready: boolean;
  state: ContainerState;
  lastTerminated?: { reason: string; exitCode: number; startedAtMs: number; finishedAtMs: number };
  restartCount: number;
  /** Pod-level reason/message (Evicted) and unschedulable message (Pending with PodScheduled=False). */
  reason?: string;
  message?: string;
  unschedulable?: string;
  podIP?: string;
  hostIP?: string;
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
  port?: number;
  probes: boolean;
  /** Secret the container reads its environment from (config_error points it at a missing one). */
  envFromSecret?: string;
  configMap?: string;
  priorityClassName?: string;
  /** Usage for metrics.k8s.io: millicores and bytes. */
  usage: { cpuMillis: number; memoryBytes: number };
  logs: { current?: string; previous?: string };
}

export interface NodeModel {
  name: string;
  pool: string;
  mode: 'system' | 'user';
  index: number;
  /** VMSS instance id (the node name's base-36 suffix). */
  instance?: number;
  /** Azure VM size; capacity and allocatable follow from it (aks/vmSizes.ts). */
  vmSize?: string;
  /** topology.kubernetes.io/zone: `<region>-<zone>`, or "0" for a regional pool. */
  zone?: string;
  nodeImageVersion?: string;
  kubeletVersion?: string;
  capacity?: { cpuMillis: number; memoryKi: number };
  allocatable?: { cpuMillis: number; memoryKi: number };
  uid: string;
  createdAtMs: number;
  internalIP: string;
  memoryPressure: { sinceMs: number } | undefined;
  /** 'Unknown' when the kubelet stopped posting status (NotReady). */
  ready: { status: 'True' | 'False' | 'Unknown'; sinceMs: number; reason: string; message: string };
  unschedulable: boolean;
  taints: Array<{ key: string; effect: 'NoSchedule' | 'NoExecute'; timeAddedMs?: number }>;
  usage: { cpuMillis: number; memoryBytes: number };
}

export interface ReplicaSetModel {
  name: string;
  uid: string;
  hash: string;
  revision: number;
  image: string;
  replicas: number;
  createdAtMs: number;
  envFromSecret?: string;
}

export interface DeploymentModel {
  service: ServiceName;
  name: string;
  namespace: string;
  uid: string;
  replicas: number;
  createdAtMs: number;
  /** Oldest first; the last one is the current template. */
  replicaSets: ReplicaSetModel[];
  /** Set while a rollout is stuck (bad_deployment, config_error). */
  progressDeadlineExceeded?: boolean;
}

export interface EventModel {
  namespace: string;
  involved: { kind: string; name: string; namespace?: string; uid: string; apiVersion: string; fieldPath?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  component: string;
  host?: string;
  firstMs: number;
  lastMs: number;
  count: number;
}

export interface ClusterModel {
  seed: number;
  clusterName: string;
  clusterId: string;
  nodeResourceGroup: string;
  nowMs: number;
  /** When the cluster was created (namespaces, add-ons); default clusterCreatedMs(nowMs). */
  createdAtMs?: number;
  minute: number;
  nodes: NodeModel[];
  pods: PodModel[];
  deployments: DeploymentModel[];
  events: EventModel[];
  /** api-gateway HPA: observed CPU utilisation (% of request) and desired replicas. */
  hpa: { currentCpuUtilization: number; desiredReplicas: number; currentReplicas: number };
  /** Secrets that exist (names only are ever served). */
  secrets: Array<{ namespace: string; name: string; type: string; keys: string[] }>;
}

export const APP_NAMESPACE = 'production';

export function podsOf(cluster: ClusterModel, service: ServiceName): PodModel[] {
  return cluster.pods.filter((p) => p.service === service && p.owner.kind === 'ReplicaSet');
}

export function addEvent(cluster: ClusterModel, event: EventModel): void {
  cluster.events.push(event);
}

/**
 * The involvedObject of an event about a pod's container, as the kubelet sets it (ObjectReference with fieldPath
 * `spec.containers{name}`, pkg/kubelet/container/ref.go).
 */
export function containerOf(pod: PodModel): EventModel['involved'] {
  return {
    kind: 'Pod',
    name: pod.name,
    namespace: pod.namespace,
    uid: pod.uid,
    apiVersion: 'v1',
    fieldPath: `spec.containers{${pod.containerName}}`,
  };
}

/** Kubelet's Back-off restarting event for a crash-looping container. */
export function backOffEvent(pod: PodModel, firstMs: number, lastMs: number, count: number): EventModel {
  return {
    namespace: pod.namespace,
    involved: containerOf(pod),
    reason: 'BackOff',
    message: `Back-off restarting failed container ${pod.containerName} in pod ${pod.name}_${pod.namespace}(${pod.uid})`,
    type: 'Warning',
    component: 'kubelet',
    host: pod.nodeName,
    firstMs,
    lastMs,
    count,
  };
}

/** Seconds of kubelet back-off after the n-th restart (10s doubling, capped at 5 minutes). */
export function crashLoopBackOffSeconds(restarts: number): number {
  return Math.min(300, 10 * 2 ** Math.max(0, restarts - 1));
}

/**
 * Puts a pod's container into a crash loop that has been going on for `elapsedMinutes`, one termination every
 * `periodMinutes`: restartCount, lastState.terminated, and CrashLoopBackOff while inside the back-off window.
 */
export function applyCrashLoop(
  cluster: ClusterModel,
  pod: PodModel,
  opts: {
    startMs: number;
    elapsedMinutes: number;
    periodMinutes: number;
    reason: string;
    exitCode: number;
    previousLog: string;
  },
): void {
  const minuteMs = 60_000;
  const kills = Math.floor((opts.elapsedMinutes + 1) / opts.periodMinutes);
  if (kills <= 0) return;
  const lastKillMs = Math.min(
    opts.startMs + (kills * opts.periodMinutes - 1) * minuteMs + 20_000,
    cluster.nowMs - 5_000,
  );
  pod.restartCount += kills;
  pod.lastTerminated = {
    reason: opts.reason,
    exitCode: opts.exitCode,
    startedAtMs: lastKillMs - (opts.periodMinutes - 1) * minuteMs - 15_000,
    finishedAtMs: lastKillMs,
  };
  const backOffMs = crashLoopBackOffSeconds(pod.restartCount) * 1000;
  const inBackOff = cluster.nowMs - lastKillMs < Math.max(backOffMs, 45_000);
  pod.ready = false;
  pod.state = inBackOff
    ? {
        kind: 'waiting',
        reason: 'CrashLoopBackOff',
        message: `back-off ${formatGoDuration(backOffMs / 1000)} restarting failed container=${pod.containerName} pod=${pod.name}_${pod.namespace}(${pod.uid})`,
      }
    : { kind: 'running', startedAtMs: lastKillMs + backOffMs };
  pod.logs.previous = opts.previousLog;
  if (kills >= 2 || inBackOff) {
    addEvent(
      cluster,
      backOffEvent(
        pod,
        opts.startMs + opts.periodMinutes * minuteMs,
        Math.min(cluster.nowMs, lastKillMs + 15_000),
        Math.max(1, kills * 3 - 1),
      ),
    );
  }
}

/** Go's time.Duration String for whole seconds: 10s, 1m20s, 5m0s. */
export function formatGoDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}
