// The results sink the configuration asks for (RESULT_SINK): Log Analytics in Azure, JSON-lines files locally,
// stdout for the CLI. Writers (sweeps, diagnostics) call `upload(table, rows)` and never know which one it is.
import type { Writable } from 'node:stream';
import type { AppConfig } from '../config/config.js';
import { ConsoleResultsSink } from './consoleResultsSink.js';
import { FileResultsSink } from './fileResultsSink.js';
import { LogAnalyticsResultsSink, type LogAnalyticsSinkOptions } from './logAnalyticsResultsSink.js';
import type { ResultsSink } from './resultsSink.js';

export interface CreateResultsSinkOptions extends LogAnalyticsSinkOptions {
  /** Where the console sink writes (default process.stdout). */
  stdout?: Pick<Writable, 'write'>;
}

type SinkConfig = Pick<
  AppConfig,
  'RESULTS_SINK' | 'RESULTS_DIR' | 'LOGS_INGESTION_ENDPOINT' | 'LOGS_DCR_IMMUTABLE_ID' | 'AZURE_CLIENT_ID' | 'storage'
>;

export function createResultsSink(config: SinkConfig, options: CreateResultsSinkOptions = {}): ResultsSink {
  switch (config.RESULTS_SINK) {
    case 'loganalytics':
      return new LogAnalyticsResultsSink(config, options);
    case 'file':
      return new FileResultsSink(config.RESULTS_DIR);
    case 'console':
      return new ConsoleResultsSink(options.stdout);
  }
}

/**
 * Re-uploads chunks spooled after failed Log Analytics uploads. Does nothing for the file and console sinks,
 * which never spool.
 */
export async function retrySpooledResults(
  config: SinkConfig,
  options: CreateResultsSinkOptions & {
    maxMessages?: number;
    backoffBaseSeconds?: number;
    abortSignal?: AbortSignal;
  } = {},
): Promise<{ claimed: number; uploadedRows: number; respooledRows: number; split: number }> {
  if (config.RESULTS_SINK !== 'loganalytics') return { claimed: 0, uploadedRows: 0, respooledRows: 0, split: 0 };
  return new LogAnalyticsResultsSink(config, options).retrySpooled({
    maxMessages: options.maxMessages,
    backoffBaseSeconds: options.backoffBaseSeconds,
    abortSignal: options.abortSignal,
  });
}
