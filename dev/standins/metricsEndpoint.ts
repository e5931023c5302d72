// Local Azure Monitor metrics data-plane API, the batch query @azure/monitor-query-metrics calls:
//   POST /subscriptions/{subscriptionId}/metrics:getBatch?api-version=2024-02-01&metricnamespace=…&metricnames=…
//        &starttime=…&endtime=…&interval=PT1M&aggregation=average&filter=node eq '*'&top=…   body {"resourceids":[…]}
// bearer token (see METRICS_AUDIENCES). Contract: the Azure REST spec "Metrics Batch" (Microsoft.Insights
// data plane, 2024-02-01: MetricResultsResponse {values: [{starttime, endtime, interval, namespace, resourceregion,
// resourceid, value: [Metric {id, type, name {value, localizedValue}, displayDescription, unit, errorCode,
// timeseries: [{metadatavalues: [{name {value, localizedValue}, value}], data: [{timeStamp, average, minimum, maximum,
// total, count}]}]}]}]}, errors as ErrorResponse {error: {code, message}}), and what Azure answers for an unknown
// metric name: 400 BadRequest "Failed to find metric configuration for provider: <ns>, resource Type: <type>, metric:
// <name>, Valid metrics: <list>" (as quoted in Azure/azure-sdk-for-net#29584). A bin without samples carries only its
// timeStamp; with a dimension filter, `top` (default 10) series are returned per metric.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  azureError,
  bearerToken,
  readBody,
  sendJson,
  takeFault,
  type HttpFault,
  type StandinHttpError,
} from './standinHttp.js';
import { isForbiddenAudience, verifyForAudiences } from './tokenIssuer.js';
import { parseIsoDuration } from './kql/timespan.js';
import { AKS_METRIC_NAMESPACE, AKS_PLATFORM_METRICS } from '../../shared/metrics/platformMetricCatalogue.js';

/**
 * Token audiences the data plane accepts: @azure/monitor-query-metrics asks for ARM's (its
 * KnownMonitorMetricsQueryAudience.AzurePublicCloud is https://management.azure.com); the service documents
 * https://metrics.monitor.azure.com too.
 */
export const METRICS_AUDIENCES = ['https://management.azure.com', 'https://metrics.monitor.azure.com'];
const API_VERSIONS = ['2023-10-01', '2024-02-01'];
const AGGREGATIONS = ['average', 'minimum', 'maximum', 'total', 'count'] as const;
type Aggregation = (typeof AGGREGATIONS)[number];
/** Time grains the platform metrics of managed clusters support. */
const INTERVALS = ['PT1M', 'PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT6H', 'PT12H', 'P1D'];

/** One sample of one platform metric: the value of one dimension combination at one time. */
export interface PlatformMetricSample {
  metric: string;
  t: number;
  dimensions: Record<string, string>;
  value: number;
}

export interface MetricsEndpointOptions {
  /** Samples per resource id (lower case). */
  samples: () => Map<string, PlatformMetricSample[]>;
  /** Region the resources live in (resourceregion). */
  region: string;
  faults: () => HttpFault | undefined;
  forbiddenAudiences: () => string[] | undefined;
}

function badRequest(message: string): StandinHttpError {
  return azureError(400, 'BadRequest', message);
}

interface Condition {
  dimension: string;
  values: string[];
}

/** `node eq '*' and phase eq 'Pending' or phase eq 'Failed'`: the ors of one dimension form one condition. */
function parseFilter(filter: string | null, known: readonly string[]): Condition[] {
  if (!filter) return [];
  const conditions = new Map<string, Condition>();
  for (const clause of filter.split(/\s+and\s+/i)) {
    for (const part of clause.split(/\s+or\s+/i)) {
      const m = /^\s*([\w.-]+)\s+eq\s+'([^']*)'\s*$/i.exec(part);
      if (!m) throw badRequest(`Invalid filter: '${filter}'. Expected <dimension> eq '<value>' joined by and/or.`);
      const dimension = (m[1] ?? '').toLowerCase();
      if (!known.includes(dimension))
        throw badRequest(`Metric dimension name '${m[1] ?? ''}' is not valid. Valid dimensions: ${known.join(',')}`);
      const c = conditions.get(dimension) ?? { dimension, values: [] };
      c.values.push(m[2] ?? '');
      conditions.set(dimension, c);
    }
  }
  return [...conditions.values()];
}

