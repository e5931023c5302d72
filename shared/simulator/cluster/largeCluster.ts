// Large-cluster mode for benchmarks: thousands of nodes and hundreds of thousands of pods generated from their index
// on demand, so the API server can stream any page without the cluster ever existing as a set of objects. A seeded
// share of pods fails in the ways real fleets fail (OOM and crash loops, image pulls, scheduling, config, probes,
// evictions) and a smaller share of nodes is NotReady or under memory pressure.
import type { KubeObjectSource } from '../kubeApi/kubeObjectSource.js';
import type { KubeResource } from '../kubeApi/resources.js';
import { asUid, hashInts, kubeSuffix, templateHash, uniform } from './seededRandom.js';
import { CREATED, largeClusterNode } from './largeClusterNodes.js';

export interface LargeClusterOptions {
  nodes: number;
  pods: number;
  /** Share of pods in a failing state, 0..1 (default 0.03). */
  failingShare?: number;
  seed?: number;
  /** Pods per workload (Deployment → ReplicaSet); default 5. */
  podsPerWorkload?: number;
  /** Workloads per namespace; default 20. */
  workloadsPerNamespace?: number;
}

export const LARGE_CLUSTER_FAILURES = [
  'oom_killed',
  'crash_loop',
  'image_pull_error',
  'failed_scheduling',
  'config_error',
  'probe_failure',
  'evicted',
] as const;
export type LargeClusterFailure = (typeof LARGE_CLUSTER_FAILURES)[number];

export interface LargeClusterSource extends KubeObjectSource {
  /** What pod `index` is (undefined: healthy), so benchmarks can check what a sweep found. */
  failureOf(podIndex: number): LargeClusterFailure | undefined;
  /** Counts of failing pods by kind and of unhealthy nodes, computed by scanning indices (no objects built). */
  expectedCounts(): {
    failingPods: Record<LargeClusterFailure, number>;
    notReadyNodes: number;
    memoryPressureNodes: number;
  };
}

