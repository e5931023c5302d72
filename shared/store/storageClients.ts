// Queue and table clients built from the configured storage access: a connection string locally (Azurite), the
// managed identity against the account's service URIs in Azure.
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { TableClient } from '@azure/data-tables';
import { ManagedIdentityCredential } from '@azure/identity';
import type { AppConfig } from '../config/config.js';

type StorageConfig = Pick<AppConfig, 'storage'>;

export function createQueueClient(config: StorageConfig, queueName: string): QueueClient {
  const s = config.storage;
  if (s.kind === 'connectionString') return new QueueClient(s.connectionString, queueName);
  const credential = s.clientId
    ? new ManagedIdentityCredential({ clientId: s.clientId })
    : new ManagedIdentityCredential();
  return new QueueServiceClient(s.queueServiceUri, credential).getQueueClient(queueName);
}

export function createTableClient(config: StorageConfig, tableName: string): TableClient {
  const s = config.storage;
  if (s.kind === 'connectionString') {
    return TableClient.fromConnectionString(s.connectionString, tableName, { allowInsecureConnection: true });
  }
  const credential = s.clientId
    ? new ManagedIdentityCredential({ clientId: s.clientId })
    : new ManagedIdentityCredential();
  return new TableClient(s.tableServiceUri, tableName, credential);
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

/**
 * True when `token` is a Tables continuation token as the SDK issues it (base64 of `{"nextPartitionKey":...}`).
 * The SDK JSON-parses it before sending, so a forged token would otherwise surface as an unexplained failure.
 */
export function isTableContinuationToken(token: string): boolean {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, 'base64').toString('latin1'));
    return typeof decoded === 'object' && decoded !== null && 'nextPartitionKey' in decoded;
  } catch {
    return false;
  }
}