function aggregate(values: number[], how: Aggregation): number {
  if (how === 'count') return values.length;
  if (how === 'total') return values.reduce((a, b) => a + b, 0);
  if (how === 'minimum') return Math.min(...values);
  if (how === 'maximum') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function parseQuery(url: URL) {
  const apiVersion = url.searchParams.get('api-version');
  if (!apiVersion) throw badRequest('The api-version query parameter (?api-version=) is required for all requests.');
  if (!API_VERSIONS.includes(apiVersion))
    throw badRequest(
      `The api-version '${apiVersion}' is invalid. The supported versions are '${API_VERSIONS.join("','")}'.`,
    );
  const namespace = url.searchParams.get('metricnamespace') ?? '';
  if (namespace.toLowerCase() !== AKS_METRIC_NAMESPACE.toLowerCase())
    throw badRequest(
      `Metric namespace '${namespace}' is not supported by the local stand-in (only ${AKS_METRIC_NAMESPACE}).`,
    );
  const names = (url.searchParams.get('metricnames') ?? '').split(',').filter((n) => n !== '');
  if (names.length === 0) throw badRequest('metricnames is required.');
  const valid = AKS_PLATFORM_METRICS.map((m) => m.name);
  for (const name of names)
    if (!valid.some((v) => v.toLowerCase() === name.toLowerCase()))
      throw badRequest(
        `Failed to find metric configuration for provider: microsoft.containerservice, resource Type: managedclusters, metric: ${name}, Valid metrics: ${valid.join(',')}`,
      );
  const interval = (url.searchParams.get('interval') ?? 'PT1M').toUpperCase();
  if (!INTERVALS.includes(interval))
    throw badRequest(`Invalid interval '${interval}'. Supported time grains: ${INTERVALS.join(', ')}.`);
  const endText = url.searchParams.get('endtime');
  const startText = url.searchParams.get('starttime');
  const end = endText ? new Date(endText) : new Date();
  const start = startText ? new Date(startText) : new Date(end.getTime() - 3600_000);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start)
    throw badRequest(`Invalid time range: starttime '${startText ?? ''}', endtime '${endText ?? ''}'.`);
  const aggregations = (url.searchParams.get('aggregation') ?? 'average').split(',').map((a) => a.trim().toLowerCase());
  for (const a of aggregations)
    if (!(AGGREGATIONS as readonly string[]).includes(a))
      throw badRequest(`Invalid aggregation '${a}'. Valid aggregations: ${AGGREGATIONS.join(', ')}.`);
  const topText = url.searchParams.get('top');
  const top = topText ? Number(topText) : 10;
  if (!Number.isInteger(top) || top <= 0) throw badRequest(`Invalid top '${topText ?? ''}'.`);
  return {
    names,
    interval,
    start,
    end,
    aggregations: aggregations as Aggregation[],
    top,
    filter: url.searchParams.get('filter'),
  };
}

function authorize(req: IncomingMessage, options: MetricsEndpointOptions): void {
  const verdict = verifyForAudiences(bearerToken(req), METRICS_AUDIENCES);
  if (!verdict.ok) {
    throw azureError(401, 'InvalidAuthenticationToken', `The access token is invalid (${verdict.reason}).`);
  }
  if (isForbiddenAudience(METRICS_AUDIENCES, options.forbiddenAudiences())) {
    throw azureError(
      403,
      'AuthorizationFailed',
      "The client does not have authorization to perform action 'Microsoft.Insights/metrics/read'.",
    );
  }
}

