// Durable spool of Log Analytics chunks that could not be uploaded. A failed chunk becomes a message on the
// `ingestion-spool` queue (rows inline when small, in a blob when not: a queue message holds 64 KB) that never
// expires; the retry timer claims messages, re-uploads them and deletes a message only after its rows were
// accepted. Rows keep their RecordId, so a row that arrives twice is removed in KQL by `summarize arg_max(...) by RecordId`.
import { randomUUID } from 'node:crypto';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { QUEUE_NAMES, type AppConfig } from '../config/config.js';
import { getManagedIdentityCredential } from '../azure/credential.js';
import { createQueueClient, ensureQueue } from '../storage/storageClients.js';
import { ensureErrorType } from '../errors.js';
import { fitRow } from './fitRow.js';
import { RESULT_TABLES, type ResultRow, type ResultTable } from './resultsSink.js';

export const SPOOL_CONTAINER = 'ingestion-spool';
/** Rows up to this much JSON travel inside the queue message (base64 adds a third; the limit is 64 KiB). */
const INLINE_MAX_BYTES = 45_000;
const MAX_BACKOFF_SECONDS = 3600;

export interface SpooledChunk {
  table: ResultTable;
  rows: ResultRow[];
  /** Failed upload attempts so far. */
  attempts: number;
  firstFailedAt: string;
  lastError: string;
  lastStatus?: number;
}

interface SpoolMessage {
  v: 1;
  table: ResultTable;
  attempts: number;
  firstFailedAt: string;
  lastError: string;
  lastStatus?: number;
  rowCount: number;
  rows?: ResultRow[];
  blob?: string;
}

/** Why a chunk failed, as the sender reports it. */
export interface ChunkFailure {
  message: string;
  statusCode?: number;
  retryAfterMs?: number;
}

export type ChunkSender = (
  table: ResultTable,
  rows: ResultRow[],
  abortSignal?: AbortSignal,
) => Promise<ChunkFailure | undefined>;

export interface DrainReport {
  /** Spool messages taken up in this run. */
  claimed: number;
  /** Rows accepted by Log Analytics and removed from the spool. */
  uploadedRows: number;
  /** Rows still in the spool after this run (failed again; retried later). */
  respooledRows: number;
  /** Messages split in two after a 413 (payload too large). */
  split: number;
}

export function createSpoolContainerClient(config: Pick<AppConfig, 'storage'>): ContainerClient {
  const s = config.storage;
  if (s.kind === 'connectionString')
    return BlobServiceClient.fromConnectionString(s.connectionString).getContainerClient(SPOOL_CONTAINER);
  if (!s.blobServiceUri) throw new Error('AzureWebJobsStorage__blobServiceUri is needed for the ingestion spool');
  return new BlobServiceClient(
    s.blobServiceUri,
    getManagedIdentityCredential({ AZURE_CLIENT_ID: s.clientId }),
  ).getContainerClient(SPOOL_CONTAINER);
}

const encode = (m: SpoolMessage) => Buffer.from(JSON.stringify(m), 'utf8').toString('base64');
const decode = (text: string) => JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as SpoolMessage;

