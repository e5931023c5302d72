// Desired vs current for one schedule: what the timer would change, or why it must leave the target alone.
// Pure: the ARM facts and the instant are inputs, so the plan endpoint, the timer and the tests share it.
// Safety rules that need only ARM are here (cluster not Succeeded, pool upgrading, pools of a stopped cluster);
// the PodDisruptionBudget check needs the Kubernetes API and is made by the timer before a scale-in.
import { evaluateSchedule } from './evaluateSchedule.js';
import { describeValue, kindOf, sameValue, type ScalingSchedule, type ScheduleValue } from './schedule.js';
import { scheduleProblems, type ClusterFacts, type PoolFacts } from './validateAgainstCluster.js';

export type PlannedAction =
  | { kind: 'none' }
  | { kind: 'scale'; from: number | undefined; to: number }
  | {
      kind: 'setBounds';
      from: { minCount?: number; maxCount?: number };
      to: { minCount: number; maxCount: number };
      /** The pool's node count now and once the bounds hold: AKS keeps `count` within minCount..maxCount, so
       * bounds that move past it move the count too (a scale-in when it drops). */
      fromCount?: number;
      toCount?: number;
    }
  | { kind: 'stop' }
  | { kind: 'start' }
  | { kind: 'skip'; reason: string };

export interface SchedulePlan {
  schedule: string;
  clusterId: string;
  /** The pool name, or undefined for a cluster (power) schedule. */
  nodePool?: string;
  mode: ScalingSchedule['mode'];
  desired: ScheduleValue;
  because: string;
  current?: ScheduleValue;
  action: PlannedAction;
  nextChange?: { at: string; value: ScheduleValue };
  /** Human-readable one-liner for logs and the CLI. */
  summary: string;
}

/** A pool is upgrading while ARM reports it so, or while its requested and running versions differ. */
export function upgradeInProgress(pool: PoolFacts): boolean {
  return (
    pool.provisioningState === 'Upgrading' ||
    pool.provisioningState === 'UpgradingNodeImageVersion' ||
    (pool.orchestratorVersion !== undefined &&
      pool.currentOrchestratorVersion !== undefined &&
      pool.orchestratorVersion !== pool.currentOrchestratorVersion)
  );
}

function currentValue(
  schedule: ScalingSchedule,
  desired: ScheduleValue,
  cluster: ClusterFacts,
): ScheduleValue | undefined {
  if (schedule.nodePool === undefined)
    return cluster.powerState === 'Running' || cluster.powerState === 'Stopped'
      ? { power: cluster.powerState }
      : undefined;
  const pool = cluster.pools.find((p) => p.name === schedule.nodePool);
  if (!pool) return undefined;
  if (kindOf(desired) === 'autoscale')
    return pool.minCount !== undefined && pool.maxCount !== undefined
      ? { minCount: pool.minCount, maxCount: pool.maxCount }
      : undefined;
  return pool.count !== undefined ? { count: pool.count } : undefined;
}

function skipReason(schedule: ScalingSchedule, desired: ScheduleValue, cluster: ClusterFacts): string | undefined {
  // ARM rejects (409) writes to a cluster mid-operation; a failed cluster needs a person, not a timer.
  if (cluster.provisioningState !== 'Succeeded')
    return `cluster provisioningState is ${cluster.provisioningState ?? 'unknown'}, not Succeeded`;
  const problems = scheduleProblems(schedule, cluster);
  if (problems.length > 0) return `schedule no longer fits the cluster: ${problems.join('; ')}`;
  if (schedule.nodePool === undefined) return undefined;
  const pool = cluster.pools.find((p) => p.name === schedule.nodePool);
  if (!pool) return `node pool ${schedule.nodePool} not found`;
  if (cluster.powerState === 'Stopped') return 'the cluster is stopped; its node pools cannot be scaled';
  if (upgradeInProgress(pool))
    return `node pool ${pool.name} is upgrading (provisioningState ${pool.provisioningState ?? 'unknown'}, version ${pool.currentOrchestratorVersion ?? '?'} → ${pool.orchestratorVersion ?? '?'})`;
  if (pool.provisioningState !== undefined && pool.provisioningState !== 'Succeeded')
    return `node pool ${pool.name} provisioningState is ${pool.provisioningState}, not Succeeded`;
  if (kindOf(desired) === 'count' && pool.enableAutoScaling)
    return `node pool ${pool.name} has the cluster autoscaler on`;
  return undefined;
}

function actionFor(desired: ScheduleValue, current: ScheduleValue | undefined, pool?: PoolFacts): PlannedAction {
  if (current !== undefined && sameValue(desired, current)) return { kind: 'none' };
  if ('power' in desired) return { kind: desired.power === 'Stopped' ? 'stop' : 'start' };
  if ('count' in desired)
    return { kind: 'scale', from: current && 'count' in current ? current.count : undefined, to: desired.count };
  const action: PlannedAction = {
    kind: 'setBounds',
    from: current && 'minCount' in current ? { minCount: current.minCount, maxCount: current.maxCount } : {},
    to: { minCount: desired.minCount, maxCount: desired.maxCount },
  };
  if (pool?.count !== undefined) {
    action.fromCount = pool.count;
    action.toCount = Math.min(Math.max(pool.count, desired.minCount), desired.maxCount);
  }
  return action;
}

function summarize(plan: Omit<SchedulePlan, 'summary'>): string {
  const target = plan.nodePool ? `node pool ${plan.nodePool}` : 'cluster';
  const a = plan.action;
  switch (a.kind) {
    case 'none':
      return `${target} already at ${describeValue(plan.desired)} (${plan.because})`;
    case 'skip':
      return `${target} left alone: ${a.reason}`;
    case 'scale':
      return `${target} count ${a.from ?? '?'} → ${a.to} (${plan.because})`;
    case 'setBounds':
      return `${target} minCount/maxCount ${a.from.minCount ?? '?'}/${a.from.maxCount ?? '?'} → ${a.to.minCount}/${a.to.maxCount}${a.toCount !== undefined && a.toCount !== a.fromCount ? `, count ${a.fromCount} → ${a.toCount}` : ''} (${plan.because})`;
    case 'stop':
    case 'start':
      return `${a.kind} cluster (${plan.because})`;
  }
}

/** The plan of `schedule` against `cluster` at `now`. */
export function planSchedule(schedule: ScalingSchedule, cluster: ClusterFacts, now: Date): SchedulePlan {
  const state = evaluateSchedule(schedule, now);
  const current = currentValue(schedule, state.value, cluster);
  const pool = cluster.pools.find((p) => p.name === schedule.nodePool);
  let action: PlannedAction = actionFor(state.value, current, pool);
  if (action.kind !== 'none') {
    const reason = skipReason(schedule, state.value, cluster);
    if (reason !== undefined) action = { kind: 'skip', reason };
  }
  const plan: Omit<SchedulePlan, 'summary'> = {
    schedule: schedule.name,
    clusterId: schedule.clusterId,
    mode: schedule.mode,
    desired: state.value,
    because: state.because,
    action,
  };
  if (schedule.nodePool !== undefined) plan.nodePool = schedule.nodePool;
  if (current !== undefined) plan.current = current;
  if (state.nextChange) plan.nextChange = state.nextChange;
  return { ...plan, summary: summarize(plan) };
}
