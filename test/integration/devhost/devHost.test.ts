import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import { QueueClient } from '@azure/storage-queue';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../../dev/host/devHost.js';
import { identityStorageSettings, startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { startFuncHostProcess, waitFor, type FuncHostProcess } from '../../support/funcHostProcess.js';

// The dev host runs a small fixture app over real HTTP and a real Azurite, so what is tested is what `npm start`
// does with the real app: routes, auth, timers from %SETTING%, output bindings, queue triggers and poison queues.
// Host storage is identity-based, as in Azure: Azurite over HTTPS with OAuth, the AzureWebJobsStorage__* service URIs
// and the managed identity token from the local endpoint; no AzureWebJobsStorage connection string reaches the host.
// (The test itself seeds and reads queues with the account key, which Azurite also accepts.)
let azurite: AzuriteInstance;
let local: LocalAzure;
let host: FuncHostProcess;
const dir = mkdtempSync(path.join(tmpdir(), 'devhost-'));
const marker = path.join(dir, 'marker.jsonl');
const events = (): Array<Record<string, unknown>> =>
  existsSync(marker)
    ? readFileSync(marker, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  [azurite, local] = await Promise.all([
    startAzurite({ identity: tls }),
    startLocalAzure({ tls, dataDir: path.join(dir, 'azure'), clusters: [] }),
  ]);
  await build({
    entryPoints: ['test/fixtures/devhost-app/app.ts'],
    outfile: path.join(dir, 'app.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@azure/functions-core'],
    banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" },
    logLevel: 'error',
  });
  // The project's host.json with a 1-second retry delay, so the poison path runs in seconds.
  const hostJson = JSON.parse(readFileSync('host.json', 'utf8')) as { extensions: { queues: Record<string, unknown> } };
  hostJson.extensions.queues.visibilityTimeout = '00:00:01';
  writeFileSync(path.join(dir, 'host.json'), JSON.stringify(hostJson));
  host = await startFuncHostProcess({
    AKS_AIOPS_HOST_JSON: path.join(dir, 'host.json'),
    AKS_AIOPS_APP_ENTRY: path.join(dir, 'app.js'),
    AKS_AIOPS_PORT: '0',
    AKS_AIOPS_DATA_DIR: dir,
    AKS_AIOPS_FUNCTION_KEY: 'test-function-key',
    AKS_AIOPS_MASTER_KEY: 'test-master-key',
    ...identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId),
    IDENTITY_ENDPOINT: local.env.IDENTITY_ENDPOINT!,
    IDENTITY_HEADER: local.env.IDENTITY_HEADER!,
    TICK_SCHEDULE: '*/2 * * * * *',
    DEVHOST_TEST_MARKER: marker,
    AKS_AIOPS_QUEUE_LEASE_MS: '4000',
    'AzureWebJobs.helloStatic.Disabled': 'true',
  });
});

afterAll(async () => {
  await host?.stop();
  await Promise.all([azurite?.stop(), local?.close()]);
});

