// The local Logs Ingestion endpoint through the real LogsIngestionClient (@azure/monitor-ingestion) and the real
// ManagedIdentityCredential, including the fault paths and what the client retries by itself.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { ManagedIdentityCredential } from '@azure/identity';
import { AggregateLogsUploadError, LogsIngestionClient, type LogsUploadFailure } from '@azure/monitor-ingestion';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type IngestionFault, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';

const DATA_DIR = '.data/test-standins-ingestion';
const FINDINGS = 'Custom-AksAiopsFindings_CL';
const SWEEPS = 'Custom-AksAiopsSweeps_CL';
const DIAGNOSES = 'Custom-AksAiopsDiagnoses_CL';

let local: LocalAzure;
let credential: ManagedIdentityCredential;
let client: LogsIngestionClient;
let monitorToken: string;

const rows = (n: number, prefix: string): Array<Record<string, unknown>> =>
  Array.from({ length: n }, (_, i) => ({
    TimeGenerated: new Date().toISOString(),
    RecordId: `${prefix}-${i}`,
    Message: `row ${i}`,
  }));

async function post(
  stream: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
  apiVersion = '2023-01-01',
): Promise<Response> {
  return fetch(
    `${local.logsIngestionEndpoint}/dataCollectionRules/${local.dcrImmutableId}/streams/${stream}?api-version=${apiVersion}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${monitorToken}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    },
  );
}

beforeAll(async () => {
  await rm(DATA_DIR, { recursive: true, force: true });
  const tls = await ensureLocalTls('.data');
  local = await startLocalAzure({ tls, dataDir: DATA_DIR, clusters: [] });
  useLocalIdentity(local);
  credential = new ManagedIdentityCredential();
  // Short back-off so the retry paths run quickly; the number of retries stays the SDK default (3).
  client = new LogsIngestionClient(local.logsIngestionEndpoint, credential, {
    retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 100 },
  });
  monitorToken = (await credential.getToken('https://monitor.azure.com/.default')).token;
});

afterAll(async () => {
  clearLocalIdentity();
  await local.close();
});

/**
 * Uploads `sent` to DIAGNOSES while the endpoint answers the next `fault.failNext` requests with `fault.status`, and
 * expects the upload to fail; returns what the client handed back through onError and how many requests it made.
 */
async function uploadThroughFault(
  fault: Required<Pick<IngestionFault, 'failNext' | 'status'>>,
  sent: Array<Record<string, unknown>>,
): Promise<{ failures: LogsUploadFailure[]; requests: number }> {
  local.faults.ingestion = { ...fault };
  const failures: LogsUploadFailure[] = [];
  try {
    await expect(
      client.upload(local.dcrImmutableId, DIAGNOSES, sent, { onError: (f) => failures.push(f) }),
    ).rejects.toBeInstanceOf(AggregateLogsUploadError);
    return { failures, requests: fault.failNext - (local.faults.ingestion?.failNext ?? 0) };
  } finally {
    delete local.faults.ingestion;
  }
}

describe('local Logs Ingestion with LogsIngestionClient', () => {
  it('appends uploaded rows (gzip, as the client sends them) to <stream>.jsonl', async () => {
    await client.upload(local.dcrImmutableId, FINDINGS, rows(3, 'f'));
    expect((await local.ingestedRows(FINDINGS)).map((r) => r.RecordId)).toEqual(['f-0', 'f-1', 'f-2']);
    expect(await local.ingestedRows(SWEEPS)).toEqual([]);
  });

  it('splits uploads above 1 MB into chunks the endpoint accepts; no row lost or duplicated', async () => {
    const big = Array.from({ length: 1500 }, (_, i) => ({
      RecordId: `big-${i}`,
      ClusterName: randomBytes(600).toString('hex'), // a declared column: undeclared ones are dropped
    }));
    await client.upload(local.dcrImmutableId, SWEEPS, big, { maxConcurrency: 2 });
    const stored = await local.ingestedRows(SWEEPS);
    expect(stored).toHaveLength(1500);
    expect(new Set(stored.map((r) => r.RecordId)).size).toBe(1500);
  });

  it('reports unknown streams and rules through onError and AggregateLogsUploadError (404, not retried)', async () => {
    const failures: LogsUploadFailure[] = [];
    const error = await client
      .upload(local.dcrImmutableId, 'Custom-Nope_CL', rows(2, 'x'), { onError: (f) => failures.push(f) })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(AggregateLogsUploadError);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.failedLogs).toHaveLength(2);
    expect(failures[0]?.cause).toMatchObject({ statusCode: 404, code: 'InvalidStream' });

    await expect(client.upload('dcr-00000000000000000000000000000000', FINDINGS, rows(1, 'y'))).rejects.toBeInstanceOf(
      AggregateLogsUploadError,
    );
  });

  it('503 with Retry-After and 429 are retried by the client itself, and each row lands once', async () => {
    local.faults.ingestion = { failNext: 2, status: 503, retryAfterSeconds: 0 };
    await client.upload(local.dcrImmutableId, DIAGNOSES, rows(2, 'd503'));
    expect(local.faults.ingestion.failNext).toBe(0);

    local.faults.ingestion = { failNext: 1, status: 429, retryAfterSeconds: 1 };
    const started = Date.now();
    await client.upload(local.dcrImmutableId, DIAGNOSES, rows(1, 'd429'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    delete local.faults.ingestion;

    expect((await local.ingestedRows(DIAGNOSES)).map((r) => r.RecordId)).toEqual(['d503-0', 'd503-1', 'd429-0']);
  });

  it('a sustained 500 exhausts the client retries (1 + 3 attempts) and hands the chunk back', async () => {
    const { failures, requests } = await uploadThroughFault({ failNext: 10, status: 500 }, rows(2, 'lost'));
    expect(requests).toBe(4);
    expect(failures[0]?.failedLogs.map((r) => (r as { RecordId: string }).RecordId)).toEqual(['lost-0', 'lost-1']);
    expect((await local.ingestedRows(DIAGNOSES)).some((r) => String(r.RecordId).startsWith('lost'))).toBe(false);
  });

  it('an injected 413 is not retried by the client', async () => {
    const { failures, requests } = await uploadThroughFault({ failNext: 5, status: 413 }, rows(1, 'big'));
    expect(requests).toBe(1);
    expect(failures[0]?.cause).toMatchObject({ statusCode: 413, code: 'ContentLengthLimitExceeded' });
  });

  it('enforces the wire contract: token audience, api-version, 1 MB compressed and decoded, JSON array body', async () => {
    expect((await post(FINDINGS, JSON.stringify([{ RecordId: 'plain' }]))).status).toBe(204);
    expect(
      (await post(FINDINGS, gzipSync(JSON.stringify([{ RecordId: 'gz' }])), { 'content-encoding': 'gzip' })).status,
    ).toBe(204);
    expect((await local.ingestedRows(FINDINGS)).slice(-2).map((r) => r.RecordId)).toEqual(['plain', 'gz']);

    const tooBig = await post(FINDINGS, JSON.stringify([{ Payload: 'x'.repeat(1024 * 1024) }]));
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('ContentLengthLimitExceeded');
    // Small on the wire, too large once decoded: the limit applies to both.
    const bomb = await post(FINDINGS, gzipSync(JSON.stringify([{ Payload: 'a'.repeat(2 * 1024 * 1024) }])), {
      'content-encoding': 'gzip',
    });
    expect(bomb.status).toBe(413);

    expect((await post(FINDINGS, JSON.stringify({ RecordId: 'not-an-array' }))).status).toBe(400);
    expect((await post(FINDINGS, '[{"RecordId":')).status).toBe(400);
    expect((await post(FINDINGS, '[]', {}, '2020-01-01')).status).toBe(400);

    const armToken = (await credential.getToken('https://management.azure.com/.default')).token;
    expect((await post(FINDINGS, '[]', { authorization: `Bearer ${armToken}` })).status).toBe(401);
    expect((await post(FINDINGS, '[]', { authorization: '' })).status).toBe(401);

    local.faults.forbiddenAudiences = ['https://monitor.azure.com'];
    expect((await post(FINDINGS, '[]')).status).toBe(403);
    delete local.faults.forbiddenAudiences;
  });
});

// Runs last: it adds a row to the sweeps stream, which the tests above count.
describe('local DCR stream declarations', () => {
  it("shapes rows by the DCR's stream declaration: undeclared columns dropped, mismatched values null, as Azure does", async () => {
    await client.upload(local.dcrImmutableId, SWEEPS, [
      {
        RecordId: 'shape-0',
        TimeGenerated: '2026-11-30T10:00:00Z',
        Score: '87.5', // JSON text of a real: parsed
        Critical: 2.5, // not an int
        ObjectsScanned: 1234,
        Partial: 'yes', // not a boolean
        Errors: ['x'],
        Scoer: 12, // not declared
      },
    ]);
    const [row] = (await local.ingestedRows(SWEEPS)).filter((r) => r.RecordId === 'shape-0');
    expect(row).toEqual({
      RecordId: 'shape-0',
      TimeGenerated: '2026-11-30T10:00:00.000Z',
      Score: 87.5,
      Critical: null,
      ObjectsScanned: 1234,
      Partial: null,
      Errors: ['x'],
    });
    expect(local.shapingReport(SWEEPS)).toMatchObject({
      droppedColumns: expect.objectContaining({ Scoer: 1 }),
      nulledValues: expect.objectContaining({ Critical: 1, Partial: 1 }),
    });
  });
});
