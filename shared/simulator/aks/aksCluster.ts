// One simulated AKS cluster: the managed cluster and its agent pools as ARM describes them, and the VMSS instances
// (nodes) those pools run. Both views render from this object: the ARM stand-in (dev/standins) serves the pools and
// the long-running operations that change them, and the simulated Kubernetes API (cluster/buildClusterModel.ts)
// serves the nodes and places pods on them. Writes are long-running operations that progress with the injected
// clock, never with timers: every read first settles what the clock says has happened (a node became Ready, a
// drain finished, the operation ended), so tests drive time by moving the clock, and `npm start` by waiting.
//
// A cluster is a value built from a spec plus a seed, so N clusters across subscriptions (fleet work) are N specs.
import { hashInts, hashString } from '../cluster/seededRandom.js';
import { vmSizeOf } from './vmSizes.js';
import {
  type AgentPoolSpec,
  type ManagedClusterSpec,
  type ProvisioningState,
  type PowerState,
  type AksTimings,
  DEFAULT_AKS_TIMINGS,
  type SimNode,
  type AksOperation,
  type AksClusterView,
  apiServerAnswers,
  AksRequestError,
  type PoolUpdate,
  type SimulatedAksOptions,
  clusterNameOfId,
  nodePoolSuffix,
  defaultCreatedMs,
  newNode,
  initialNodes,
} from './aksSpec.js';

export * from './aksSpec.js';

const ACTIVE_NODE = (n: SimNode): boolean => n.cordonedAtMs === undefined;

/**
 * A live simulated AKS cluster. Reads (`view`, `nodes`, `operation`) settle the clock first; writes start an
 * operation or throw AksRequestError as ARM would answer before accepting one.
 */
export class SimulatedAksCluster {
  readonly seed: number;
  readonly suffix: string;
  readonly createdAtMs: number;
  private readonly now: () => number;
  private readonly timings: AksTimings;
  private readonly pools: Array<AgentPoolSpec & { provisioningState: ProvisioningState; powerState: PowerState }>;
  private current: AksClusterView['spec'];
  private power: PowerState = 'Running';
  private clusterState: ProvisioningState = 'Succeeded';
  private liveNodes: SimNode[];
  private readonly operations = new Map<string, AksOperation>();
  private running: AksOperation | undefined;
  private pending: Array<{ atMs: number; apply: () => void }> = [];
  private nextInstance = new Map<string, number>();
  private opCounter = 0;
  private version = 0;
  private readonly listeners = new Set<(view: AksClusterView) => void>();
  private failNext: { code: string; message: string } | undefined;
  private readonly homes: SimNode[];

  constructor(spec: ManagedClusterSpec, options: SimulatedAksOptions) {
    this.seed = options.seed;
    this.now = options.now ?? (() => Date.now());
    this.timings = { ...DEFAULT_AKS_TIMINGS, ...options.timings };
    this.createdAtMs = options.createdAtMs ?? defaultCreatedMs(this.now());
    this.suffix = nodePoolSuffix(options.seed, clusterNameOfId(spec.id));
    this.current = { ...spec, agentPools: spec.agentPools.map((p) => ({ ...p })) };
    this.pools = spec.agentPools.map((p) => ({ ...p, provisioningState: 'Succeeded', powerState: 'Running' }));
    this.liveNodes = initialNodes(spec, options.seed, this.createdAtMs);
    this.homes = this.liveNodes.map((n) => ({ ...n }));
    const t = this.now();
    this.lastReady = this.liveNodes.filter((n) => n.readyAtMs !== undefined && n.readyAtMs <= t).length;
    for (const p of spec.agentPools) this.nextInstance.set(p.name, p.count);
    if (options.powerState === 'Stopped') {
      this.power = 'Stopped';
      for (const p of this.pools) p.powerState = 'Stopped';
    }
  }

  get id(): string {
    return this.current.id;
  }

  get clusterName(): string {
    return clusterNameOfId(this.current.id);
  }

  /** Increases whenever anything either view shows changed (snapshot caches key on it). */
  revision(): number {
    this.settle();
    return this.version;
  }

