// The operations behind the scaling API and CLI: store a schedule after checking it against ARM, read and list
// them, and plan a cluster's schedules. Storage failures become RemoteServiceError 503 (a dependency outage the
// caller may retry); ARM's own mapping is in readClusterFacts.
import { NotFoundError, RemoteServiceError, ValidationError, ensureErrorType } from '../errors.js';
import { isManagedClusterId } from '../azure/arm/managedClusterId.js';
import { redactSecrets } from '../observability/logger.js';
import { planSchedule, type SchedulePlan } from './planSchedule.js';
import { parseSchedule, SCHEDULE_NAME } from './schedule.js';
import type { ScheduleStore, StoredSchedule } from './scheduleStore.js';
import { assertScheduleFitsCluster, type ClusterFacts } from './validateAgainstCluster.js';

export interface ScheduleServiceDeps {
  store: ScheduleStore;
  readClusterFacts: (clusterId: string, options: { abortSignal?: AbortSignal }) => Promise<ClusterFacts>;
  now?: () => Date;
  abortSignal?: AbortSignal;
}

async function storage<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new RemoteServiceError(`Schedule storage failed to ${what}: ${redactSecrets(ensureErrorType(err).message)}`, {
      statusCode: 503,
      retryAfterMs: 10_000,
      cause: err,
    });
  }
}

function checkName(name: string): void {
  if (!SCHEDULE_NAME.test(name))
    throw new ValidationError(`Invalid schedule name '${name}'`, {
      problems: ['name: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters'],
    });
}

/** Parses `cluster` of a query string: required, an AKS resource id. */
export function parseClusterQuery(cluster: string | null | undefined, required = true): string | undefined {
  const c = cluster?.trim();
  if (!c) {
    if (required)
      throw new ValidationError('cluster: required (the AKS resource id)', { problems: ['cluster: required'] });
    return undefined;
  }
  if (!isManagedClusterId(c))
    throw new ValidationError(`cluster: not an AKS managed cluster resource id: '${c}'`, {
      problems: ['cluster: must be an AKS managed cluster resource id'],
    });
  return c;
}

/** Validates `body` for schedule `name` (shape, then against the cluster's ARM facts) and stores it. */
export async function saveSchedule(
  name: string,
  body: unknown,
  deps: ScheduleServiceDeps,
): Promise<{ created: boolean; schedule: StoredSchedule }> {
  const schedule = parseSchedule(name, body);
  assertScheduleFitsCluster(
    schedule,
    await deps.readClusterFacts(schedule.clusterId, { abortSignal: deps.abortSignal }),
  );
  return storage('save the schedule', () =>
    deps.store.put(schedule, { now: deps.now?.(), abortSignal: deps.abortSignal }),
  );
}

export async function getSchedule(
  name: string,
  deps: Pick<ScheduleServiceDeps, 'store' | 'abortSignal'>,
): Promise<StoredSchedule> {
  checkName(name);
  const s = await storage('read the schedule', () => deps.store.get(name, { abortSignal: deps.abortSignal }));
  if (!s) throw new NotFoundError(`No scaling schedule named '${name}'`);
  return s;
}

export async function deleteSchedule(
  name: string,
  deps: Pick<ScheduleServiceDeps, 'store' | 'abortSignal'>,
): Promise<void> {
  checkName(name);
  const deleted = await storage('delete the schedule', () =>
    deps.store.delete(name, { abortSignal: deps.abortSignal }),
  );
  if (!deleted) throw new NotFoundError(`No scaling schedule named '${name}'`);
}

export function listSchedules(
  clusterId: string | undefined,
  deps: Pick<ScheduleServiceDeps, 'store' | 'abortSignal'>,
): Promise<StoredSchedule[]> {
  return storage('list schedules', () => deps.store.list({ clusterId, abortSignal: deps.abortSignal }));
}

export interface ClusterPlan {
  clusterId: string;
  at: string;
  provisioningState?: string;
  powerState?: string;
  plans: SchedulePlan[];
}

/** Desired vs current state for every schedule of `clusterId`, with each one's next change time. */
export async function planCluster(clusterId: string, deps: ScheduleServiceDeps): Promise<ClusterPlan> {
  const schedules = await listSchedules(clusterId, deps);
  const at = deps.now?.() ?? new Date();
  const facts = await deps.readClusterFacts(clusterId, { abortSignal: deps.abortSignal });
  return {
    clusterId,
    at: at.toISOString(),
    provisioningState: facts.provisioningState,
    powerState: facts.powerState,
    plans: schedules.map((s) => planSchedule(s, facts, at)),
  };
}
