// One run of the scaling timer: every stored schedule, grouped by cluster, compared with ARM and — where it differs,
// the schedule is in apply mode and scaling is enabled — changed through ARM's long-running operations, one at a
// time, waiting for each. Every schedule yields one decision on the record (AksAiopsScaling_CL): applied, planned,
// unchanged, skipped (and why) or failed (with the ARM error). A failure of one cluster never stops the others.
import { clusterNameFromId } from '../kube/vocabulary/armId.js';
import { ensureErrorType } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { redactSecrets } from '../observability/logger.js';
import type { ResultsSink } from '../results/resultsSink.js';
import type { PoolDisruptionFacts, WriteAction } from './clusterWrites.js';
import { evaluateSchedule } from './evaluateSchedule.js';
import { pdbScaleInRefusals } from './pdbGuard.js';
import { planSchedule, type SchedulePlan } from './planSchedule.js';
import { estimateNodeHoursSaved, toScalingRow, type DecisionOutcome, type ScalingDecision } from './scalingDecision.js';
import type { ScheduleStore, StoredSchedule } from './scheduleStore.js';
import type { ClusterFacts } from './validateAgainstCluster.js';

export const SCALING_DISABLED_REASON =
  'scaling is not enabled for this deployment (SCALING_ENABLED=false: deploy with enableScaling=true to grant the scaling role), so this is planned only';

export interface ScalingRunDeps {
  store: ScheduleStore;
  sink: ResultsSink;
  /** SCALING_ENABLED: without it every schedule runs in plan mode. */
  scalingEnabled: boolean;
  readClusterFacts(clusterId: string, options: { abortSignal?: AbortSignal }): Promise<ClusterFacts>;
  readPoolDisruptionFacts(
    clusterId: string,
    pool: string,
    options: { abortSignal?: AbortSignal },
  ): Promise<PoolDisruptionFacts>;
  applyAction(
    clusterId: string,
    nodePool: string | undefined,
    action: WriteAction,
    options: { abortSignal: AbortSignal },
  ): Promise<void>;
  /** Longest wait for one ARM long-running operation. */
  operationTimeoutMs: number;
  now?: () => Date;
  runId?: string;
  abortSignal?: AbortSignal;
  logger?: Logger;
}

export interface ScalingRunResult {
  runId: string;
  decisions: ScalingDecision[];
}

export function newScalingRunId(now: Date): string {
  return `scale-${now.toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15)}`;
}

/** An ARM error as one line: its code and message (RestError carries `code`), without secrets. */
function armErrorText(err: unknown): string {
  const e = ensureErrorType(err);
  const code = (err as { code?: unknown }).code;
  const prefix = typeof code === 'string' && !e.message.startsWith(code) ? `${code}: ` : '';
  return redactSecrets(`${prefix}${e.message}`).slice(0, 2000);
}

export async function runScaling(deps: ScalingRunDeps): Promise<ScalingRunResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const runId = deps.runId ?? newScalingRunId(started);
  const decisions: ScalingDecision[] = [];
  const schedules = await deps.store.list({ abortSignal: deps.abortSignal });
  const byCluster = new Map<string, StoredSchedule[]>();
  for (const s of schedules) {
    const key = s.clusterId.toLowerCase();
    byCluster.set(key, [...(byCluster.get(key) ?? []), s]);
  }
  for (const [, list] of [...byCluster.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // Power first: a cluster being started must be running before its pools can be scaled, and pools of a
    // cluster just stopped are then skipped for a reason anyone can read.
    const ordered = [...list].sort(
      (a, b) => Number(a.nodePool !== undefined) - Number(b.nodePool !== undefined) || a.name.localeCompare(b.name),
    );
    await runCluster(ordered, { ...deps, now }, runId, decisions);
  }
  if (decisions.length > 0) {
    try {
      await deps.sink.upload('AksAiopsScaling_CL', decisions.map(toScalingRow), { abortSignal: deps.abortSignal });
    } catch (err) {
      deps.logger?.error('recording scaling decisions failed', { runId, error: ensureErrorType(err) });
    }
  }
  return { runId, decisions };
}

