// GET /api/scaling/recommendations?cluster=<AKS resource id> (issue 18, item 4): a learned schedule per user pool
// and KRR-style requests per workload, from the cluster's own Container insights history. Thin: parse the query,
// call shared/scaling/recommendations, map errors (400 naming the field, 503 + Retry-After for ARM or Log Analytics).
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getConfig } from '../shared/config/config.js';
import { RemoteServiceError, ValidationError, ensureErrorType } from '../shared/errors.js';
import { createInvocationLogger, redactSecrets } from '../shared/observability/logger.js';
import { readClusterFacts } from '../shared/scaling/readClusterFacts.js';
import {
  createUsageHistoryReader,
  parseRecommendationsQuery,
  recommendScaling,
} from '../shared/scaling/recommendations.js';

/** Weeks of Perf are the slowest query the app sends: a longer budget than the schedules API. */
const REQUEST_TIMEOUT_MS = 120_000;

export async function getScalingRecommendations(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const config = getConfig();
  const logger = createInvocationLogger(context, config.LOG_LEVEL);
  try {
    const { cluster, options } = parseRecommendationsQuery({
      cluster: request.query.get('cluster') ?? undefined,
      timeZone: request.query.get('timeZone') ?? undefined,
      days: request.query.get('days') ?? undefined,
      targetUtilization: request.query.get('targetUtilization') ?? undefined,
    });
    const result = await recommendScaling(
      cluster,
      {
        readClusterFacts: (clusterId, o) => readClusterFacts(clusterId, { config, ...o }),
        readUsageHistory: createUsageHistoryReader(config),
        abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      },
      options,
    );
    return { status: 200, jsonBody: result };
  } catch (err) {
    if (err instanceof ValidationError)
      return { status: err.statusCode, jsonBody: { error: err.message, problems: err.problems } };
    if (err instanceof RemoteServiceError) {
      logger.warn('scaling recommendations failed on a dependency', { error: ensureErrorType(err) });
      return {
        status: 503,
        headers: { 'Retry-After': String(Math.ceil((err.retryAfterMs ?? 10_000) / 1000)) },
        jsonBody: { error: redactSecrets(err.message) },
      };
    }
    logger.error('scaling recommendations failed', { error: ensureErrorType(err) });
    return { status: 500, jsonBody: { error: redactSecrets(ensureErrorType(err).message) } };
  }
}

app.http('getScalingRecommendations', {
  route: 'scaling/recommendations',
  methods: ['GET'],
  authLevel: 'function',
  handler: getScalingRecommendations,
});
