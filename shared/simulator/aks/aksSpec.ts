// The values a simulated AKS cluster is made of (shared/simulator/aks/aksCluster.ts runs them): the managed cluster and
// agent pool specs, the VMSS instances (nodes) and operations, naming as AKS names them, and the simulator's usual
// cluster. Split from aksCluster.ts so the model itself stays readable.
import { hashInts, hashString } from '../cluster/seededRandom.js';

export type PoolMode = 'System' | 'User';

export interface AgentPoolSpec {
  name: string;
  mode: PoolMode;
  vmSize: string;
  count: number;
  enableAutoScaling: boolean;
  minCount?: number;
  maxCount?: number;
  osType: 'Linux' | 'Windows';
  osSKU: string;
  /** Availability zones ("1", "2", "3"); empty for a regional (non-zonal) pool. */
  availabilityZones: string[];
  nodeImageVersion: string;
  orchestratorVersion: string;
  maxPods: number;
}

export interface ManagedClusterSpec {
  /** /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name> */
  id: string;
  location: string;
  kubernetesVersion: string;
  agentPools: AgentPoolSpec[];
}

/** provisioningState values of the managedClusters/agentPools REST spec that the simulator produces. */
export type ProvisioningState = 'Succeeded' | 'Failed' | 'Updating' | 'Scaling' | 'Stopping' | 'Starting';
export type PowerState = 'Running' | 'Stopped';

/** How long each phase of an operation takes, in ms of the injected clock. */
export interface AksTimings {
  /** A new VMSS instance until its kubelet posts Ready (scale-out, start). */
  nodeReadyMs: number;
  /** Cordon to eviction of a scale-in victim's pods; the node is deleted after the same time again. */
  drainMs: number;
  /** A pool update that changes no node count (autoscaler on/off, min/max). */
  updateMs: number;
  /** Control plane and nodes deallocated. */
  stopMs: number;
}

/** Minutes-long like Azure, for `npm start` (a scale-out of an AKS pool takes a few minutes). */
export const DEFAULT_AKS_TIMINGS: AksTimings = {
  nodeReadyMs: 90_000,
  drainMs: 30_000,
  updateMs: 20_000,
  stopMs: 60_000,
};

export interface SimNode {
  name: string;
  pool: string;
  mode: PoolMode;
  vmSize: string;
  /** `<location>-<zone>` for a zonal pool, "0" for a regional one (what the cloud provider labels). */
  zone: string;
  /** VMSS instance id; the node name ends with it in base 36. */
  instance: number;
  nodeImageVersion: string;
  orchestratorVersion: string;
  createdAtMs: number;
  /** When the kubelet posted Ready (undefined: not yet). */
  readyAtMs?: number;
  /** Cordoned for scale-in: unschedulable with the ToBeDeletedByClusterAutoscaler-like taint. */
  cordonedAtMs?: number;
  /** Pods evicted (the drain finished). */
  drainedAtMs?: number;
}

export interface AksOperation {
  id: string;
  /** The ARM action this is, for messages: a pool update or the cluster's stop/start. */
  kind: 'scale' | 'update' | 'stop' | 'start';
  /** Agent pool name, or undefined for the managed cluster itself. */
  pool?: string;
  state: ProvisioningState;
  startMs: number;
  endMs: number;
  status: 'InProgress' | 'Succeeded' | 'Failed';
  error?: { code: string; message: string };
}

export interface PoolView extends AgentPoolSpec {
  provisioningState: ProvisioningState;
  powerState: PowerState;
}

export interface AksClusterView {
  spec: ManagedClusterSpec;
  provisioningState: ProvisioningState;
  powerState: PowerState;
  pools: PoolView[];
}

/** Whether the API server answers: from the end of a stop until a start is under way. */
export function apiServerAnswers(view: Pick<AksClusterView, 'powerState' | 'provisioningState'>): boolean {
  return view.powerState === 'Running' || view.provisioningState === 'Starting';
}

/** A request ARM rejects before starting an operation (400 InvalidParameter, 404, 409 OperationNotAllowed). */
export class AksRequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AksRequestError';
  }
}

export interface PoolUpdate {
  count?: number;
  enableAutoScaling?: boolean;
  minCount?: number | null;
  maxCount?: number | null;
  vmSize?: string;
  mode?: PoolMode;
}

