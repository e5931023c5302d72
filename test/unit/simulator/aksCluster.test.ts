// The AKS model on an injected clock: operations move provisioningState through Scaling/Updating/Stopping/Starting
// to Succeeded or Failed, one operation at a time (409 OperationNotAllowed otherwise), and the Kubernetes view
// (buildClusterModel) follows: new nodes NotReady then Ready, scale-in cordons, drains (pods move or go Pending)
// and deletes.
import { describe, expect, it } from '@jest/globals';
import {
  AksRequestError,
  defaultClusterSpec,
  nodeName,
  SimulatedAksCluster,
  type ManagedClusterSpec,
} from '../../../shared/simulator/aks/aksCluster.js';
import { buildClusterModel } from '../../../shared/simulator/cluster/buildClusterModel.js';
import { nodeAllocatable, vmSizeOf } from '../../../shared/simulator/aks/vmSizes.js';

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const T0 = Date.parse('2026-11-25T10:00:00Z');
const TIMINGS = { nodeReadyMs: 60_000, drainMs: 20_000, updateMs: 10_000, stopMs: 30_000 };

function setup(spec: ManagedClusterSpec = defaultClusterSpec(CLUSTER_ID)) {
  let now = T0;
  const aks = new SimulatedAksCluster(spec, { seed: 42, now: () => now, timings: TIMINGS });
  const kube = () => buildClusterModel({ seed: 42, clusterName: 'aks-sim', clusterId: CLUSTER_ID, aks }, now, []);
  return {
    aks,
    kube,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const pool = (aks: SimulatedAksCluster, name: string) => aks.view().pools.find((p) => p.name === name)!;

describe('one cluster, two views', () => {
  it('names nodes aks-<pool>-<number>-vmss<base36 instance> and labels them from the pool', () => {
    const { aks, kube } = setup();
    const nodes = kube().nodes;
    expect(nodes.map((n) => [n.pool, n.mode])).toEqual([
      ['nodepool1', 'system'],
      ['nodepool1', 'system'],
      ['userpool', 'user'],
      ['userpool', 'user'],
      ['userpool', 'user'],
    ]);
    expect(nodes.map((n) => n.name)).toEqual(aks.nodes().map((n) => n.name));
    expect(nodes[4]?.name).toBe(`aks-userpool-${aks.suffix}-vmss000002`);
    expect(nodeName('userpool', aks.suffix, 35)).toBe(`aks-userpool-${aks.suffix}-vmss00000z`);
    expect(nodes.map((n) => n.zone)).toEqual(['eastus-1', 'eastus-2', 'eastus-1', 'eastus-2', 'eastus-3']);
    expect(nodes[0]?.allocatable).toEqual(nodeAllocatable(vmSizeOf('Standard_D4ds_v5')));
    // ARM's pool counts are the nodes the Kubernetes view has.
    for (const p of aks.view().pools) expect(nodes.filter((n) => n.pool === p.name)).toHaveLength(p.count);
    // App pods run on the user pool only, add-ons' Deployments on the system pool.
    const appNodes = new Set(
      kube()
        .pods.filter((p) => p.service)
        .map((p) => p.nodeName),
    );
    expect([...appNodes].every((n) => n?.includes('-userpool-'))).toBe(true);
  });

  it('allocatable follows the VM size (a D8 node has more than a D4 node)', () => {
    const spec = defaultClusterSpec(CLUSTER_ID);
    spec.agentPools[1] = { ...spec.agentPools[1]!, vmSize: 'Standard_D8ds_v5' };
    const { kube } = setup(spec);
    const user = kube().nodes.find((n) => n.pool === 'userpool')!;
    expect(user.vmSize).toBe('Standard_D8ds_v5');
    expect(user.allocatable?.cpuMillis).toBe(8000 - 180);
    expect(user.capacity?.cpuMillis).toBe(8000);
  });
});

describe('scale-out', () => {
  it('is a Scaling operation whose new nodes are NotReady until the kubelet posts Ready, then Succeeded', () => {
    const { aks, kube, advance } = setup();
    const op = aks.updatePool('userpool', { count: 5 });
    expect(op).toMatchObject({ kind: 'scale', pool: 'userpool', state: 'Scaling', status: 'InProgress' });
    expect(pool(aks, 'userpool')).toMatchObject({ count: 5, provisioningState: 'Scaling' });
    expect(aks.view().provisioningState).toBe('Scaling');
    let users = kube().nodes.filter((n) => n.pool === 'userpool');
    expect(users.map((n) => [n.name.slice(-10), n.ready.status])).toEqual([
      ['vmss000000', 'True'],
      ['vmss000001', 'True'],
      ['vmss000002', 'True'],
      ['vmss000003', 'False'],
      ['vmss000004', 'False'],
    ]);
    expect(users[3]?.taints.map((t) => t.key)).toContain('node.kubernetes.io/not-ready');
    advance(59_999);
    expect(aks.operation(op.id)?.status).toBe('InProgress');
    advance(1);
    expect(aks.operation(op.id)?.status).toBe('Succeeded');
    expect(pool(aks, 'userpool').provisioningState).toBe('Succeeded');
    expect(aks.view().provisioningState).toBe('Succeeded');
    users = kube().nodes.filter((n) => n.pool === 'userpool');
    expect(users.every((n) => n.ready.status === 'True')).toBe(true);
  });

  it('clamps the count into min..max while the autoscaler is on', () => {
    const { aks } = setup();
    aks.updatePool('userpool', { count: 10 });
    expect(pool(aks, 'userpool').count).toBe(6);
  });

  it('is Updating, with no node change, when only the autoscaler settings change', () => {
    const { aks, kube, advance } = setup();
    const before = kube().nodes.map((n) => n.name);
    const op = aks.updatePool('userpool', { enableAutoScaling: false });
    expect(op.state).toBe('Updating');
    expect(pool(aks, 'userpool')).toMatchObject({ enableAutoScaling: false, provisioningState: 'Updating' });
    expect(pool(aks, 'userpool').minCount).toBeUndefined();
    advance(10_000);
    expect(aks.operation(op.id)?.status).toBe('Succeeded');
    expect(kube().nodes.map((n) => n.name)).toEqual(before);
  });
});

describe('one operation at a time', () => {
  it('answers 409 OperationNotAllowed, worded as AKS does, while an operation runs; accepts once it ended', () => {
    const { aks, advance } = setup();
    aks.updatePool('userpool', { count: 4 });
    let refused: unknown;
    try {
      aks.updatePool('nodepool1', { count: 3 });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(AksRequestError);
    expect(refused).toMatchObject({ status: 409, code: 'OperationNotAllowed' });
    expect((refused as Error).message).toMatch(
      /^Operation is not allowed: Another agentpool operation \(userpool - Scaling\) is in progress, please wait for it to finish before starting a new operation\. See https:\/\/aka\.ms\/aks-pending-operation/,
    );
    expect(() => aks.stop()).toThrow(/Another agentpool operation/);
    advance(60_000);
    expect(aks.updatePool('nodepool1', { count: 3 }).status).toBe('InProgress');
  });

  it('rejects what ARM validates up front with 400 InvalidParameter', () => {
    const { aks } = setup();
    expect(() => aks.updatePool('userpool', { minCount: 5, maxCount: 2 })).toThrow(
      expect.objectContaining({ status: 400, code: 'InvalidParameter' }),
    );
    expect(() => aks.updatePool('nodepool1', { enableAutoScaling: false, count: 0 })).toThrow(/at least one node/);
    expect(() => aks.updatePool('nope', { count: 1 })).toThrow(expect.objectContaining({ status: 404 }));
    expect(aks.view().provisioningState).toBe('Succeeded');
  });

  it('ends Failed (pool rolled back, no nodes added) when the operation fails', () => {
    const { aks, kube, advance } = setup();
    aks.failNextOperation({
      code: 'QuotaExceeded',
      message: 'Operation could not be completed as it results in exceeding approved standardDDSv5Family Cores quota.',
    });
    const op = aks.updatePool('userpool', { count: 6 });
    expect(kube().nodes.filter((n) => n.pool === 'userpool')).toHaveLength(6);
    advance(60_000);
    expect(aks.operation(op.id)).toMatchObject({ status: 'Failed', error: { code: 'QuotaExceeded' } });
    expect(pool(aks, 'userpool')).toMatchObject({ count: 3, provisioningState: 'Failed' });
    expect(aks.view().provisioningState).toBe('Failed');
    expect(kube().nodes.filter((n) => n.pool === 'userpool')).toHaveLength(3);
  });
});

describe('scale-in', () => {
  it('cordons the newest nodes, drains them (pods move to the remaining nodes), then deletes them', () => {
    const { aks, kube, advance } = setup();
    const victim = `aks-userpool-${aks.suffix}-vmss000002`;
    const onVictim = kube()
      .pods.filter((p) => p.nodeName === victim && p.service)
      .map((p) => p.name);
    expect(onVictim.length).toBeGreaterThan(0);
    const op = aks.updatePool('userpool', { count: 2 });
    expect(op.state).toBe('Scaling');
    // Cordoned at once; pods still there.
    let model = kube();
    let node = model.nodes.find((n) => n.name === victim)!;
    expect(node.unschedulable).toBe(true);
    expect(node.taints.map((t) => t.key)).toContain('node.kubernetes.io/unschedulable');
    expect(model.pods.filter((p) => p.nodeName === victim && p.service).map((p) => p.name)).toEqual(onVictim);
    // Drained: the app pods were evicted and their replacements run on the two nodes left.
    advance(20_000);
    model = kube();
    node = model.nodes.find((n) => n.name === victim)!;
    expect(node).toBeDefined();
    expect(model.pods.filter((p) => p.nodeName === victim && p.service)).toHaveLength(0);
    const app = model.pods.filter((p) => p.service);
    expect(app.every((p) => p.phase === 'Running' && p.nodeName !== undefined)).toBe(true);
    expect(app.map((p) => p.name)).not.toEqual(expect.arrayContaining(onVictim));
    // DaemonSet pods stay on a drained node (kubectl drain --ignore-daemonsets).
    expect(model.pods.some((p) => p.nodeName === victim && p.owner.kind === 'DaemonSet')).toBe(true);
    advance(20_000);
    model = kube();
    expect(aks.operation(op.id)?.status).toBe('Succeeded');
    expect(model.nodes.map((n) => n.name)).not.toContain(victim);
    expect(model.nodes.filter((n) => n.pool === 'userpool')).toHaveLength(2);
  });

  it('leaves pods Pending with the scheduler message when nothing can take them', () => {
    const { aks, kube, advance } = setup();
    aks.updatePool('userpool', { enableAutoScaling: false, count: 0 });
    advance(40_000);
    const model = kube();
    expect(model.nodes.filter((n) => n.pool === 'userpool')).toHaveLength(0);
    const app = model.pods.filter((p) => p.service);
    expect(app.length).toBeGreaterThan(0);
    expect(app.every((p) => p.phase === 'Pending' && p.nodeName === undefined)).toBe(true);
    expect(app[0]?.unschedulable).toBe(
      '0/2 nodes are available: 2 node(s) had untolerated taint {CriticalAddonsOnly: true}. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
    // Scaling back out gives them nodes once those are Ready.
    aks.updatePool('userpool', { count: 2 });
    advance(60_000);
    expect(
      kube()
        .pods.filter((p) => p.service)
        .every((p) => p.phase === 'Running'),
    ).toBe(true);
  });
});

describe('stop and start', () => {
  it('Stopping then Stopped (API server down, no nodes); Starting brings the same nodes back NotReady, then Ready', () => {
    const { aks, kube, advance } = setup();
    const names = kube().nodes.map((n) => n.name);
    const stop = aks.stop();
    expect(stop).toMatchObject({ kind: 'stop', state: 'Stopping', status: 'InProgress' });
    expect(aks.view()).toMatchObject({ provisioningState: 'Stopping', powerState: 'Running' });
    expect(aks.apiServerUp()).toBe(true);
    advance(30_000);
    expect(aks.operation(stop.id)?.status).toBe('Succeeded');
    expect(aks.view()).toMatchObject({ provisioningState: 'Succeeded', powerState: 'Stopped' });
    expect(aks.view().pools.every((p) => p.powerState === 'Stopped')).toBe(true);
    expect(aks.apiServerUp()).toBe(false);
    expect(aks.nodes()).toEqual([]);
    expect(() => aks.updatePool('userpool', { count: 4 })).toThrow(expect.objectContaining({ status: 409 }));

    const start = aks.start();
    expect(aks.view()).toMatchObject({ provisioningState: 'Starting', powerState: 'Stopped' });
    expect(aks.apiServerUp()).toBe(true);
    expect(kube().nodes.map((n) => [n.name, n.ready.status])).toEqual(names.map((n) => [n, 'False']));
    advance(60_000);
    expect(aks.operation(start.id)?.status).toBe('Succeeded');
    expect(aks.view()).toMatchObject({ provisioningState: 'Succeeded', powerState: 'Running' });
    expect(kube().nodes.every((n) => n.ready.status === 'True')).toBe(true);
  });

  it('tells listeners about every change, so the API server can follow the power state', () => {
    const { aks, advance } = setup();
    const seen: string[] = [];
    // Consecutive duplicates are other changes (nodes' readiness) in the same state.
    aks.onChange((v) => {
      const state = `${v.provisioningState}/${v.powerState}`;
      if (seen[seen.length - 1] !== state) seen.push(state);
    });
    aks.stop();
    advance(30_000);
    aks.revision();
    aks.start();
    expect(seen).toEqual(['Stopping/Running', 'Succeeded/Stopped', 'Starting/Stopped']);
  });
});