export function createMetricsHandler(options: MetricsEndpointOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const match = /^\/subscriptions\/([^/]+)\/metrics:getBatch$/i.exec(url.pathname);
    if (!match) throw azureError(404, 'NotFound', `No route ${url.pathname}`);
    if (req.method !== 'POST') throw azureError(405, 'MethodNotAllowed', 'metrics:getBatch is POST.');
    authorize(req, options);
    const fault = takeFault(options.faults());
    if (fault) {
      throw azureError(
        fault.status,
        fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable',
        'Injected fault',
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
    }
    const q = parseQuery(url);
    const raw = await readBody(req, {
      maxBytes: 256 * 1024,
      tooLarge: () => badRequest('The request body is too large.'),
    });
    let ids: string[] = [];
    try {
      const body = JSON.parse(raw.toString('utf8')) as { resourceids?: unknown };
      if (Array.isArray(body.resourceids)) ids = body.resourceids.filter((x): x is string => typeof x === 'string');
    } catch {
      throw badRequest('The request body is not valid JSON.');
    }
    if (ids.length === 0) throw badRequest('resourceids is required and must list at least one resource id.');
    const subscription = (match[1] ?? '').toLowerCase();
    for (const id of ids)
      if (!id.toLowerCase().startsWith(`/subscriptions/${subscription}/`))
        throw badRequest(`Resource '${id}' is not in subscription '${match[1] ?? ''}'.`);
    const all = options.samples();
    const values = ids.map((id) => ({
      starttime: q.start.toISOString(),
      endtime: q.end.toISOString(),
      interval: q.interval,
      namespace: AKS_METRIC_NAMESPACE,
      resourceregion: options.region,
      resourceid: id,
      value: q.names.map((name) => metricResult(id, name, all.get(id.toLowerCase()) ?? [], q)),
    }));
    sendJson(res, 200, { values });
  };
}

function metricResult(
  resourceId: string,
  requested: string,
  samples: PlatformMetricSample[],
  q: ReturnType<typeof parseQuery>,
) {
  const def = AKS_PLATFORM_METRICS.find((m) => m.name.toLowerCase() === requested.toLowerCase());
  if (!def) throw badRequest(`Unknown metric ${requested}`);
  const conditions = parseFilter(q.filter, def.dimensions);
  const stepMs = parseIsoDuration(q.interval);
  const startMs = Math.floor(q.start.getTime() / stepMs) * stepMs;
  const split = conditions.map((c) => c.dimension);
  // Per series (the split dimensions) and bin: the samples of one timestamp are summed over the dimensions not split
  // (kube_pod_status_phase's per-pod 1s become a pod count), then aggregated over the timestamps of the bin.
  const groups = new Map<string, { dims: string[]; byBin: Map<number, Map<number, number>> }>();
  for (const s of samples) {
    if (s.metric !== def.name || s.t < startMs || s.t >= q.end.getTime()) continue;
    const pass = conditions.every((c) => c.values.some((v) => v === '*' || v === (s.dimensions[c.dimension] ?? '')));
    if (!pass) continue;
    const dims = split.map((d) => s.dimensions[d] ?? '');
    const key = dims.join('\u0000');
    const g = groups.get(key) ?? { dims, byBin: new Map<number, Map<number, number>>() };
    const bin = Math.floor(s.t / stepMs) * stepMs;
    const byTime = g.byBin.get(bin) ?? new Map<number, number>();
    byTime.set(s.t, (byTime.get(s.t) ?? 0) + s.value);
    g.byBin.set(bin, byTime);
    groups.set(key, g);
  }
  const timeseries = [...groups.values()].slice(0, split.length > 0 ? q.top : 1).map((g) => {
    const data: Array<Record<string, unknown>> = [];
    for (let t = startMs; t < q.end.getTime(); t += stepMs) {
      const byTime = g.byBin.get(t);
      const vals = byTime ? [...byTime.values()] : undefined;
      const point: Record<string, unknown> = { timeStamp: new Date(t).toISOString() };
      if (vals) for (const a of q.aggregations) point[a] = aggregate(vals, a);
      data.push(point);
    }
    return {
      metadatavalues: split.map((d, i) => ({ name: { value: d, localizedValue: d }, value: g.dims[i] ?? '' })),
      data,
    };
  });
  return {
    id: `${resourceId}/providers/Microsoft.Insights/metrics/${def.name}`,
    type: 'Microsoft.Insights/metrics',
    name: { value: def.name, localizedValue: def.displayName },
    displayDescription: def.displayName,
    unit: def.unit,
    errorCode: 'Success',
    timeseries,
  };
}
