// Azure Monitor managed Prometheus through the workspace's PromQL query endpoint (Prometheus HTTP API
// /api/v1/query_range; learn.microsoft.com/azure/azure-monitor/essentials/prometheus-api-promql): plain fetch with an
// Entra token of the app's managed identity for https://prometheus.monitor.azure.com (the identity needs Monitoring
// Data Reader on the Azure Monitor workspace). Every series is one reproducible PromQL expression, quoted in
// MetricSeries.query so a person can paste it into the workspace's PromQL explorer or Grafana.
//
// The endpoint comes from configuration (PROMETHEUS_QUERY_ENDPOINT), not from ARM discovery: the cluster's
// azureMonitorProfile only says managed Prometheus is on; the workspace is reached through the cluster's data
// collection rule association (DCRA -> DCR -> monitoringAccounts destination -> the workspace's
// properties.metrics.prometheusQueryEndpoint), and one workspace usually serves a whole fleet. Managed Prometheus
// labels every series with `cluster` (the cluster name), so one endpoint serves every cluster sending to it.
//
// Labels are the ones ama-metrics' default targets give: cAdvisor and kube-state-metrics series carry namespace, pod
// and container; applications' HTTP series (http_requests_total by code, http_request_duration_seconds histogram)
// carry the pod they were scraped from.
import type { TokenCredential } from '@azure/core-auth';
import { z } from 'zod';
import { RemoteServiceError } from '../errors.js';
import { clusterNameFromId } from '../kube/vocabulary/armId.js';
import { OUTBOUND_TIMEOUT_MS, withTimeout } from '../outbound/timeouts.js';
import type { MetricReader, MetricReadOptions, MetricSeries, MetricSubject } from './types.js';

export const PROMETHEUS_SCOPE = 'https://prometheus.monitor.azure.com/.default';

/**
 * Range of rate(): four scrape intervals of managed Prometheus's default 30 s, so a change shows within a couple of
 * minutes (a 5-minute range would spread the first minutes of an incident over five).
 */
const RATE_WINDOW = '2m';

/** A workload the reader can select pods of (pods are named after their controller). */
export interface WorkloadRef {
  namespace: string;
  name: string;
  /** Deployment (default), StatefulSet, DaemonSet, ReplicaSet or Job: decides the pod-name pattern. */
  kind?: string;
}

export interface PrometheusReaderOptions {
  /** Seconds between points (default 60: the managed Prometheus default scrape interval is 30 s). */
  stepSeconds?: number;
  fetch?: typeof fetch;
}

const matrixSchema = z.object({
  status: z.literal('success'),
  data: z.object({
    resultType: z.literal('matrix'),
    result: z.array(
      z.object({
        metric: z.record(z.string(), z.string()),
        values: z.array(z.tuple([z.number(), z.string()])),
      }),
    ),
  }),
});
const errorSchema = z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() });

export type PromMatrix = z.infer<typeof matrixSchema>['data']['result'];

