// One policy for a queue message a worker cannot parse, in both queue workers (alerts, sweeps): retrying cannot fix
// it and dropping it would lose it without a trace. So it is logged as an error (the queue and the reason, never the
// content: an alert may carry secrets) and put at once on `<queue>-poison`, the queue where the Functions host puts a
// message that failed maxDequeueCount times (Azure Functions queue trigger, "Poison messages":
// https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#poison-messages). Every
// message that was not processed is then in one place. If even the poison queue cannot be written, the error
// propagates: the host retries the message and finally poisons it itself.
import type { AppConfig } from '../config/config.js';
import { ensureErrorType } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { createQueueClient, ensureQueue } from './storageClients.js';

export function poisonQueueName(queueName: string): string {
  return `${queueName}-poison`;
}

export async function poisonMalformedMessage(
  config: Pick<AppConfig, 'storage'>,
  queueName: string,
  message: unknown,
  reason: unknown,
  options: { logger?: Logger; dequeueCount?: number; abortSignal?: AbortSignal } = {},
): Promise<void> {
  const poison = poisonQueueName(queueName);
  options.logger?.error(`malformed ${queueName} message: moved to ${poison} without retrying`, {
    error: ensureErrorType(reason),
    dequeueCount: options.dequeueCount,
  });
  const queue = createQueueClient(config, poison);
  await ensureQueue(queue);
  // The body as the trigger received it, base64 like every message of ours (host.json messageEncoding).
  const text = typeof message === 'string' ? message : JSON.stringify(message ?? null);
  await queue.sendMessage(Buffer.from(text, 'utf8').toString('base64'), { abortSignal: options.abortSignal });
}
