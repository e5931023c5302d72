// The Container insights feed over the wire: a simulated cluster with a memory leak (OOM kills) and an error spike
// runs for 25 minutes of simulated time, the feed collects every 30 s into the local Log Analytics stand-in, and the
// diagnostics' own KQL (kqlQueries.ts) and gatherContainerInsightsHistory run through the real LogsQueryClient and
// ManagedIdentityCredential, finding what an on-call engineer would expect: the OOM-killed container's restart
// history, its working set near the limit, and the error lines in ContainerLogV2, each once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { V1Pod } from '@kubernetes/client-node';
import type { LocalAzure } from '../../../dev/standins/localAzure.js';
import { startLocalAzureWithIdentity, stopLocalAzureWithIdentity } from '../../support/localAzureIdentity.js';
import {
  startContainerInsightsFeed,
  type ContainerInsightsFeed,
  type LogRow,
} from '../../../dev/local/containerInsightsFeed.js';
import {
  createSimulatedClusterSource,
  type SimulatedClusterSource,
} from '../../../shared/simulator/cluster/simulatedClusterSource.js';
import type { Incident } from '../../../shared/simulator/incidents/incident.js';
import { simulatedIncident } from '../../support/simulatedIncident.js';
import { KQL_QUERIES } from '../../../shared/diagnostics/evidence/kqlQueries.js';
import { gatherContainerInsightsHistory } from '../../../shared/diagnostics/evidence/logAnalyticsEvidence.js';

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const MINUTE = 60_000;
const LIMIT_512MI = 512 * 2 ** 20; // api-gateway's memory limit in the simulator

const realNow = Date.now();
const minuteAligned = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
const incident = (type: Incident['type'], service: Incident['service'], startMs: number) =>
  simulatedIncident(type, service, startMs, 90);
const incidents = [
  incident('memory_leak', 'api-gateway', minuteAligned(realNow - 24 * MINUTE)),
  incident('error_spike', 'payment-service', minuteAligned(realNow - 6 * MINUTE)),
];

let local: LocalAzure;
let client: LogsQueryClient;
let source: SimulatedClusterSource;
let feed: ContainerInsightsFeed;
let simNow = realNow - 25 * MINUTE;

async function query(kql: string): Promise<Array<Record<string, unknown>>> {
  const result = await client.queryWorkspace(local.workspaceId, kql, { duration: 'PT6H' });
  if (result.status !== LogsQueryResultStatus.Success) throw new Error(`query failed: ${kql}`);
  const table = result.tables[0];
  if (!table) return [];
  return table.rows.map((row) =>
    Object.fromEntries(table.columnDescriptors.map((c, i) => [c.name ?? String(i), row[i]])),
  );
}

const pods = () => [...source.list({ group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true })];
const status = (pod: Record<string, unknown>) => (pod as V1Pod).status?.containerStatuses?.[0];
const meta = (pod: Record<string, unknown>) => pod.metadata as { name: string; namespace: string; uid: string };

beforeAll(async () => {
  local = await startLocalAzureWithIdentity('.data/test-container-insights');
  client = new LogsQueryClient(new ManagedIdentityCredential(), { endpoint: local.logAnalyticsEndpoint });

  source = createSimulatedClusterSource({
    seed: 42,
    clusterName: 'aks-sim',
    clusterId: CLUSTER_ID,
    getIncidents: () => incidents,
    now: () => new Date(simNow),
  });
  feed = startContainerInsightsFeed({
    source,
    localAzure: local,
    clusterId: CLUSTER_ID,
    intervalMs: 0,
    now: () => new Date(simNow),
  });
  // 25 minutes of the cluster's life, collected every 30 s like the agent, ending at the real present (the query
  // endpoint's ago() and timespan use the real clock).
  for (; simNow <= Date.now() - 1000; simNow += 30_000) {
    await source.refresh();
    await feed.tick();
  }
});

afterAll(async () => {
  feed?.stop();
  await stopLocalAzureWithIdentity(local);
});