/** Pod names of a controller's pods, as an anchored RE2 pattern (Prometheus anchors label regexes). */
export function podPattern(workload: WorkloadRef): string {
  const name = workload.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  switch (workload.kind) {
    case 'StatefulSet':
      return `${name}-[0-9]+`;
    case 'DaemonSet':
    case 'Job':
      return `${name}-[a-z0-9]{5}`;
    case 'ReplicaSet':
      return `${name}-[a-z0-9]{5}`;
    default:
      // Deployment pods: <deployment>-<pod-template-hash>-<5 chars> (kube-controller-manager naming).
      return `${name}-[a-z0-9]{6,10}-[a-z0-9]{5}`;
  }
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The PromQL of every series the reader reads for one workload, by metric name. The HPA series assume the
 * HorizontalPodAutoscaler is named after its workload (the usual convention; kube-state-metrics has no target label).
 */
export function workloadQueries(cluster: string, w: WorkloadRef): Record<WorkloadMetric, WorkloadQuery> {
  const sel = `cluster=${quote(cluster)}, namespace=${quote(w.namespace)}, pod=~${quote(podPattern(w))}`;
  const containers = `${sel}, container!="", container!="POD"`;
  const hpa = `cluster=${quote(cluster)}, namespace=${quote(w.namespace)}, horizontalpodautoscaler=${quote(w.name)}`;
  return {
    'cpu-usage': {
      unit: 'cores',
      query: `sum(rate(container_cpu_usage_seconds_total{${containers}}[${RATE_WINDOW}]))`,
    },
    'cpu-request': { unit: 'cores', query: `sum(kube_pod_container_resource_requests{${sel}, resource="cpu"})` },
    'cpu-limit': { unit: 'cores', query: `sum(kube_pod_container_resource_limits{${sel}, resource="cpu"})` },
    'cpu-throttled-ratio': {
      unit: 'ratio',
      query: `sum(rate(container_cpu_cfs_throttled_periods_total{${containers}}[${RATE_WINDOW}])) / sum(rate(container_cpu_cfs_periods_total{${containers}}[${RATE_WINDOW}]))`,
    },
    'memory-working-set': { unit: 'bytes', query: `sum(container_memory_working_set_bytes{${containers}})` },
    'memory-limit': { unit: 'bytes', query: `sum(kube_pod_container_resource_limits{${sel}, resource="memory"})` },
    restarts: {
      unit: 'count',
      query: `sum(increase(kube_pod_container_status_restarts_total{${sel}}[${RATE_WINDOW}]))`,
    },
    'request-rate': { unit: 'per-second', query: `sum(rate(http_requests_total{${sel}}[${RATE_WINDOW}]))` },
    'error-rate': {
      unit: 'ratio',
      query: `sum(rate(http_requests_total{${sel}, code=~"5.."}[${RATE_WINDOW}])) / sum(rate(http_requests_total{${sel}}[${RATE_WINDOW}]))`,
    },
    'latency-p95': {
      unit: 'seconds',
      query: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${RATE_WINDOW}])))`,
    },
    'hpa-current-replicas': {
      unit: 'count',
      query: `sum(kube_horizontalpodautoscaler_status_current_replicas{${hpa}})`,
    },
    'hpa-desired-replicas': {
      unit: 'count',
      query: `sum(kube_horizontalpodautoscaler_status_desired_replicas{${hpa}})`,
    },
    'hpa-max-replicas': { unit: 'count', query: `sum(kube_horizontalpodautoscaler_spec_max_replicas{${hpa}})` },
  };
}

export type WorkloadMetric =
  | 'cpu-usage'
  | 'cpu-request'
  | 'cpu-limit'
  | 'cpu-throttled-ratio'
  | 'memory-working-set'
  | 'memory-limit'
  | 'restarts'
  | 'request-rate'
  | 'error-rate'
  | 'latency-p95'
  | 'hpa-current-replicas'
  | 'hpa-desired-replicas'
  | 'hpa-max-replicas';

export interface WorkloadQuery {
  unit: MetricSeries['unit'];
  query: string;
}

/** Series that only give context (limits, requests): folded into `reference`, not returned on their own. */
const REFERENCE_ONLY: WorkloadMetric[] = ['cpu-request', 'cpu-limit', 'memory-limit'];

function lastValue(series: MetricSeries | undefined): number | undefined {
  const v = series?.points[series.points.length - 1]?.v;
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

export class PrometheusReader implements MetricReader {
  readonly source = 'prometheus' as const;
  private readonly endpoint: string;
  private readonly stepSeconds: number;
  private readonly fetchFn: typeof fetch;

  constructor(
    endpoint: string,
    private readonly credential: TokenCredential,
    options: PrometheusReaderOptions = {},
  ) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    this.stepSeconds = options.stepSeconds ?? 60;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** POST /api/v1/query_range (form-encoded: long expressions stay out of URLs and logs). */
  async queryRange(
    query: string,
    window: { from: Date; to: Date },
    options: MetricReadOptions & { stepSeconds?: number } = {},
  ): Promise<PromMatrix> {
    return withTimeout('Prometheus query', OUTBOUND_TIMEOUT_MS.prometheus, options.abortSignal, async (signal) => {
      const token = await this.credential.getToken(PROMETHEUS_SCOPE, { abortSignal: signal });
      if (!token) throw new RemoteServiceError('no token for the Azure Monitor workspace', { statusCode: 401 });
      const body = new URLSearchParams({
        query,
        start: (window.from.getTime() / 1000).toFixed(3),
        end: (window.to.getTime() / 1000).toFixed(3),
        step: String(options.stepSeconds ?? this.stepSeconds),
      });
      const res = await this.fetchFn(`${this.endpoint}/api/v1/query_range`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal,
      });
      const json: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        const err = errorSchema.safeParse(json);
        const retryAfter = Number(res.headers.get('retry-after'));
        // The error text is the service's (it can quote the query): keep only the class for callers and logs.
        throw Object.assign(
          new RemoteServiceError(
            `the Prometheus query endpoint answered ${res.status}${err.success ? ` ${err.data.errorType}` : ''}`,
            {
              statusCode: res.status,
              ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
            },
          ),
          err.success ? { code: err.data.errorType.replace(/[^A-Za-z]/g, '') } : {},
        );
      }
      const parsed = matrixSchema.safeParse(json);
      if (!parsed.success)
        throw new RemoteServiceError('the Prometheus query endpoint answered an unexpected body', { statusCode: 502 });
      return parsed.data.data.result;
    });
  }

  /**
   * Every series of one workload over the window (points every stepSeconds); series the workspace has no data for
   * are left out. CPU usage carries its request and limit, memory its limit, as `reference`.
   */
  async readWorkload(
    clusterId: string,
    workload: WorkloadRef,
    window: { from: Date; to: Date },
    options: MetricReadOptions & { metrics?: WorkloadMetric[] } = {},
  ): Promise<MetricSeries[]> {
    const cluster = clusterNameFromId(clusterId) || clusterId;
    const queries = workloadQueries(cluster, workload);
    const wanted = options.metrics ?? (Object.keys(queries) as WorkloadMetric[]);
    const subject: MetricSubject = {
      kind: 'workload',
      namespace: workload.namespace,
      name: workload.name,
    };
    const read = await Promise.all(
      wanted.map(async (metric): Promise<MetricSeries | undefined> => {
        const q = queries[metric];
        const matrix = await this.queryRange(q.query, window, options);
        const first = matrix[0];
        if (!first) return undefined;
        const points = first.values
          .map(([t, v]) => ({ t: Math.round(t * 1000), v: Number(v) }))
          .filter((p) => Number.isFinite(p.v));
        return points.length > 0
          ? { metric, unit: q.unit, subject, source: 'prometheus', query: q.query, points }
          : undefined;
      }),
    );
    const byName = new Map(read.filter((s): s is MetricSeries => s !== undefined).map((s) => [s.metric, s]));
    const cpu = byName.get('cpu-usage');
    if (cpu) {
      const request = lastValue(byName.get('cpu-request'));
      const limit = lastValue(byName.get('cpu-limit'));
      if (request !== undefined || limit !== undefined)
        cpu.reference = { ...(request !== undefined ? { request } : {}), ...(limit !== undefined ? { limit } : {}) };
    }
    const memory = byName.get('memory-working-set');
    const memoryLimit = lastValue(byName.get('memory-limit'));
    if (memory && memoryLimit !== undefined) memory.reference = { limit: memoryLimit };
    return [...byName.values()].filter((s) => !REFERENCE_ONLY.includes(s.metric as WorkloadMetric));
  }

  /**
   * The whole cluster, per workload: finds the workloads from the pods cAdvisor reports CPU for, then reads each
   * one's CPU, memory, restarts, request rate, error rate and p95 latency.
   */
  async read(
    clusterId: string,
    window: { from: Date; to: Date },
    options: MetricReadOptions = {},
  ): Promise<MetricSeries[]> {
    const cluster = clusterNameFromId(clusterId) || clusterId;
    const pods = await this.queryRange(
      `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{cluster=${quote(cluster)}, container!="", container!="POD"}[${RATE_WINDOW}]))`,
      { from: new Date(window.to.getTime() - 10 * 60_000), to: window.to },
      options,
    );
    const workloads = new Map<string, WorkloadRef>();
    for (const p of pods) {
      const w = workloadOfPod(p.metric.namespace ?? '', p.metric.pod ?? '');
      if (w) workloads.set(`${w.namespace}/${w.name}`, w);
    }
    const metrics: WorkloadMetric[] = [
      'cpu-usage',
      'cpu-request',
      'cpu-limit',
      'memory-working-set',
      'memory-limit',
      'restarts',
      'request-rate',
      'error-rate',
      'latency-p95',
    ];
    const out: MetricSeries[] = [];
    for (const w of [...workloads.values()].sort((a, b) =>
      `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
    ))
      out.push(...(await this.readWorkload(clusterId, w, window, { ...options, metrics })));
    return out;
  }
}

/** The controller a pod name belongs to, from Kubernetes' naming of controller-created pods. */
export function workloadOfPod(namespace: string, pod: string): WorkloadRef | undefined {
  if (!namespace || !pod) return undefined;
  const deployment = /^(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}$/.exec(pod);
  if (deployment?.[1]) return { namespace, name: deployment[1], kind: 'Deployment' };
  const stateful = /^(.+)-[0-9]+$/.exec(pod);
  if (stateful?.[1]) return { namespace, name: stateful[1], kind: 'StatefulSet' };
  const daemon = /^(.+)-[a-z0-9]{5}$/.exec(pod);
  if (daemon?.[1]) return { namespace, name: daemon[1], kind: 'DaemonSet' };
  return undefined;
}
