// The Log Analytics sink over the wire: the real LogsIngestionClient and the real managed identity credential
// against the local Logs Ingestion endpoint, the spool on Azurite. Injected 429/5xx/413 answers must lose no row:
// failed chunks are spooled, the retry drains them, and every row ends up ingested exactly once by RecordId.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { identityStorageSettings, startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import azureFunctions, { type Timer } from '@azure/functions';
import { loadConfig, resetConfigForTesting, type AppConfig } from '../../../shared/config/config.js';
import { createResultsSink, retrySpooledResults } from '../../../shared/results/createResultsSink.js';
import { LogAnalyticsResultsSink } from '../../../shared/results/logAnalyticsResultsSink.js';
import { IngestionSpool, createSpoolContainerClient } from '../../../shared/results/ingestionSpool.js';
import { createQueueClient } from '../../../shared/storage/storageClients.js';
import type { ResultRow, ResultTable } from '../../../shared/results/resultsSink.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { toFindingRow, toSweepRow } from '../../../shared/sweep/rows.js';
import { toDiagnosisRow } from '../../../shared/diagnostics/rows.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';
import { sweepSummary } from '../../support/sweepSummary.js';

const DATA_DIR = '.data/test-results-loganalytics';
const quiet = createLogger({ sink: { info: () => undefined, warn: () => undefined, error: () => undefined } });
// Short client back-off so fault paths run quickly; one in-client retry before a chunk counts as failed.
const fastClient = { retry: { maxRetries: 1, retryDelayInMs: 10, maxRetryDelayInMs: 50 }, logger: quiet };

/**
 * Runs the retry timer until it claims something (the spool's back-off is the queue's visibility timeout, kept by
 * Azurite's clock): waits for that event instead of sleeping a guessed time. Bounded, so a lost message fails the test.
 */
async function retryUntilClaimed(): Promise<Awaited<ReturnType<typeof retrySpooledResults>>> {
  for (let i = 0; i < 240; i++) {
    const report = await retrySpooledResults(config, fast);
    if (report.claimed > 0) return report;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the spooled rows never became visible to the retry timer');
}

let local: LocalAzure;
let azurite: AzuriteInstance;
let config: AppConfig;
let run = 0;

beforeAll(async () => {
  await rm(DATA_DIR, { recursive: true, force: true });
  const tls = await ensureLocalTls('.data');
  [local, azurite] = await Promise.all([
    startLocalAzure({ tls, dataDir: DATA_DIR, clusters: [] }),
    startAzurite({ identity: tls }),
  ]);
  // @azure/identity reads the App Service managed identity endpoint from the environment, as in Azure.
  useLocalIdentity(local);
  config = loadConfig({
    ...identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId),
    RESULTS_SINK: 'loganalytics',
    LOGS_INGESTION_ENDPOINT: local.logsIngestionEndpoint,
    LOGS_DCR_IMMUTABLE_ID: local.dcrImmutableId,
    AZURE_CLIENT_ID: local.identities.userAssigned[0]!.clientId,
  });
});

afterAll(async () => {
  clearLocalIdentity();
  await Promise.all([local?.close(), azurite?.stop()]);
});

// Each test has its own spool queue and container, so a test only ever sees the chunks it spooled itself.
let spooled: IngestionSpool;
let fast: typeof fastClient & { spool: IngestionSpool };
beforeEach(() => {
  run++;
  local.faults.ingestion = undefined;
  spooled = new IngestionSpool(createQueueClient(config, `ingestion-spool-${run}`), createSpoolContainerClient(config));
  fast = { ...fastClient, spool: spooled };
});

const rowsFor = (n: number, tag: string, extra: (i: number) => Record<string, unknown> = () => ({})): ResultRow[] =>
  Array.from({ length: n }, (_, i) => ({
    RecordId: `${tag}-${run}/${i}`,
    TimeGenerated: new Date().toISOString(),
    // Only columns every table declares: the local DCR, like Azure's, drops the others (infra/tables.json).
    ClusterId: `/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/row-${i}`,
    ...extra(i),
  }));

