// Container Insights evidence against the local Log Analytics query endpoint through the real LogsQueryClient:
// resource-centric queries on the cluster id see only that cluster's rows, the ContainerLogV2 query keeps two
// clusters' same-named pods apart also on one workspace, an empty table is no error (Log Analytics tables have fixed
// schemas), and a failing query becomes an evidenceGaps entry with a reason class, never the upstream text.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import type { Pod as V1Pod } from 'kubernetes-types/core/v1.js';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { gatherContainerInsightsHistory } from '../../../shared/diagnostics/evidence/logAnalyticsEvidence.js';
import { diagnoseSnapshot } from '../../../shared/diagnostics/engine.js';
import { emptySnapshot } from '../../../shared/diagnostics/evidence/snapshot.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';

const cluster = (name: string) =>
  `/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/${name}`;
const A = cluster('aks-a');
const B = cluster('aks-b');
const pod: V1Pod = {
  metadata: { name: 'checkout-0', namespace: 'shop', uid: '2af2f43f-663a-4c40-8102-4d35519c205f' },
  spec: { containers: [{ name: 'checkout' }] },
};

let local: LocalAzure;
let client: LogsQueryClient;

const logRow = (clusterId: string, message: string) => ({
  TimeGenerated: new Date().toISOString(),
  PodNamespace: 'shop',
  PodName: 'checkout-0',
  ContainerName: 'checkout',
  LogMessage: message,
  _ResourceId: clusterId.toLowerCase(), // Container Insights writes the cluster's id in lower case
});

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  local = await startLocalAzure({ tls, dataDir: '.data/test-ci-evidence', clusters: [] });
  useLocalIdentity(local);
  client = new LogsQueryClient(new ManagedIdentityCredential(), {
    endpoint: local.logAnalyticsEndpoint,
    retryOptions: { maxRetries: 0 },
  });
});

afterAll(async () => {
  clearLocalIdentity();
  await local?.close();
});

beforeEach(() => {
  local.faults.logAnalytics = undefined;
  for (const t of ['ContainerLogV2', 'KubePodInventory', 'Perf']) local.setLogAnalyticsRows(t, []);
});

const errorLines = async (scope: { resourceId: string } | { workspaceId: string }, clusterId: string) => {
  const { history, gaps } = await gatherContainerInsightsHistory(client, scope, { clusterId, pod });
  expect(gaps).toEqual([]);
  return history.filter((h) => h.kind === 'errorLogs').map((h) => h.detail);
};

describe('Container Insights evidence', () => {
  it('keeps the logs of same-named pods of two clusters apart, resource-centric and on one shared workspace', async () => {
    local.setLogAnalyticsRows('ContainerLogV2', [logRow(A, 'ERROR from cluster A'), logRow(B, 'ERROR from cluster B')]);
    for (const [clusterId, mine, other] of [
      [A, 'cluster A', 'cluster B'],
      [B, 'cluster B', 'cluster A'],
    ] as const) {
      for (const scope of [{ resourceId: clusterId }, { workspaceId: local.workspaceId }]) {
        const lines = await errorLines(scope, clusterId);
        expect(lines.join('\n')).toContain(mine);
        expect(lines.join('\n')).not.toContain(other);
      }
    }
  });

  it('an empty ContainerLogV2 (no log yet) is no evidence, not an error', async () => {
    local.setLogAnalyticsRows('ContainerLogV2', []);
    expect(await errorLines({ resourceId: A }, A)).toEqual([]);
    expect(await errorLines({ workspaceId: local.workspaceId }, A)).toEqual([]);
  });

  it('a failing query is an evidence gap with a reason class; the diagnosis keeps it out of the recommendations', async () => {
    local.faults.logAnalytics = { status: 503 };
    const { gaps } = await gatherContainerInsightsHistory(client, { resourceId: A }, { clusterId: A, pod });
    expect(gaps).toEqual(
      expect.arrayContaining([
        'Container insights restart history: service unavailable (503 ServiceUnavailableError)',
        'Container insights container logs: service unavailable (503 ServiceUnavailableError)',
      ]),
    );
    expect(gaps.join(' ')).not.toMatch(/fault|answered/i); // the stand-in's error text stays out

    const snapshot = emptySnapshot('live');
    snapshot.pods.push(pod);
    snapshot.gaps.push(...gaps);
    const diagnosis = diagnoseSnapshot(snapshot, { target: { clusterId: A, namespace: 'shop', pod: 'checkout-0' } });
    expect(diagnosis.evidenceGaps).toEqual(gaps);
    expect(diagnosis.recommendations.join(' ')).not.toMatch(/Container insights|Evidence not available/);
  });
});