  /** Called after every change with the new view (the kube API server listens to start/stop serving). */
  onChange(listener: (view: AksClusterView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The next operation that starts ends Failed with this error (quota, capacity: what Azure fails LROs with). */
  failNextOperation(error: { code: string; message: string }): void {
    this.failNext = error;
  }

  view(): AksClusterView {
    this.settle();
    return {
      spec: { ...this.current, agentPools: this.pools.map((p) => this.specOf(p)) },
      provisioningState: this.clusterState,
      powerState: this.power,
      pools: this.pools.map((p) => ({ ...p, availabilityZones: [...p.availabilityZones] })),
    };
  }

  /** The VMSS instances that exist now (a scale-in victim until it is deleted; none while stopped). */
  nodes(): SimNode[] {
    this.settle();
    return this.power === 'Stopped' && this.clusterState !== 'Starting' ? [] : this.liveNodes.map((n) => ({ ...n }));
  }

  /** The nodes the cluster was created with, removed ones included: workloads' original placement keys on them. */
  homeNodes(): SimNode[] {
    return this.homes.map((n) => ({ ...n }));
  }

  operation(id: string): AksOperation | undefined {
    this.settle();
    const op = this.operations.get(id);
    return op ? { ...op } : undefined;
  }

  /** PUT agentPools/{name}: scale, autoscaler on/off, min/max. Returns the operation it started. */
  updatePool(name: string, update: PoolUpdate): AksOperation {
    this.settle();
    const pool = this.pools.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (!pool) {
      throw new AksRequestError(
        404,
        'NotFound',
        `Agent pool '${name}' not found in managed cluster '${this.clusterName}'.`,
      );
    }
    this.assertNoOperation();
    if (this.power === 'Stopped') {
      throw new AksRequestError(
        409,
        'OperationNotAllowed',
        `Operation is not allowed: the managed cluster '${this.clusterName}' is stopped. Start it before changing agent pool '${pool.name}'.`,
      );
    }
    const next = { ...this.specOf(pool) };
    if (update.vmSize !== undefined && update.vmSize !== pool.vmSize) {
      throw new AksRequestError(
        400,
        'InvalidParameter',
        `Changing property 'vmSize' is not allowed on agent pool '${pool.name}'; create a new agent pool instead.`,
      );
    }
    if (update.mode !== undefined) next.mode = update.mode;
    if (update.enableAutoScaling !== undefined) next.enableAutoScaling = update.enableAutoScaling;
    if (update.minCount !== undefined) next.minCount = update.minCount ?? undefined;
    if (update.maxCount !== undefined) next.maxCount = update.maxCount ?? undefined;
    if (update.count !== undefined) next.count = update.count;
    if (!next.enableAutoScaling) {
      next.minCount = undefined;
      next.maxCount = undefined;
    }
    this.validate(next);
    // With the autoscaler on, the requested count only holds within min..max: the autoscaler moves it inside.
    if (next.enableAutoScaling && next.minCount !== undefined && next.maxCount !== undefined) {
      next.count = Math.min(next.maxCount, Math.max(next.minCount, next.count));
    }
    const delta = next.count - pool.count;
    const kind = delta !== 0 ? 'scale' : 'update';
    const state: ProvisioningState = delta !== 0 ? 'Scaling' : 'Updating';
    const startMs = this.now();
    const failure = this.takeFailure();
    let endMs = startMs + this.timings.updateMs;
    if (delta > 0) endMs = startMs + this.timings.nodeReadyMs;
    if (delta < 0) endMs = startMs + 2 * this.timings.drainMs;
    const op = this.begin(kind, pool.name, state, startMs, endMs);
    pool.provisioningState = state;
    this.clusterState = state;
    const previous = this.specOf(pool);
    Object.assign(pool, next);
    if (delta > 0) {
      const first = this.nextInstance.get(pool.name) ?? 0;
      this.nextInstance.set(pool.name, first + delta);
      const added = Array.from({ length: delta }, (_, i) =>
        newNode(
          this.current,
          this.suffix,
          pool,
          first + i,
          startMs,
          failure ? undefined : startMs + this.timings.nodeReadyMs,
        ),
      );
      this.liveNodes.push(...added);
      if (failure) {
        // The instances never joined: Azure rolls the pool back to what it ran and fails the operation.
        this.at(endMs, () => {
          this.liveNodes = this.liveNodes.filter((n) => !added.includes(n));
          Object.assign(pool, previous);
        });
      }
    } else if (delta < 0 && !failure) {
      // Scale-in removes the newest instances: cordon now, evict pods after drainMs, delete after it again.
      const victims = this.liveNodes
        .filter((n) => n.pool === pool.name && ACTIVE_NODE(n))
        .sort((a, b) => b.instance - a.instance)
        .slice(0, -delta);
      for (const v of victims) v.cordonedAtMs = startMs;
      this.at(startMs + this.timings.drainMs, () => {
        for (const v of victims) v.drainedAtMs = startMs + this.timings.drainMs;
      });
      this.at(endMs, () => {
        this.liveNodes = this.liveNodes.filter((n) => !victims.includes(n));
      });
    } else if (failure) {
      this.at(endMs, () => Object.assign(pool, previous));
    }
    this.at(endMs, () => this.finish(op, failure, [pool]));
    this.changed();
    return { ...op };
  }

  /** POST managedClusters/{name}/stop. */
  stop(): AksOperation {
    return this.changePower('Stopped', (startMs) => startMs + (this.power === 'Stopped' ? 0 : this.timings.stopMs));
  }

  /** POST managedClusters/{name}/start: the control plane comes back, the nodes rejoin after nodeReadyMs. */
  start(): AksOperation {
    return this.changePower('Running', (startMs, failure) => {
      const wasStopped = this.power === 'Stopped';
      const endMs = startMs + (wasStopped ? this.timings.nodeReadyMs : 0);
      // Deallocated instances boot again: same names, NotReady until their kubelet posts status.
      if (wasStopped && !failure) for (const n of this.liveNodes) n.readyAtMs = endMs;
      return endMs;
    });
  }

  /**
   * Stop and start: the cluster and every pool are Stopping/Starting until `endMs` (which `prepare` decides, and may
   * act on), then take the power state unless an injected failure fails the operation.
   */
  private changePower(
    power: 'Stopped' | 'Running',
    prepare: (startMs: number, failure: { code: string; message: string } | undefined) => number,
  ): AksOperation {
    this.settle();
    this.assertNoOperation();
    const startMs = this.now();
    const failure = this.takeFailure();
    const [kind, transitional] =
      power === 'Stopped' ? (['stop', 'Stopping'] as const) : (['start', 'Starting'] as const);
    const endMs = prepare(startMs, failure);
    const op = this.begin(kind, undefined, transitional, startMs, endMs);
    this.clusterState = transitional;
    for (const p of this.pools) p.provisioningState = transitional;
    this.at(endMs, () => {
      if (!failure) {
        this.power = power;
        for (const p of this.pools) p.powerState = power;
      }
      this.finish(op, failure, this.pools);
    });
    this.changed();
    this.settle();
    return { ...this.operations.get(op.id)! };
  }

  /** Whether the API server answers: from the end of a stop until a start is under way. */
  apiServerUp(): boolean {
    return apiServerAnswers(this.view());
  }

  private specOf(p: AgentPoolSpec): AgentPoolSpec {
    return {
      name: p.name,
      mode: p.mode,
      vmSize: p.vmSize,
      count: p.count,
      enableAutoScaling: p.enableAutoScaling,
      ...(p.minCount !== undefined ? { minCount: p.minCount } : {}),
      ...(p.maxCount !== undefined ? { maxCount: p.maxCount } : {}),
      osType: p.osType,
      osSKU: p.osSKU,
      availabilityZones: [...p.availabilityZones],
      nodeImageVersion: p.nodeImageVersion,
      orchestratorVersion: p.orchestratorVersion,
      maxPods: p.maxPods,
    };
  }

  private validate(p: AgentPoolSpec): void {
    const bad = (message: string) => new AksRequestError(400, 'InvalidParameter', message);
    if (!Number.isInteger(p.count) || p.count < 0 || p.count > 1000) {
      throw bad(`The value of parameter agentPoolProfile.count is invalid: ${p.count}. It must be between 0 and 1000.`);
    }
    if (p.mode === 'System' && p.count < 1) {
      throw bad(`System agent pool '${p.name}' must have at least one node; only User pools can scale to 0.`);
    }
    if (p.enableAutoScaling) {
      if (p.minCount === undefined || p.maxCount === undefined) {
        throw bad(`minCount and maxCount are required when enableAutoScaling is true on agent pool '${p.name}'.`);
      }
      if (p.minCount > p.maxCount) {
        throw bad(`minCount (${p.minCount}) must be less than or equal to maxCount (${p.maxCount}).`);
      }
      if (p.mode === 'System' && p.minCount < 1)
        throw bad(`minCount of System agent pool '${p.name}' must be at least 1.`);
    }
    if (vmSizeOf(p.vmSize).vcpus < 2 && p.mode === 'System') {
      throw bad(`System agent pool '${p.name}' needs a VM size with at least 2 vCPUs.`);
    }
  }

  /**
   * Azure lets one operation run per cluster: a write during another answers 409 OperationNotAllowed, worded as
   * AKS words it ("Another operation (<pool> - <state>) is in progress ... See https://aka.ms/aks-pending-operation",
   * the error az aks and the SDKs surface; seen e.g. in Azure/azure-workload-identity#417 and cilium/cilium#25944).
   */
  private assertNoOperation(): void {
    const op = this.running;
    if (!op) return;
    const what = op.pool
      ? `agentpool operation (${op.pool} - ${op.state})`
      : `operation (${this.clusterName} - ${op.state})`;
    throw new AksRequestError(
      409,
      'OperationNotAllowed',
      `Operation is not allowed: Another ${what} is in progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation for more details`,
    );
  }

  private takeFailure(): { code: string; message: string } | undefined {
    const f = this.failNext;
    this.failNext = undefined;
    return f;
  }

  private begin(
    kind: AksOperation['kind'],
    pool: string | undefined,
    state: ProvisioningState,
    startMs: number,
    endMs: number,
  ): AksOperation {
    this.opCounter += 1;
    const hex = (hashInts(this.seed, hashString(this.current.id), this.opCounter, startMs % 1_000_000_007) >>> 0)
      .toString(16)
      .padStart(8, '0');
    const op: AksOperation = {
      id: `${hex}-${String(this.opCounter).padStart(4, '0')}-4000-8000-${startMs.toString(16).padStart(12, '0').slice(-12)}`,
      kind,
      pool,
      state,
      startMs,
      endMs,
      status: 'InProgress',
    };
    this.operations.set(op.id, op);
    // The latest 1000 operations stay readable (a long-running `npm start` must not grow without bound).
    if (this.operations.size > 1000) this.operations.delete(this.operations.keys().next().value as string);
    this.running = op;
    return op;
  }

  private finish(
    op: AksOperation,
    failure: { code: string; message: string } | undefined,
    pools: Array<{ provisioningState: ProvisioningState }>,
  ): void {
    op.status = failure ? 'Failed' : 'Succeeded';
    if (failure) op.error = failure;
    const state: ProvisioningState = failure ? 'Failed' : 'Succeeded';
    for (const p of pools) p.provisioningState = state;
    this.clusterState = state;
    if (this.running === op) this.running = undefined;
  }

  private at(atMs: number, apply: () => void): void {
    this.pending.push({ atMs, apply });
  }

  /** Applies every step whose time has come, in time order. */
  private settle(): void {
    const nowMs = this.now();
    let applied = false;
    for (;;) {
      const due = this.pending.filter((s) => s.atMs <= nowMs).sort((a, b) => a.atMs - b.atMs)[0];
      if (!due) break;
      this.pending.splice(this.pending.indexOf(due), 1);
      due.apply();
      applied = true;
    }
    // A node turning Ready is a visible change too (the revision moves so snapshots rebuild).
    const readyNow = this.liveNodes.filter((n) => n.readyAtMs !== undefined && n.readyAtMs <= nowMs).length;
    if (readyNow !== this.lastReady) {
      this.lastReady = readyNow;
      applied = true;
    }
    if (applied) this.changed();
  }

  private lastReady: number;

  private changed(): void {
    this.version += 1;
    if (this.listeners.size === 0) return;
    const view: AksClusterView = {
      spec: this.current,
      provisioningState: this.clusterState,
      powerState: this.power,
      pools: this.pools.map((p) => ({ ...p })),
    };
    for (const l of this.listeners) l(view);
  }
}