/** Ingested rows of this test run (ids carry the run number), by RecordId. */
async function ingested(table: ResultTable, tag: string): Promise<ResultRow[]> {
  const all = (await local.ingestedRows(`Custom-${table}`)) as ResultRow[];
  return all.filter((r) => r.RecordId.startsWith(`${tag}-${run}/`));
}

function expectExactlyOnce(got: ResultRow[], sent: ResultRow[]) {
  const ids = got.map((r) => r.RecordId).sort();
  expect(ids.length).toBe(sent.length);
  expect(new Set(ids).size).toBe(sent.length);
  expect(ids).toEqual(sent.map((r) => r.RecordId).sort());
}

describe('Log Analytics sink through the local Logs Ingestion endpoint', () => {
  it('is what RESULTS_SINK=loganalytics gives, and lands rows of each table in its stream, authenticated by the managed identity', async () => {
    const sink = createResultsSink(config, fast);
    expect(sink).toBeInstanceOf(LogAnalyticsResultsSink);
    const before = local.issuedTokens();
    for (const table of ['AksAiopsFindings_CL', 'AksAiopsSweeps_CL', 'AksAiopsDiagnoses_CL'] as const) {
      const rows = rowsFor(3, table);
      expect(await sink.upload(table, rows)).toMatchObject({ uploaded: 3, spooled: 0, calls: 1 });
      expect(await ingested(table, table)).toEqual(rows);
    }
    // One token for the three uploads: the credential caches it, as in Azure.
    expect(local.issuedTokens() - before).toBeLessThanOrEqual(1);
  });

  it('splits a 3 MB batch into calls under 1 MB (the endpoint answers 413 above) with no row lost or duplicated', async () => {
    const sink = new LogAnalyticsResultsSink(config, fast);
    const rows = rowsFor(1500, 'big', () => ({ ClusterName: 'p'.repeat(2000) }));
    const outcome = await sink.upload('AksAiopsSweeps_CL', rows);
    expect(outcome.spooled).toBe(0);
    expect(outcome.calls).toBeGreaterThanOrEqual(4);
    expectExactlyOnce(await ingested('AksAiopsSweeps_CL', 'big'), rows);
  });

  it('cuts a field above 64 KB with a marker instead of failing the row', async () => {
    const sink = new LogAnalyticsResultsSink(config, fast);
    const rows = rowsFor(2, 'trunc', (i) => (i === 0 ? { Summary: 'S'.repeat(300_000) } : {}));
    expect(await sink.upload('AksAiopsDiagnoses_CL', rows)).toMatchObject({ uploaded: 2, truncatedRows: 1 });
    const [first, second] = (await ingested('AksAiopsDiagnoses_CL', 'trunc')).sort((a, b) =>
      a.RecordId.localeCompare(b.RecordId),
    );
    expect(String(first?.Summary)).toMatch(/\[truncated by aks-aiops\] \d+ of 300000 bytes kept$/);
    expect(Buffer.byteLength(JSON.stringify(first?.Summary))).toBeLessThanOrEqual(64 * 1024);
    expect(second).toEqual(rows[1]);
  });

  it.each([500, 503] as const)(
    'a persistent %i spools every chunk; the retry timer then delivers each row exactly once',
    async (status) => {
      const sink = new LogAnalyticsResultsSink(config, fast);
      const rows = rowsFor(900, `s${status}`, () => ({ Message: 'q'.repeat(3000) })); // ~3 chunks, some go to blobs
      local.faults.ingestion = { status };
      const outcome = await sink.upload('AksAiopsFindings_CL', rows);
      expect(outcome).toMatchObject({ uploaded: 0, spooled: 900 });
      expect(await ingested('AksAiopsFindings_CL', `s${status}`)).toEqual([]);
      let spooledBlobs = 0;
      for await (const _ of spooled.container.listBlobsFlat()) spooledBlobs++;
      expect(spooledBlobs).toBeGreaterThan(0); // chunks above a queue message's 64 KB are kept in blobs

      // Still failing: the retry puts everything back (10 s base back-off here instead of 30 s, so the second failure
      // waits 20 s). The window of the first chunk starts when that chunk is respooled, not when the call returns:
      // on a loaded machine respooling three chunks took most of a 6 s window, so the margin is wide. Nothing is lost.
      const again = await retrySpooledResults(config, { ...fast, backoffBaseSeconds: 10 });
      expect(again).toMatchObject({ uploadedRows: 0, respooledRows: 900 });
      expect((await retrySpooledResults(config, fast)).claimed).toBe(0); // backing off

      // Recovered: once the back-off has passed, a timer run delivers them.
      local.faults.ingestion = undefined;
      const report = await retryUntilClaimed();
      expect(report.uploadedRows).toBe(900);
      expectExactlyOnce(await ingested('AksAiopsFindings_CL', `s${status}`), rows);
      expect(await spooled.approximateMessageCount()).toBe(0);
      const blobs: string[] = [];
      for await (const b of spooled.container.listBlobsFlat()) blobs.push(b.name);
      expect(blobs).toEqual([]); // the blobs of big chunks are removed once delivered
    },
    120_000, // the 20 s back-off is waited out
  );

  it('a failure in some chunks only: the others are uploaded now, the failed ones after the retry, all once', async () => {
    const sink = new LogAnalyticsResultsSink(config, { ...fast, retry: { maxRetries: 0 }, concurrency: 1 });
    const rows = rowsFor(1200, 'partial', () => ({ ClusterName: 'r'.repeat(2000) }));
    local.faults.ingestion = { status: 500, failNext: 2 };
    const outcome = await sink.upload('AksAiopsSweeps_CL', rows);
    expect(outcome.spooled).toBeGreaterThan(0);
    expect(outcome.uploaded).toBeGreaterThan(0);
    expect(outcome.uploaded + outcome.spooled).toBe(1200);
    expect((await ingested('AksAiopsSweeps_CL', 'partial')).length).toBe(outcome.uploaded);
    expect((await retrySpooledResults(config, fast)).uploadedRows).toBe(outcome.spooled);
    expectExactlyOnce(await ingested('AksAiopsSweeps_CL', 'partial'), rows);
  });

  it('a short 429 Retry-After is waited out inside the call', async () => {
    const sink = new LogAnalyticsResultsSink(config, { ...fast, maxInlineRetryAfterMs: 5000 });
    const rows = rowsFor(5, 'throttled');
    local.faults.ingestion = { status: 429, failNext: 1, retryAfterSeconds: 1 };
    const started = Date.now();
    expect(await sink.upload('AksAiopsFindings_CL', rows)).toMatchObject({ uploaded: 5, spooled: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expectExactlyOnce(await ingested('AksAiopsFindings_CL', 'throttled'), rows);
  });

  it('a long 429 Retry-After spools at once, and the rows are not retried before it has passed', async () => {
    const sink = new LogAnalyticsResultsSink(config, { ...fast, maxInlineRetryAfterMs: 500 });
    const rows = rowsFor(5, 'later');
    local.faults.ingestion = { status: 429, failNext: 1, retryAfterSeconds: 10 };
    // Only the first request fails: had the client waited out the Retry-After and retried, the rows would be uploaded.
    expect(await sink.upload('AksAiopsFindings_CL', rows)).toMatchObject({ uploaded: 0, spooled: 5 });
    expect(local.faults.ingestion?.failNext).toBe(0);
    expect((await retrySpooledResults(config, fast)).claimed).toBe(0); // still within Retry-After
    expect((await retryUntilClaimed()).uploadedRows).toBe(5);
    expectExactlyOnce(await ingested('AksAiopsFindings_CL', 'later'), rows);
  });

  it('a 413 on retry splits the spooled chunk and still delivers every row once', async () => {
    const sink = new LogAnalyticsResultsSink(config, fast);
    const rows = rowsFor(40, 'too-large');
    local.faults.ingestion = { status: 413, failNext: 2 };
    expect(await sink.upload('AksAiopsDiagnoses_CL', rows)).toMatchObject({ spooled: 40 });
    const first = await retrySpooledResults(config, fast);
    expect(first).toMatchObject({ split: 1, uploadedRows: 40 }); // split halves are visible at once and go through
    expectExactlyOnce(await ingested('AksAiopsDiagnoses_CL', 'too-large'), rows);
  });
});

describe('the ingestion retry timer (functions/ingestion.ts)', () => {
  it('drains the app spool with the app configuration', async () => {
    const env = {
      ...identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId),
      RESULTS_SINK: 'loganalytics',
      LOGS_INGESTION_ENDPOINT: local.logsIngestionEndpoint,
      LOGS_DCR_IMMUTABLE_ID: local.dcrImmutableId,
      AZURE_CLIENT_ID: local.identities.userAssigned[0]!.clientId,
    };
    Object.assign(process.env, env);
    resetConfigForTesting();
    try {
      const appSink = new LogAnalyticsResultsSink(config, fastClient); // the app's own spool queue
      const rows = rowsFor(10, 'timer');
      local.faults.ingestion = { status: 500 };
      expect(await appSink.upload('AksAiopsSweeps_CL', rows)).toMatchObject({ spooled: 10 });
      local.faults.ingestion = undefined;
      const { ingestionSpoolRetry } = await import('../../../functions/ingestion.js');
      await ingestionSpoolRetry(
        { isPastDue: false, scheduleStatus: undefined } as unknown as Timer,
        new azureFunctions.InvocationContext({ invocationId: 'test', functionName: 'ingestionSpoolRetry' }),
      );
      expectExactlyOnce(await ingested('AksAiopsSweeps_CL', 'timer'), rows);
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
      resetConfigForTesting();
    }
  });
});

describe('sweep and diagnosis rows end to end', () => {
  it('rows from the sweep and diagnostics mappers land in the local JSON-lines files as written', async () => {
    const sink = createResultsSink(config, fast);
    const clusterId =
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-e2e';
    const sweepId = `sweep-e2e-${run}`;
    const finishedAt = new Date().toISOString();
    const sweepRow = toSweepRow(sweepSummary({ sweepId, clusterId, startedAt: finishedAt, objectsScanned: 42 }));
    const findingRow = toFindingRow(
      sweepId,
      {
        clusterId,
        check: 'pod.crash-loop',
        severity: 'critical',
        kind: 'Pod',
        namespace: 'shop',
        name: 'cart-1',
        message: 'Pod shop/cart-1 is in CrashLoopBackOff.',
        evidence: ['kubectl -n shop get pod cart-1'],
        remediation: 'Read the previous log.',
        fingerprint: `fp-${run}`,
        firstSeen: finishedAt,
        lastSeen: finishedAt,
        count: 1,
        state: 'new',
      },
      { clusterName: 'aks-e2e', timeGenerated: finishedAt },
    );
    const diagnosisRow = toDiagnosisRow({
      id: `diag-e2e-${run}`,
      target: { clusterId, namespace: 'shop', pod: 'cart-1' },
      rootCause: 'crash_loop',
      confidence: 0.8,
      summary: 'cart exits with code 1.',
      evidence: [
        {
          source: 'logs.previous',
          detail: 'panic: missing DB_URL',
          reproduce: 'kubectl -n shop logs cart-1 --previous',
        },
      ],
      recommendations: ['Set DB_URL.'],
      state: 'still_failing',
      firings: 1,
      startedAt: finishedAt,
      finishedAt,
    });
    await sink.upload('AksAiopsSweeps_CL', [sweepRow]);
    await sink.upload('AksAiopsFindings_CL', [findingRow]);
    await sink.upload('AksAiopsDiagnoses_CL', [diagnosisRow]);
    const find = async (table: ResultTable, id: string) =>
      ((await local.ingestedRows(`Custom-${table}`)) as ResultRow[]).filter((r) => r.RecordId === id);
    expect(await find('AksAiopsSweeps_CL', sweepId)).toEqual([sweepRow]);
    expect(await find('AksAiopsFindings_CL', `${sweepId}/fp-${run}`)).toEqual([findingRow]);
    expect(await find('AksAiopsDiagnoses_CL', `diag-e2e-${run}`)).toEqual([diagnosisRow]);
    // The local DCR drops undeclared columns and nulls mismatched values as Azure does: the rows came through whole
    // (equal above), and it did nothing to any row this file sent.
    for (const t of ['AksAiopsSweeps_CL', 'AksAiopsFindings_CL', 'AksAiopsDiagnoses_CL'] as const) {
      expect({ t, ...local.shapingReport(`Custom-${t}`) }).toEqual({ t, droppedColumns: {}, nulledValues: {} });
    }
  });
});