describe('an OOM-killed container through the diagnostics queries', () => {
  const oomPod = () => {
    const pod = pods().find((p) => status(p)?.lastState?.terminated?.reason === 'OOMKilled');
    if (!pod) throw new Error('the memory leak produced no OOM-killed pod');
    return pod;
  };

  it('restartHistory (KubePodInventory) shows the restart count the API shows and lastState OOMKilled', async () => {
    const pod = oomPod();
    const { name, namespace, uid } = meta(pod);
    const rows = await query(KQL_QUERIES.restartHistory({ clusterId: CLUSTER_ID, namespace, pod: name }));
    expect(rows).toHaveLength(1);
    const row = rows[0] ?? {};
    expect(row.ContainerName).toBe(`${uid}/api-gateway`);
    expect(row.ContainerRestartCount).toBe(status(pod)?.restartCount);
    expect(row.ContainerRestartCount).toBeGreaterThan(0);
    expect(JSON.parse(String(row.ContainerLastStatus))).toMatchObject({ lastState: 'terminated', reason: 'OOMKilled' });
    expect(row.PodStatus).toBe('Running');
  });

  it('memoryWorkingSet peaks near the limit that memoryLimit (Perf) records', async () => {
    const { uid } = meta(oomPod());
    const args = { clusterId: CLUSTER_ID, podUid: uid, container: 'api-gateway' };
    const [peak] = await query(KQL_QUERIES.memoryWorkingSet(args));
    const [limit] = await query(KQL_QUERIES.memoryLimit(args));
    expect(limit?.max_CounterValue).toBe(LIMIT_512MI);
    expect(Number(peak?.max_CounterValue)).toBeGreaterThan(0.85 * LIMIT_512MI);
    expect(Number(peak?.max_CounterValue)).toBeLessThanOrEqual(LIMIT_512MI);
  });

  it('finds the same history when the alert names the cluster in lower case, as Azure Monitor alerts do', async () => {
    const pod = oomPod();
    const { history } = await gatherContainerInsightsHistory(
      client,
      { workspaceId: local.workspaceId },
      {
        clusterId: CLUSTER_ID.toLowerCase(),
        pod,
      },
    );
    expect(history.find((h) => h.kind === 'restarts')?.restarts).toBe(status(pod)?.restartCount);
    expect(history.find((h) => h.kind === 'memory')?.memoryBytes).toBeGreaterThan(0.85 * LIMIT_512MI);
  });

  it.each([
    ['resource-centric on the cluster id (every workspace it sends to)', { resourceId: CLUSTER_ID.toLowerCase() }],
    ['on the workspace', { workspaceId: '' }],
  ])(
    "gatherContainerInsightsHistory (the diagnostics' evidence), %s, finds restarts and memory, with no gaps",
    async (_how, scope) => {
      const pod = oomPod();
      const { history, gaps } = await gatherContainerInsightsHistory(
        client,
        'workspaceId' in scope ? { workspaceId: local.workspaceId } : scope,
        { clusterId: CLUSTER_ID, pod },
      );
      expect(gaps).toEqual([]);
      const restarts = history.find((h) => h.kind === 'restarts');
      expect(restarts?.restarts).toBe(status(pod)?.restartCount);
      expect(restarts?.detail).toContain('OOMKilled');
      const memory = history.find((h) => h.kind === 'memory');
      expect(memory?.memoryBytes).toBeGreaterThan(0.85 * LIMIT_512MI);
    },
  );

  it('the kernel OOM events are in KubeEvents, each version sent once rather than on every collection', async () => {
    const versions = await query(
      'KubeEvents | where Reason == "OOMKilling" and ObjectKind == "Node" | summarize count() by Name, Message, Count, LastSeen',
    );
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.filter((v) => v.count_ !== 1)).toEqual([]);
    const [total] = await query('KubeEvents | count');
    const collections = Math.floor((simNow - (realNow - 25 * MINUTE)) / 30_000);
    expect(Number(total?.Count)).toBeLessThan(collections * 3);
  });

  it("the terminated container's last log lines are in ContainerLogV2 (recentLogs)", async () => {
    const { name, namespace } = meta(oomPod());
    const rows = await query(
      KQL_QUERIES.recentLogs({ clusterId: CLUSTER_ID, namespace, pod: name, container: 'api-gateway' }),
    );
    expect(rows.map((r) => String(r.LogMessage)).some((m) => m.includes('WARN heap usage 87% of limit'))).toBe(true);
  });
});

