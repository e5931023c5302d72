// The layout of the simulated large cluster (largeCluster.ts): how many namespaces, workloads, pods and nodes there
// are, what each index is named, which pods fail and how, and which index ranges a namespace holds. Everything is a
// function of the index and the seed, so the renderers build any object on demand without the cluster existing.
import { hashInts, kubeSuffix, templateHash, uniform } from './seededRandom.js';
import type { LargeClusterNodes } from './largeClusterNodes.js';

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

export interface LargeClusterLayout extends LargeClusterNodes {
  nodes: number;
  pods: number;
  workloads: number;
  namespaces: number;
  podsPerWorkload: number;
  workloadsPerNamespace: number;
  nsName(k: number): string;
  workloadName(w: number): string;
  /** The namespace workload `w` lives in. */
  namespaceOfWorkload(w: number): string;
  /** The pod-template-hash of workload `w`'s ReplicaSet. */
  rsHash(w: number): string;
  /** The workload pod `j` belongs to. */
  workloadOfPod(j: number): number;
  podName(j: number): string;
  podImage(j: number): string;
  /** What pod `j` fails with; undefined: healthy. */
  failureOf(j: number): LargeClusterFailure | undefined;
  /** Workload indices [from, to) of a namespace (all of them for undefined, none for one that does not exist). */
  workloadRange(ns: string | undefined): [number, number];
  /** Pod indices [from, to) of a namespace, likewise. */
  podRange(ns: string | undefined): [number, number];
}

export function largeClusterLayout(options: LargeClusterOptions): LargeClusterLayout {
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
  const rsHash = (w: number) => templateHash(seed, 5, w);
  const workloadOfPod = (j: number) => Math.floor(j / perWorkload);
  /** Namespace k holds workloads [k*W, (k+1)*W); -2 names a namespace that does not exist. */
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

  return {
    seed,
    nodes,
    pods,
    workloads,
    namespaces,
    podsPerWorkload: perWorkload,
    workloadsPerNamespace: workloadsPerNs,
    nodeSuffix,
    nodesPerPool,
    nsName,
    workloadName,
    namespaceOfWorkload: (w) => nsName(Math.floor(w / workloadsPerNs)),
    rsHash,
    workloadOfPod,
    nodeName: (i) =>
      `aks-pool${Math.floor(i / nodesPerPool) + 1}-${nodeSuffix}-vmss${(i % nodesPerPool).toString(36).padStart(6, '0')}`,
    nodeState(i) {
      const u = uniform(seed, 2, i);
      const unhealthy = failingShare / 3;
      if (u < unhealthy / 2) return 'not_ready';
      if (u < unhealthy) return 'memory_pressure';
      return 'ready';
    },
    podName(j) {
      const w = workloadOfPod(j);
      return `${workloadName(w)}-${rsHash(w)}-${kubeSuffix(5, seed, 6, j)}`;
    },
    podImage(j) {
      const w = workloadOfPod(j);
      return `acrlarge.azurecr.io/${workloadName(w)}:1.${w % 20}.${j % 7}`;
    },
    failureOf(j) {
      if (j < 0 || j >= pods || uniform(seed, 3, j) >= failingShare) return undefined;
      return LARGE_CLUSTER_FAILURES[hashInts(seed, 4, j) % LARGE_CLUSTER_FAILURES.length];
    },
    workloadRange,
    podRange(ns) {
      const [w0, w1] = workloadRange(ns);
      return [w0 * perWorkload, Math.min(pods, w1 * perWorkload)];
    },
  };
}
