// The sweep's anomaly detection on the cluster's own metrics: reads the last ANOMALY_WINDOW_MINUTES of every series
// the cluster's sources offer, scores each with the streaming detector (scoreSeries.ts: the window is re-scored on
// every sweep, no state is stored) and reports an `anomaly.<metric>` finding for each series whose newest minutes
// broke its baseline. The findings go through the sweep's lifecycle, scores, tables and workbook like any other.
//
// Sources, in order (a series two sources both offer is taken from the first):
//   1. Container Insights, when the cluster sends to a Log Analytics workspace (the omsagent / monitoring addon, or
//      a data collection rule: addonProfiles.omsagent.enabled in ARM);
//   2. managed Prometheus, when the cluster has an Azure Monitor workspace (azureMonitorProfile.metrics.enabled);
//   3. AKS platform metrics, always: every cluster the identity sees gets anomaly detection.
import type { TokenCredential } from '@azure/identity';
import type { ManagedCluster } from '@azure/arm-containerservice';
import { MetricsClient } from '@azure/monitor-query-metrics';
import { getManagedIdentityCredential } from '../azure/credential.js';
import { createLogsQueryClient } from '../azure/logsQuery.js';
import type { AppConfig } from '../config/config.js';
import { ensureErrorType } from '../errors.js';
import type { FindingDraft } from '../sweep/analyzer.js';
import { checkEntry } from '../sweep/catalogue.js';
import { PrometheusReader } from './prometheusReader.js';
import type { ClusterSignalInput, ClusterSignalResult, ClusterSignalSource } from '../sweep/clusterSignals.js';
import { createContainerInsightsReader } from './containerInsightsReader.js';
import { describeVerdict } from './anomalyFinding.js';
import { createPlatformMetricsReader } from './platformMetricsReader.js';
import { scoreSeries } from './scoreSeries.js';
import type { MetricReader, MetricSeries } from './types.js';

/** The cluster sends Container Insights to a workspace (monitoring addon; its ARM key is `omsagent`, any case). */
export function sendsContainerInsights(cluster: ManagedCluster | undefined): boolean {
  const addons = cluster?.addonProfiles ?? {};
  return Object.entries(addons).some(([name, p]) => name.toLowerCase() === 'omsagent' && p.enabled);
}

/** The cluster scrapes into an Azure Monitor workspace (managed Prometheus). */
export function hasManagedPrometheus(cluster: ManagedCluster | undefined): boolean {
  return cluster?.azureMonitorProfile?.metrics?.enabled === true;
}

/** The regional metrics endpoint of the cluster, or the configured one (a stand-in under npm start). */
export function metricsEndpointFor(config: Pick<AppConfig, 'METRICS_ENDPOINT'>, cluster?: ManagedCluster): string {
  if (config.METRICS_ENDPOINT) return config.METRICS_ENDPOINT;
  const location = (cluster?.location ?? '').toLowerCase().replace(/\s+/g, '');
  if (!location) throw new Error('the cluster location is unknown, so its regional metrics endpoint is too');
  return `https://${location}.metrics.monitor.azure.com`;
}

export type ReadersFor = (input: ClusterSignalInput) => MetricReader[];

/** The readers of one cluster, in source order (see the header). */
export const defaultReaders: ReadersFor = (input) => {
  const { config, cluster } = input;
  const credential: TokenCredential = input.credential ?? getManagedIdentityCredential(config);
  const readers: MetricReader[] = [];
  if (sendsContainerInsights(cluster)) {
    readers.push(
      createContainerInsightsReader({
        client: createLogsQueryClient(config, credential),
        workspaceId: config.CONTAINER_INSIGHTS_QUERY === 'workspace' ? config.LOG_ANALYTICS_WORKSPACE_ID : undefined,
      }),
    );
  }
  // Managed Prometheus: the workspace's query endpoint is configured (one workspace serves a fleet; series are
  // selected by the `cluster` label), read only for clusters that scrape into it.
  if (hasManagedPrometheus(cluster) && config.PROMETHEUS_QUERY_ENDPOINT)
    readers.push(new PrometheusReader(config.PROMETHEUS_QUERY_ENDPOINT, credential));
  let endpoint: string;
  try {
    endpoint = metricsEndpointFor(config, cluster);
  } catch (err) {
    // Still read the other sources; the sweep's errors say why the platform metrics were not.
    readers.push({ source: 'platform-metrics', read: () => Promise.reject(ensureErrorType(err)) });
    return readers;
  }
  readers.push(createPlatformMetricsReader({ client: new MetricsClient(endpoint, credential) }));
  return readers;
};

const seriesKey = (s: MetricSeries) =>
  [s.metric, s.subject.kind, s.subject.namespace ?? '', s.subject.name.toLowerCase(), s.subject.container ?? ''].join(
    '|',
  );

export function createAnomalySignalSource(readersFor: ReadersFor = defaultReaders): ClusterSignalSource {
  return {
    name: 'metrics',
    async collect(input: ClusterSignalInput): Promise<ClusterSignalResult> {
      const { config } = input;
      if (!config.ANOMALY_DETECTION) return { drafts: [], errors: [] };
      const window = { from: new Date(input.now.getTime() - config.ANOMALY_WINDOW_MINUTES * 60_000), to: input.now };
      const errors: string[] = [];
      const seen = new Set<string>();
      const series: MetricSeries[] = [];
      let readers: MetricReader[] = [];
      try {
        readers = readersFor(input);
      } catch (err) {
        errors.push(`metrics: ${ensureErrorType(err).message}`);
      }
      for (const reader of readers) {
        try {
          for (const s of await reader.read(input.clusterId, window, { abortSignal: input.abortSignal })) {
            const key = seriesKey(s);
            if (seen.has(key)) continue;
            seen.add(key);
            series.push(s);
          }
        } catch (err) {
          if (input.abortSignal.aborted) throw err;
          errors.push(`metrics: ${reader.source}: ${ensureErrorType(err).message}`);
        }
      }
      const drafts: FindingDraft[] = [];
      const options = {
        now: input.now,
        recentMs: config.ANOMALY_RECENT_MINUTES * 60_000,
        minChange: config.ANOMALY_MIN_CHANGE_PERCENT / 100,
      };
      for (const s of series) {
        const verdict = scoreSeries(s, options);
        if (!verdict) continue;
        const entry = checkEntry(`anomaly.${s.metric}`);
        drafts.push(describeVerdict(verdict, entry));
      }
      input.logger?.info('anomaly detection', {
        clusterId: input.clusterId,
        series: series.length,
        findings: drafts.length,
      });
      return { drafts, errors };
    },
  };
}
