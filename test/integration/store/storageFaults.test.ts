// Issue 10 points 2, 3 and 4 through the functions as the host calls them, with Azurite behind a proxy that can
// freeze (a storage account that accepts connections and never answers).
//   2. A fresh deployment (no diagnoses table yet) lists an empty page, not 502 TableNotFound.
//   3. Forged continuation tokens are the caller's mistake: 400 "continuation token is not valid", never 5xx.
//   4. With storage frozen, /api/health answers (503 naming the checks that timed out) and every storage-backed
//      route answers 503 + Retry-After — all while storage is still frozen, so none of them waits for the release.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { startFreezableProxy, type FreezableProxy } from '../../support/freezableProxy.js';
import { resetConfigForTesting } from '../../../shared/config/config.js';
import { alertsWebhook, getDiagnosis, listDiagnoses } from '../../../functions/alerts.js';
import { health } from '../../../functions/health.js';
import { listIncidents } from '../../../functions/simulator.js';
import { getClusters } from '../../../functions/sweeps.js';
import { readFileSync } from 'node:fs';
import { HttpRequest, invocationContext } from '../../support/functionsRuntime.js';

let azurite: AzuriteInstance;
let tables: FreezableProxy;
let queues: FreezableProxy;
const saved = { ...process.env };
const context = () => invocationContext('faults');
const get = (route: string, query: Record<string, string> = {}, params: Record<string, string> = {}) =>
  new HttpRequest({
    method: 'GET',
    url: `http://127.0.0.1:7071/api/${route}?${new URLSearchParams(query).toString()}`,
    query,
    params,
  });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'latin1').toString('base64');

beforeAll(async () => {
  azurite = await startAzurite();
  [tables, queues] = await Promise.all([
    startFreezableProxy(azurite.ports.table),
    startFreezableProxy(azurite.ports.queue),
  ]);
  Object.assign(process.env, {
    AzureWebJobsStorage: queues.rewrite(tables.rewrite(azurite.connectionString)),
    SIMULATOR_ENABLED: 'true',
  });
  resetConfigForTesting();
});
afterAll(async () => {
  tables.release();
  queues.release();
  process.env = saved;
  resetConfigForTesting();
  await Promise.all([tables.close(), queues.close()]);
  await azurite.stop();
});

describe('storage faults and forged input at the HTTP surface', () => {
  it('a fresh deployment lists an empty page of diagnoses and answers 404 for one', async () => {
    const list = await listDiagnoses(get('diagnoses'), context());
    expect(list.status).toBe(200);
    expect(list.jsonBody).toMatchObject({ items: [] });
    expect((await getDiagnosis(get('diagnoses/dg-x', {}, { id: 'dg-x' }), context())).status).toBe(404);
  });

  it('forged continuation tokens are 400 "continuation token is not valid" on every paged route', async () => {
    const forged = [
      'abc',
      b64({ nextPartitionKey: 5 }),
      b64({ nextPartitionKey: { $ne: 1 } }),
      b64({ nextPartitionKey: 'diagnosis', nextRowKey: ['x'] }),
      b64({ nextPartitionKey: 'diagnosis', other: 'x' }),
      Buffer.from('{"nextPartitionKey":"\\ud800"}', 'latin1').toString('base64'),
      b64({ nextPartitionKey: 'a\u0000b' }),
      b64('just a string'),
    ];
    for (const token of forged) {
      const d = await listDiagnoses(get('diagnoses', { continuationToken: token }), context());
      expect([token, d.status]).toEqual([token, 400]);
      expect(d.jsonBody).toMatchObject({ error: 'ValidationError', message: 'continuation token is not valid' });
      const i = await listIncidents(get('incidents', { continuation: token }), context());
      expect([token, i.status]).toEqual([token, 400]);
      expect(i.headers ?? {}).not.toHaveProperty('Retry-After');
    }
  });

  it('with storage frozen, health and every storage route answer 503 while it is still frozen', async () => {
    tables.freeze();
    queues.freeze();
    try {
      const [h, list, one, incidents, clusters, webhook] = await Promise.all([
        health(get('health'), context()),
        listDiagnoses(get('diagnoses'), context()),
        getDiagnosis(get('diagnoses/dg-x', {}, { id: 'dg-x' }), context()),
        listIncidents(get('incidents'), context()),
        getClusters(get('clusters'), context()),
        alertsWebhook(
          new HttpRequest({
            method: 'POST',
            url: 'http://127.0.0.1:7071/api/alerts',
            headers: { 'content-type': 'application/json' },
            body: { string: readFileSync('test/fixtures/alerts/log-alert-v2.json', 'utf8') },
          }),
          context(),
        ),
      ]);
      expect(h.status).toBe(503);
      const checks = (h.jsonBody as { checks: Record<string, { status: string; error?: string }> }).checks;
      expect(checks.storageQueues).toMatchObject({
        status: 'fail',
        error: expect.stringMatching(/storageQueues did not answer/),
      });
      expect(checks.storageTables).toMatchObject({
        status: 'fail',
        error: expect.stringMatching(/storageTables did not answer/),
      });
      for (const [name, res] of Object.entries({ list, one, incidents, clusters, webhook })) {
        expect([name, res.status]).toEqual([name, 503]);
        expect([name, (res.headers as Record<string, string>)['Retry-After']]).toEqual([
          name,
          expect.stringMatching(/^\d+$/),
        ]);
      }
    } finally {
      tables.release();
      queues.release();
    }
    // And after the release everything answers again.
    expect((await health(get('health'), context())).status).toBe(200);
    expect((await listDiagnoses(get('diagnoses'), context())).status).toBe(200);
  }, 60_000);
});
