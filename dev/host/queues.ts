// Queue triggers as the Functions host runs them: host.json batch size and new-batch threshold, a lease renewed while
// the function runs, visibility timeout on failure, `<queue>-poison` after maxDequeueCount, base64 messages.
import type { QueueClient } from '@azure/storage-queue';
import { invokeFunction } from './invoke.js';
import type { RegisteredFunction } from './registry.js';
import type { HostRuntime } from './hostRuntime.js';

export function startQueuePollers(
  rt: HostRuntime,
  functions: RegisteredFunction[],
): {
  runQueueMessage: (
    fn: RegisteredFunction,
    text: string,
    meta: { dequeueCount: number; id: string; insertionTime?: Date },
  ) => Promise<void>;
  pollers: Array<Promise<void>>;
} {
  const { options, log, invocationLog, track, handleOutputBindings, queueClientFor } = rt;
  const q = options.host.queues;
  const leaseMs = options.queueLeaseMs ?? 30000;
  async function runQueueMessage(
    fn: RegisteredFunction,
    text: string,
    meta: { dequeueCount: number; id: string; insertionTime?: Date },
  ): Promise<void> {
    const triggerMetadata = {
      RecordId: { string: meta.id },
      // The queue trigger's metadata in Azure names the message id `Id` (with DequeueCount, InsertionTime, …).
      Id: { string: meta.id },
      DequeueCount: { json: String(meta.dequeueCount) },
      InsertionTime: { string: (meta.insertionTime ?? new Date()).toISOString() },
      QueueTrigger: { string: text },
    };
    const result = await invokeFunction(fn, { string: text }, { log: invocationLog, triggerMetadata });
    await handleOutputBindings(fn, result.outputData);
  }

  const pollers: Array<Promise<void>> = [];
  for (const fn of functions.filter((f) => f.trigger.type.toLowerCase() === 'queuetrigger')) {
    const queue = queueClientFor(fn.trigger);
    const poison = queueClientFor(fn.trigger, '-poison');
    pollers.push(
      (async () => {
        await queue.createIfNotExists();
        let delay = 100;
        const inFlight = new Set<Promise<void>>();
        while (!rt.isStopping()) {
          const room = q.batchSize + q.newBatchThreshold - inFlight.size;
          if (inFlight.size > q.newBatchThreshold || room <= 0) {
            await Promise.race(inFlight);
            continue;
          }
          let received;
          try {
            received = await queue.receiveMessages({
              numberOfMessages: Math.min(32, q.batchSize),
              visibilityTimeout: Math.ceil(leaseMs / 1000),
            });
          } catch (err) {
            log({ level: 'warn', message: `queue ${queue.name}: receive failed: ${String(err)}` });
            await sleep(Math.min(q.maxPollingIntervalMs, 2000));
            continue;
          }
          const items = received.receivedMessageItems;
          if (items.length === 0) {
            await sleep(delay);
            delay = Math.min(q.maxPollingIntervalMs, delay * 2);
            continue;
          }
          delay = 100;
          for (const item of items) {
            const p = track(processMessage(fn, queue, poison, item)).finally(() => inFlight.delete(p));
            inFlight.add(p);
          }
        }
        await Promise.allSettled(inFlight);
      })(),
    );
  }

  async function processMessage(
    fn: RegisteredFunction,
    queue: QueueClient,
    poison: QueueClient,
    item: { messageId: string; popReceipt: string; messageText: string; dequeueCount: number; insertedOn: Date },
  ): Promise<void> {
    let popReceipt = item.popReceipt;
    const text =
      q.messageEncoding === 'base64' ? Buffer.from(item.messageText, 'base64').toString('utf8') : item.messageText;
    if (item.dequeueCount > q.maxDequeueCount) {
      await poison.createIfNotExists();
      await poison.sendMessage(item.messageText);
      await queue.deleteMessage(item.messageId, popReceipt);
      log({
        level: 'error',
        category: 'Host.Queues',
        functionName: fn.metadata.name,
        message: `Message ${item.messageId} has reached MaxDequeueCount of ${q.maxDequeueCount}. Moving message to queue '${poison.name}'.`,
      });
      return;
    }
    // Keep the message invisible while the function runs, as the host does.
    const renew = setInterval(
      () => {
        queue
          .updateMessage(item.messageId, popReceipt, undefined, Math.ceil(leaseMs / 1000))
          .then((r) => {
            if (r.popReceipt) popReceipt = r.popReceipt;
          })
          .catch(() => undefined);
      },
      Math.max(500, leaseMs / 2),
    );
    try {
      await runQueueMessage(fn, text, {
        dequeueCount: item.dequeueCount,
        id: item.messageId,
        insertionTime: item.insertedOn,
      });
      clearInterval(renew);
      await queue.deleteMessage(item.messageId, popReceipt);
      log({
        level: 'info',
        category: 'Host.Results',
        functionName: fn.metadata.name,
        trigger: 'queue',
        messageId: item.messageId,
        status: 'Succeeded',
      });
    } catch (err) {
      clearInterval(renew);
      log({
        level: 'error',
        category: 'Host.Results',
        functionName: fn.metadata.name,
        trigger: 'queue',
        messageId: item.messageId,
        dequeueCount: item.dequeueCount,
        status: 'Failed',
        error: String(err instanceof Error ? err.message : err),
      });
      // Back on the queue after host.json's visibilityTimeout; after maxDequeueCount it goes to the poison queue.
      await queue
        .updateMessage(item.messageId, popReceipt, undefined, Math.ceil(q.visibilityTimeoutMs / 1000))
        .catch(() => undefined);
    }
  }

  return { runQueueMessage, pollers };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
