// Renders the cluster model into Kubernetes objects in their real wire shapes (what `kubectl get -o json` shows).
import { SERVICES } from '../services.js';
import {
  APP_NAMESPACE,
  type ClusterModel,
  type ContainerState,
  type NodeModel,
  type PodModel,
} from './clusterModel.js';
import { asUid, templateHash } from './seededRandom.js';
import { clusterCreatedMs } from './buildClusterModel.js';

type Obj = Record<string, unknown>;
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export interface RenderedCluster {
  objects: Obj[];
  /** `${ns}/${pod}/${container}` and `.../previous`. */
  logs: Map<string, string>;
}

function meta(
  name: string,
  namespace: string | undefined,
  uid: string,
  createdMs: number,
  rv: string,
  extra: Obj = {},
): Obj {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    uid: asUid(uid),
    resourceVersion: rv,
    creationTimestamp: iso(createdMs),
    ...extra,
  };
}

function containerState(state: ContainerState): Obj {
  switch (state.kind) {
    case 'running':
      return { running: { startedAt: iso(state.startedAtMs) } };
    case 'waiting':
      return { waiting: { reason: state.reason, ...(state.message ? { message: state.message } : {}) } };
    case 'terminated':
      return {
        terminated: {
          exitCode: state.exitCode,
          reason: state.reason,
          ...(state.message ? { message: state.message } : {}),
          startedAt: iso(state.startedAtMs),
          finishedAt: iso(state.finishedAtMs),
        },
      };
  }
}