/** Seconds before a failed chunk is tried again: the service's Retry-After, else doubling from `baseSeconds`. */
function backoffSeconds(attempts: number, retryAfterMs?: number, baseSeconds = 30): number {
  if (retryAfterMs !== undefined) return Math.min(MAX_BACKOFF_SECONDS, Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return Math.min(MAX_BACKOFF_SECONDS, Math.max(1, baseSeconds * 2 ** Math.max(0, attempts - 1)));
}

export class IngestionSpool {
  private containerReady = false;

  constructor(
    readonly queue: QueueClient,
    readonly container: ContainerClient,
  ) {}

  static fromConfig(config: Pick<AppConfig, 'storage'>): IngestionSpool {
    return new IngestionSpool(
      createQueueClient(config, QUEUE_NAMES.ingestionSpool),
      createSpoolContainerClient(config),
    );
  }

  /** Stores a failed chunk durably; it becomes visible to the retry timer after `visibilityDelayMs` (Retry-After). */
  async put(
    chunk: SpooledChunk,
    options: { visibilityDelayMs?: number; abortSignal?: AbortSignal } = {},
  ): Promise<void> {
    await ensureQueue(this.queue);
    const message: SpoolMessage = {
      v: 1,
      table: chunk.table,
      attempts: chunk.attempts,
      firstFailedAt: chunk.firstFailedAt,
      lastError: chunk.lastError.slice(0, 500),
      lastStatus: chunk.lastStatus,
      rowCount: chunk.rows.length,
    };
    const rowsJson = JSON.stringify(chunk.rows);
    if (Buffer.byteLength(rowsJson, 'utf8') <= INLINE_MAX_BYTES) {
      message.rows = chunk.rows;
    } else {
      message.blob = `${chunk.table}/${new Date().toISOString().slice(0, 10)}/${randomUUID()}.json`;
      await this.ensureContainer(options.abortSignal);
      await this.container.getBlockBlobClient(message.blob).upload(rowsJson, Buffer.byteLength(rowsJson, 'utf8'), {
        abortSignal: options.abortSignal,
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    }
    await this.queue.sendMessage(encode(message), {
      abortSignal: options.abortSignal,
      messageTimeToLive: -1, // never expires: nothing is dropped
      visibilityTimeout: options.visibilityDelayMs ? backoffSeconds(0, options.visibilityDelayMs) : undefined,
    });
  }

  /** Messages waiting in the spool (approximate, as the queue service reports it). */
  async approximateMessageCount(options: { abortSignal?: AbortSignal } = {}): Promise<number> {
    if (!(await this.queue.exists({ abortSignal: options.abortSignal }))) return 0;
    const props = await this.queue.getProperties({ abortSignal: options.abortSignal });
    return props.approximateMessagesCount ?? 0;
  }

  /**
   * Claims visible messages and re-sends their rows with `send`. A message is deleted only after its rows were
   * accepted; otherwise it goes back with its attempt count raised and becomes visible after a backoff (or the
   * service's Retry-After). A 413 splits the chunk in two before it goes back.
   */
  async drain(
    send: ChunkSender,
    options: {
      maxMessages?: number;
      claimSeconds?: number;
      backoffBaseSeconds?: number;
      abortSignal?: AbortSignal;
    } = {},
  ): Promise<DrainReport> {
    const report: DrainReport = { claimed: 0, uploadedRows: 0, respooledRows: 0, split: 0 };
    if (!(await this.queue.exists({ abortSignal: options.abortSignal }))) return report;
    const maxMessages = options.maxMessages ?? 500;
    while (report.claimed < maxMessages && !options.abortSignal?.aborted) {
      const batch = await this.queue.receiveMessages({
        numberOfMessages: Math.min(32, maxMessages - report.claimed),
        visibilityTimeout: options.claimSeconds ?? 300,
        abortSignal: options.abortSignal,
      });
      if (batch.receivedMessageItems.length === 0) break;
      for (const item of batch.receivedMessageItems) {
        report.claimed++;
        const message = decode(item.messageText);
        if (!RESULT_TABLES.includes(message.table))
          throw new Error(`Spool message ${item.messageId} names an unknown table ${String(message.table)}`);
        const rows = message.rows ?? (await this.readBlob(message.blob!, options.abortSignal));
        const failure = await send(message.table, rows, options.abortSignal);
        if (!failure) {
          await this.queue.deleteMessage(item.messageId, item.popReceipt, { abortSignal: options.abortSignal });
          if (message.blob)
            await this.container.getBlobClient(message.blob).deleteIfExists({ abortSignal: options.abortSignal });
          report.uploadedRows += rows.length;
          continue;
        }
        report.respooledRows += rows.length;
        const next: SpooledChunk = {
          table: message.table,
          rows,
          attempts: message.attempts + 1,
          firstFailedAt: message.firstFailedAt,
          lastError: failure.message,
          lastStatus: failure.statusCode,
        };
        if (failure.statusCode === 413) {
          // Too large for the service: smaller pieces (or, for one row, a tighter fit) go back instead.
          report.split++;
          const pieces =
            rows.length > 1
              ? [rows.slice(0, Math.ceil(rows.length / 2)), rows.slice(Math.ceil(rows.length / 2))]
              : [[fitRow(rows[0]!, { rowLimitBytes: Math.floor(Buffer.byteLength(JSON.stringify(rows[0])) / 2) }).row]];
          for (const piece of pieces) await this.put({ ...next, rows: piece }, { abortSignal: options.abortSignal });
          await this.queue.deleteMessage(item.messageId, item.popReceipt, { abortSignal: options.abortSignal });
          if (message.blob)
            await this.container.getBlobClient(message.blob).deleteIfExists({ abortSignal: options.abortSignal });
          continue;
        }
        const updated: SpoolMessage = {
          ...message,
          attempts: next.attempts,
          lastError: next.lastError.slice(0, 500),
          lastStatus: next.lastStatus,
        };
        await this.queue.updateMessage(
          item.messageId,
          item.popReceipt,
          encode(updated),
          backoffSeconds(next.attempts, failure.retryAfterMs, options.backoffBaseSeconds),
          {
            abortSignal: options.abortSignal,
          },
        );
      }
    }
    return report;
  }

  private async ensureContainer(abortSignal?: AbortSignal): Promise<void> {
    if (this.containerReady) return;
    await this.container.createIfNotExists({ abortSignal });
    this.containerReady = true;
  }

  private async readBlob(name: string, abortSignal?: AbortSignal): Promise<ResultRow[]> {
    try {
      const buffer = await this.container.getBlobClient(name).downloadToBuffer(undefined, undefined, { abortSignal });
      return JSON.parse(buffer.toString('utf8')) as ResultRow[];
    } catch (err) {
      throw new Error(`Spooled rows in blob ${SPOOL_CONTAINER}/${name} could not be read`, {
        cause: ensureErrorType(err),
      });
    }
  }
}
