// Timer that re-uploads Log Analytics chunks spooled after failed uploads (shared/results/ingestionSpool.ts).
// Schedule: INGESTION_RETRY_SCHEDULE (default every 5 minutes). Does nothing unless RESULTS_SINK=loganalytics.
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { getConfig } from '../shared/config/config.js';
import { retrySpooledResults } from '../shared/results/createResultsSink.js';
import { createInvocationLogger } from '../shared/observability/logger.js';

/** Leaves a margin inside the function timeout (host.json functionTimeout: 10 minutes). */
const RUN_BUDGET_MS = 8 * 60 * 1000;

export async function ingestionSpoolRetry(_timer: Timer, context: InvocationContext): Promise<void> {
  const config = getConfig();
  const logger = createInvocationLogger(context, config.LOG_LEVEL);
  const report = await retrySpooledResults(config, { logger, abortSignal: AbortSignal.timeout(RUN_BUDGET_MS) });
  logger.info('Ingestion spool retry finished', { ...report });
}

app.timer('ingestionSpoolRetry', {
  schedule: '%INGESTION_RETRY_SCHEDULE%',
  runOnStartup: false,
  handler: ingestionSpoolRetry,
});
