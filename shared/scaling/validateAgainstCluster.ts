// Checks of a schedule against the cluster it targets, from ARM's agent pool facts: the pool must exist, a
// System pool never goes below one node, and the value kind must match the pool's autoscaler mode — with the
// cluster autoscaler on, AKS owns `count` and only `minCount`/`maxCount` are ours to set; with it off, `count` is.
// (AKS: "System node pools must have at least one node; user node pools can scale to zero",
// https://learn.microsoft.com/azure/aks/use-system-pools and https://learn.microsoft.com/azure/aks/scale-cluster.)
import { ValidationError } from '../errors.js';
import type { ScalingSchedule, ScheduleValue } from './schedule.js';

export interface PoolFacts {
  name: string;
  mode: 'System' | 'User' | string;
  enableAutoScaling: boolean;
  count?: number;
  minCount?: number;
  maxCount?: number;
  provisioningState?: string;
  /** ARM's running orchestrator version vs the requested one: they differ while an upgrade runs. */
  orchestratorVersion?: string;
  currentOrchestratorVersion?: string;
}

export interface ClusterFacts {
  clusterId: string;
  provisioningState?: string;
  powerState?: 'Running' | 'Stopped' | string;
  pools: PoolFacts[];
}

/** Every problem of `schedule` against `cluster`, each naming its field; empty when it fits. */
export function scheduleProblems(schedule: ScalingSchedule, cluster: ClusterFacts): string[] {
  if (schedule.nodePool === undefined) return [];
  const pool = cluster.pools.find((p) => p.name === schedule.nodePool);
  if (!pool)
    return [
      `nodePool: the cluster has no node pool '${schedule.nodePool}' (it has ${cluster.pools.map((p) => p.name).join(', ') || 'none'})`,
    ];
  const problems: string[] = [];
  const values: Array<[string, ScheduleValue]> = [
    ...schedule.rules.map((r, i): [string, ScheduleValue] => [`rules[${i}]`, r]),
    ['otherwise', schedule.otherwise],
  ];
  for (const [field, v] of values) {
    if (pool.enableAutoScaling && 'count' in v)
      problems.push(
        `${field}.count: node pool '${pool.name}' has the cluster autoscaler on; give minCount and maxCount instead`,
      );
    if (!pool.enableAutoScaling && 'minCount' in v)
      problems.push(`${field}.minCount: node pool '${pool.name}' has the cluster autoscaler off; give count instead`);
    if (pool.mode === 'System') {
      if ('count' in v && v.count < 1)
        problems.push(`${field}.count: '${pool.name}' is a System node pool and never goes below 1 node`);
      if ('minCount' in v && v.minCount < 1)
        problems.push(`${field}.minCount: '${pool.name}' is a System node pool and never goes below 1 node`);
    }
  }
  return problems;
}

/** Throws {@link ValidationError} (400) listing every problem of {@link scheduleProblems}. */
export function assertScheduleFitsCluster(schedule: ScalingSchedule, cluster: ClusterFacts): void {
  const problems = scheduleProblems(schedule, cluster);
  if (problems.length > 0) throw new ValidationError(`Invalid schedule: ${problems.join('; ')}`, { problems });
}
