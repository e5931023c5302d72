// Local Azure Monitor workspace Prometheus query endpoint: the Prometheus HTTP API's expression queries
// (GET or POST /api/v1/query and /api/v1/query_range; prometheus.io/docs/prometheus/latest/querying/api) behind an
// Entra bearer token for the resource https://prometheus.monitor.azure.com, as the workspace's query endpoint takes it
// (learn.microsoft.com/azure/azure-monitor/essentials/prometheus-api-promql: token audience, Monitoring Data Reader on
// the workspace, the query endpoint from the workspace's Overview / `properties.metrics.prometheusQueryEndpoint`).
//
// Answers use the API's envelope: {status:"success", data:{resultType, result}} or {status:"error", errorType, error}
// with 400 bad_data for bad parameters or expressions, 422 execution, 503 timeout/unavailable. Expressions run through
// a small PromQL subset (promql/promqlSubset.ts); anything outside it is 400 bad_data naming what is unsupported.
// Series are the simulator's (promql/simulatorSeries.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  bearerToken,
  listenLoopback,
  readBody,
  sendJson,
  StandinHttpError,
  takeFault,
  type HttpFault,
} from './standinHttp.js';
import { isForbiddenAudience, verifyIssuedToken } from './tokenIssuer.js';
import type { Incident } from '../../shared/simulator/incidents/incident.js';
import {
  evaluateAt,
  formatSampleValue,
  parseDurationMs,
  parsePromQl,
  PromQlError,
  type Labels,
} from './promql/promqlSubset.js';
import {
  createSimulatorSeriesStore,
  createSeriesCaches,
  type SimulatedPrometheusCluster,
} from './promql/simulatorSeries.js';

/** The Entra resource (token audience) of Azure Monitor workspace query endpoints. */
export const PROMETHEUS_AUDIENCE = 'https://prometheus.monitor.azure.com';
/** Prometheus refuses range queries with more points than this per series. */
const MAX_POINTS = 11_000;

export interface PrometheusEndpointOptions {
  cluster: SimulatedPrometheusCluster;
  /** Incidents overlapping [from, to] (the simulator's incident store). */
  incidents: (from: Date, to: Date) => Promise<Incident[]> | Incident[];
  now?: () => Date;
  faults?: () => HttpFault | undefined;
  forbiddenAudiences?: () => string[] | undefined;
}

function promError(status: number, errorType: string, error: string, headers: Record<string, string> = {}) {
  return new StandinHttpError(status, { status: 'error', errorType, error }, headers);
}

/** <rfc3339 | unix_timestamp>, as the API takes times. */
function parseTime(name: string, text: string | null, dflt: number): number {
  if (text === null || text === '') return dflt;
  const seconds = Number(text);
  if (Number.isFinite(seconds)) return Math.round(seconds * 1000);
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(text))
    throw promError(400, 'bad_data', `invalid parameter "${name}": cannot parse "${text}" to a valid timestamp`);
  return ms;
}

