// Liveness plus the dependencies that matter: storage queues and tables. A failed check names itself.
import { getConfig, QUEUE_NAMES, TABLE_NAMES, type AppConfig } from '../config/config.js';
import { createQueueClient, createTableClient } from '../storage/storageClients.js';
import { ensureErrorType } from '../errors.js';
import { APP_VERSION, SERVICE_NAME } from '../version.js';
import { redactSecrets } from '../observability/logger.js';
import { OUTBOUND_TIMEOUT_MS, withTimeout } from '../outbound/timeouts.js';

export interface HealthCheck {
  status: 'pass' | 'fail';
  durationMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'healthy' | 'degraded';
  service: string;
  version: string;
  timestamp: string;
  checks: Record<string, HealthCheck>;
}

/**
 * Runs one check under the shared timeout policy: it ends after OUTBOUND_TIMEOUT_MS.health even when the storage
 * client ignores the signal, so /api/health answers within about 5 s when storage hangs, naming the check.
 */
async function timed(
  name: string,
  callerSignal: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<unknown>,
): Promise<HealthCheck> {
  const start = performance.now();
  try {
    await withTimeout(name, OUTBOUND_TIMEOUT_MS.health, callerSignal, fn);
    return { status: 'pass', durationMs: Math.round(performance.now() - start) };
  } catch (err) {
    return {
      status: 'fail',
      durationMs: Math.round(performance.now() - start),
      error: redactSecrets(ensureErrorType(err).message.split('\n')[0] ?? ''),
    };
  }
}

export async function checkHealth(
  options: { config?: AppConfig; abortSignal?: AbortSignal } = {},
): Promise<HealthReport> {
  const config = options.config ?? getConfig();
  const [queues, tables] = await Promise.all([
    timed('storageQueues', options.abortSignal, (signal) =>
      createQueueClient(config, QUEUE_NAMES.alerts)
        .getProperties({ abortSignal: signal })
        .catch(async (err: unknown) => {
          // A queue that does not exist yet still proves the service answers.
          if ((err as { statusCode?: number }).statusCode === 404) return;
          throw err;
        }),
    ),
    timed('storageTables', options.abortSignal, async (signal) => {
      const iter = createTableClient(config, TABLE_NAMES.incidents)
        .listEntities({ queryOptions: { select: ['PartitionKey'] }, abortSignal: signal })
        .byPage({ maxPageSize: 1 });
      try {
        await iter.next();
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) return;
        throw err;
      }
    }),
  ]);
  const checks = { storageQueues: queues, storageTables: tables };
  const healthy = Object.values(checks).every((c) => c.status === 'pass');
  return {
    status: healthy ? 'healthy' : 'degraded',
    service: SERVICE_NAME,
    version: APP_VERSION,
    timestamp: new Date().toISOString(),
    checks,
  };
}
