// RESULTS_SINK=loganalytics: rows go to the custom tables through the Logs Ingestion API (@azure/monitor-ingestion)
// as the app's managed identity. Fields are fitted to 64 KB, calls to 1 MB; throttling (429 + Retry-After) is
// waited out in the client when short, and any chunk that still fails is spooled durably and retried by the
// ingestion timer (functions/ingestion.ts). Nothing is dropped: a failure to spool is thrown to the caller.
import { LogsIngestionClient, isAggregateLogsUploadError } from '@azure/monitor-ingestion';
import type { PipelinePolicy, PipelineResponse } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config/config.js';
import { getManagedIdentityCredential } from '../azure/credential.js';
import { ConfigError, RemoteServiceError, ensureErrorType } from '../errors.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { chunkRows, fitRow } from './fitRow.js';
import { IngestionSpool, type ChunkFailure, type DrainReport } from './ingestionSpool.js';
import type { ResultRow, ResultTable, ResultsSink, UploadOptions, UploadOutcome } from './resultsSink.js';
import { streamNameOf } from './tableSchemas.js';

export interface LogAnalyticsSinkOptions {
  /** Default: the app's managed identity (getManagedIdentityCredential). */
  credential?: TokenCredential;
  /** Default: the `ingestion-spool` queue and blob container of the app's storage. */
  spool?: IngestionSpool;
  /** Chunks uploaded at once. */
  concurrency?: number;
  /** The client's own retries of 5xx and short 429s before a chunk counts as failed. */
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number };
  /** A Retry-After longer than this is not waited for in the call: the chunk is spooled to be retried after it. */
  maxInlineRetryAfterMs?: number;
  logger?: Logger;
}

const RETRY_AFTER_HEADERS: Array<[string, number]> = [
  ['retry-after-ms', 1],
  ['x-ms-retry-after-ms', 1],
  ['retry-after', 1000],
];

function retryAfterMsOf(response: Pick<PipelineResponse, 'headers'> | undefined): number | undefined {
  if (!response) return undefined;
  for (const [name, factor] of RETRY_AFTER_HEADERS) {
    const value = response.headers.get(name);
    if (value === undefined) continue;
    const n = Number(value);
    if (Number.isFinite(n)) return n * factor;
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

/** Stops the client from sleeping through a long Retry-After: the chunk is spooled and retried after it instead. */
function retryAfterCapPolicy(maxInlineMs: number): PipelinePolicy {
  return {
    name: 'aksAiopsRetryAfterCap',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status === 429 || response.status === 503) {
        const retryAfterMs = retryAfterMsOf(response);
        if (retryAfterMs !== undefined && retryAfterMs > maxInlineMs) {
          // Not a RestError, so the retry policy passes it straight up instead of waiting.
          throw new RemoteServiceError(
            `Logs Ingestion answered ${response.status} with Retry-After ${Math.round(retryAfterMs / 1000)} s`,
            {
              statusCode: response.status,
              retryAfterMs,
            },
          );
        }
      }
      return response;
    },
  };
}