async function runCluster(
  schedules: StoredSchedule[],
  deps: ScalingRunDeps & { now: () => Date },
  runId: string,
  decisions: ScalingDecision[],
): Promise<void> {
  const clusterId = schedules[0]?.clusterId ?? '';
  const clusterName = clusterNameFromId(clusterId);
  let facts: ClusterFacts | undefined;
  let readError: string | undefined;
  const refresh = async () => {
    try {
      facts = await deps.readClusterFacts(clusterId, { abortSignal: deps.abortSignal });
      readError = undefined;
    } catch (err) {
      facts = undefined;
      readError = armErrorText(err);
    }
  };
  await refresh();
  for (const schedule of schedules) {
    const t0 = Date.now();
    const at = deps.now();
    const record = (
      plan: SchedulePlan,
      outcome: DecisionOutcome,
      reason: string,
      extra: { error?: string; mode?: 'apply' | 'plan' } = {},
    ) => {
      const saved =
        (outcome === 'applied' || outcome === 'planned') && facts ? estimateNodeHoursSaved(plan, facts, at) : 0;
      const d: ScalingDecision = {
        runId,
        at: at.toISOString(),
        clusterName,
        plan,
        mode: extra.mode ?? (deps.scalingEnabled ? schedule.mode : 'plan'),
        outcome,
        reason,
        nodeHoursSaved: saved,
        durationMs: Date.now() - t0,
      };
      if (extra.error !== undefined) d.error = extra.error;
      decisions.push(d);
      deps.logger?.info(`scaling ${outcome}: ${schedule.name}: ${reason}`, {
        runId,
        clusterId,
        schedule: schedule.name,
      });
    };
    if (!facts) {
      const plan = unreadablePlan(schedule, readError ?? 'unknown error', at);
      record(plan, 'failed', `could not read the cluster from ARM`, { error: readError });
      continue;
    }
    const plan = planSchedule(schedule, facts, at);
    const action = plan.action;
    if (action.kind === 'none') {
      record(plan, 'unchanged', plan.summary);
      continue;
    }
    if (action.kind === 'skip') {
      record(plan, 'skipped', action.reason);
      continue;
    }
    if (!deps.scalingEnabled) {
      record(plan, 'planned', `${plan.summary}; ${SCALING_DISABLED_REASON}`, { mode: 'plan' });
      continue;
    }
    if (schedule.mode === 'plan') {
      record(plan, 'planned', `${plan.summary}; the schedule is in plan mode`);
      continue;
    }
    const removeNodes =
      action.kind === 'scale'
        ? (action.from ?? action.to) - action.to
        : action.kind === 'setBounds'
          ? (action.fromCount ?? 0) - (action.toCount ?? action.fromCount ?? 0)
          : 0;
    if (removeNodes > 0) {
      const refusal = await pdbRefusal(schedule, removeNodes, deps);
      if (refusal !== undefined) {
        record(plan, 'skipped', `scale-in refused: ${refusal}`);
        continue;
      }
    }
    const timeout = AbortSignal.timeout(deps.operationTimeoutMs);
    const abortSignal = deps.abortSignal ? AbortSignal.any([deps.abortSignal, timeout]) : timeout;
    try {
      await deps.applyAction(clusterId, schedule.nodePool, action, { abortSignal });
      record(plan, 'applied', plan.summary);
    } catch (err) {
      const error = timeout.aborted
        ? `the ARM operation did not finish within ${Math.round(deps.operationTimeoutMs / 1000)} s (${armErrorText(err)})`
        : armErrorText(err);
      record(plan, 'failed', `${plan.summary}: ARM operation failed`, { error });
    }
    // What changed (or half-changed) is ARM's to tell: read it again before the next schedule of this cluster.
    await refresh();
  }
}

async function pdbRefusal(
  schedule: StoredSchedule,
  removeNodes: number,
  deps: ScalingRunDeps,
): Promise<string | undefined> {
  let facts: PoolDisruptionFacts;
  try {
    facts = await deps.readPoolDisruptionFacts(schedule.clusterId, schedule.nodePool ?? '', {
      abortSignal: deps.abortSignal,
    });
  } catch (err) {
    // Unsure is no: a scale-in we cannot check is not made.
    return `could not read PodDisruptionBudgets and pods from the Kubernetes API (${armErrorText(err)})`;
  }
  const refusals = pdbScaleInRefusals({ ...facts, removeNodes });
  return refusals.length > 0 ? refusals.map((r) => r.message).join('; ') : undefined;
}

function unreadablePlan(schedule: StoredSchedule, error: string, at: Date): SchedulePlan {
  const state = evaluateSchedule(schedule, at);
  const plan: SchedulePlan = {
    schedule: schedule.name,
    clusterId: schedule.clusterId,
    mode: schedule.mode,
    desired: state.value,
    because: state.because,
    action: { kind: 'skip', reason: error },
    summary: `cluster could not be read: ${error}`,
  };
  if (schedule.nodePool !== undefined) plan.nodePool = schedule.nodePool;
  if (state.nextChange) plan.nextChange = state.nextChange;
  return plan;
}
