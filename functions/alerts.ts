// Alert-triggered and on-demand diagnostics (issue 5): the action-group webhook, the alerts queue worker, the read
// API and POST /api/diagnose. Thin: parse and validate, call shared/diagnostics, map the outcome to a response.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getConfig, QUEUE_MAX_DEQUEUE_COUNT, QUEUE_NAMES } from '../shared/config/config.js';
import { poisonMalformedMessage } from '../shared/storage/poisonQueue.js';
import { NotFoundError, ValidationError, ensureErrorType } from '../shared/errors.js';
import { createInvocationLogger, type Logger } from '../shared/observability/logger.js';
import { handle, nextPageLink, queryOf } from './http.js';
import { diagnosesQuerySchema } from '../shared/api/schemas.js';
import { acceptAlert } from '../shared/diagnostics/intake.js';
import { parseAlertQueueMessage, processAlertMessage } from '../shared/diagnostics/alertWorker.js';
import { appServices } from './compositionRoot.js';
import { diagnoseOnDemand } from '../shared/diagnostics/onDemand.js';
import { parseDiagnoseBody } from '../shared/diagnostics/diagnoseRequest.js';
import { diagnosePaste } from '../shared/diagnostics/diagnosePaste.js';

const ENQUEUE_TIMEOUT_MS = 7_000;

function contextLogger(context: InvocationContext): Logger {
  return createInvocationLogger(context, getConfig().LOG_LEVEL);
}

/** POST /api/alerts — Azure Monitor action group webhook (common alert schema). */
export async function alertsWebhook(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'alert webhook', async (logger) => {
    const config = getConfig();
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (Number.isFinite(declared) && declared > config.ALERT_MAX_BYTES) {
      throw new ValidationError(`Alert payload is ${declared} bytes; the limit is ${config.ALERT_MAX_BYTES} bytes`, {
        problems: ['payload too large'],
        tooLarge: true,
      });
    }
    let body: Uint8Array;
    try {
      body = new Uint8Array(await request.arrayBuffer());
    } catch (err) {
      throw new ValidationError(`Could not read the request body: ${ensureErrorType(err).message}`);
    }
    // Validation problems are 400/413 (the sender's); anything else after a valid payload is ours (500) or a
    // dependency's (503), and Azure's action group retries both.
    const accepted = await acceptAlert(body, request.headers.get('content-type'), {
      queue: appServices(config).diagnostics().queue,
      maxBytes: config.ALERT_MAX_BYTES,
      // Action groups wait 10 s for a webhook; answer 503 in time rather than be cut off.
      abortSignal: AbortSignal.timeout(ENQUEUE_TIMEOUT_MS),
    });
    logger.info('alert accepted', {
      id: accepted.id,
      alertId: accepted.alertId,
      condition: accepted.monitorCondition,
      compacted: accepted.compacted,
    });
    return { status: 202, jsonBody: { id: accepted.id } };
  });
}

/** Queue trigger on `alerts`: one diagnosis per alert id, exactly once. A malformed message goes to alerts-poison at
 * once (poisonQueue.ts); a failure while processing is rethrown, so the host retries and finally poisons it. */
export async function alertsWorker(message: unknown, context: InvocationContext): Promise<void> {
  const logger = contextLogger(context);
  const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
  let parsed;
  try {
    parsed = parseAlertQueueMessage(message);
  } catch (err) {
    await poisonMalformedMessage(getConfig(), QUEUE_NAMES.alerts, message, err, { logger, dequeueCount });
    return;
  }
  try {
    const outcome = await processAlertMessage(parsed, appServices().diagnostics().workerDeps(logger), {
      dequeueCount,
      maxDequeueCount: QUEUE_MAX_DEQUEUE_COUNT,
    });
    logger.info('alert processed', { action: outcome.action });
  } catch (err) {
    const e = ensureErrorType(err);
    const last = dequeueCount >= QUEUE_MAX_DEQUEUE_COUNT;
    logger.error(
      last
        ? 'alert failed for the last time; the host moves it to the alerts-poison queue'
        : 'alert failed; the host will retry it',
      { error: e, dequeueCount },
    );
    throw e;
  }
}

/** GET /api/diagnoses/{id} */
export async function getDiagnosis(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'get diagnosis', async () => {
    const id = request.params.id ?? '';
    const diagnosis = await appServices().diagnostics().store.getDiagnosis(id);
    if (!diagnosis)
      throw new NotFoundError(
        `Diagnosis ${id} not found (alert diagnoses appear once the worker has processed the alert)`,
      );
    return { status: 200, jsonBody: diagnosis };
  });
}

/** GET /api/diagnoses?cluster=&since=&pageSize=&continuationToken= */
export async function listDiagnoses(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'list diagnoses', async () => {
    const { cluster, since, pageSize, continuationToken } = queryOf(request, diagnosesQuerySchema);
    const page = await appServices()
      .diagnostics()
      .store.listDiagnoses({ clusterId: cluster, since, pageSize, continuationToken });
    const nextLink = page.continuationToken
      ? nextPageLink(request.url, 'continuationToken', page.continuationToken)
      : undefined;
    return { status: 200, jsonBody: { items: page.items, continuationToken: page.continuationToken, nextLink } };
  });
}

/** POST /api/diagnose {namespace, service_name | pod_name | node_name, include_logs?, cluster?}, or a paste
 * (`text/plain` body or {"paste": "..."}) diagnosed offline like `aks-aiops diagnose --file`. */
export async function diagnoseNow(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return handle(context, 'diagnose', async () => {
    const maxBytes = getConfig().DIAGNOSE_PASTE_MAX_BYTES;
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (Number.isFinite(declared) && declared > maxBytes)
      throw new ValidationError(`Request body is ${declared} bytes; the limit is ${maxBytes} bytes`, {
        tooLarge: true,
        problems: ['payload too large'],
      });
    const parsed = parseDiagnoseBody(
      new Uint8Array(await request.arrayBuffer()),
      request.headers.get('content-type'),
      maxBytes,
    );
    if (parsed.kind === 'paste') return { status: 200, jsonBody: diagnosePaste(parsed.text) };
    const req = parsed.request;
    const runtime = appServices().diagnostics();
    const diagnosis = await diagnoseOnDemand(
      req,
      { ...runtime.live, defaultClusterId: runtime.config.DIAGNOSE_DEFAULT_CLUSTER_ID },
      { abortSignal: AbortSignal.timeout(60_000) },
    );
    return { status: 200, jsonBody: diagnosis };
  });
}

app.http('alertsWebhook', { route: 'alerts', methods: ['POST'], authLevel: 'function', handler: alertsWebhook });
app.storageQueue('alertsWorker', { queueName: 'alerts', connection: 'AzureWebJobsStorage', handler: alertsWorker });
app.http('getDiagnosis', { route: 'diagnoses/{id}', methods: ['GET'], authLevel: 'function', handler: getDiagnosis });
app.http('listDiagnoses', { route: 'diagnoses', methods: ['GET'], authLevel: 'function', handler: listDiagnoses });
app.http('diagnoseNow', { route: 'diagnose', methods: ['POST'], authLevel: 'function', handler: diagnoseNow });
