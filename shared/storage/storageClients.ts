// Queue and table clients built from the configured storage access: a connection string locally (Azurite), the
// managed identity against the account's service URIs in Azure.
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { ManagedIdentityCredential } from '@azure/identity';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { AppConfig } from '../config/config.js';
import { ValidationError } from '../errors.js';
import { OUTBOUND_TIMEOUT_MS } from '../outbound/timeouts.js';

type StorageConfig = Pick<AppConfig, 'storage'>;

// The shared timeout policy (shared/outbound/timeouts.ts) at the client: every storage request that does not carry
// a shorter timeout of its own is cut off after OUTBOUND_TIMEOUT_MS.storage, whatever signal its caller passed.
// core-rest-pipeline's HTTP client aborts a request whose `timeout` elapses (PipelineRequest.timeout).
const storageTimeoutPolicy: PipelinePolicy = {
  name: 'aksAiopsStorageTimeout',
  sendRequest: (request, next) => {
    if (!request.timeout || request.timeout > OUTBOUND_TIMEOUT_MS.storage)
      request.timeout = OUTBOUND_TIMEOUT_MS.storage;
    return next(request);
  },
};
const tableOptions = {
  additionalPolicies: [{ policy: storageTimeoutPolicy, position: 'perRetry' as const }],
  retryOptions: { maxRetries: 2 },
};
// The queue SDK's own per-try timeout (StorageRetryOptions.tryTimeoutInMs) does the same for queues.
const queueOptions = { retryOptions: { tryTimeoutInMs: OUTBOUND_TIMEOUT_MS.storage, maxTries: 2 } };

export function createQueueClient(config: StorageConfig, queueName: string): QueueClient {
  const s = config.storage;
  if (s.kind === 'connectionString') return new QueueClient(s.connectionString, queueName, queueOptions);
  const credential = s.clientId
    ? new ManagedIdentityCredential({ clientId: s.clientId })
    : new ManagedIdentityCredential();
  return new QueueServiceClient(s.queueServiceUri, credential, queueOptions).getQueueClient(queueName);
}

export function createTableClient(config: StorageConfig, tableName: string): TableClient {
  const s = config.storage;
  if (s.kind === 'connectionString') {
    return TableClient.fromConnectionString(s.connectionString, tableName, {
      allowInsecureConnection: true,
      ...tableOptions,
    });
  }
  const credential = s.clientId
    ? new ManagedIdentityCredential({ clientId: s.clientId })
    : new ManagedIdentityCredential();
  return new TableClient(s.tableServiceUri, tableName, credential, tableOptions);
}

/**
 * Queue messages are base64 text, as the Functions queue trigger expects by default (host.json messageEncoding).
 * Sending through this keeps producers and the trigger in agreement.
 */
export async function sendQueueJson(
  queue: QueueClient,
  body: unknown,
  options: { abortSignal?: AbortSignal; visibilityTimeoutSeconds?: number } = {},
): Promise<string> {
  const text = Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
  const res = await queue.sendMessage(text, {
    abortSignal: options.abortSignal,
    visibilityTimeout: options.visibilityTimeoutSeconds,
  });
  return res.messageId;
}

const ensured = new Set<string>();

/** Creates the queue or table once per process; cheap to call on every request. */
export async function ensureQueue(queue: QueueClient): Promise<void> {
  const key = `q:${queue.url}`;
  if (ensured.has(key)) return;
  await queue.createIfNotExists();
  ensured.add(key);
}

export async function ensureTable(table: TableClient): Promise<void> {
  const key = `t:${table.url}/${table.tableName}`;
  if (ensured.has(key)) return;
  await table.createTable();
  ensured.add(key);
}

/** The one answer to a continuation token we did not issue (or that was altered): HTTP 400. */
export const INVALID_CONTINUATION_TOKEN = 'continuation token is not valid';

const TOKEN_KEYS = new Set(['nextPartitionKey', 'nextRowKey']);

/**
 * The continuation-token codec of every paged table read. A Tables SDK token is base64 of
 * `{"nextPartitionKey":"...","nextRowKey":"..."}` (data-tables `encodeContinuationToken`); the SDK decodes it
 * byte by byte and sends both keys as query parameters, so a forged token (numbers, objects, unencodable text) would
 * otherwise surface as a storage failure (502/503 inviting retries). Returns the token unchanged when it is one the
 * SDK could have issued, else throws ValidationError (400) "continuation token is not valid".
 */
export function checkTableContinuationToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const fail = (): never => {
    throw new ValidationError(INVALID_CONTINUATION_TOKEN, {
      problems: [`${INVALID_CONTINUATION_TOKEN}: pass the value a previous page returned`],
    });
  };
  if (!/^[A-Za-z0-9+/_-]{4,2048}={0,2}$/.test(token)) return fail();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64').toString('latin1'));
  } catch {
    return fail();
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return fail();
  const fields = decoded as Record<string, unknown>;
  if (!Object.keys(fields).every((k) => TOKEN_KEYS.has(k))) return fail();
  // Keys the service issues are printable ASCII here (our partition and row keys); anything else cannot round-trip
  // through the SDK's latin1 decoding and a URL query.
  const ok = (v: unknown) => typeof v === 'string' && v.length <= 1024 && /^[\x20-\x7e]*$/.test(v);
  if (!ok(fields.nextPartitionKey) || fields.nextPartitionKey === '') return fail();
  if (fields.nextRowKey !== undefined && !ok(fields.nextRowKey)) return fail();
  return token;
}

/** True when a table read failed because the table does not exist yet (a fresh deployment): an empty result. */
export function isTableNotFound(err: unknown): boolean {
  const e = err as { statusCode?: unknown; code?: unknown };
  return e?.statusCode === 404 && (e.code === undefined || e.code === 'TableNotFound' || e.code === 'ResourceNotFound');
}
