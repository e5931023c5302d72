// A simulated pod in its wire shape: one container (spec from the service it belongs to), conditions and container
// status as the kubelet reports them (k8s.io/api/core/v1 PodStatus; condition types from pkg/kubelet/status).
import { SERVICES, type ServiceProfile } from '../../services.js';
import type { PodModel } from '../clusterModel.js';
import { templateHash } from '../seededRandom.js';
import { containerState, controllerRef, iso, meta, serviceProbes, type Obj } from './wire.js';

function podContainer(pod: PodModel, svc: ServiceProfile | undefined): Obj {
  return {
    name: pod.containerName,
    image: pod.image,
    ...(pod.port ? { ports: [{ name: 'http', containerPort: pod.port, protocol: 'TCP' }] } : {}),
    resources: { requests: pod.requests, limits: pod.limits },
    ...(pod.envFromSecret || pod.configMap
      ? {
          envFrom: [
            ...(pod.configMap ? [{ configMapRef: { name: pod.configMap } }] : []),
            ...(pod.envFromSecret ? [{ secretRef: { name: pod.envFromSecret } }] : []),
          ],
        }
      : {}),
    ...(pod.probes && svc ? serviceProbes(svc.port) : {}),
    volumeMounts: [
      { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
}

function podSpec(pod: PodModel, container: Obj): Obj {
  return {
    containers: [container],
    ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: pod.service ?? pod.containerName,
    schedulerName: 'default-scheduler',
    ...(pod.priorityClassName ? { priorityClassName: pod.priorityClassName } : {}),
    tolerations: [
      ...(pod.namespace === 'kube-system' ? [{ key: 'CriticalAddonsOnly', operator: 'Exists' }] : []),
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
    volumes: [
      {
        name: 'kube-api-access',
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
        },
      },
    ],
  };
}

function podConditions(pod: PodModel, scheduled: boolean, containerReady: boolean): Obj[] {
  if (!scheduled) {
    return [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: iso(pod.createdAtMs),
        reason: 'Unschedulable',
        message: pod.unschedulable ?? '',
      },
    ];
  }
  const conditionTime = iso(pod.createdAtMs + 30_000);
  // Ready and ContainersReady say the same thing about a one-container pod, reason and message included.
  const readiness = (type: string) => ({
    type,
    status: containerReady ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: conditionTime,
    ...(containerReady
      ? {}
      : {
          reason: pod.phase === 'Failed' ? 'PodFailed' : 'ContainersNotReady',
          message: `containers with unready status: [${pod.containerName}]`,
        }),
  });
  return [
    {
      type: 'PodReadyToStartContainers',
      status: pod.phase === 'Failed' ? 'False' : 'True',
      lastProbeTime: null,
      lastTransitionTime: conditionTime,
    },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: conditionTime },
    readiness('Ready'),
    readiness('ContainersReady'),
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(pod.createdAtMs) },
  ];
}

function containerStatus(pod: PodModel, containerReady: boolean): Obj {
  return {
    name: pod.containerName,
    state: containerState(pod.state),
    lastState: pod.lastTerminated
      ? {
          terminated: {
            exitCode: pod.lastTerminated.exitCode,
            reason: pod.lastTerminated.reason,
            startedAt: iso(pod.lastTerminated.startedAtMs),
            finishedAt: iso(pod.lastTerminated.finishedAtMs),
            containerID: `containerd://${templateHash(pod.restartCount, pod.uid.length)}${templateHash(pod.restartCount + 1, 9)}`,
          },
        }
      : {},
    ready: containerReady,
    restartCount: pod.restartCount,
    image: pod.image,
    imageID:
      pod.state.kind === 'waiting' && /Image|ContainerCreating/.test(pod.state.reason)
        ? ''
        : `${pod.image.split(':')[0]}@sha256:${templateHash(pod.image.length, 1)}${templateHash(pod.image.length, 2)}`,
    ...(pod.state.kind === 'waiting'
      ? {}
      : {
          containerID: `containerd://${templateHash(pod.uid.length, pod.restartCount)}${templateHash(pod.restartCount, 5)}`,
        }),
    started: pod.state.kind === 'running',
  };
}

export function renderPod(pod: PodModel, rv: string): Obj {
  const svc = pod.service ? SERVICES[pod.service] : undefined;
  const scheduled = pod.nodeName !== undefined && pod.unschedulable === undefined;
  const containerReady = pod.ready && pod.state.kind === 'running';
  const qos =
    pod.limits.cpu && pod.limits.cpu === pod.requests.cpu && pod.limits.memory === pod.requests.memory
      ? 'Guaranteed'
      : 'Burstable';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(pod.name, pod.namespace, pod.uid, pod.createdAtMs, rv, {
      labels: pod.labels,
      ...(pod.owner.kind === 'ReplicaSet' || pod.owner.kind === 'DaemonSet'
        ? { generateName: `${pod.owner.name}-` }
        : {}),
      ownerReferences: [
        controllerRef(pod.owner.kind === 'Job' ? 'batch/v1' : 'apps/v1', pod.owner.kind, pod.owner.name, pod.owner.uid),
      ],
    }),
    spec: podSpec(pod, podContainer(pod, svc)),
    status: {
      phase: pod.phase,
      ...(pod.reason ? { reason: pod.reason } : {}),
      ...(pod.message ? { message: pod.message } : {}),
      conditions: podConditions(pod, scheduled, containerReady),
      ...(scheduled
        ? {
            hostIP: pod.hostIP,
            hostIPs: pod.hostIP ? [{ ip: pod.hostIP }] : [],
            podIP: pod.podIP,
            podIPs: pod.podIP ? [{ ip: pod.podIP }] : [],
            startTime: iso(pod.createdAtMs + 1000),
          }
        : {}),
      qosClass: qos,
      ...(scheduled ? { containerStatuses: [containerStatus(pod, containerReady)] } : {}),
    },
  };
}
