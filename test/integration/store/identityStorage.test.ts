// The identity-based storage path, as in Azure: Azurite over HTTPS with `--oauth basic`, the app's settings are the
// AzureWebJobsStorage__* service URIs the infrastructure sets (credential, clientId, accountName, URIs; no
// AzureWebJobsStorage), and every storage client of the app (queues, tables, the ingestion spool's blobs) gets its
// bearer token from the local managed identity endpoint. A token for another audience or none at all is refused.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { QueueServiceClient } from '@azure/storage-queue';
import { identityStorageSettings, startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { createQueueClient, createTableClient, sendQueueJson } from '../../../shared/storage/storageClients.js';
import { createSpoolContainerClient } from '../../../shared/results/ingestionSpool.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';

let azurite: AzuriteInstance;
let local: LocalAzure;
let config: AppConfig;

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  [azurite, local] = await Promise.all([
    startAzurite({ identity: tls }),
    startLocalAzure({ tls, dataDir: '.data/test-identity-storage', clusters: [] }),
  ]);
  useLocalIdentity(local);
  config = loadConfig(identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId));
});

afterAll(async () => {
  clearLocalIdentity();
  await Promise.all([azurite?.stop(), local?.close()]);
});

describe('identity-based storage (Azurite OAuth over HTTPS)', () => {
  it('the settings the infrastructure writes select the managed identity, with no connection string', () => {
    expect(config.storage).toMatchObject({
      kind: 'identity',
      queueServiceUri: azurite.serviceUris.queue,
      tableServiceUri: azurite.serviceUris.table,
      blobServiceUri: azurite.serviceUris.blob,
      clientId: local.identities.userAssigned[0]!.clientId,
    });
    expect(azurite.serviceUris.queue).toMatch(/^https:/);
  });

  it('queues, tables and the spool container work with tokens from the local managed identity endpoint', async () => {
    const before = local.issuedTokens();
    const queue = createQueueClient(config, 'identity-roundtrip');
    await queue.createIfNotExists();
    await sendQueueJson(queue, { hello: 'identity' });
    const received = await queue.receiveMessages();
    expect(JSON.parse(Buffer.from(received.receivedMessageItems[0]!.messageText, 'base64').toString('utf8'))).toEqual({
      hello: 'identity',
    });

    const table = createTableClient(config, 'identityroundtrip');
    await table.createTable();
    await table.upsertEntity({ partitionKey: 'p', rowKey: 'r', value: 3 });
    expect((await table.getEntity<{ value: number }>('p', 'r')).value).toBe(3);

    const container = createSpoolContainerClient(config);
    await container.createIfNotExists();
    await container.getBlockBlobClient('chunk.json').upload('[]', 2);
    expect((await container.getBlobClient('chunk.json').getProperties()).contentLength).toBe(2);
    expect(local.issuedTokens()).toBeGreaterThan(before);
  });

  it('refuses a token for another audience and a request with no credential', async () => {
    // A token the local identity issues for ARM: valid issuer and lifetime, wrong audience.
    const arm = new ManagedIdentityCredential({ clientId: local.identities.userAssigned[0]!.clientId });
    const wrongAudience = {
      getToken: async () => arm.getToken('https://management.azure.com/.default'),
    };
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: { statusCode?: number }) => e.statusCode,
      );
    const wrong = new QueueServiceClient(azurite.serviceUris.queue, wrongAudience);
    // Azurite answers 403 AuthenticationFailed ("Invalid token audience."); Azure Storage refuses it too.
    expect([401, 403]).toContain(await status(wrong.getQueueClient('identity-roundtrip').getProperties()));
    const anonymous = new QueueServiceClient(azurite.serviceUris.queue);
    expect([401, 403, 404]).toContain(await status(anonymous.getQueueClient('identity-roundtrip').getProperties()));
  });
});
