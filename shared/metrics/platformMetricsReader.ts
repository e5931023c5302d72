// AKS platform metrics through @azure/monitor-query-metrics (MetricsClient.queryResources: the Azure Monitor
// metrics data-plane batch API, POST {regional endpoint}/subscriptions/{id}/metrics:getBatch). Every cluster has
// them, so every cluster the identity can read gets anomaly detection even without Container Insights or managed
// Prometheus: per node CPU, memory working set and disk percentage (split by the `node` dimension), and the
// cluster's pods by phase (Pending and Failed: Running and Succeeded move with scaling and Jobs, not with trouble).
// Needs the Monitoring Reader role (or any role with Microsoft.Insights/metrics/read) on the cluster.
import type {
  MetricsClient,
  MetricsQueryResourcesOptions,
  MetricsQueryResult,
  TimeSeriesElement,
} from '@azure/monitor-query-metrics';
import { withTimeout } from '../outbound/timeouts.js';
import { AKS_METRIC_NAMESPACE, AKS_PLATFORM_METRICS } from './platformMetricCatalogue.js';
import type { MetricPoint, MetricReader, MetricSeries } from './types.js';

export interface PlatformMetricsReaderOptions {
  client: MetricsClient;
  /** ISO 8601 interval of the bins (default PT1M, the platform metrics' finest grain). */
  interval?: string;
  timeoutMs?: number;
}

const NODE_METRICS = [
  { name: 'node_cpu_usage_percentage', metric: 'node-cpu' },
  { name: 'node_memory_working_set_percentage', metric: 'node-memory' },
  { name: 'node_disk_usage_percentage', metric: 'node-disk' },
] as const;
const PHASES = [
  { phase: 'Pending', metric: 'pods-pending' },
  { phase: 'Failed', metric: 'pods-failed' },
] as const;

function dimension(series: TimeSeriesElement, name: string): string | undefined {
  return series.metadatavalues?.find((m) => m.name?.toLowerCase() === name)?.value;
}

/** The SDK names a metric by its localized name when Azure sends one ("CPU Usage Percentage"), else by its name. */
function sameMetric(returned: string, name: string): boolean {
  const def = AKS_PLATFORM_METRICS.find((d) => d.name === name);
  return returned === name || (def !== undefined && returned === def.displayName);
}

function pointsOf(series: TimeSeriesElement, pick: 'average' | 'total'): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const d of series.data ?? []) {
    const v = d[pick];
    // A bin with no samples has only its timeStamp (Azure Monitor omits the aggregates): a gap, not a zero.
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ t: d.timeStamp.getTime(), v });
  }
  return out;
}

/** The REST request that reproduces one metric (a person can paste it into `az rest`). */
export function platformMetricsRequest(
  clusterId: string,
  metric: string,
  window: { from: Date; to: Date },
  interval: string,
  aggregation: string,
  filter: string,
): string {
  const subscription = /\/subscriptions\/([^/]+)/i.exec(clusterId)?.[1] ?? '';
  const q = new URLSearchParams({
    'api-version': '2024-02-01',
    metricnamespace: AKS_METRIC_NAMESPACE,
    metricnames: metric,
    starttime: window.from.toISOString(),
    endtime: window.to.toISOString(),
    interval,
    aggregation,
    filter,
  });
  return `POST https://<region>.metrics.monitor.azure.com/subscriptions/${subscription}/metrics:getBatch?${q.toString()} {"resourceids":["${clusterId}"]}`;
}

export function createPlatformMetricsReader(options: PlatformMetricsReaderOptions): MetricReader {
  const interval = options.interval ?? 'PT1M';
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    source: 'platform-metrics',
    async read(clusterId, window, readOptions = {}) {
      const call = (names: string[], aggregation: string, filter: string) =>
        withTimeout('Azure Monitor metrics query', timeoutMs, readOptions.abortSignal, (signal) => {
          // The options are spread into the SDK's operation options, which honour abortSignal (the public type
          // does not list it). `top` defaults to 10 series when a filter splits by a dimension: ask for more.
          const queryOptions: MetricsQueryResourcesOptions & { abortSignal: AbortSignal } = {
            startTime: window.from,
            endTime: window.to,
            interval,
            aggregation,
            filter,
            top: 1000,
            abortSignal: signal,
          };
          return options.client.queryResources([clusterId], names, AKS_METRIC_NAMESPACE, queryOptions);
        });
      const [nodes, pods] = await Promise.all([
        call(
          NODE_METRICS.map((m) => m.name),
          'Average',
          "node eq '*'",
        ),
        call(['kube_pod_status_phase'], 'Average', "phase eq '*'"),
      ]);
      const out: MetricSeries[] = [];
      const metricsOf = (results: MetricsQueryResult[]) => results.flatMap((r) => r.metrics ?? []);
      for (const m of metricsOf(nodes)) {
        const known = NODE_METRICS.find((n) => sameMetric(m.name, n.name));
        if (!known) continue;
        for (const series of m.timeseries ?? []) {
          const node = dimension(series, 'node');
          if (!node) continue;
          out.push({
            metric: known.metric,
            unit: 'percent',
            subject: { kind: 'node', name: node },
            source: 'platform-metrics',
            query: platformMetricsRequest(clusterId, known.name, window, interval, 'Average', `node eq '${node}'`),
            points: pointsOf(series, 'average'),
          });
        }
      }
      for (const m of metricsOf(pods)) {
        if (!sameMetric(m.name, 'kube_pod_status_phase')) continue;
        for (const series of m.timeseries ?? []) {
          const phase = dimension(series, 'phase');
          const known = PHASES.find((p) => p.phase.toLowerCase() === phase?.toLowerCase());
          if (!known) continue;
          out.push({
            metric: known.metric,
            unit: 'count',
            subject: { kind: 'cluster', name: clusterId.split('/').pop() ?? clusterId },
            source: 'platform-metrics',
            query: platformMetricsRequest(
              clusterId,
              'kube_pod_status_phase',
              window,
              interval,
              'Average',
              `phase eq '${known.phase}'`,
            ),
            points: pointsOf(series, 'average'),
          });
        }
      }
      return out.filter((s) => s.points.length > 0);
    },
  };
}