export interface SimulatedAksOptions {
  seed: number;
  now?: () => number;
  timings?: Partial<AksTimings>;
  /** When the cluster was created (its nodes' creation time). Default: three weeks before the first read. */
  createdAtMs?: number;
  /** A cluster that is already stopped (its pools too). */
  powerState?: PowerState;
}

/** The cluster name is the last segment of its ARM id. */
export function clusterNameOfId(id: string): string {
  return id.split('/').filter(Boolean).pop() ?? 'aks-sim';
}

/** The number AKS puts in node and VMSS names (aks-<pool>-<number>-vmss), one per cluster. */
export function nodePoolSuffix(seed: number, clusterName: string): string {
  return String(10000000 + (hashInts(seed, hashString(clusterName)) % 89999999));
}

/** VMSS instance ids print in base 36, zero-padded to six: vmss000000, vmss00000a. */
export function nodeName(pool: string, suffix: string, instance: number): string {
  return `aks-${pool}-${suffix}-vmss${instance.toString(36).padStart(6, '0')}`;
}

/** The newest node image the local "Azure" offers (dev/standins/armResources.ts LATEST_NODE_IMAGE is this). */
export const DEFAULT_NODE_IMAGE = 'AKSUbuntu-2204gen2containerd-202510.13.0';
export const PREVIOUS_NODE_IMAGE = 'AKSUbuntu-2204gen2containerd-202509.23.0';

/** The simulator's usual cluster: a small system pool and an autoscaled user pool for the shop's services. */
export function defaultClusterSpec(id: string, location = 'eastus', kubernetesVersion = '1.30.6'): ManagedClusterSpec {
  const pool = (name: string, mode: PoolMode, count: number, min: number, max: number): AgentPoolSpec => ({
    name,
    mode,
    vmSize: 'Standard_D4ds_v5',
    count,
    enableAutoScaling: true,
    minCount: min,
    maxCount: max,
    osType: 'Linux',
    osSKU: 'Ubuntu',
    availabilityZones: ['1', '2', '3'],
    nodeImageVersion: DEFAULT_NODE_IMAGE,
    orchestratorVersion: kubernetesVersion,
    maxPods: 110,
  });
  // The user pool is one node image release behind (its nodes show it too): what most real clusters look like
  // between monthly image releases, and a pool-level ARM finding for the sweep to name.
  return {
    id,
    location,
    kubernetesVersion,
    agentPools: [
      pool('nodepool1', 'System', 2, 1, 3),
      { ...pool('userpool', 'User', 3, 2, 6), nodeImageVersion: PREVIOUS_NODE_IMAGE },
    ],
  };
}

const WEEK_MS = 7 * 24 * 3600_000;

/** Cluster creation time when none is given: a few weeks back, stable for a week at a time. */
export function defaultCreatedMs(nowMs: number): number {
  return Math.floor(nowMs / WEEK_MS) * WEEK_MS - 3 * WEEK_MS;
}

function zoneOf(spec: ManagedClusterSpec, pool: AgentPoolSpec, instance: number): string {
  const zones = pool.availabilityZones;
  if (zones.length === 0) return '0';
  return `${spec.location}-${zones[instance % zones.length]}`;
}

export function newNode(
  spec: ManagedClusterSpec,
  suffix: string,
  pool: AgentPoolSpec,
  instance: number,
  createdAtMs: number,
  readyAtMs: number | undefined,
): SimNode {
  return {
    name: nodeName(pool.name, suffix, instance),
    pool: pool.name,
    mode: pool.mode,
    vmSize: pool.vmSize,
    zone: zoneOf(spec, pool, instance),
    instance,
    nodeImageVersion: pool.nodeImageVersion,
    orchestratorVersion: pool.orchestratorVersion,
    createdAtMs,
    readyAtMs,
  };
}

/** The nodes of a freshly created cluster (pool p's nodes an hour after pool p-1's, Ready a minute after creation). */
export function initialNodes(spec: ManagedClusterSpec, seed: number, createdMs: number): SimNode[] {
  const suffix = nodePoolSuffix(seed, clusterNameOfId(spec.id));
  return spec.agentPools.flatMap((pool, p) =>
    Array.from({ length: pool.count }, (_, i) =>
      newNode(spec, suffix, pool, i, createdMs + p * 3600_000, createdMs + p * 3600_000 + 60_000),
    ),
  );
}
