// POST /api/alerts against a real Azurite queue, through the exported handler with real HttpRequest objects:
// every documented payload is enqueued before 202; malformed and fuzzed payloads get 4xx, never 5xx; a queue that
// cannot take the message makes the webhook answer 503 so the action group retries.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startIdentityStorage, type IdentityStorage } from '../../support/identityStorage.js';
import { resetConfigForTesting } from '../../../shared/config/config.js';
import { alertsWebhook } from '../../../functions/alerts.js';
import { createQueueClient } from '../../../shared/storage/storageClients.js';
import { loadConfig, QUEUE_NAMES } from '../../../shared/config/config.js';
import { alertFixtureFiles, envelopeFor } from '../../unit/diagnostics/alertFixtures.js';
import { parseAlertQueueMessage } from '../../../shared/diagnostics/alertWorker.js';
import { HttpRequest, invocationContext } from '../../support/functionsRuntime.js';

let storage: IdentityStorage;
const quiet = () => invocationContext('alertsWebhook');

function post(body: string | Uint8Array, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const init = typeof body === 'string' ? { string: body } : { bytes: body };
  return alertsWebhook(
    new HttpRequest({ method: 'POST', url: 'http://127.0.0.1:7071/api/alerts', body: init, headers }),
    quiet(),
  );
}

beforeAll(async () => {
  storage = await startIdentityStorage();
  Object.assign(process.env, storage.settings);
  process.env.ALERT_MAX_BYTES = String(256 * 1024);
  resetConfigForTesting();
});
afterAll(async () => {
  for (const k of Object.keys(storage.settings)) delete process.env[k];
  await storage.stop();
  delete process.env.ALERT_MAX_BYTES;
  resetConfigForTesting();
});

