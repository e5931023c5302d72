// Pods of the simulated large cluster and the Warning event of each failing one, rendered from the pod's index (see
// largeClusterLayout.ts). Each failure kind sets the pod phase, container state and last state the kubelet reports
// for it (k8s.io/api/core/v1 PodStatus; waiting and termination reasons from pkg/kubelet/kuberuntime), and its event
// carries the reason and message the kubelet or scheduler records.
import { CREATED } from './largeClusterNodes.js';
import type { LargeClusterFailure, LargeClusterLayout } from './largeClusterLayout.js';
import { asUid, hashInts, templateHash } from './seededRandom.js';
import { controllerRef, meta, type Obj } from './render/wire.js';

const CREATED_MS = Date.parse(CREATED);

/** What the pod's status says about its one container `app`, per failure kind. */
interface PodHealth {
  phase: string;
  ready: boolean;
  restartCount: number;
  state: Obj;
  lastState: Obj;
  /** status.reason and status.message of a pod the kubelet gave up on (Evicted). */
  podReason: Obj;
  scheduled: boolean;
}

const podUid = (l: LargeClusterLayout, j: number) => `pod-${l.seed}-${j}`;

/** `<pod>_<namespace>(<uid>)`, how the kubelet names a pod in its back-off messages (format.Pod). */
function kubeletPodRef(l: LargeClusterLayout, j: number): string {
  return `${l.podName(j)}_${l.namespaceOfWorkload(l.workloadOfPod(j))}(${asUid(podUid(l, j))})`;
}

const EVICTION_MESSAGE = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 61212Ki.';

function unschedulableMessage(nodes: number): string {
  return `0/${nodes} nodes are available: ${nodes} node(s) didn't match Pod's node affinity/selector. preemption: 0/${nodes} nodes are available: ${nodes} Preemption is not helpful for scheduling.`;
}

/** A container in CrashLoopBackOff whose last run ended with this exit code and reason. */
function crashLooping(l: LargeClusterLayout, j: number, exitCode: number, reason: string, salt: number) {
  return {
    state: {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 5m0s restarting failed container=app pod=${kubeletPodRef(l, j)}`,
      },
    },
    lastState: {
      terminated: {
        exitCode,
        reason,
        startedAt: CREATED,
        finishedAt: CREATED,
        containerID: `containerd://${templateHash(j, salt)}`,
      },
    },
  };
}

function podHealth(l: LargeClusterLayout, j: number, failure: LargeClusterFailure | undefined): PodHealth {
  const healthy: PodHealth = {
    phase: 'Running',
    ready: true,
    restartCount: hashInts(l.seed, 9, j) % 50 === 0 ? 1 : 0,
    state: { running: { startedAt: CREATED } },
    lastState: {},
    podReason: {},
    scheduled: true,
  };
  const waiting = (reason: string, message: string): PodHealth => ({
    ...healthy,
    ready: false,
    phase: 'Pending',
    state: { waiting: { reason, message } },
  });
  switch (failure) {
    case undefined:
      return healthy;
    case 'oom_killed':
      return { ...healthy, ready: false, restartCount: 5 + (j % 20), ...crashLooping(l, j, 137, 'OOMKilled', 1) };
    case 'crash_loop':
      return { ...healthy, ready: false, restartCount: 3 + (j % 30), ...crashLooping(l, j, 1, 'Error', 2) };
    case 'image_pull_error':
      return waiting('ImagePullBackOff', `Back-off pulling image "${l.podImage(j)}-missing"`);
    case 'failed_scheduling':
      return { ...healthy, ready: false, phase: 'Pending', scheduled: false, state: {} };
    case 'config_error':
      return waiting(
        'CreateContainerConfigError',
        `secret "${l.workloadName(l.workloadOfPod(j))}-credentials" not found`,
      );
    case 'probe_failure':
      return { ...healthy, ready: false };
    case 'evicted':
      return {
        ...healthy,
        ready: false,
        phase: 'Failed',
        podReason: {
          reason: 'Evicted',
          message: `${EVICTION_MESSAGE} Container app was using 1843204Ki, request is 256Mi, has larger consumption of memory. `,
        },
        state: {
          terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', startedAt: CREATED, finishedAt: CREATED },
        },
      };
  }
}

function podConditions(l: LargeClusterLayout, h: PodHealth): Obj[] {
  if (!h.scheduled) {
    return [
      {
        type: 'PodScheduled',
        status: 'False',
        lastTransitionTime: CREATED,
        reason: 'Unschedulable',
        message: unschedulableMessage(l.nodes),
      },
    ];
  }
  return [
    { type: 'PodScheduled', status: 'True', lastTransitionTime: CREATED },
    {
      type: 'Ready',
      status: h.ready ? 'True' : 'False',
      lastTransitionTime: CREATED,
      ...(h.ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }),
    },
  ];
}

