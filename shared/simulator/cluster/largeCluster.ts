// Large-cluster mode for benchmarks: thousands of nodes and hundreds of thousands of pods generated from their index
// on demand, so the API server can stream any page without the cluster ever existing as a set of objects. A seeded
// share of pods fails in the ways real fleets fail (OOM and crash loops, image pulls, scheduling, config, probes,
// evictions) and a smaller share of nodes is NotReady or under memory pressure.
import type { KubeObjectSource } from '../kubeApi/kubeObjectSource.js';
import type { KubeResource } from '../kubeApi/resources.js';
import { largeClusterNode } from './largeClusterNodes.js';
import {
  LARGE_CLUSTER_FAILURES,
  largeClusterLayout,
  type LargeClusterFailure,
  type LargeClusterLayout,
  type LargeClusterOptions,
} from './largeClusterLayout.js';
import { largeClusterEvent, largeClusterPod } from './largeClusterPods.js';
import { largeClusterNamespace, largeClusterWorkload } from './largeClusterWorkloads.js';

export { LARGE_CLUSTER_FAILURES, type LargeClusterFailure, type LargeClusterOptions } from './largeClusterLayout.js';

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

/** The one pod index named `pod` in a namespace (pod names are unique per namespace). */
function podIndex(l: LargeClusterLayout, namespace: string, pod: string): number | undefined {
  const [p0, p1] = l.podRange(namespace);
  for (let j = p0; j < p1; j++) if (l.podName(j) === pod) return j;
  return undefined;
}

/** What `kubectl logs [--previous]` shows for a pod: the crashed run's last lines, or a running server's. */
function podLog(l: LargeClusterLayout, namespace: string, pod: string, previous: boolean): string | undefined {
  const j = podIndex(l, namespace, pod);
  if (j === undefined) return undefined;
  const failure = l.failureOf(j);
  if (previous) {
    if (failure === 'oom_killed') return 'INFO starting worker\nINFO cache warmed: 1843 entries\n';
    if (failure === 'crash_loop')
      return 'INFO starting\nERROR unhandled exception: connect ECONNREFUSED 10.0.12.7:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)\n';
    return undefined;
  }
  // No container ever ran: nothing to show.
  return failure === 'image_pull_error' || failure === 'config_error' || failure === 'failed_scheduling'
    ? undefined
    : 'INFO listening on :8080\n';
}

function expectedCounts(l: LargeClusterLayout): ReturnType<LargeClusterSource['expectedCounts']> {
  const failingPods = Object.fromEntries(LARGE_CLUSTER_FAILURES.map((f) => [f, 0])) as Record<
    LargeClusterFailure,
    number
  >;
  for (let j = 0; j < l.pods; j++) {
    const f = l.failureOf(j);
    if (f) failingPods[f]++;
  }
  let notReadyNodes = 0;
  let memoryPressureNodes = 0;
  for (let i = 0; i < l.nodes; i++) {
    const s = l.nodeState(i);
    if (s === 'not_ready') notReadyNodes++;
    else if (s === 'memory_pressure') memoryPressureNodes++;
  }
  return { failingPods, notReadyNodes, memoryPressureNodes };
}

function* range<T>(from: number, to: number, make: (i: number) => T): Generator<T> {
  for (let i = from; i < to; i++) yield make(i);
}

function* failingPodEvents(l: LargeClusterLayout, ns: string | undefined): Generator<Record<string, unknown>> {
  const [p0, p1] = l.podRange(ns);
  for (let j = p0; j < p1; j++) {
    const f = l.failureOf(j);
    if (f) yield largeClusterEvent(l, j, f);
  }
}

export function createLargeClusterSource(options: LargeClusterOptions): LargeClusterSource {
  const l = largeClusterLayout(options);
  const key = (r: KubeResource) => `${r.group}/${r.plural}`;
  return {
    list(resource, namespace) {
      switch (key(resource)) {
        case '/namespaces':
          return range(0, l.namespaces, (k) => largeClusterNamespace(l, k));
        case '/nodes':
          return range(0, l.nodes, (i) => largeClusterNode(i, l));
        case '/pods': {
          const [p0, p1] = l.podRange(namespace);
          return range(p0, p1, (j) => largeClusterPod(l, j));
        }
        case '/events':
          return failingPodEvents(l, namespace);
        case 'apps/deployments': {
          const [w0, w1] = l.workloadRange(namespace);
          return range(w0, w1, (w) => largeClusterWorkload(l, w).deployment);
        }
        case 'apps/replicasets': {
          const [w0, w1] = l.workloadRange(namespace);
          return range(w0, w1, (w) => largeClusterWorkload(l, w).replicaSet);
        }
        default:
          return [];
      }
    },
    count(resource, namespace) {
      switch (key(resource)) {
        case '/namespaces':
          return l.namespaces;
        case '/nodes':
          return l.nodes;
        case '/pods': {
          const [p0, p1] = l.podRange(namespace);
          return p1 - p0;
        }
        case '/events': {
          const [p0, p1] = l.podRange(namespace);
          let n = 0;
          for (let j = p0; j < p1; j++) if (l.failureOf(j)) n++;
          return n;
        }
        case 'apps/deployments':
        case 'apps/replicasets': {
          const [w0, w1] = l.workloadRange(namespace);
          return w1 - w0;
        }
        default:
          return 0;
      }
    },
    podLog: (namespace, pod, _container, previous) => podLog(l, namespace, pod, previous),
    revision: () => String(1000 + (l.seed % 1000)),
    failureOf: (j) => l.failureOf(j),
    expectedCounts: () => expectedCounts(l),
  };
}
