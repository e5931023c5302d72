import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { loadConfig } from '../../../shared/config/config.js';
import {
  createQueueClient,
  createTableClient,
  ensureQueue,
  ensureTable,
  sendQueueJson,
} from '../../../shared/storage/storageClients.js';
import { checkHealth } from '../../../shared/health/checkHealth.js';

let azurite: AzuriteInstance;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite.stop();
});

describe('storage clients against Azurite', () => {
  it('sends queue messages as base64 JSON, as the Functions queue trigger expects', async () => {
    const config = loadConfig({ AzureWebJobsStorage: azurite.connectionString });
    const queue = createQueueClient(config, 'roundtrip');
    await ensureQueue(queue);
    await sendQueueJson(queue, { hello: 'world' });
    const received = await queue.receiveMessages();
    const text = received.receivedMessageItems[0]?.messageText ?? '';
    expect(JSON.parse(Buffer.from(text, 'base64').toString('utf8'))).toEqual({ hello: 'world' });
  });

  it('creates tables and stores entities', async () => {
    const config = loadConfig({ AzureWebJobsStorage: azurite.connectionString });
    const table = createTableClient(config, 'roundtrip');
    await ensureTable(table);
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 3 });
    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(3);
  });

  it('health is healthy with storage up and names the failed check when it is down', async () => {
    const up = await checkHealth({ config: loadConfig({ AzureWebJobsStorage: azurite.connectionString }) });
    expect(up.status).toBe('healthy');
    const down = await checkHealth({
      config: loadConfig({
        AzureWebJobsStorage: azurite.connectionString
          .replace(/:\d+\/devstoreaccount1;Q/, ':1/devstoreaccount1;Q')
          .replace(/QueueEndpoint=http:\/\/127.0.0.1:\d+/, 'QueueEndpoint=http://127.0.0.1:1'),
      }),
      abortSignal: AbortSignal.timeout(3000),
    });
    expect(down.status).toBe('degraded');
    expect(down.checks.storageQueues?.status).toBe('fail');
    expect(down.checks.storageTables?.status).toBe('pass');
  });
});