describe('error lines of a running service', () => {
  it('recentLogs returns each error line once, though the log was read on every collection', async () => {
    const pod = pods().find((p) => meta(p).name.startsWith('payment-service-') && status(p)?.state?.running);
    if (!pod) throw new Error('no running payment-service pod');
    const { name, namespace } = meta(pod);
    const rows = await query(
      KQL_QUERIES.recentLogs({ clusterId: CLUSTER_ID, namespace, pod: name, container: 'payment-service' }),
    );
    const errors = rows.map((r) => String(r.LogMessage)).filter((m) => m.includes(' 503 upstream connect error'));
    expect(errors.length).toBeGreaterThanOrEqual(10); // one every 15 s over the last ~6 minutes
    expect(new Set(errors).size).toBe(errors.length);
    const { history } = await gatherContainerInsightsHistory(
      client,
      { resourceId: CLUSTER_ID },
      {
        clusterId: CLUSTER_ID,
        pod,
      },
    );
    expect(history.filter((h) => h.kind === 'errorLogs').length).toBeGreaterThan(0);
  });
});

describe('inventory over time', () => {
  it('every pod and node is inventoried on every collection, nodes Ready', async () => {
    const collections = Math.floor((simNow - (realNow - 25 * MINUTE)) / 30_000);
    const podRows = await query(
      'KubePodInventory | where ClusterName == "aks-sim" | summarize count() by Name | summarize max(count_), min(count_)',
    );
    // Pods that existed throughout were seen on each collection.
    expect(podRows[0]?.max_count_).toBe(collections);
    const nodes = await query('KubeNodeInventory | summarize arg_max(TimeGenerated, Status), count() by Computer');
    expect(nodes.length).toBeGreaterThan(1);
    for (const n of nodes) {
      expect(String(n.Status)).toContain('Ready');
      expect(n.count_).toBe(collections);
    }
  });
});

describe('retention', () => {
  it('keeps only the last `retention` minutes and at most maxRowsPerTable rows per table', async () => {
    const published: Record<string, LogRow[]> = {};
    let t = realNow - 30 * MINUTE;
    const small = startContainerInsightsFeed({
      source,
      localAzure: { setLogAnalyticsRows: (table, rows) => (published[table] = rows) },
      clusterId: CLUSTER_ID,
      intervalMs: 0,
      retention: 10,
      maxRowsPerTable: 300,
      now: () => new Date(t),
    });
    for (; t <= realNow - 10 * MINUTE; t += 2 * MINUTE) await small.tick();
    small.stop();
    const last = t - 2 * MINUTE;
    const times = (published.KubePodInventory ?? []).map((r) => Date.parse(String(r.TimeGenerated)));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(last - 10 * MINUTE);
    expect(Math.max(...times)).toBe(last);
    expect(Math.max(...(published.Perf ?? []).map((r) => Date.parse(String(r.TimeGenerated))))).toBe(last);
    expect(published.Perf).toHaveLength(300); // the newest rows: several collections hold more
    expect(small.rowCounts().Perf).toBe(published.Perf?.length);
  });

  it('rejects a retention that is not a positive number of minutes', () => {
    expect(() =>
      startContainerInsightsFeed({
        source,
        localAzure: { setLogAnalyticsRows: () => undefined },
        clusterId: CLUSTER_ID,
        retention: 0,
      }),
    ).toThrow(/retention/);
  });
});
