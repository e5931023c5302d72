// Scheduled scaling (issue 18): the schedules API and the plan. Thin: parse the request, call shared/scaling, map
// the outcome; errors answer in the one envelope of functions/http.ts (a missing ARM role is a 500 naming it).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from '@azure/functions';
import { getConfig } from '../shared/config/config.js';
import { RemoteServiceError, ValidationError, ensureErrorType } from '../shared/errors.js';
import { createInvocationLogger, redactSecrets, type Logger } from '../shared/observability/logger.js';
import { readClusterFacts } from '../shared/scaling/readClusterFacts.js';
import {
  deleteSchedule,
  getSchedule,
  listSchedules,
  planCluster,
  saveSchedule,
  type ScheduleServiceDeps,
} from '../shared/scaling/scheduleService.js';
import type { ScheduleStore } from '../shared/scaling/scheduleStore.js';
import { appServices } from './compositionRoot.js';
import { handle, queryOf } from './http.js';
import { scalingListQuerySchema, scalingPlanQuerySchema } from '../shared/api/schemas.js';
import { runScaling, SCALING_DISABLED_REASON } from '../shared/scaling/runScaling.js';
import { applyScalingAction, readPoolDisruptionFacts } from '../shared/scaling/clusterWrites.js';
import { createContainerServiceClient } from '../shared/azure/arm/armClients.js';
import { parseManagedClusterId } from '../shared/azure/arm/managedClusterId.js';
import { getKubeConfigForCluster } from '../shared/kube/clusterKubeConfig.js';

/** Request budget: ARM reads have their own timeout; this bounds the whole request. */
const REQUEST_TIMEOUT_MS = 60_000;

function contextLogger(context: InvocationContext): Logger {
  return createInvocationLogger(context, getConfig().LOG_LEVEL);
}

async function deps(): Promise<ScheduleServiceDeps> {
  const config = getConfig();
  let store: ScheduleStore;
  try {
    store = await appServices(config).schedules();
  } catch (err) {
    throw new RemoteServiceError(`Schedule storage is unavailable: ${redactSecrets(ensureErrorType(err).message)}`, {
      statusCode: 503,
      retryAfterMs: 10_000,
      cause: err,
    });
  }
  return {
    store,
    readClusterFacts: (clusterId, options) => readClusterFacts(clusterId, { config, ...options }),
    abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  };
}

async function jsonBody(request: HttpRequest): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ValidationError('body: not valid JSON', {
      problems: [`body: not valid JSON (${ensureErrorType(err).message})`],
    });
  }
}

/** PUT /api/scaling/schedules/{name} — create (201) or replace (200) a schedule, checked against ARM. */
export function putSchedule(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'scaling', async (logger) => {
    const { created, schedule } = await saveSchedule(request.params.name ?? '', await jsonBody(request), await deps());
    logger.info(created ? 'scaling schedule created' : 'scaling schedule replaced', {
      schedule: schedule.name,
      clusterId: schedule.clusterId,
      mode: schedule.mode,
    });
    return { status: created ? 201 : 200, jsonBody: schedule };
  });
}

/** GET /api/scaling/schedules/{name} */
export function getScheduleByName(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'scaling', async () => ({
    status: 200,
    jsonBody: await getSchedule(request.params.name ?? '', await deps()),
  }));
}

/** DELETE /api/scaling/schedules/{name} — 204, or 404 when there is no such schedule. */
export function deleteScheduleByName(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'scaling', async () => {
    await deleteSchedule(request.params.name ?? '', await deps());
    return { status: 204 };
  });
}

/** GET /api/scaling/schedules[?cluster=<AKS resource id>] */
export function getSchedules(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'scaling', async () => {
    const { cluster } = queryOf(request, scalingListQuerySchema);
    return { status: 200, jsonBody: { schedules: await listSchedules(cluster, await deps()) } };
  });
}

/** GET /api/scaling/plan?cluster=<AKS resource id> — desired vs current per schedule, and the next change time. */
export function getScalingPlan(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'scaling', async () => {
    const { cluster } = queryOf(request, scalingPlanQuerySchema);
    return { status: 200, jsonBody: await planCluster(cluster, await deps()) };
  });
}

/** Timer (%SCALING_SCHEDULE%): apply (or plan) every schedule and record each decision. */
export async function scalingTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const logger = contextLogger(context);
  const config = getConfig();
  if (!config.SCALING_ENABLED) logger.warn(`scaling timer in plan mode: ${SCALING_DISABLED_REASON}`);
  const result = await runScaling({
    store: await appServices(config).schedules(),
    sink: appServices(config).resultsSink(),
    scalingEnabled: config.SCALING_ENABLED,
    operationTimeoutMs: config.SCALING_OPERATION_TIMEOUT_SECONDS * 1000,
    readClusterFacts: (clusterId, options) => readClusterFacts(clusterId, { config, ...options }),
    readPoolDisruptionFacts: async (clusterId, pool, options) =>
      readPoolDisruptionFacts(await getKubeConfigForCluster(clusterId, { config, ...options }), pool, {
        ...options,
        requestTimeoutMs: config.SCALING_ARM_TIMEOUT_SECONDS * 1000,
      }),
    applyAction: (clusterId, nodePool, action, options) =>
      applyScalingAction(
        createContainerServiceClient(config, parseManagedClusterId(clusterId).subscriptionId),
        clusterId,
        nodePool,
        action,
        options,
      ),
    logger,
  });
  const count = (o: string) => result.decisions.filter((d) => d.outcome === o).length;
  logger.info('scaling run finished', {
    runId: result.runId,
    schedules: result.decisions.length,
    applied: count('applied'),
    planned: count('planned'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    failed: count('failed'),
  });
}

app.timer('scalingTimer', { schedule: '%SCALING_SCHEDULE%', handler: scalingTimer });
app.http('putScalingSchedule', {
  route: 'scaling/schedules/{name}',
  methods: ['PUT'],
  authLevel: 'function',
  handler: putSchedule,
});
app.http('getScalingSchedule', {
  route: 'scaling/schedules/{name}',
  methods: ['GET'],
  authLevel: 'function',
  handler: getScheduleByName,
});
app.http('deleteScalingSchedule', {
  route: 'scaling/schedules/{name}',
  methods: ['DELETE'],
  authLevel: 'function',
  handler: deleteScheduleByName,
});
app.http('listScalingSchedules', {
  route: 'scaling/schedules',
  methods: ['GET'],
  authLevel: 'function',
  handler: getSchedules,
});
app.http('getScalingPlan', { route: 'scaling/plan', methods: ['GET'], authLevel: 'function', handler: getScalingPlan });
