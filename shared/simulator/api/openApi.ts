// OpenAPI 3.1 document and the human docs page for the simulator endpoints, generated from the same zod schemas the
// handlers validate with.
import { z } from 'zod';
import { APP_VERSION } from '../../version.js';
import { INCIDENT_TYPES, SEVERITIES } from '../incidents/incident.js';
import { INCIDENT_KINDS } from '../incidents/registry.js';
import { METRIC_NAMES, SERVICE_NAMES } from '../services.js';
import {
  currentMetricsSchema,
  errorSchema,
  historyQuerySchema,
  historySchema,
  incidentPageSchema,
  incidentSchema,
  incidentsQuerySchema,
  simulateIncidentBodySchema,
  simulateResponseSchema,
  systemInfoSchema,
} from './schemas.js';

type Json = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output' = 'output'): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

function queryParameters(schema: z.ZodObject): Json[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const s = jsonSchema(field as z.ZodType, 'input');
    const { description, ...rest } = s;
    return { name, in: 'query', required: false, ...(description ? { description } : {}), schema: rest };
  });
}

const json = (ref: string) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } },
});
const badRequest = {
  description: 'Invalid input; `problems` names each bad field and its valid values.',
  ...json('Error'),
};

export interface EndpointDoc {
  method: 'GET' | 'POST';
  path: string;
  summary: string;
  example: string;
  functionKey?: boolean;
}

export const SIMULATOR_ENDPOINTS: EndpointDoc[] = [
  { method: 'GET', path: '/api/', summary: 'This page.', example: 'curl http://localhost:7071/api/' },
  {
    method: 'GET',
    path: '/api/openapi.json',
    summary: 'OpenAPI 3.1 document generated from the validation schemas.',
    example: 'curl http://localhost:7071/api/openapi.json',
  },
  {
    method: 'GET',
    path: '/api/health',
    summary: 'Liveness and storage checks; 503 when degraded.',
    example: 'curl http://localhost:7071/api/health',
  },
  {
    method: 'GET',
    path: '/api/metrics/current',
    summary: 'Metrics of the current minute per service, system-wide figures, anomaly detection and overall status.',
    example: 'curl http://localhost:7071/api/metrics/current',
  },
  {
    method: 'GET',
    path: '/api/metrics/history',
    summary: 'Time series per service and metric (service, metric, minutes or from/to, step).',
    example:
      'curl "http://localhost:7071/api/metrics/history?service=payment-service&metric=memory_usage_percent&minutes=120&step=5"',
  },
  {
    method: 'POST',
    path: '/api/incidents/simulate',
    summary: 'Start an incident (201). Function key required.',
    example: `curl -X POST "http://localhost:7071/api/incidents/simulate?code=<function key>" -H 'Content-Type: application/json' -d '{"type":"memory_leak","service":"payment-service","severity":"high","duration_minutes":30}'`,
    functionKey: true,
  },
  {
    method: 'GET',
    path: '/api/incidents',
    summary: 'Incidents, newest first (status=active|resolved, limit, continuation).',
    example: 'curl "http://localhost:7071/api/incidents?status=active&limit=10"',
  },
  {
    method: 'POST',
    path: '/api/incidents/{id}/resolve',
    summary: 'End an incident early. Function key required.',
    example: 'curl -X POST "http://localhost:7071/api/incidents/inc-mhx2k3c0-1a2b3c4d/resolve?code=<function key>"',
    functionKey: true,
  },
  {
    method: 'GET',
    path: '/api/system/info',
    summary: 'Version, runtime, region, instance, uptime, simulated services and configuration (no secrets).',
    example: 'curl http://localhost:7071/api/system/info',
  },
];