function parseStep(text: string | null): number {
  if (text === null || text === '')
    throw promError(400, 'bad_data', 'invalid parameter "step": cannot parse "" to a valid duration');
  const seconds = Number(text);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : parseDurationMs(text);
  if (ms === undefined)
    throw promError(400, 'bad_data', `invalid parameter "step": cannot parse "${text}" to a valid duration`);
  if (ms <= 0)
    throw promError(
      400,
      'bad_data',
      'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
  return ms;
}

async function readParams(req: IncomingMessage, url: URL): Promise<URLSearchParams> {
  if (req.method === 'GET') return url.searchParams;
  if (req.method !== 'POST') throw promError(405, 'bad_data', `method ${req.method ?? ''} not allowed`);
  const raw = await readBody(req, {
    maxBytes: 256 * 1024,
    tooLarge: () => promError(413, 'bad_data', 'request body too large'),
  });
  const form = new URLSearchParams(raw.toString('utf8'));
  // POST takes the same parameters URL-encoded in the body (Content-Type application/x-www-form-urlencoded).
  for (const [k, v] of url.searchParams) if (!form.has(k)) form.set(k, v);
  return form;
}

export function createPrometheusHandler(options: PrometheusEndpointOptions) {
  const now = options.now ?? (() => new Date());
  const caches = createSeriesCaches();
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const route = url.pathname.replace(/\/+$/, '');
    if (route !== '/api/v1/query' && route !== '/api/v1/query_range')
      throw promError(404, 'not_found', `no route for ${url.pathname} in the local Prometheus query endpoint`);
    const verdict = verifyIssuedToken(bearerToken(req), PROMETHEUS_AUDIENCE);
    if (!verdict.ok) throw promError(401, 'unauthorized', `the bearer token is not valid (${verdict.reason})`);
    if (isForbiddenAudience([PROMETHEUS_AUDIENCE], options.forbiddenAudiences?.()))
      throw promError(403, 'forbidden', 'the identity has no data-reader role on the Azure Monitor workspace');
    const fault = takeFault(options.faults?.());
    if (fault)
      throw promError(
        fault.status,
        fault.status === 429 ? 'too_many_requests' : 'unavailable',
        `injected fault: the query endpoint answered ${fault.status}`,
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );

    const params = await readParams(req, url);
    const nowMs = now().getTime();
    let times: number[];
    if (route === '/api/v1/query') {
      times = [parseTime('time', params.get('time'), nowMs)];
    } else {
      const start = parseTime('start', params.get('start'), Number.NaN);
      const end = parseTime('end', params.get('end'), Number.NaN);
      if (Number.isNaN(start))
        throw promError(400, 'bad_data', 'invalid parameter "start": cannot parse "" to a valid timestamp');
      if (Number.isNaN(end))
        throw promError(400, 'bad_data', 'invalid parameter "end": cannot parse "" to a valid timestamp');
      if (end < start)
        throw promError(400, 'bad_data', 'invalid parameter "end": end timestamp must not be before start time');
      const step = parseStep(params.get('step'));
      if ((end - start) / step > MAX_POINTS)
        throw promError(
          400,
          'bad_data',
          'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
        );
      times = [];
      for (let t = start; t <= end; t += step) times.push(t);
    }

    let expr;
    try {
      expr = parsePromQl(params.get('query') ?? '');
    } catch (err) {
      if (err instanceof PromQlError) throw promError(400, err.errorType, err.message);
      throw err;
    }
    if (expr.kind === 'selector' && expr.rangeMs)
      throw promError(
        400,
        'bad_data',
        route === '/api/v1/query_range'
          ? 'invalid expression type "range vector" for range query, must be Scalar or instant Vector'
          : 'a bare range vector is not in the local PromQL subset; wrap it in rate() or increase()',
      );
    const from = Math.min(...times) - 3_600_000;
    const incidents = await options.incidents(new Date(from), new Date(Math.max(...times)));
    const store = createSimulatorSeriesStore(options.cluster, incidents, nowMs, caches);
    let values;
    try {
      values = evaluateAt(expr, times, store);
    } catch (err) {
      if (err instanceof PromQlError)
        throw promError(err.errorType === 'execution' ? 422 : 400, err.errorType, err.message);
      throw err;
    }
    const sec = (t: number) => t / 1000;
    if (route === '/api/v1/query') {
      const v = values[0]!;
      const result =
        v.kind === 'scalar'
          ? [sec(times[0]!), formatSampleValue(v.value)]
          : v.samples.map((s) => ({ metric: s.labels, value: [sec(times[0]!), formatSampleValue(s.value)] }));
      sendJson(res, 200, { status: 'success', data: { resultType: v.kind, result } });
      return;
    }
    const series = new Map<string, { metric: Labels; values: Array<[number, string]> }>();
    values.forEach((v, i) => {
      const t = sec(times[i]!);
      const samples = v.kind === 'scalar' ? [{ labels: {}, value: v.value }] : v.samples;
      for (const s of samples) {
        const key = JSON.stringify(Object.entries(s.labels).sort());
        const entry = series.get(key) ?? { metric: s.labels, values: [] };
        entry.values.push([t, formatSampleValue(s.value)]);
        series.set(key, entry);
      }
    });
    sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: [...series.values()] } });
  };
}

export interface LocalPrometheusEndpoint {
  /** https://127.0.0.1:<port>: what PROMETHEUS_QUERY_ENDPOINT takes (the workspace's query endpoint). */
  endpoint: string;
  faults: { current?: HttpFault };
  close(): Promise<void>;
}

/** Listens on loopback (HTTPS, like the real endpoint) and serves the simulated cluster's series. */
export async function startPrometheusEndpoint(
  options: Omit<PrometheusEndpointOptions, 'faults'> & { tls: { cert: string; key: string }; port?: number },
): Promise<LocalPrometheusEndpoint> {
  const faults: { current?: HttpFault } = {};
  const server = await listenLoopback(createPrometheusHandler({ ...options, faults: () => faults.current }), {
    tls: options.tls,
    port: options.port,
    errorBody: (message) => ({ status: 'error', errorType: 'internal', error: message }),
  });
  return { endpoint: `https://127.0.0.1:${server.port}`, faults, close: () => server.close() };
}