function renderPod(pod: PodModel, rv: string): Obj {
  const svc = pod.service ? SERVICES[pod.service] : undefined;
  const started = pod.state.kind === 'running';
  const scheduled = pod.nodeName !== undefined && pod.unschedulable === undefined;
  const conditionTime = iso(pod.createdAtMs + 30_000);
  const containerReady = pod.ready && started;
  const container: Obj = {
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
    ...(pod.probes && svc
      ? {
          readinessProbe: {
            httpGet: { path: '/healthz/ready', port: svc.port, scheme: 'HTTP' },
            periodSeconds: 10,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
          livenessProbe: {
            httpGet: { path: '/healthz/live', port: svc.port, scheme: 'HTTP' },
            initialDelaySeconds: 10,
            periodSeconds: 20,
            timeoutSeconds: 2,
            successThreshold: 1,
            failureThreshold: 3,
          },
        }
      : {}),
    volumeMounts: [
      { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  };
  const qos =
    pod.limits.cpu && pod.limits.cpu === pod.requests.cpu && pod.limits.memory === pod.requests.memory
      ? 'Guaranteed'
      : 'Burstable';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(pod.name, pod.namespace, pod.uid, pod.createdAtMs, rv, {
      labels: pod.labels,
      ...(pod.owner.kind === 'ReplicaSet'
        ? { generateName: `${pod.owner.name}-` }
        : pod.owner.kind === 'DaemonSet'
          ? { generateName: `${pod.owner.name}-` }
          : {}),
      ownerReferences: [
        {
          apiVersion: pod.owner.kind === 'Job' ? 'batch/v1' : 'apps/v1',
          kind: pod.owner.kind,
          name: pod.owner.name,
          uid: asUid(pod.owner.uid),
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    }),
    spec: {
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
    },
    status: {
      phase: pod.phase,
      ...(pod.reason ? { reason: pod.reason } : {}),
      ...(pod.message ? { message: pod.message } : {}),
      conditions: scheduled
        ? [
            {
              type: 'PodReadyToStartContainers',
              status: pod.phase === 'Failed' ? 'False' : 'True',
              lastProbeTime: null,
              lastTransitionTime: conditionTime,
            },
            { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: conditionTime },
            {
              type: 'Ready',
              status: containerReady ? 'True' : 'False',
              lastProbeTime: null,
              lastTransitionTime: conditionTime,
              ...(containerReady
                ? {}
                : {
                    reason: pod.phase === 'Failed' ? 'PodFailed' : 'ContainersNotReady',
                    message: `containers with unready status: [${pod.containerName}]`,
                  }),
            },
            {
              type: 'ContainersReady',
              status: containerReady ? 'True' : 'False',
              lastProbeTime: null,
              lastTransitionTime: conditionTime,
              ...(containerReady
                ? {}
                : {
                    reason: pod.phase === 'Failed' ? 'PodFailed' : 'ContainersNotReady',
                    message: `containers with unready status: [${pod.containerName}]`,
                  }),
            },
            { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: iso(pod.createdAtMs) },
          ]
        : [
            {
              type: 'PodScheduled',
              status: 'False',
              lastProbeTime: null,
              lastTransitionTime: iso(pod.createdAtMs),
              reason: 'Unschedulable',
              message: pod.unschedulable ?? '',
            },
          ],
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
      ...(scheduled
        ? {
            containerStatuses: [
              {
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
                started: started,
              },
            ],
          }
        : {}),
    },
  };
}

function renderNode(node: NodeModel, cluster: ClusterModel, rv: string): Obj {
  const cond = (type: string, status: string, reason: string, message: string, sinceMs: number) => ({
    type,
    status,
    lastHeartbeatTime: iso(node.ready.status === 'True' ? cluster.nowMs - 20_000 : node.ready.sinceMs - 40_000),
    lastTransitionTime: iso(sinceMs),
    reason,
    message,
  });
  const unknown = node.ready.status === 'Unknown';
  const suffix = node.name.split('-')[2] ?? '';
  const vmSize = node.vmSize ?? 'Standard_D4ds_v5';
  const region = /^(.*)-\d+$/.exec(node.zone ?? '')?.[1] ?? 'eastus';
  const zone = node.zone ?? `${region}-${(node.index % 3) + 1}`;
  const instance = node.instance ?? node.index;
  const capacity = node.capacity ?? { cpuMillis: 4000, memoryKi: 16365460 };
  const allocatable = node.allocatable ?? { cpuMillis: 3860, memoryKi: 12880276 };
  const cpu = (m: number) => (m % 1000 === 0 ? String(m / 1000) : `${m}m`);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(node.name, undefined, node.uid, node.createdAtMs, rv, {
      labels: {
        agentpool: node.pool,
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': vmSize,
        'beta.kubernetes.io/os': 'linux',
        'failure-domain.beta.kubernetes.io/region': region,
        'failure-domain.beta.kubernetes.io/zone': zone,
        'kubernetes.azure.com/agentpool': node.pool,
        'kubernetes.azure.com/cluster': cluster.nodeResourceGroup,
        'kubernetes.azure.com/consolidated-additional-properties': templateHash(cluster.seed, 7),
        'kubernetes.azure.com/kubelet-identity-client-id': '5b7a8f3e-2c1d-4e6f-9a0b-7c8d9e0f1a2b',
        'kubernetes.azure.com/mode': node.mode,
        'kubernetes.azure.com/node-image-version': node.nodeImageVersion ?? 'AKSUbuntu-2204gen2containerd-202410.27.0',
        'kubernetes.azure.com/nodepool-type': 'VirtualMachineScaleSets',
        'kubernetes.azure.com/os-sku': 'Ubuntu',
        'kubernetes.azure.com/role': 'agent',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': vmSize,
        'topology.disk.csi.azure.com/zone': zone === '0' ? '' : zone,
        'topology.kubernetes.io/region': region,
        'topology.kubernetes.io/zone': zone,
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    }),
    spec: {
      podCIDR: `10.244.${cluster.nodes.indexOf(node)}.0/24`,
      podCIDRs: [`10.244.${cluster.nodes.indexOf(node)}.0/24`],
      providerID: `azure:///subscriptions/${/subscriptions\/([^/]+)/.exec(cluster.clusterId)?.[1] ?? '00000000-0000-0000-0000-000000000000'}/resourceGroups/${cluster.nodeResourceGroup.toLowerCase()}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-${node.pool}-${suffix}-vmss/virtualMachines/${instance}`,
      ...(node.unschedulable ? { unschedulable: true } : {}),
      ...(node.taints.length > 0
        ? {
            taints: node.taints.map((t) => ({
              key: t.key,
              effect: t.effect,
              ...(t.timeAddedMs ? { timeAdded: iso(t.timeAddedMs) } : {}),
            })),
          }
        : {}),
    },
    status: {
      capacity: {
        cpu: cpu(capacity.cpuMillis),
        'ephemeral-storage': '129886128Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${capacity.memoryKi}Ki`,
        pods: '110',
      },
      allocatable: {
        cpu: cpu(allocatable.cpuMillis),
        'ephemeral-storage': '119703055367',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
        memory: `${allocatable.memoryKi}Ki`,
        pods: '110',
      },
      conditions: [
        unknown
          ? cond(
              'MemoryPressure',
              'Unknown',
              'NodeStatusUnknown',
              'Kubelet stopped posting node status.',
              node.ready.sinceMs,
            )
          : node.memoryPressure
            ? cond(
                'MemoryPressure',
                'True',
                'KubeletHasInsufficientMemory',
                'kubelet has insufficient memory available',
                node.memoryPressure.sinceMs,
              )
            : cond(
                'MemoryPressure',
                'False',
                'KubeletHasSufficientMemory',
                'kubelet has sufficient memory available',
                node.createdAtMs + 60_000,
              ),
        unknown
          ? cond(
              'DiskPressure',
              'Unknown',
              'NodeStatusUnknown',
              'Kubelet stopped posting node status.',
              node.ready.sinceMs,
            )
          : cond(
              'DiskPressure',
              'False',
              'KubeletHasNoDiskPressure',
              'kubelet has no disk pressure',
              node.createdAtMs + 60_000,
            ),
        unknown
          ? cond(
              'PIDPressure',
              'Unknown',
              'NodeStatusUnknown',
              'Kubelet stopped posting node status.',
              node.ready.sinceMs,
            )
          : cond(
              'PIDPressure',
              'False',
              'KubeletHasSufficientPID',
              'kubelet has sufficient PID available',
              node.createdAtMs + 60_000,
            ),
        cond('Ready', node.ready.status, node.ready.reason, node.ready.message, node.ready.sinceMs),
      ],
      addresses: [
        { type: 'InternalIP', address: node.internalIP },
        { type: 'Hostname', address: node.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: templateHash(cluster.seed, 60, node.index) + templateHash(cluster.seed, 61, node.index),
        systemUUID: `${templateHash(cluster.seed, 62, node.index).slice(0, 8)}-0000-4000-8000-000000000000`,
        bootID: `${templateHash(cluster.seed, 63, node.index).slice(0, 8)}-1111-4111-8111-111111111111`,
        kernelVersion: '5.15.0-1074-azure',
        osImage: 'Ubuntu 22.04.5 LTS',
        containerRuntimeVersion: 'containerd://1.7.22-1',
        kubeletVersion: node.kubeletVersion ?? 'v1.30.6',
        kubeProxyVersion: node.kubeletVersion ?? 'v1.30.6',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** All objects of the cluster, plus pod logs. `rv` is the list resourceVersion every object carries. */
export function renderCluster(cluster: ClusterModel, rv: string): RenderedCluster {
  const createdMs = cluster.createdAtMs ?? clusterCreatedMs(cluster.nowMs);
  const objects: Obj[] = [];
  const logs = new Map<string, string>();
  const ns = APP_NAMESPACE;

  for (const [name, offset] of [
    ['default', 0],
    ['kube-system', 0],
    ['kube-public', 0],
    ['kube-node-lease', 0],
    [ns, 3600_000],
  ] as const) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta(
        name,
        undefined,
        `${templateHash(cluster.seed, 70, name.length)}-ns-${name}`,
        createdMs + offset,
        rv,
        { labels: { 'kubernetes.io/metadata.name': name } },
      ),
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  for (const node of cluster.nodes) objects.push(renderNode(node, cluster, rv));
  for (const pod of cluster.pods) {
    objects.push(renderPod(pod, rv));
    if (pod.logs.current !== undefined && pod.state.kind === 'running')
      logs.set(`${pod.namespace}/${pod.name}/${pod.containerName}`, pod.logs.current);
    if (pod.logs.previous !== undefined && pod.lastTerminated)
      logs.set(`${pod.namespace}/${pod.name}/${pod.containerName}/previous`, pod.logs.previous);
  }

  // Deployments and their ReplicaSets.
  for (const d of cluster.deployments) {
    const svc = SERVICES[d.service];
    const pods = cluster.pods.filter(
      (p) => p.service === d.service && p.owner.kind === 'ReplicaSet' && p.phase !== 'Failed',
    );
    const current = d.replicaSets[d.replicaSets.length - 1]!;
    const ready = pods.filter((p) => p.ready).length;
    const updated = pods.filter((p) => p.owner.name === current.name).length;
    const template = (rs: (typeof d.replicaSets)[number]) => ({
      metadata: {
        labels: { app: d.service, 'app.kubernetes.io/name': d.service, 'app.kubernetes.io/part-of': 'aiops-shop' },
      },
      spec: {
        containers: [
          {
            name: d.service,
            image: rs.image,
            ports: [{ name: 'http', containerPort: svc.port, protocol: 'TCP' }],
            resources: {
              requests: { cpu: svc.cpuRequest, memory: svc.memoryRequest },
              limits: { memory: svc.memoryLimit },
            },
            envFrom: [
              { configMapRef: { name: `${d.service}-config` } },
              ...(rs.envFromSecret ? [{ secretRef: { name: rs.envFromSecret } }] : []),
            ],
            readinessProbe: {
              httpGet: { path: '/healthz/ready', port: svc.port, scheme: 'HTTP' },
              periodSeconds: 10,
              timeoutSeconds: 1,
              successThreshold: 1,
              failureThreshold: 3,
            },
            livenessProbe: {
              httpGet: { path: '/healthz/live', port: svc.port, scheme: 'HTTP' },
              initialDelaySeconds: 10,
              periodSeconds: 20,
              timeoutSeconds: 2,
              successThreshold: 1,
              failureThreshold: 3,
            },
          },
        ],
        serviceAccountName: d.service,
      },
    });
    const stuck = d.replicaSets.length > 2;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(d.name, d.namespace, d.uid, d.createdAtMs, rv, {
        generation: current.revision,
        labels: { app: d.service },
        annotations: { 'deployment.kubernetes.io/revision': String(current.revision) },
      }),
      spec: {
        replicas: d.replicas,
        selector: { matchLabels: { app: d.service } },
        template: template(current),
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: current.revision,
        replicas: pods.length,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(pods.length - ready > 0 ? { unavailableReplicas: Math.max(0, d.replicas + (stuck ? 1 : 0) - ready) } : {}),
        conditions: [
          ready >= d.replicas - 1
            ? {
                type: 'Available',
                status: 'True',
                lastUpdateTime: iso(current.createdAtMs),
                lastTransitionTime: iso(current.createdAtMs),
                reason: 'MinimumReplicasAvailable',
                message: 'Deployment has minimum availability.',
              }
            : {
                type: 'Available',
                status: 'False',
                lastUpdateTime: iso(cluster.nowMs - 60_000),
                lastTransitionTime: iso(cluster.nowMs - 60_000),
                reason: 'MinimumReplicasUnavailable',
                message: 'Deployment does not have minimum availability.',
              },
          d.progressDeadlineExceeded
            ? {
                type: 'Progressing',
                status: 'False',
                lastUpdateTime: iso(current.createdAtMs + 600_000),
                lastTransitionTime: iso(current.createdAtMs + 600_000),
                reason: 'ProgressDeadlineExceeded',
                message: `ReplicaSet "${current.name}" has timed out progressing.`,
              }
            : stuck
              ? {
                  type: 'Progressing',
                  status: 'True',
                  lastUpdateTime: iso(current.createdAtMs),
                  lastTransitionTime: iso(current.createdAtMs),
                  reason: 'ReplicaSetUpdated',
                  message: `ReplicaSet "${current.name}" is progressing.`,
                }
              : {
                  type: 'Progressing',
                  status: 'True',
                  lastUpdateTime: iso(current.createdAtMs + 40_000),
                  lastTransitionTime: iso(d.createdAtMs),
                  reason: 'NewReplicaSetAvailable',
                  message: `ReplicaSet "${current.name}" has successfully progressed.`,
                },
        ],
      },
    });
    for (const rs of d.replicaSets) {
      const rsPods = pods.filter((p) => p.owner.name === rs.name);
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: meta(rs.name, d.namespace, rs.uid, rs.createdAtMs, rv, {
          labels: { app: d.service, 'pod-template-hash': rs.hash },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(d.replicas),
            'deployment.kubernetes.io/max-replicas': String(d.replicas + 1),
            'deployment.kubernetes.io/revision': String(rs.revision),
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: d.name,
              uid: asUid(d.uid),
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        }),
        spec: {
          replicas: rs.replicas,
          selector: { matchLabels: { app: d.service, 'pod-template-hash': rs.hash } },
          template: template(rs),
        },
        status: {
          replicas: rsPods.length,
          fullyLabeledReplicas: rsPods.length,
          readyReplicas: rsPods.filter((p) => p.ready).length,
          availableReplicas: rsPods.filter((p) => p.ready).length,
          observedGeneration: 1,
        },
      });
    }
    // Service + Endpoints (ready pods as addresses, the others as notReadyAddresses).
    const selectorPods = pods.filter((p) => p.podIP);
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(d.service, ns, `${templateHash(cluster.seed, 80, d.service.length)}-svc`, d.createdAtMs, rv, {
        labels: { app: d.service },
      }),
      spec: {
        type: 'ClusterIP',
        clusterIP: `10.0.${100 + cluster.deployments.indexOf(d)}.${10 + d.service.length}`,
        clusterIPs: [`10.0.${100 + cluster.deployments.indexOf(d)}.${10 + d.service.length}`],
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
        selector: { app: d.service },
        sessionAffinity: 'None',
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        internalTrafficPolicy: 'Cluster',
      },
      status: { loadBalancer: {} },
    });
    const address = (p: PodModel) => ({
      ip: p.podIP,
      nodeName: p.nodeName,
      targetRef: { kind: 'Pod', namespace: ns, name: p.name, uid: asUid(p.uid) },
    });
    const readyPods = selectorPods.filter((p) => p.ready);
    const notReady = selectorPods.filter((p) => !p.ready);
    objects.push({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta(d.service, ns, `${templateHash(cluster.seed, 81, d.service.length)}-ep`, d.createdAtMs, rv, {
        labels: { app: d.service },
      }),
      subsets: [
        {
          ...(readyPods.length ? { addresses: readyPods.map(address) } : {}),
          ...(notReady.length ? { notReadyAddresses: notReady.map(address) } : {}),
          ports: [{ name: 'http', port: svc.port, protocol: 'TCP' }],
        },
      ],
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(
        `${d.service}-config`,
        ns,
        `${templateHash(cluster.seed, 82, d.service.length)}-cm`,
        d.createdAtMs,
        rv,
      ),
      data: { LOG_LEVEL: 'info', PORT: String(svc.port), UPSTREAMS: svc.calls.map((c) => `http://${c}`).join(',') },
    });
  }

  // Cluster add-ons and platform objects.
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease', ns]) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('kube-root-ca.crt', name, `${templateHash(cluster.seed, 83, name.length)}-root`, createdMs, rv, {
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      }),
      data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n(simulated)\n-----END CERTIFICATE-----\n' },
    });
  }
  objects.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('coredns', 'kube-system', `${templateHash(cluster.seed, 84)}-coredns`, createdMs, rv, {
      labels: {
        'addonmanager.kubernetes.io/mode': 'Reconcile',
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
      },
    }),
    data: {
      Corefile:
        '.:53 {\n    errors\n    ready\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n    import custom/*.override\n}\nimport custom/*.server\n',
    },
  });
  for (const s of cluster.secrets) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(
        s.name,
        s.namespace,
        `${templateHash(cluster.seed, 85, s.name.length)}-secret`,
        createdMs + 3600_000,
        rv,
      ),
      type: s.type,
      data: Object.fromEntries(s.keys.map((k) => [k, ''])),
    });
  }
  objects.push(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('kubernetes', 'default', `${templateHash(cluster.seed, 86)}-k8s`, createdMs, rv, {
        labels: { component: 'apiserver', provider: 'kubernetes' },
      }),
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        ports: [{ name: 'https', port: 443, targetPort: 443, protocol: 'TCP' }],
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('kube-dns', 'kube-system', `${templateHash(cluster.seed, 87)}-dns`, createdMs, rv, {
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      }),
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.10',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ],
        selector: { 'k8s-app': 'kube-dns' },
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('metrics-server', 'kube-system', `${templateHash(cluster.seed, 88)}-ms`, createdMs, rv, {
        labels: { 'k8s-app': 'metrics-server' },
      }),
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.184',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }],
        selector: { 'k8s-app': 'metrics-server' },
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    },
  );
  const dsNames = [...new Set(cluster.pods.filter((p) => p.owner.kind === 'DaemonSet').map((p) => p.owner.name))];
  for (const name of dsNames) {
    const dsPods = cluster.pods.filter((p) => p.owner.kind === 'DaemonSet' && p.owner.name === name);
    const first = dsPods[0]!;
    const ready = dsPods.filter((p) => p.ready).length;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta(name, 'kube-system', first.owner.uid, createdMs + 60_000, rv, {
        labels: { 'k8s-app': name, 'kubernetes.azure.com/managedby': 'aks' },
        generation: 1,
      }),
      spec: {
        selector: { matchLabels: { 'k8s-app': name } },
        template: {
          metadata: { labels: { 'k8s-app': name } },
          spec: {
            containers: [{ name, image: first.image, resources: { requests: first.requests, limits: first.limits } }],
            priorityClassName: 'system-node-critical',
            tolerations: [{ operator: 'Exists' }],
          },
        },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      },
      status: {
        currentNumberScheduled: dsPods.length,
        desiredNumberScheduled: dsPods.length,
        numberMisscheduled: 0,
        numberReady: ready,
        numberAvailable: ready,
        ...(ready < dsPods.length ? { numberUnavailable: dsPods.length - ready } : {}),
        updatedNumberScheduled: dsPods.length,
        observedGeneration: 1,
      },
    });
  }
  const sysDeployments = [
    ...new Set(
      cluster.pods
        .filter((p) => p.namespace === 'kube-system' && p.owner.kind === 'ReplicaSet')
        .map((p) => p.owner.name),
    ),
  ];
  for (const rsName of sysDeployments) {
    const rsPods = cluster.pods.filter((p) => p.owner.name === rsName);
    const first = rsPods[0]!;
    const app = first.containerName;
    const hash = rsName.slice(app.length + 1);
    const ready = rsPods.filter((p) => p.ready).length;
    const labels = first.labels;
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(app, 'kube-system', `${hash}-deploy`, createdMs + 60_000, rv, {
        labels: { ...labels, 'addonmanager.kubernetes.io/mode': 'Reconcile' },
        generation: 1,
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      }),
      spec: {
        replicas: rsPods.length,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              { name: app, image: first.image, resources: { requests: first.requests, limits: first.limits } },
            ],
            priorityClassName: 'system-cluster-critical',
          },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      },
      status: {
        observedGeneration: 1,
        replicas: rsPods.length,
        updatedReplicas: rsPods.length,
        readyReplicas: ready,
        availableReplicas: ready,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: iso(createdMs + 120_000),
            lastTransitionTime: iso(createdMs + 120_000),
          },
        ],
      },
    });
    objects.push({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: meta(rsName, 'kube-system', first.owner.uid, createdMs + 60_000, rv, {
        labels: { ...labels, 'pod-template-hash': hash },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: app,
            uid: asUid(`${hash}-deploy`),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      }),
      spec: {
        replicas: rsPods.length,
        selector: { matchLabels: { ...labels, 'pod-template-hash': hash } },
        template: { metadata: { labels }, spec: { containers: [{ name: app, image: first.image }] } },
      },
      status: { replicas: rsPods.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: 1 },
    });
  }

  // Autoscaling, disruption budget, ingress, storage, a nightly CronJob and an AKS admission webhook.
  const gw = cluster.hpa;
  objects.push({
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta('api-gateway', ns, `${templateHash(cluster.seed, 90)}-hpa`, createdMs + 3600_000, rv),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-gateway' },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
    },
    status: {
      currentReplicas: gw.currentReplicas,
      desiredReplicas: gw.desiredReplicas,
      currentMetrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            current: {
              averageUtilization: gw.currentCpuUtilization,
              averageValue: `${Math.round((gw.currentCpuUtilization * 250) / 100)}m`,
            },
          },
        },
      ],
      conditions: [
        {
          type: 'AbleToScale',
          status: 'True',
          reason: gw.desiredReplicas !== gw.currentReplicas ? 'SucceededRescale' : 'ReadyForNewScale',
          message:
            gw.desiredReplicas !== gw.currentReplicas
              ? `the HPA controller was able to update the target scale to ${gw.desiredReplicas}`
              : 'recommended size matches current size',
          lastTransitionTime: iso(createdMs + 3700_000),
        },
        {
          type: 'ScalingActive',
          status: 'True',
          reason: 'ValidMetricFound',
          message:
            'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
          lastTransitionTime: iso(createdMs + 3700_000),
        },
        {
          type: 'ScalingLimited',
          status: 'False',
          reason: 'DesiredWithinRange',
          message: 'the desired count is within the acceptable range',
          lastTransitionTime: iso(createdMs + 3700_000),
        },
      ],
    },
  });
  const paymentHealthy = cluster.pods.filter((p) => p.service === 'payment-service' && p.ready).length;
  objects.push({
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta('payment-service', ns, `${templateHash(cluster.seed, 91)}-pdb`, createdMs + 3600_000, rv, {
      generation: 1,
    }),
    spec: { minAvailable: 1, selector: { matchLabels: { app: 'payment-service' } } },
    status: {
      observedGeneration: 1,
      disruptionsAllowed: Math.max(0, paymentHealthy - 1),
      currentHealthy: paymentHealthy,
      desiredHealthy: 1,
      expectedPods: SERVICES['payment-service'].replicas,
      conditions: [
        {
          type: 'DisruptionAllowed',
          status: paymentHealthy > 1 ? 'True' : 'False',
          reason: paymentHealthy > 1 ? 'SufficientPods' : 'InsufficientPods',
          message: '',
          observedGeneration: 1,
          lastTransitionTime: iso(createdMs + 3700_000),
        },
      ],
    },
  });
  objects.push(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: meta(
        'webapprouting.kubernetes.azure.com',
        undefined,
        `${templateHash(cluster.seed, 92)}-ic`,
        createdMs,
        rv,
        { labels: { 'app.kubernetes.io/managed-by': 'aks-app-routing-operator' } },
      ),
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('api-gateway', ns, `${templateHash(cluster.seed, 93)}-ing`, createdMs + 3600_000, rv, {
        generation: 1,
      }),
      spec: {
        ingressClassName: 'webapprouting.kubernetes.azure.com',
        tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }],
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'api-gateway', port: { number: 80 } } } },
              ],
            },
          },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '20.81.112.34' }] } },
    },
  );
  const sc = (name: string, provisioner: string, params: Obj, isDefault = false) => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: meta(name, undefined, `${templateHash(cluster.seed, 94, name.length)}-sc`, createdMs, rv, {
      labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists', 'kubernetes.io/cluster-service': 'true' },
      ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}),
    }),
    provisioner,
    parameters: params,
    reclaimPolicy: 'Delete',
    allowVolumeExpansion: true,
    volumeBindingMode: 'WaitForFirstConsumer',
  });
  objects.push(
    sc('default', 'disk.csi.azure.com', { skuname: 'StandardSSD_LRS' }, true),
    sc('managed-csi', 'disk.csi.azure.com', { skuname: 'StandardSSD_LRS' }),
    sc('managed-csi-premium', 'disk.csi.azure.com', { skuname: 'Premium_LRS' }),
    sc('azurefile-csi', 'file.csi.azure.com', { skuName: 'Standard_LRS' }),
  );
  const pvName = `pvc-${templateHash(cluster.seed, 95).slice(0, 8)}-4c1e-4b5a-9f3d-${templateHash(cluster.seed, 96).slice(0, 10)}00`;
  objects.push(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('notification-outbox', ns, `${templateHash(cluster.seed, 97)}-pvc`, createdMs + 3600_000, rv, {
        annotations: {
          'pv.kubernetes.io/bind-completed': 'yes',
          'volume.kubernetes.io/storage-provisioner': 'disk.csi.azure.com',
        },
        finalizers: ['kubernetes.io/pvc-protection'],
      }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '8Gi' } },
        storageClassName: 'managed-csi',
        volumeMode: 'Filesystem',
        volumeName: pvName,
      },
      status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '8Gi' } },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: meta(pvName, undefined, `${templateHash(cluster.seed, 98)}-pv`, createdMs + 3600_000, rv, {
        annotations: { 'pv.kubernetes.io/provisioned-by': 'disk.csi.azure.com' },
        finalizers: ['external-provisioner.volume.kubernetes.io/finalizer', 'kubernetes.io/pv-protection'],
      }),
      spec: {
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '8Gi' },
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'notification-outbox', namespace: ns },
        csi: {
          driver: 'disk.csi.azure.com',
          volumeHandle: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${cluster.nodeResourceGroup.toLowerCase()}/providers/Microsoft.Compute/disks/${pvName}`,
          fsType: 'ext4',
        },
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: 'managed-csi',
        volumeMode: 'Filesystem',
      },
      status: { phase: 'Bound' },
    },
  );
  const dayMs = 24 * 3600_000;
  const lastRunMs =
    Math.floor(cluster.nowMs / dayMs) * dayMs + 2 * 3600_000 - (cluster.nowMs % dayMs < 2 * 3600_000 ? dayMs : 0);
  const jobName = `report-generator-${Math.floor(lastRunMs / 60_000)}`;
  objects.push(
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('report-generator', ns, `${templateHash(cluster.seed, 99)}-cj`, createdMs + 3600_000, rv, {
        generation: 1,
      }),
      spec: {
        schedule: '0 2 * * *',
        concurrencyPolicy: 'Forbid',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'report', image: 'acraiopsdemo.azurecr.io/report-generator:1.4.0' }],
              },
            },
          },
        },
      },
      status: { lastScheduleTime: iso(lastRunMs), lastSuccessfulTime: iso(lastRunMs + 94_000) },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta(jobName, ns, `${templateHash(cluster.seed, 100)}-job`, lastRunMs, rv, {
        labels: { 'batch.kubernetes.io/job-name': jobName, 'job-name': jobName },
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: 'report-generator',
            uid: asUid(`${templateHash(cluster.seed, 99)}-cj`),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      }),
      spec: {
        backoffLimit: 2,
        completions: 1,
        parallelism: 1,
        template: {
          spec: {
            restartPolicy: 'OnFailure',
            containers: [{ name: 'report', image: 'acraiopsdemo.azurecr.io/report-generator:1.4.0' }],
          },
        },
      },
      status: {
        startTime: iso(lastRunMs),
        completionTime: iso(lastRunMs + 94_000),
        succeeded: 1,
        ready: 0,
        terminating: 0,
        conditions: [
          {
            type: 'Complete',
            status: 'True',
            lastProbeTime: iso(lastRunMs + 94_000),
            lastTransitionTime: iso(lastRunMs + 94_000),
          },
        ],
      },
    },
  );
  objects.push({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: meta(
      'aks-webhook-admission-controller',
      undefined,
      `${templateHash(cluster.seed, 101)}-mwc`,
      createdMs,
      rv,
      { labels: { 'addonmanager.kubernetes.io/mode': 'Reconcile', 'kubernetes.azure.com/managedby': 'aks' } },
    ),
    webhooks: [
      {
        name: 'aks-webhook-admission-controller.azmk8s.io',
        admissionReviewVersions: ['v1'],
        clientConfig: {
          url: `https://${cluster.clusterName}-dns.hcp.eastus.azmk8s.io:443/aks-webhook-admission-controller`,
        },
        failurePolicy: 'Ignore',
        matchPolicy: 'Equivalent',
        namespaceSelector: {
          matchExpressions: [
            { key: 'control-plane', operator: 'DoesNotExist' },
            { key: 'kubernetes.azure.com/managedby', operator: 'NotIn', values: ['aks'] },
          ],
        },
        objectSelector: {},
        reinvocationPolicy: 'Never',
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }],
        sideEffects: 'None',
        timeoutSeconds: 3,
      },
    ],
  });

  // Events (sorted by name like the API; names are involvedObject.name + a hex suffix, as the kubelet makes them).
  cluster.events.forEach((e, i) => {
    const name = `${e.involved.name}.${(0x17f0000000000000n + BigInt(Math.floor(e.firstMs / 1000)) * 1000n + BigInt(i)).toString(16)}`;
    objects.push({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta(name, e.namespace, `${templateHash(cluster.seed, 110, i)}-ev`, e.firstMs, rv),
      involvedObject: {
        kind: e.involved.kind,
        ...(e.involved.namespace ? { namespace: e.involved.namespace } : {}),
        name: e.involved.name,
        uid: asUid(e.involved.uid),
        apiVersion: e.involved.apiVersion,
        ...(e.involved.fieldPath ? { fieldPath: e.involved.fieldPath } : {}),
      },
      reason: e.reason,
      message: e.message,
      source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
      firstTimestamp: iso(e.firstMs),
      lastTimestamp: iso(Math.max(e.firstMs, e.lastMs)),
      count: e.count,
      type: e.type,
      eventTime: null,
      reportingComponent: e.component,
      reportingInstance: e.host ?? '',
    });
  });

  // metrics.k8s.io
  const window = '10.046s';
  const sampleTime = iso(cluster.nowMs - 15_000);
  for (const node of cluster.nodes) {
    if (node.ready.status !== 'True') continue; // metrics-server cannot scrape a kubelet that stopped reporting
    objects.push({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'NodeMetrics',
      metadata: {
        name: node.name,
        creationTimestamp: iso(cluster.nowMs),
        labels: { 'kubernetes.io/hostname': node.name, agentpool: node.pool },
      },
      timestamp: sampleTime,
      window,
      usage: {
        cpu: `${Math.round(node.usage.cpuMillis * 1e6)}n`,
        memory: `${Math.round(node.usage.memoryBytes / 1024)}Ki`,
      },
    });
  }
  for (const pod of cluster.pods) {
    if (pod.phase !== 'Running' || pod.state.kind !== 'running') continue;
    objects.push({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: pod.name, namespace: pod.namespace, creationTimestamp: iso(cluster.nowMs), labels: pod.labels },
      timestamp: sampleTime,
      window,
      containers: [
        {
          name: pod.containerName,
          usage: {
            cpu: `${Math.round(pod.usage.cpuMillis * 1e6)}n`,
            memory: `${Math.round(pod.usage.memoryBytes / 1024)}Ki`,
          },
        },
      ],
    });
  }
  return { objects, logs };
}
