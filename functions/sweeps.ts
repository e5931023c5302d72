// Health sweeps (issue 4): the fleet timer, the per-cluster queue worker and the read API. Thin: parse and
// validate, call shared/sweep, map the outcome to a response.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from '@azure/functions';
import { getConfig, QUEUE_NAMES, QUEUE_MAX_DEQUEUE_COUNT } from '../shared/config/config.js';
import { NotFoundError, ensureErrorType } from '../shared/errors.js';
import { createInvocationLogger, type Logger } from '../shared/observability/logger.js';
import { createQueueClient } from '../shared/storage/storageClients.js';
import { poisonMalformedMessage } from '../shared/storage/poisonQueue.js';
import { parseSweepMessage, scheduleSweeps } from '../shared/sweep/scheduleSweeps.js';
import { sweepOnce } from '../shared/sweep/sweepOnce.js';
import { readLatestSweep, readSweptClusters } from '../shared/sweep/sweepReadModel.js';
import { latestSweepQuerySchema } from '../shared/api/schemas.js';
import { handle, queryOf } from './http.js';
import { appServices } from './compositionRoot.js';

function contextLogger(context: InvocationContext): Logger {
  return createInvocationLogger(context, getConfig().LOG_LEVEL);
}

/** Timer (%SWEEP_SCHEDULE%): discover clusters and enqueue one sweep per cluster. */
export async function sweepTimer(timer: Timer | undefined, context: InvocationContext): Promise<void> {
  const logger = contextLogger(context);
  const config = getConfig();
  // A scheduled run names each cluster's sweep by its period (overlapping runs sweep once); a run started by hand
  // (no schedule status) is a "sweep now" and gets sweeps of its own.
  const manual = !timer?.scheduleStatus;
  const result = await scheduleSweeps(config, createQueueClient(config, QUEUE_NAMES.sweeps), { manual });
  logger.info('sweeps scheduled', {
    clusters: result.enqueued.length,
    subscriptions: result.subscriptions,
    errors: result.errors.length,
  });
  for (const e of result.errors) logger.warn('sweep discovery problem', { error: e });
}

/** Queue trigger on `sweeps`: sweep one cluster. A malformed message goes to sweeps-poison at once (poisonQueue.ts). */
export async function sweepWorker(message: unknown, context: InvocationContext): Promise<void> {
  const logger = contextLogger(context);
  const config = getConfig();
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  let parsed;
  try {
    parsed = parseSweepMessage(typeof message === 'string' ? (JSON.parse(message) as unknown) : message);
  } catch (err) {
    await poisonMalformedMessage(config, QUEUE_NAMES.sweeps, message, err, { logger, dequeueCount });
    return;
  }
  // The queue message id (the same on every delivery of one message); the invocation id where the host gives none.
  const messageId = context.triggerMetadata?.id;
  try {
    const { outcome, result } = await sweepOnce(parsed, {
      config,
      sink: appServices(config).resultsSink(),
      store: await appServices(config).findings(),
      claims: await appServices(config).sweepClaims(),
      owner: typeof messageId === 'string' && messageId ? messageId : context.invocationId,
      logger: logger.child({ sweepId: parsed.sweepId, clusterId: parsed.clusterId }),
    });
    if (outcome !== 'claimed') {
      logger.info('sweep skipped: this period is already swept or being swept', {
        sweepId: parsed.sweepId,
        clusterId: parsed.clusterId,
        outcome,
      });
    } else if (result?.summary.partial) {
      logger.warn('sweep was partial', { sweepId: parsed.sweepId, errors: result.summary.errors });
    }
  } catch (err) {
    const last = dequeueCount >= QUEUE_MAX_DEQUEUE_COUNT;
    logger.error(
      last
        ? 'sweep failed for the last time; the host moves it to the sweeps-poison queue'
        : 'sweep failed; the host will retry it',
      {
        error: ensureErrorType(err),
        dequeueCount,
      },
    );
    throw ensureErrorType(err);
  }
}

/** GET /api/clusters — every swept cluster with its latest score and grade. */
export async function getClusters(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'list clusters', async () => ({
    status: 200,
    jsonBody: { clusters: await readSweptClusters(await appServices().findings()) },
  }));
}

/** GET /api/sweeps/latest?cluster=<AKS resource id>[&severity=][&namespace=][&limit=] — latest summary, open findings. */
export async function getLatestSweep(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'latest sweep', async () => {
    const query = queryOf(request, latestSweepQuerySchema);
    const latest = await readLatestSweep(await appServices().findings(), query);
    if (!latest) throw new NotFoundError(`Cluster ${query.cluster} has not been swept yet`);
    return { status: 200, jsonBody: latest };
  });
}

app.timer('sweepTimer', { schedule: '%SWEEP_SCHEDULE%', handler: sweepTimer });
app.storageQueue('sweepWorker', {
  queueName: QUEUE_NAMES.sweeps,
  connection: 'AzureWebJobsStorage',
  handler: sweepWorker,
});
app.http('getClusters', { route: 'clusters', methods: ['GET'], authLevel: 'function', handler: getClusters });
app.http('getLatestSweep', {
  route: 'sweeps/latest',
  methods: ['GET'],
  authLevel: 'function',
  handler: getLatestSweep,
});
