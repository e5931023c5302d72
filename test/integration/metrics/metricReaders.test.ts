// The metric readers against the local stand-ins with the real SDK clients and the managed identity: the Container
// Insights reader (LogsQueryClient, resource-centric) and the platform metrics reader (MetricsClient,
// metrics:getBatch) turn the simulated cluster's rows and samples into per-workload and per-node series; the
// metrics stand-in answers an unknown metric name with Azure's 400 BadRequest text, through the SDK's RestError.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ManagedIdentityCredential } from '@azure/identity';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import { MetricsClient } from '@azure/monitor-query-metrics';
import type { LocalAzure } from '../../../dev/standins/localAzure.js';
import { startLocalAzureWithIdentity, stopLocalAzureWithIdentity } from '../../support/localAzureIdentity.js';
import { snapshotFromSource, startContainerInsightsFeed } from '../../../dev/local/containerInsightsFeed.js';
import { createSimulatedClusterSource } from '../../../shared/simulator/cluster/simulatedClusterSource.js';
import { createContainerInsightsReader } from '../../../shared/metrics/containerInsightsReader.js';
import { createPlatformMetricsReader } from '../../../shared/metrics/platformMetricsReader.js';
import { AKS_METRIC_NAMESPACE } from '../../../shared/metrics/platformMetricCatalogue.js';
import type { MetricSeries } from '../../../shared/metrics/types.js';

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const MINUTE = 60_000;
const HISTORY_MINUTES = 30;

let local: LocalAzure;
let credential: ManagedIdentityCredential;
let window: { from: Date; to: Date };

beforeAll(async () => {
  local = await startLocalAzureWithIdentity('.data/test-metric-readers');
  credential = new ManagedIdentityCredential();
  const simulated = (now?: () => Date) =>
    createSimulatedClusterSource({
      seed: 7,
      clusterName: 'aks-sim',
      clusterId: CLUSTER_ID,
      getIncidents: () => [],
      now,
    });
  const feed = startContainerInsightsFeed({
    source: simulated(),
    localAzure: local,
    clusterId: CLUSTER_ID,
    intervalMs: 0,
    backfillMinutes: HISTORY_MINUTES,
    snapshotAt: async (time) => {
      const past = simulated(() => time);
      await past.refresh();
      return snapshotFromSource(past);
    },
  });
  await feed.tick();
  feed.stop();
  window = { from: new Date(Date.now() - 60 * MINUTE), to: new Date() };
});

afterAll(async () => {
  await stopLocalAzureWithIdentity(local);
});

const find = (series: MetricSeries[], metric: string, name: string) =>
  series.find((s) => s.metric === metric && s.subject.name === name);
const increasing = (s: MetricSeries | undefined) => (s?.points ?? []).every((p, i, a) => i === 0 || a[i - 1]!.t < p.t);

describe('Container Insights reader (LogsQueryClient, resource-centric)', () => {
  it('reads per-workload usage, inventory counts and per-node percentages, one point a minute', async () => {
    const reader = createContainerInsightsReader({
      client: new LogsQueryClient(credential, { endpoint: local.logAnalyticsEndpoint }),
    });
    const series = await reader.read(CLUSTER_ID, window);
    const cpu = find(series, 'cpu-usage', 'api-gateway');
    expect(cpu).toMatchObject({ unit: 'cores', source: 'container-insights', subject: { kind: 'workload' } });
    expect(cpu?.subject.workloadKind).toBe('Deployment');
    // 30 minutes computed a minute apart, plus the collection now.
    expect(cpu?.points.length).toBeGreaterThanOrEqual(HISTORY_MINUTES);
    expect(increasing(cpu)).toBe(true);
    expect(cpu?.reference?.request).toBeGreaterThan(0);
    expect(cpu?.query).toContain('cpuUsageNanoCores');
    const memory = find(series, 'memory-working-set', 'api-gateway');
    expect(memory?.reference?.limit).toBeGreaterThan(memory?.points[0]?.v ?? Infinity);
    const pods = find(series, 'pod-count', 'api-gateway');
    expect(pods?.points.every((p) => p.v >= 1)).toBe(true);
    expect(find(series, 'pods-not-ready', 'api-gateway')?.points.every((p) => p.v === 0)).toBe(true);
    expect(find(series, 'restarts', 'api-gateway')).toBeDefined();
    const nodes = series.filter((s) => s.metric === 'node-cpu');
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) expect(n.points.every((p) => p.v > 0 && p.v < 100)).toBe(true);
    const disk = series.filter((s) => s.metric === 'node-disk');
    expect(disk.map((s) => s.subject.name).sort()).toEqual(nodes.map((s) => s.subject.name).sort());
  });

  it('returns no series for a cluster that sends nothing', async () => {
    const reader = createContainerInsightsReader({
      client: new LogsQueryClient(credential, { endpoint: local.logAnalyticsEndpoint }),
    });
    expect(await reader.read(CLUSTER_ID.replace('aks-sim', 'aks-other'), window)).toEqual([]);
  });
});

describe('platform metrics reader (MetricsClient, metrics:getBatch)', () => {
  it('reads node percentages split by node and the cluster pods by phase', async () => {
    const reader = createPlatformMetricsReader({ client: new MetricsClient(local.metricsEndpoint, credential) });
    const series = await reader.read(CLUSTER_ID, window);
    const cpu = series.filter((s) => s.metric === 'node-cpu');
    expect(cpu.length).toBeGreaterThan(0);
    for (const s of cpu) {
      expect(s).toMatchObject({ unit: 'percent', source: 'platform-metrics', subject: { kind: 'node' } });
      expect(s.points.length).toBeGreaterThanOrEqual(HISTORY_MINUTES);
      expect(s.query).toContain('metricnames=node_cpu_usage_percentage');
    }
    expect(series.filter((s) => s.metric === 'node-memory').length).toBe(cpu.length);
    expect(series.filter((s) => s.metric === 'node-disk').length).toBe(cpu.length);
  });

  it('counts pods per phase (the per-pod samples summed per timestamp)', async () => {
    const client = new MetricsClient(local.metricsEndpoint, credential);
    const [result] = await client.queryResources([CLUSTER_ID], ['kube_pod_status_phase'], AKS_METRIC_NAMESPACE, {
      startTime: window.from,
      endTime: window.to,
      interval: 'PT5M',
      aggregation: 'Average',
      filter: "phase eq 'Running'",
    });
    const points = (result?.metrics[0]?.timeseries[0]?.data ?? []).filter((d) => d.average !== undefined);
    expect(points.length).toBeGreaterThan(0);
    for (const d of points) expect(d.average).toBeGreaterThan(5);
  });

  it('answers an unknown metric name with 400 BadRequest as Azure does', async () => {
    const client = new MetricsClient(local.metricsEndpoint, credential);
    const error = await client
      .queryResources([CLUSTER_ID], ['node_cpu_usage_percent'], AKS_METRIC_NAMESPACE, { interval: 'PT1M' })
      .then(
        () => undefined,
        (err: unknown) => err as { statusCode?: number; message?: string },
      );
    expect(error?.statusCode).toBe(400);
    expect(error?.message).toContain(
      'Failed to find metric configuration for provider: microsoft.containerservice, resource Type: managedclusters, metric: node_cpu_usage_percent, Valid metrics: node_cpu_usage_percentage,',
    );
  });
});