function podSpec(
  l: LargeClusterLayout,
  j: number,
  image: string,
  failure: LargeClusterFailure | undefined,
  scheduled: boolean,
): Obj {
  return {
    ...(scheduled ? { nodeName: l.nodeName(hashInts(l.seed, 8, j) % l.nodes) } : {}),
    containers: [
      {
        name: 'app',
        image: failure === 'image_pull_error' ? `${image}-missing` : image,
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
      },
    ],
    restartPolicy: 'Always',
    serviceAccountName: 'default',
    ...(failure === 'failed_scheduling' ? { nodeSelector: { 'kubernetes.azure.com/agentpool': 'gpupool' } } : {}),
  };
}

export function largeClusterPod(l: LargeClusterLayout, j: number): Obj {
  const w = l.workloadOfPod(j);
  const app = l.workloadName(w);
  const failure = l.failureOf(j);
  const h = podHealth(l, j, failure);
  const image = l.podImage(j);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(l.podName(j), l.namespaceOfWorkload(w), podUid(l, j), CREATED_MS, '1', {
      generateName: `${app}-${l.rsHash(w)}-`,
      labels: { app, 'pod-template-hash': l.rsHash(w) },
      ownerReferences: [controllerRef('apps/v1', 'ReplicaSet', `${app}-${l.rsHash(w)}`, `rs-${l.seed}-${w}`)],
    }),
    spec: podSpec(l, j, image, failure, h.scheduled),
    status: {
      phase: h.phase,
      ...h.podReason,
      conditions: podConditions(l, h),
      ...(h.scheduled
        ? {
            hostIP: '10.224.0.4',
            podIP: `10.${244 + (Math.floor(j / 65536) % 8)}.${Math.floor(j / 256) % 256}.${j % 256}`,
            startTime: CREATED,
          }
        : {}),
      qosClass: 'Burstable',
      ...(h.scheduled && failure !== 'failed_scheduling'
        ? {
            containerStatuses: [
              {
                name: 'app',
                ready: h.ready,
                started: h.ready,
                restartCount: h.restartCount,
                image,
                imageID: '',
                state: h.state,
                lastState: h.lastState,
                containerID: `containerd://${templateHash(j, 3)}`,
              },
            ],
          }
        : {}),
    },
  };
}

/** The Warning event's reason, message and reporting component, per failure kind. */
function warningOf(l: LargeClusterLayout, j: number, failure: LargeClusterFailure): [string, string, string] {
  const image = `${l.podImage(j)}-missing`;
  switch (failure) {
    case 'oom_killed':
    case 'crash_loop':
      return ['BackOff', `Back-off restarting failed container app in pod ${kubeletPodRef(l, j)}`, 'kubelet'];
    case 'image_pull_error':
      return [
        'Failed',
        `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
        'kubelet',
      ];
    case 'failed_scheduling':
      return ['FailedScheduling', unschedulableMessage(l.nodes), 'default-scheduler'];
    case 'config_error':
      return ['Failed', `Error: secret "${l.workloadName(l.workloadOfPod(j))}-credentials" not found`, 'kubelet'];
    case 'probe_failure':
      return [
        'Unhealthy',
        `Readiness probe failed: Get "http://10.244.0.1:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        'kubelet',
      ];
    case 'evicted':
      return ['Evicted', EVICTION_MESSAGE, 'kubelet'];
  }
}

/** One Warning event per failing pod, with the reason and message the kubelet or scheduler would record. */
export function largeClusterEvent(l: LargeClusterLayout, j: number, failure: LargeClusterFailure): Obj {
  const ns = l.namespaceOfWorkload(l.workloadOfPod(j));
  const name = l.podName(j);
  const [reason, message, component] = warningOf(l, j, failure);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: meta(`${name}.${(hashInts(l.seed, 10, j) >>> 0).toString(16)}`, ns, `ev-${l.seed}-${j}`, CREATED_MS, '1'),
    involvedObject: {
      apiVersion: 'v1',
      kind: 'Pod',
      name,
      namespace: ns,
      uid: asUid(podUid(l, j)),
      fieldPath: 'spec.containers{app}',
    },
    reason,
    message,
    source: { component },
    type: 'Warning',
    count: 1 + (j % 40),
    firstTimestamp: CREATED,
    lastTimestamp: CREATED,
    reportingComponent: component,
    reportingInstance: '',
  };
}