describe('dev host', () => {
  it('routes by template, literal segments first, and passes params and query', async () => {
    const res = await fetch(`${host.url}/api/hello/world?q=1`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'world', q: '1' });
    // helloStatic is disabled (AzureWebJobs.helloStatic.Disabled), so the parameter route answers instead.
    expect(await (await fetch(`${host.url}/api/hello/static`)).json()).toEqual({ hello: 'static', q: null });
    expect((await fetch(`${host.url}/api/nothing-here`)).status).toBe(404);
    expect((await fetch(`${host.url}/api/hello/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${host.url}/api/hello/world`, { method: 'DELETE' })).status).toBe(405);
  });

  it('enforces function keys for authLevel function', async () => {
    const body = JSON.stringify({ a: 1 });
    expect((await fetch(`${host.url}/api/secret`, { method: 'POST', body })).status).toBe(401);
    expect((await fetch(`${host.url}/api/secret?code=wrong`, { method: 'POST', body })).status).toBe(401);
    const ok = await fetch(`${host.url}/api/secret`, {
      method: 'POST',
      body,
      headers: { 'x-functions-key': 'test-function-key' },
    });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ got: { a: 1 } });
  });

  it('fires the timer on its %SETTING% schedule, and the queue trigger consumes what its output binding wrote', async () => {
    await waitFor(() => events().some((e) => e.event === 'tick') || undefined, 15000, 'a tick');
    const consumed = await waitFor(() => events().find((e) => e.event === 'consumed'), 15000, 'a consumed message');
    expect(consumed.body).toEqual({ from: 'tick' });
  });

  it('runs a non-HTTP function on POST /admin/functions/{name} with the master key only', async () => {
    const before = events().filter((e) => e.event === 'tick').length;
    expect((await fetch(`${host.url}/admin/functions/tick`, { method: 'POST', body: '{}' })).status).toBe(401);
    const res = await fetch(`${host.url}/admin/functions/tick?code=test-master-key`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(202);
    await waitFor(() => events().filter((e) => e.event === 'tick').length > before || undefined, 5000, 'another tick');
  });

  it('never decodes a function name twice: POST /admin/functions/%25 is 404, not 500', async () => {
    const res = await fetch(`${host.url}/admin/functions/%25?code=test-master-key`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });

  it('refuses a body larger than the route allows before reading it: GET takes none, POST up to its limit', async () => {
    // A GET announcing 50 MB: the answer comes while the body has not been sent (the host never waits to buffer it).
    const early = await partialUpload('GET', '/api/hello/world', 50 * 1024 * 1024, 1024);
    expect(early.status).toBe(413);
    const post = await partialUpload('POST', '/api/secret?code=test-function-key', DEFAULT_BODY_LIMIT_BYTES + 1, 1024);
    expect(post.status).toBe(413);
    // Chunked (no Content-Length): cut off once the stream passes the limit, without waiting for its end.
    const chunked = await partialUpload(
      'POST',
      '/api/secret?code=test-function-key',
      undefined,
      DEFAULT_BODY_LIMIT_BYTES + 64 * 1024,
    );
    expect(chunked.status).toBe(413);
    const chunkedGet = await partialUpload('GET', '/api/hello/world', undefined, 64 * 1024);
    expect(chunkedGet.status).toBe(413);
    // A small POST still goes through.
    const ok = await fetch(`${host.url}/api/secret?code=test-function-key`, { method: 'POST', body: '{"a":1}' });
    expect(ok.status).toBe(201);
  });

  it('retries a failing message up to maxDequeueCount, then moves it to the poison queue', async () => {
    const queue = new QueueClient(azurite.connectionString, 'ticks');
    await queue.sendMessage(Buffer.from(JSON.stringify({ fail: true })).toString('base64'));
    const poison = new QueueClient(azurite.connectionString, 'ticks-poison');
    const peeked = await waitFor(
      async () => {
        if (!(await poison.exists())) return undefined;
        const p = await poison.peekMessages();
        return p.peekedMessageItems[0];
      },
      60000,
      'the poison message',
    );
    expect(JSON.parse(Buffer.from(peeked.messageText, 'base64').toString())).toEqual({ fail: true });
    const attempts = events().filter((e) => e.event === 'consumed' && (e.body as { fail?: boolean }).fail);
    expect(attempts.map((a) => Number(a.dequeueCount))).toEqual([1, 2, 3, 4, 5]);
  }, 90000);
});

/**
 * Sends a request announcing `declared` bytes (or chunked when undefined), writes `sendBytes` of it and then waits
 * without ending the body: a host that checks the size before reading answers now; one that waits to buffer the
 * whole body never answers (the test then fails on its timeout).
 */
function partialUpload(
  method: string,
  pathAndQuery: string,
  declared: number | undefined,
  sendBytes: number,
): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const url = new URL(pathAndQuery, host.url);
    let answered = false;
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: declared === undefined ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(declared) },
      },
      (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent: sendBytes });
        req.destroy();
      },
    );
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    req.write(Buffer.alloc(sendBytes, 120));
  });
}