export function createLargeClusterSource(options: LargeClusterOptions): LargeClusterSource {
  const nodes = Math.max(1, Math.floor(options.nodes));
  const pods = Math.max(0, Math.floor(options.pods));
  const seed = options.seed ?? 7;
  const failingShare = Math.min(1, Math.max(0, options.failingShare ?? 0.03));
  const perWorkload = Math.max(1, options.podsPerWorkload ?? 5);
  const workloadsPerNs = Math.max(1, options.workloadsPerNamespace ?? 20);
  const workloads = Math.ceil(pods / perWorkload);
  const namespaces = Math.max(1, Math.ceil(workloads / workloadsPerNs));
  const nodeSuffix = String(10000000 + (hashInts(seed, 1) % 89999999));
  const nodesPerPool = 1000; // VMSS limit per node pool

  const nsName = (k: number) => `team-${String(k).padStart(4, '0')}`;
  const workloadName = (w: number) => `svc-${String(w).padStart(6, '0')}`;
  const nodeName = (i: number) =>
    `aks-pool${Math.floor(i / nodesPerPool) + 1}-${nodeSuffix}-vmss${(i % nodesPerPool).toString(36).padStart(6, '0')}`;
  const nodeState = (i: number): 'ready' | 'memory_pressure' | 'not_ready' => {
    const u = uniform(seed, 2, i);
    const unhealthy = failingShare / 3;
    if (u < unhealthy / 2) return 'not_ready';
    if (u < unhealthy) return 'memory_pressure';
    return 'ready';
  };
  const failureOf = (j: number): LargeClusterFailure | undefined => {
    if (j < 0 || j >= pods || uniform(seed, 3, j) >= failingShare) return undefined;
    return LARGE_CLUSTER_FAILURES[hashInts(seed, 4, j) % LARGE_CLUSTER_FAILURES.length];
  };
  const rsHash = (w: number) => templateHash(seed, 5, w);
  const podName = (j: number) => {
    const w = Math.floor(j / perWorkload);
    return `${workloadName(w)}-${rsHash(w)}-${kubeSuffix(5, seed, 6, j)}`;
  };
  const nodeObject = (i: number) => largeClusterNode(i, { seed, nodeSuffix, nodesPerPool, nodeName, nodeState });

  function podObject(j: number): Record<string, unknown> {
    const w = Math.floor(j / perWorkload);
    const ns = nsName(Math.floor(w / workloadsPerNs));
    const app = workloadName(w);
    const name = podName(j);
    const node = nodeName(hashInts(seed, 8, j) % nodes);
    const failure = failureOf(j);
    const image = `acrlarge.azurecr.io/${app}:1.${w % 20}.${j % 7}`;
    let phase = 'Running';
    let ready = true;
    let restartCount = hashInts(seed, 9, j) % 50 === 0 ? 1 : 0;
    let state: Record<string, unknown> = { running: { startedAt: CREATED } };
    let lastState: Record<string, unknown> = {};
    let podReason: Record<string, unknown> = {};
    let scheduled = true;
    // A container in CrashLoopBackOff whose last run ended with this exit code and reason.
    const crashLooping = (exitCode: number, reason: string, salt: number) => ({
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off 5m0s restarting failed container=app pod=${name}_${ns}(${asUid(`pod-${seed}-${j}`)})`,
        },
      } as Record<string, unknown>,
      lastState: {
        terminated: {
          exitCode,
          reason,
          startedAt: CREATED,
          finishedAt: CREATED,
          containerID: `containerd://${templateHash(j, salt)}`,
        },
      } as Record<string, unknown>,
    });
    switch (failure) {
      case 'oom_killed':
        ready = false;
        restartCount = 5 + (j % 20);
        ({ state, lastState } = crashLooping(137, 'OOMKilled', 1));
        break;
      case 'crash_loop':
        ready = false;
        restartCount = 3 + (j % 30);
        ({ state, lastState } = crashLooping(1, 'Error', 2));
        break;
      case 'image_pull_error':
        ready = false;
        phase = 'Pending';
        state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}-missing"` } };
        break;
      case 'failed_scheduling':
        ready = false;
        phase = 'Pending';
        scheduled = false;
        state = {};
        break;
      case 'config_error':
        ready = false;
        phase = 'Pending';
        state = { waiting: { reason: 'CreateContainerConfigError', message: `secret "${app}-credentials" not found` } };
        break;
      case 'probe_failure':
        ready = false;
        break;
      case 'evicted':
        ready = false;
        phase = 'Failed';
        podReason = {
          reason: 'Evicted',
          message:
            'The node was low on resource: memory. Threshold quantity: 100Mi, available: 61212Ki. Container app was using 1843204Ki, request is 256Mi, has larger consumption of memory. ',
        };
        state = {
          terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', startedAt: CREATED, finishedAt: CREATED },
        };
        break;
      default:
        break;
    }
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: ns,
        uid: asUid(`pod-${seed}-${j}`),
        resourceVersion: '1',
        creationTimestamp: CREATED,
        generateName: `${app}-${rsHash(w)}-`,
        labels: { app, 'pod-template-hash': rsHash(w) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `${app}-${rsHash(w)}`,
            uid: asUid(`rs-${seed}-${w}`),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        ...(scheduled ? { nodeName: node } : {}),
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
      },
      status: {
        phase,
        ...podReason,
        conditions: scheduled
          ? [
              { type: 'PodScheduled', status: 'True', lastTransitionTime: CREATED },
              {
                type: 'Ready',
                status: ready ? 'True' : 'False',
                lastTransitionTime: CREATED,
                ...(ready ? {} : { reason: 'ContainersNotReady', message: 'containers with unready status: [app]' }),
              },
            ]
          : [
              {
                type: 'PodScheduled',
                status: 'False',
                lastTransitionTime: CREATED,
                reason: 'Unschedulable',
                message: `0/${nodes} nodes are available: ${nodes} node(s) didn't match Pod's node affinity/selector. preemption: 0/${nodes} nodes are available: ${nodes} Preemption is not helpful for scheduling.`,
              },
            ],
        ...(scheduled
          ? {
              hostIP: '10.224.0.4',
              podIP: `10.${244 + (Math.floor(j / 65536) % 8)}.${Math.floor(j / 256) % 256}.${j % 256}`,
              startTime: CREATED,
            }
          : {}),
        qosClass: 'Burstable',
        ...(scheduled && failure !== 'failed_scheduling'
          ? {
              containerStatuses: [
                {
                  name: 'app',
                  ready,
                  started: ready,
                  restartCount,
                  image,
                  imageID: '',
                  state,
                  lastState,
                  containerID: `containerd://${templateHash(j, 3)}`,
                },
              ],
            }
          : {}),
      },
    };
  }

  /** One Warning event per failing pod, with the reason and message the kubelet or scheduler would record. */
  function eventObject(j: number, failure: LargeClusterFailure): Record<string, unknown> {
    const w = Math.floor(j / perWorkload);
    const ns = nsName(Math.floor(w / workloadsPerNs));
    const name = podName(j);
    const image = `acrlarge.azurecr.io/${workloadName(w)}:1.${w % 20}.${j % 7}-missing`;
    const [reason, message, component] = (
      {
        oom_killed: [
          'BackOff',
          `Back-off restarting failed container app in pod ${name}_${ns}(${asUid(`pod-${seed}-${j}`)})`,
          'kubelet',
        ],
        crash_loop: [
          'BackOff',
          `Back-off restarting failed container app in pod ${name}_${ns}(${asUid(`pod-${seed}-${j}`)})`,
          'kubelet',
        ],
        image_pull_error: [
          'Failed',
          `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
          'kubelet',
        ],
        failed_scheduling: [
          'FailedScheduling',
          `0/${nodes} nodes are available: ${nodes} node(s) didn't match Pod's node affinity/selector. preemption: 0/${nodes} nodes are available: ${nodes} Preemption is not helpful for scheduling.`,
          'default-scheduler',
        ],
        config_error: ['Failed', `Error: secret "${workloadName(w)}-credentials" not found`, 'kubelet'],
        probe_failure: [
          'Unhealthy',
          `Readiness probe failed: Get "http://10.244.0.1:8080/ready": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
          'kubelet',
        ],
        evicted: [
          'Evicted',
          'The node was low on resource: memory. Threshold quantity: 100Mi, available: 61212Ki.',
          'kubelet',
        ],
      } as const
    )[failure];
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${name}.${(hashInts(seed, 10, j) >>> 0).toString(16)}`,
        namespace: ns,
        uid: asUid(`ev-${seed}-${j}`),
        resourceVersion: '1',
        creationTimestamp: CREATED,
      },
      involvedObject: {
        apiVersion: 'v1',
        kind: 'Pod',
        name,
        namespace: ns,
        uid: asUid(`pod-${seed}-${j}`),
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

  function workloadObjects(w: number): { deployment: Record<string, unknown>; replicaSet: Record<string, unknown> } {
    const ns = nsName(Math.floor(w / workloadsPerNs));
    const app = workloadName(w);
    const first = w * perWorkload;
    const count = Math.min(perWorkload, pods - first);
    let readyCount = 0;
    for (let j = first; j < first + count; j++) if (failureOf(j) === undefined) readyCount++;
    const template = {
      metadata: { labels: { app } },
      spec: {
        containers: [
          {
            name: 'app',
            image: `acrlarge.azurecr.io/${app}:1.${w % 20}.0`,
            resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } },
          },
        ],
      },
    };
    const status = { replicas: count, readyReplicas: readyCount, availableReplicas: readyCount, observedGeneration: 1 };
    return {
      deployment: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: {
          name: app,
          namespace: ns,
          uid: asUid(`deploy-${seed}-${w}`),
          generation: 1,
          resourceVersion: '1',
          creationTimestamp: CREATED,
          labels: { app },
        },
        spec: {
          replicas: count,
          selector: { matchLabels: { app } },
          template,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        },
        status: {
          ...status,
          updatedReplicas: count,
          ...(readyCount < count ? { unavailableReplicas: count - readyCount } : {}),
          conditions: [
            {
              type: 'Available',
              status: readyCount >= Math.ceil(count * 0.75) ? 'True' : 'False',
              reason: readyCount >= Math.ceil(count * 0.75) ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
              lastTransitionTime: CREATED,
            },
          ],
        },
      },
      replicaSet: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${app}-${rsHash(w)}`,
          namespace: ns,
          uid: asUid(`rs-${seed}-${w}`),
          resourceVersion: '1',
          creationTimestamp: CREATED,
          labels: { app, 'pod-template-hash': rsHash(w) },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: app,
              uid: asUid(`deploy-${seed}-${w}`),
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: { replicas: count, selector: { matchLabels: { app, 'pod-template-hash': rsHash(w) } }, template },
        status,
      },
    };
  }

  /** Index ranges of one namespace's workloads and pods (namespace k holds workloads [k*W, (k+1)*W)). */
  const nsIndex = (ns: string | undefined): number | undefined => {
    if (ns === undefined) return undefined;
    const m = /^team-(\d{4,})$/.exec(ns);
    const k = m ? Number(m[1]) : -1;
    return k >= 0 && k < namespaces ? k : -2;
  };
  const workloadRange = (ns: string | undefined): [number, number] => {
    const k = nsIndex(ns);
    if (k === undefined) return [0, workloads];
    if (k < 0) return [0, 0];
    return [k * workloadsPerNs, Math.min(workloads, (k + 1) * workloadsPerNs)];
  };
  const podRange = (ns: string | undefined): [number, number] => {
    const [w0, w1] = workloadRange(ns);
    return [w0 * perWorkload, Math.min(pods, w1 * perWorkload)];
  };

  function* range<T>(from: number, to: number, make: (i: number) => T): Generator<T> {
    for (let i = from; i < to; i++) yield make(i);
  }

  function* events(ns: string | undefined): Generator<Record<string, unknown>> {
    const [p0, p1] = podRange(ns);
    for (let j = p0; j < p1; j++) {
      const f = failureOf(j);
      if (f) yield eventObject(j, f);
    }
  }

  const key = (r: KubeResource) => `${r.group}/${r.plural}`;
  return {
    list(resource, namespace) {
      switch (key(resource)) {
        case '/namespaces':
          return range(0, namespaces, (k) => ({
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: {
              name: nsName(k),
              uid: asUid(`ns-${seed}-${k}`),
              resourceVersion: '1',
              creationTimestamp: CREATED,
            },
            status: { phase: 'Active' },
          }));
        case '/nodes':
          return range(0, nodes, nodeObject);
        case '/pods': {
          const [p0, p1] = podRange(namespace);
          return range(p0, p1, podObject);
        }
        case '/events':
          return events(namespace);
        case 'apps/deployments': {
          const [w0, w1] = workloadRange(namespace);
          return range(w0, w1, (w) => workloadObjects(w).deployment);
        }
        case 'apps/replicasets': {
          const [w0, w1] = workloadRange(namespace);
          return range(w0, w1, (w) => workloadObjects(w).replicaSet);
        }
        default:
          return [];
      }
    },
    count(resource, namespace) {
      switch (key(resource)) {
        case '/namespaces':
          return namespaces;
        case '/nodes':
          return nodes;
        case '/pods': {
          const [p0, p1] = podRange(namespace);
          return p1 - p0;
        }
        case '/events': {
          const [p0, p1] = podRange(namespace);
          let n = 0;
          for (let j = p0; j < p1; j++) if (failureOf(j)) n++;
          return n;
        }
        case 'apps/deployments':
        case 'apps/replicasets': {
          const [w0, w1] = workloadRange(namespace);
          return w1 - w0;
        }
        default:
          return 0;
      }
    },
    podLog(namespace, pod, _container, previous) {
      const f = (() => {
        const [p0, p1] = podRange(namespace);
        for (let j = p0; j < p1; j++) if (podName(j) === pod) return { j, f: failureOf(j) };
        return undefined;
      })();
      if (!f) return undefined;
      if (previous) {
        if (f.f === 'oom_killed') return 'INFO starting worker\nINFO cache warmed: 1843 entries\n';
        if (f.f === 'crash_loop')
          return 'INFO starting\nERROR unhandled exception: connect ECONNREFUSED 10.0.12.7:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)\n';
        return undefined;
      }
      return f.f === 'image_pull_error' || f.f === 'config_error' || f.f === 'failed_scheduling'
        ? undefined
        : 'INFO listening on :8080\n';
    },
    revision: () => String(1000 + (seed % 1000)),
    failureOf,
    expectedCounts() {
      const failingPods = Object.fromEntries(LARGE_CLUSTER_FAILURES.map((f) => [f, 0])) as Record<
        LargeClusterFailure,
        number
      >;
      for (let j = 0; j < pods; j++) {
        const f = failureOf(j);
        if (f) failingPods[f]++;
      }
      let notReadyNodes = 0;
      let memoryPressureNodes = 0;
      for (let i = 0; i < nodes; i++) {
        const s = nodeState(i);
        if (s === 'not_ready') notReadyNodes++;
        else if (s === 'memory_pressure') memoryPressureNodes++;
      }
      return { failingPods, notReadyNodes, memoryPressureNodes };
    },
  };
}
