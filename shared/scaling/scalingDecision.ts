// One scaling decision as it goes on the record (AksAiopsScaling_CL), and the node-hours estimate it carries.
import type { ResultRow } from '../results/resultsSink.js';
import type { SchedulePlan } from './planSchedule.js';
import type { ClusterFacts } from './validateAgainstCluster.js';

export type DecisionOutcome = 'applied' | 'planned' | 'unchanged' | 'skipped' | 'failed';

export interface ScalingDecision {
  runId: string;
  at: string;
  clusterName: string;
  plan: SchedulePlan;
  /** The mode in effect: the schedule's, or `plan` when scaling is not enabled for the app. */
  mode: 'apply' | 'plan';
  outcome: DecisionOutcome;
  reason: string;
  nodeHoursSaved: number;
  error?: string;
  durationMs: number;
}

/** Without a next change the estimate covers a week: a weekly schedule repeats after that. */
const HORIZON_HOURS = 7 * 24;

/**
 * Node-hours saved until the desired value next changes (negative when the change adds nodes). A count change
 * saves its difference; an autoscaler change by the count it forces (bounds moved past the count), else by its
 * floor (minCount), the nodes the pool cannot go below; stopping a cluster saves every node of every pool (start adds them back).
 */
export function estimateNodeHoursSaved(plan: SchedulePlan, cluster: ClusterFacts, now: Date): number {
  const until = plan.nextChange ? Date.parse(plan.nextChange.at) : now.getTime() + HORIZON_HOURS * 3_600_000;
  const hours = Math.max(0, (until - now.getTime()) / 3_600_000);
  const a = plan.action;
  const allNodes = cluster.pools.reduce((sum, p) => sum + (p.count ?? 0), 0);
  let nodes = 0;
  if (a.kind === 'scale') nodes = (a.from ?? a.to) - a.to;
  else if (a.kind === 'setBounds')
    nodes =
      a.fromCount !== undefined && a.toCount !== undefined && a.toCount !== a.fromCount
        ? a.fromCount - a.toCount
        : (a.from.minCount ?? a.to.minCount) - a.to.minCount;
  else if (a.kind === 'stop') nodes = allNodes;
  else if (a.kind === 'start') nodes = -cluster.pools.reduce((sum, p) => sum + (p.minCount ?? p.count ?? 0), 0);
  return Math.round(nodes * hours * 100) / 100;
}

export function toScalingRow(d: ScalingDecision): ResultRow {
  const p = d.plan;
  return {
    RecordId: `${d.runId}/${p.schedule}`,
    TimeGenerated: d.at,
    RunId: d.runId,
    ClusterId: p.clusterId,
    ClusterName: d.clusterName,
    Schedule: p.schedule,
    NodePool: p.nodePool ?? '',
    Mode: d.mode,
    Decision: d.outcome,
    Action: p.action.kind === 'skip' ? 'none' : p.action.kind,
    Reason: d.reason,
    Desired: p.desired,
    Current: p.current ?? {},
    NextChangeAt: p.nextChange?.at ?? null,
    NodeHoursSaved: d.nodeHoursSaved,
    Error: d.error ?? '',
    DurationMs: Math.round(d.durationMs),
  };
}