async function drainQueue(): Promise<unknown[]> {
  const queue = createQueueClient(loadConfig(storage.settings), QUEUE_NAMES.alerts);
  await queue.createIfNotExists();
  const out: unknown[] = [];
  for (;;) {
    const got = await queue.receiveMessages({ numberOfMessages: 32 });
    if (got.receivedMessageItems.length === 0) return out;
    for (const m of got.receivedMessageItems) {
      out.push(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')));
      await queue.deleteMessage(m.messageId, m.popReceipt);
    }
  }
}

describe('POST /api/alerts', () => {
  it('accepts every documented payload and enqueues it before answering 202 {id}', async () => {
    await drainQueue();
    const ids: string[] = [];
    for (const file of alertFixtureFiles()) {
      const res = await post(envelopeFor(file));
      expect([file, res.status]).toEqual([file, 202]);
      ids.push((res.jsonBody as { id: string }).id);
    }
    const messages = (await drainQueue()).map((m) => parseAlertQueueMessage(m));
    expect(messages.map((m) => m.id).sort()).toEqual([...ids].sort());
  });

  it('fits a 250 KB payload into a queue message without touching essentials', async () => {
    await drainQueue();
    const doc = JSON.parse(envelopeFor('context-log-search-log-analytics-v1.json')) as {
      data: {
        essentials: { alertId: string };
        alertContext: { SearchResults: { tables: Array<{ rows: unknown[][] }> } };
      };
    };
    const row = doc.data.alertContext.SearchResults.tables[0]!.rows[0]!;
    doc.data.alertContext.SearchResults.tables[0]!.rows = Array.from({ length: 4000 }, () => row);
    const text = JSON.stringify(doc);
    expect(text.length).toBeGreaterThan(200_000);
    const res = await post(text);
    expect(res.status).toBe(202);
    const [m] = (await drainQueue()).map((x) => parseAlertQueueMessage(x));
    expect(m?.alert.data.essentials.alertId).toBe(doc.data.essentials.alertId);
  });

  it('answers 400 with reasons, 413 when too large, never 5xx, for malformed and fuzzed payloads', async () => {
    const base = envelopeFor('log-alert-v2.json');
    const corpus: Array<{ name: string; body: string | Uint8Array; headers?: Record<string, string> }> = [
      { name: 'empty', body: '' },
      { name: 'not json', body: 'alert!' },
      { name: 'null', body: 'null' },
      { name: 'number', body: '42' },
      { name: 'legacy schema', body: JSON.stringify({ status: 'Activated', context: { id: 'x' } }) },
      { name: 'wrong content type', body: base, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { name: 'invalid utf-8', body: new Uint8Array([0xff, 0xfe, 0x7b, 0x22]) },
      {
        name: 'deep nesting',
        body: `{"schemaId":"azureMonitorCommonAlertSchema","data":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      },
      {
        name: 'huge string',
        body: JSON.stringify({
          schemaId: 'azureMonitorCommonAlertSchema',
          data: { essentials: { alertId: 'x'.repeat(300_000) } },
        }),
      },
      {
        name: 'proto pollution',
        body: '{"__proto__":{"polluted":1},"schemaId":"azureMonitorCommonAlertSchema","data":{"essentials":{"constructor":{"prototype":{"x":1}}}}}',
      },
    ];
    // Truncations of a valid payload at many points.
    for (let i = 1; i < base.length; i += Math.max(1, Math.floor(base.length / 60)))
      corpus.push({ name: `truncated@${i}`, body: base.slice(0, i) });
    // Wrong types for every essentials field.
    const essentials = (JSON.parse(base) as { data: { essentials: Record<string, unknown> } }).data.essentials;
    for (const key of Object.keys(essentials)) {
      for (const wrong of [123, true, { a: 1 }, ['x'], null]) {
        const doc = JSON.parse(base) as { data: { essentials: Record<string, unknown> } };
        doc.data.essentials[key] = wrong;
        corpus.push({ name: `${key}=${JSON.stringify(wrong)}`, body: JSON.stringify(doc) });
      }
    }
    // Seeded random byte flips.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let n = 0; n < 60; n++) {
      const bytes = Buffer.from(base);
      for (let k = 0; k < 3; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      corpus.push({ name: `flip#${n}`, body: new Uint8Array(bytes) });
    }
    const statuses = new Map<number, number>();
    for (const c of corpus) {
      const res = await post(c.body, c.headers);
      statuses.set(res.status ?? 0, (statuses.get(res.status ?? 0) ?? 0) + 1);
      expect([c.name, (res.status ?? 0) < 500]).toEqual([c.name, true]);
      if (res.status === 400 || res.status === 413)
        expect(typeof (res.jsonBody as { error?: unknown }).error).toBe('string');
    }
    expect(statuses.get(400)).toBeGreaterThan(50);
    expect(statuses.get(413)).toBeGreaterThanOrEqual(1);
    const oversized = await post(base, {
      'content-type': 'application/json',
      'content-length': String(10 * 1024 * 1024),
    });
    expect(oversized.status).toBe(413);
    await drainQueue();
  });

  it('says how to enable the common alert schema', async () => {
    const res = await post(JSON.stringify({ schemaId: 'Microsoft.Insights/activityLogs', data: {} }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.jsonBody)).toMatch(/useCommonAlertSchema|common alert schema/);
  });

  it('answers 503 with Retry-After when the queue is unavailable, so Azure retries', async () => {
    // Nothing listens on port 9: the queue service is down.
    process.env.AzureWebJobsStorage__queueServiceUri = 'https://127.0.0.1:9/devstoreaccount1';
    resetConfigForTesting();
    try {
      const res = await post(envelopeFor('log-alert-v2.json'));
      expect(res.status).toBe(503);
      expect(res.headers).toMatchObject({ 'Retry-After': expect.any(String) as unknown as string });
    } finally {
      process.env.AzureWebJobsStorage__queueServiceUri = storage.settings.AzureWebJobsStorage__queueServiceUri;
      resetConfigForTesting();
    }
  });
});
