// Log Analytics rows batched across clusters: the concurrent sweeps of one worker share Logs Ingestion calls up to the
// 1 MB call limit. Real LogsIngestionClient against the Logs Ingestion stand-in (which enforces the limit with 413),
// calls counted on the wire by a proxy in front of it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { startCountingProxy, type CountingProxy } from '../../../dev/fleet/countingProxy.js';
import { identityStorageSettings, startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { loadConfig } from '../../../shared/config/config.js';
import { LogAnalyticsResultsSink } from '../../../shared/results/logAnalyticsResultsSink.js';
import { BatchingResultsSink } from '../../../shared/results/batchingResultsSink.js';
import type { ResultRow } from '../../../shared/results/resultsSink.js';

const DATA_DIR = '.data/test-fleet-batching';
let local: LocalAzure;
let azurite: AzuriteInstance;
let proxy: CountingProxy;
let sink: BatchingResultsSink;

const sweepRow = (cluster: number, padding = 0): ResultRow => ({
  RecordId: `sweep-${cluster}-${padding}`,
  TimeGenerated: new Date().toISOString(),
  SweepId: `20261201-000000-${String(cluster).padStart(8, '0')}`,
  ClusterId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c${cluster}`,
  ClusterName: `c${cluster}`,
  Score: 90,
  Errors: 'x'.repeat(padding),
});

beforeAll(async () => {
  await rm(DATA_DIR, { recursive: true, force: true });
  const tls = await ensureLocalTls('.data');
  azurite = await startAzurite({ identity: tls });
  local = await startLocalAzure({ tls, dataDir: DATA_DIR, clusters: [] });
  const { IDENTITY_ENDPOINT, IDENTITY_HEADER } = local.env;
  Object.assign(process.env, { IDENTITY_ENDPOINT, IDENTITY_HEADER });
  // Ingestion calls are counted on the wire, between the SDK client and the stand-in.
  proxy = await startCountingProxy(local.logsIngestionEndpoint, tls);
  const config = loadConfig({
    ...identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId),
    RESULTS_SINK: 'loganalytics',
    LOGS_INGESTION_ENDPOINT: proxy.origin,
    LOGS_DCR_IMMUTABLE_ID: local.dcrImmutableId,
    AZURE_CLIENT_ID: local.identities.userAssigned[0]!.clientId,
  });
  sink = new BatchingResultsSink(new LogAnalyticsResultsSink(config), { lingerMs: 200 });
});

afterAll(async () => {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  await Promise.all([proxy.close(), local.close(), azurite.stop()]);
});

describe('BatchingResultsSink', () => {
  it('sends the rows of 40 concurrent sweeps in one call, and resolves each caller with its own rows', async () => {
    const before = proxy.counts().requests;
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) => sink.upload('AksAiopsSweeps_CL', [sweepRow(i)])),
    );
    expect(proxy.counts().requests - before).toBe(1);
    expect(outcomes.every((o) => o.uploaded === 1 && o.spooled === 0)).toBe(true);
    const ingested = await local.ingestedRows('Custom-AksAiopsSweeps_CL');
    expect(new Set(ingested.map((r) => r.ClusterName)).size).toBe(40);
  });

  it('splits at the 1 MB call limit: 12 sweeps of 150 KB each make two or more calls, none refused', async () => {
    const before = proxy.counts().requests;
    const outcomes = await Promise.all(
      // Three 50 KB rows a sweep (a field is cut at 64 KB, so size comes from rows, as with findings).
      Array.from({ length: 12 }, (_, i) =>
        sink.upload(
          'AksAiopsSweeps_CL',
          [0, 1, 2].map((k) => ({ ...sweepRow(100 + i, 50_000), RecordId: `r${i}-${k}` })),
        ),
      ),
    );
    const calls = proxy.counts().requests - before;
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(calls).toBeLessThanOrEqual(3);
    expect(outcomes.reduce((n, o) => n + o.uploaded, 0)).toBe(36);
    expect(outcomes.reduce((n, o) => n + o.spooled, 0)).toBe(0);
  });
});