function describeFailure(err: unknown): ChunkFailure {
  let cause = ensureErrorType(err);
  if (isAggregateLogsUploadError(cause) && cause.errors[0]) cause = cause.errors[0].cause;
  if (cause instanceof RemoteServiceError)
    return { message: cause.message, statusCode: cause.statusCode, retryAfterMs: cause.retryAfterMs };
  const rest = cause as Error & { statusCode?: number; response?: PipelineResponse };
  return {
    message: `${cause.name}: ${cause.message}`.slice(0, 500),
    statusCode: typeof rest.statusCode === 'number' ? rest.statusCode : undefined,
    retryAfterMs: retryAfterMsOf(rest.response),
  };
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export class LogAnalyticsResultsSink implements ResultsSink {
  readonly client: LogsIngestionClient;
  private readonly dcrImmutableId: string;
  private readonly spool: IngestionSpool;
  private readonly concurrency: number;
  private readonly logger: Logger;

  constructor(
    config: Pick<AppConfig, 'LOGS_INGESTION_ENDPOINT' | 'LOGS_DCR_IMMUTABLE_ID' | 'AZURE_CLIENT_ID' | 'storage'>,
    options: LogAnalyticsSinkOptions = {},
  ) {
    if (!config.LOGS_INGESTION_ENDPOINT || !config.LOGS_DCR_IMMUTABLE_ID) {
      throw new ConfigError('RESULTS_SINK=loganalytics needs LOGS_INGESTION_ENDPOINT and LOGS_DCR_IMMUTABLE_ID', {
        settings: ['LOGS_INGESTION_ENDPOINT', 'LOGS_DCR_IMMUTABLE_ID'],
      });
    }
    this.dcrImmutableId = config.LOGS_DCR_IMMUTABLE_ID;
    this.client = new LogsIngestionClient(
      config.LOGS_INGESTION_ENDPOINT,
      options.credential ?? getManagedIdentityCredential(config),
      {
        retryOptions: { maxRetries: 3, retryDelayInMs: 1000, maxRetryDelayInMs: 30_000, ...options.retry },
      },
    );
    this.client.pipeline.addPolicy(retryAfterCapPolicy(options.maxInlineRetryAfterMs ?? 10_000), {
      afterPhase: 'Retry',
    });
    this.spool = options.spool ?? IngestionSpool.fromConfig(config);
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.logger = options.logger ?? createLogger({ fields: { component: 'results.loganalytics' } });
  }

  /** One upload call; resolves with the failure instead of throwing so callers can spool or re-spool it. */
  async sendChunk(table: ResultTable, rows: ResultRow[], abortSignal?: AbortSignal): Promise<ChunkFailure | undefined> {
    try {
      // Rows arrive already fitted and chunked below 1 MB, so the client sends them as exactly one call.
      await this.client.upload(this.dcrImmutableId, streamNameOf(table), rows, { abortSignal, maxConcurrency: 1 });
      return undefined;
    } catch (err) {
      return describeFailure(err);
    }
  }

  async upload(table: ResultTable, rows: ResultRow[], options: UploadOptions = {}): Promise<UploadOutcome> {
    if (rows.length === 0) return { uploaded: 0, spooled: 0, calls: 0, truncatedRows: 0 };
    const fitted = rows.map((r) => fitRow(r));
    const chunks = chunkRows(fitted.map((f) => f.row));
    const outcome: UploadOutcome = {
      uploaded: 0,
      spooled: 0,
      calls: chunks.length,
      truncatedRows: fitted.filter((f) => f.truncated.length > 0).length,
    };
    await mapWithConcurrency(chunks, this.concurrency, async (chunk) => {
      const failure = await this.sendChunk(table, chunk, options.abortSignal);
      if (!failure) {
        outcome.uploaded += chunk.length;
        return;
      }
      // Spool even when the caller aborted: the rows must survive the cancelled invocation.
      await this.spool.put(
        {
          table,
          rows: chunk,
          attempts: 1,
          firstFailedAt: new Date().toISOString(),
          lastError: failure.message,
          lastStatus: failure.statusCode,
        },
        { visibilityDelayMs: failure.retryAfterMs, abortSignal: AbortSignal.timeout(30_000) },
      );
      outcome.spooled += chunk.length;
      this.logger.warn('Log Analytics upload failed; chunk spooled for retry', {
        table,
        rows: chunk.length,
        status: failure.statusCode,
        retryAfterMs: failure.retryAfterMs,
        error: failure.message,
      });
    });
    return outcome;
  }

  /** Re-uploads spooled chunks (the ingestion timer calls this). */
  async retrySpooled(
    options: { maxMessages?: number; backoffBaseSeconds?: number; abortSignal?: AbortSignal } = {},
  ): Promise<DrainReport> {
    const report = await this.spool.drain((table, rows, signal) => this.sendChunk(table, rows, signal), options);
    if (report.claimed > 0) this.logger.info('Ingestion spool drained', { ...report });
    return report;
  }
}
