// GET /api/scaling/recommendations?cluster=<AKS resource id> (issue 18, item 4): a learned schedule per user pool
// and KRR-style requests per workload, from the cluster's own Container insights history. Thin: parse the query,
// call shared/scaling/recommendations; errors go through the one envelope (functions/http.ts): 400 naming the field,
// 503 + Retry-After when ARM or Log Analytics is unavailable.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getConfig } from '../shared/config/config.js';
import { readClusterFacts } from '../shared/scaling/readClusterFacts.js';
import {
  createUsageHistoryReader,
  recommendationsQuerySchema,
  recommendScaling,
} from '../shared/scaling/recommendations.js';
import { handle, queryOf } from './http.js';

/** Weeks of Perf are the slowest query the app sends: a longer budget than the schedules API. */
const REQUEST_TIMEOUT_MS = 120_000;

export async function getScalingRecommendations(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  return handle(context, 'scaling recommendations', async () => {
    const config = getConfig();
    const { cluster, ...options } = queryOf(request, recommendationsQuerySchema);
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
  });
}

app.http('getScalingRecommendations', {
  route: 'scaling/recommendations',
  methods: ['GET'],
  authLevel: 'function',
  handler: getScalingRecommendations,
});