export function buildOpenApiDocument(serverUrl = '/api'): Json {
  const key = [{ functionKey: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'aks-aiops simulator',
      version: APP_VERSION,
      description: `Simulated AIOps metrics for ${SERVICE_NAMES.join(', ')}; incidents (${INCIDENT_TYPES.join(', ')}) change the metrics and the simulated AKS cluster.`,
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/metrics/current': {
        get: {
          operationId: 'getCurrentMetrics',
          summary: 'Current metrics and anomaly detection',
          responses: {
            '200': { description: 'Metrics of the current minute.', ...json('CurrentMetrics') },
            '503': { description: 'Storage unavailable.', ...json('Error') },
          },
        },
      },
      '/metrics/history': {
        get: {
          operationId: 'getMetricsHistory',
          summary: 'Metric time series',
          parameters: queryParameters(historyQuerySchema),
          responses: {
            '200': { description: 'Series per service and metric.', ...json('MetricsHistory') },
            '400': badRequest,
          },
        },
      },
      '/incidents/simulate': {
        post: {
          operationId: 'simulateIncident',
          summary: 'Start a simulated incident',
          security: key,
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/SimulateIncident' } } },
          },
          responses: {
            '201': { description: 'The stored incident.', ...json('SimulatedIncident') },
            '400': badRequest,
            '401': { description: 'Missing or wrong function key.' },
            '429': {
              description: 'Too many active incidents (50); Retry-After says when to try again.',
              ...json('Error'),
            },
          },
        },
      },
      '/incidents': {
        get: {
          operationId: 'listIncidents',
          summary: 'Incidents, newest first',
          parameters: queryParameters(incidentsQuerySchema),
          responses: { '200': { description: 'One page.', ...json('IncidentPage') }, '400': badRequest },
        },
      },
      '/incidents/{id}/resolve': {
        post: {
          operationId: 'resolveIncident',
          summary: 'End an incident early',
          security: key,
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^inc-[0-9a-z]+-[0-9a-f]{8}$' },
            },
          ],
          responses: {
            '200': { description: 'The incident, resolved.', ...json('Incident') },
            '404': { description: 'No such incident.', ...json('Error') },
          },
        },
      },
      '/system/info': {
        get: {
          operationId: 'getSystemInfo',
          summary: 'Version, runtime and configuration summary',
          responses: { '200': { description: 'System information.', ...json('SystemInfo') } },
        },
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          summary: 'Health',
          responses: {
            '200': { description: 'Healthy.' },
            '503': { description: 'Degraded; the failed check is named.' },
          },
        },
      },
    },
    components: {
      securitySchemes: {
        functionKey: {
          type: 'apiKey',
          in: 'query',
          name: 'code',
          description: 'Function key (or the x-functions-key header).',
        },
      },
      schemas: {
        SimulateIncident: jsonSchema(simulateIncidentBodySchema, 'input'),
        SimulatedIncident: jsonSchema(simulateResponseSchema),
        Incident: jsonSchema(incidentSchema),
        IncidentPage: jsonSchema(incidentPageSchema),
        CurrentMetrics: jsonSchema(currentMetricsSchema),
        MetricsHistory: jsonSchema(historySchema),
        SystemInfo: jsonSchema(systemInfoSchema),
        Error: jsonSchema(errorSchema),
      },
    },
  };
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The human docs page at GET /api/. */
export function renderDocsPage(): string {
  const rows = SIMULATOR_ENDPOINTS.map(
    (e) =>
      `<tr><td><code>${e.method}</code></td><td><code>${escapeHtml(e.path)}</code>${e.functionKey ? ' 🔑' : ''}</td><td>${escapeHtml(e.summary)}<pre>${escapeHtml(e.example)}</pre></td></tr>`,
  ).join('\n');
  const kinds = INCIDENT_TYPES.map(
    (t) =>
      `<li><code>${t}</code> (default ${INCIDENT_KINDS[t].defaultDurationMinutes} min): ${escapeHtml(INCIDENT_KINDS[t].summary)}</li>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aks-aiops simulator API</title>
<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.4}table{border-collapse:collapse;width:100%}td{border-top:1px solid #ddd;padding:.5rem;vertical-align:top}pre{background:#f5f5f5;padding:.4rem;white-space:pre-wrap;word-break:break-all}</style></head>
<body><h1>aks-aiops simulator API</h1>
<p>Version ${escapeHtml(APP_VERSION)}. Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1). 🔑 = function key required (<code>?code=</code> or <code>x-functions-key</code>).</p>
<table><tbody>
${rows}
</tbody></table>
<h2>Incident types</h2><ul>
${kinds}
</ul>
<p>Services: ${SERVICE_NAMES.map((s) => `<code>${s}</code>`).join(', ')}. Metrics: ${METRIC_NAMES.map((m) => `<code>${m}</code>`).join(', ')}. Severities: ${SEVERITIES.map((s) => `<code>${s}</code>`).join(', ')}.</p>
</body></html>
`;
}
