// The one list of every HTTP route the app registers (functions/*.ts): path, method, auth level, summary, zod schemas
// and examples. The OpenAPI document (shared/api/openApiDocument.ts) is generated from it, and
// test/integration/face/routeCatalogue.test.ts compares it with what the built app registers through @azure/functions,
// so a route added without an entry here (or an entry whose route, method or auth level differs) fails the build.
import type { z } from 'zod';
import { INCIDENT_TYPES } from '../simulator/incidents/incident.js';
import {
  currentMetricsSchema,
  errorSchema as simulatorErrorSchema,
  historyQuerySchema,
  historySchema,
  incidentPageSchema,
  incidentSchema,
  incidentsQuerySchema,
  simulateIncidentBodySchema,
  simulateResponseSchema,
  systemInfoSchema,
} from '../simulator/api/schemas.js';
import { onDemandRequestSchema } from '../diagnostics/onDemand.js';
import { scheduleBodySchema } from '../scaling/schedule.js';
import { recommendationsQuerySchema } from '../scaling/recommendations.js';
import {
  acceptedAlertSchema,
  apiErrorSchema,
  commonAlertSchema,
  diagnosesQuerySchema,
  diagnosisPageSchema,
  diagnosisSchema,
  healthReportSchema,
  latestSweepQuerySchema,
  latestSweepSchema,
  scalingListQuerySchema,
  scalingPlanQuerySchema,
  sweptClustersSchema,
} from './schemas.js';

export type AuthLevel = 'anonymous' | 'function' | 'admin';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteResponse {
  description: string;
  /** Name under components.schemas plus its zod schema; omitted for bodies that are not JSON or not described. */
  schema?: { name: string; zod: z.ZodType };
  /** Content type of a non-JSON body (HTML pages, static assets). */
  contentType?: string;
}

export interface RouteEntry {
  /** The function name given to app.http. */
  name: string;
  /** The route template given to app.http (Functions route syntax, relative to the `api` prefix). */
  route: string;
  method: HttpMethod;
  authLevel: AuthLevel;
  tag: 'Pages' | 'Health' | 'Clusters and sweeps' | 'Alerts and diagnoses' | 'Scaling' | 'Simulator';
  summary: string;
  description?: string;
  /** Registered only when SIMULATOR_ENABLED is true. */
  simulatorOnly?: boolean;
  query?: z.ZodObject;
  pathParams?: Record<string, { description: string; pattern?: string; example: string }>;
  body?: { name: string; zod: z.ZodType; example: unknown; description?: string };
  responses: Record<string, RouteResponse>;
}

const json = (name: string, zod: z.ZodType) => ({ name, zod });
const apiError = json('ApiError', apiErrorSchema);
const simError = json('SimulatorError', simulatorErrorSchema);
const unauthorized: RouteResponse = { description: 'Missing or wrong function key (`code` or `x-functions-key`).' };
const exampleClusterId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/aks-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';

const scheduleName = {
  name: { description: 'Schedule name', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,62}$', example: 'userpool-weekdays' },
};

export const ROUTES: readonly RouteEntry[] = [
  {
    name: 'apiDocs',
    // Azure does not accept an empty route template; an optional parameter that can only be empty serves /api/.
    route: '{ignored:maxlength(0)?}',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Pages',
    summary: 'Interactive API docs (this page)',
    responses: { '200': { description: 'HTML page.', contentType: 'text/html' } },
  },
  {
    name: 'openApi',
    route: 'openapi.json',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Pages',
    summary: 'The OpenAPI 3.1 document of every route',
    responses: { '200': { description: 'OpenAPI 3.1 document.', contentType: 'application/json' } },
  },
  {
    name: 'dashboard',
    route: 'dashboard',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Pages',
    summary: 'Dashboard: fleet, clusters, diagnoses and the simulator',
    description:
      'A static page; every figure it shows comes from the routes below with the function key the user enters (kept in the browser session only) or `?code=` in the page URL.',
    responses: { '200': { description: 'HTML page.', contentType: 'text/html' } },
  },
  {
    name: 'webAsset',
    route: 'assets/{name}',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Pages',
    summary: 'Static assets of the docs page and the dashboard',
    pathParams: { name: { description: 'Asset file name.', example: 'dashboard.js' } },
    responses: {
      '200': { description: 'The file.', contentType: 'application/octet-stream' },
      '404': { description: 'No such asset.', schema: apiError },
    },
  },
  {
    name: 'health',
    route: 'health',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Health',
    summary: 'Liveness and storage checks',
    responses: {
      '200': { description: 'Healthy.', schema: json('HealthReport', healthReportSchema) },
      '503': { description: 'Degraded; the failed check is named.', schema: json('HealthReport', healthReportSchema) },
    },
  },
  {
    name: 'getClusters',
    route: 'clusters',
    method: 'GET',
    authLevel: 'function',
    tag: 'Clusters and sweeps',
    summary: 'Every swept cluster with its latest score, grade, finding counts and score trend',
    responses: {
      '200': { description: 'The fleet.', schema: json('SweptClusters', sweptClustersSchema) },
      '401': unauthorized,
      '502': { description: 'Storage failure.', schema: apiError },
    },
  },
  {
    name: 'getLatestSweep',
    route: 'sweeps/latest',
    method: 'GET',
    authLevel: 'function',
    tag: 'Clusters and sweeps',
    summary: 'Latest sweep summary and open findings of one cluster',
    query: latestSweepQuerySchema,
    responses: {
      '200': {
        description: 'Summary and findings, most severe first.',
        schema: json('LatestSweep', latestSweepSchema),
      },
      '400': { description: 'A query parameter is wrong; `problems` names it.', schema: apiError },
      '401': unauthorized,
      '404': { description: 'The cluster has not been swept yet.', schema: apiError },
    },
  },
  {
    name: 'alertsWebhook',
    route: 'alerts',
    method: 'POST',
    authLevel: 'function',
    tag: 'Alerts and diagnoses',
    summary: 'Azure Monitor action group webhook (common alert schema)',
    description: 'Queues the alert and answers 202 with the id of the diagnosis the worker will write.',
    body: {
      name: 'CommonAlert',
      zod: commonAlertSchema,
      example: {
        schemaId: 'azureMonitorCommonAlertSchema',
        data: {
          essentials: {
            alertId:
              '/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.AlertsManagement/alerts/11111111-2222-3333-4444-555555555555',
            alertRule: 'pod-restarts',
            severity: 'Sev2',
            monitorCondition: 'Fired',
            alertTargetIDs: [exampleClusterId.toLowerCase()],
            firedDateTime: '2026-01-01T00:00:00Z',
          },
          alertContext: {},
        },
      },
    },
    responses: {
      '202': { description: 'Accepted.', schema: json('AcceptedAlert', acceptedAlertSchema) },
      '400': { description: 'Not a common alert schema payload.', schema: apiError },
      '401': unauthorized,
      '413': { description: 'Payload too large.', schema: apiError },
      '503': { description: 'Queue unavailable; retry (Retry-After).', schema: apiError },
    },
  },
  {
    name: 'listDiagnoses',
    route: 'diagnoses',
    method: 'GET',
    authLevel: 'function',
    tag: 'Alerts and diagnoses',
    summary: 'Diagnoses, newest first, one page',
    query: diagnosesQuerySchema,
    responses: {
      '200': { description: 'One page.', schema: json('DiagnosisPage', diagnosisPageSchema) },
      '400': { description: 'A query parameter is wrong.', schema: apiError },
      '401': unauthorized,
    },
  },
  {
    name: 'getDiagnosis',
    route: 'diagnoses/{id}',
    method: 'GET',
    authLevel: 'function',
    tag: 'Alerts and diagnoses',
    summary: 'One diagnosis',
    pathParams: { id: { description: 'Diagnosis id (from the webhook answer or the list).', example: 'd-example' } },
    responses: {
      '200': { description: 'The diagnosis.', schema: json('Diagnosis', diagnosisSchema) },
      '401': unauthorized,
      '404': { description: 'No such diagnosis (yet).', schema: apiError },
    },
  },
  {
    name: 'diagnoseNow',
    route: 'diagnose',
    method: 'POST',
    authLevel: 'function',
    tag: 'Alerts and diagnoses',
    summary: 'Diagnose a service, pod or node now',
    body: {
      name: 'DiagnoseRequest',
      zod: onDemandRequestSchema,
      example: { namespace: 'production', service_name: 'payment-service', include_logs: true },
      description: 'Exactly one of service_name, pod_name, node_name; namespace with service_name or pod_name.',
    },
    responses: {
      '200': { description: 'The diagnosis.', schema: json('Diagnosis', diagnosisSchema) },
      '400': { description: 'Invalid request; `problems` names each field.', schema: apiError },
      '401': unauthorized,
      '404': { description: 'The service, pod or node does not exist.', schema: apiError },
    },
  },
  {
    name: 'putScalingSchedule',
    route: 'scaling/schedules/{name}',
    method: 'PUT',
    authLevel: 'function',
    tag: 'Scaling',
    summary: 'Create or replace a node pool or cluster power schedule',
    pathParams: scheduleName,
    body: {
      name: 'ScalingSchedule',
      zod: scheduleBodySchema,
      example: {
        clusterId:
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim',
        nodePool: 'userpool',
        timeZone: 'Europe/Berlin',
        rules: [{ days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '08:00', to: '19:00', minCount: 3, maxCount: 6 }],
        otherwise: { minCount: 1, maxCount: 2 },
        mode: 'plan',
      },
    },
    responses: {
      '200': { description: 'Replaced; the stored schedule.' },
      '201': { description: 'Created; the stored schedule.' },
      '400': { description: 'The schedule is wrong; `problems` names the field.', schema: apiError },
      '401': unauthorized,
      '503': { description: 'ARM or storage unavailable; retry after Retry-After.', schema: apiError },
    },
  },
  {
    name: 'getScalingSchedule',
    route: 'scaling/schedules/{name}',
    method: 'GET',
    authLevel: 'function',
    tag: 'Scaling',
    summary: 'One stored schedule',
    pathParams: scheduleName,
    responses: {
      '200': { description: 'The schedule.' },
      '401': unauthorized,
      '404': { description: 'No schedule of that name.', schema: apiError },
    },
  },
  {
    name: 'deleteScalingSchedule',
    route: 'scaling/schedules/{name}',
    method: 'DELETE',
    authLevel: 'function',
    tag: 'Scaling',
    summary: 'Delete a schedule (the cluster keeps its current state)',
    pathParams: scheduleName,
    responses: {
      '204': { description: 'Deleted.' },
      '401': unauthorized,
      '404': { description: 'No schedule of that name.', schema: apiError },
    },
  },
  {
    name: 'listScalingSchedules',
    route: 'scaling/schedules',
    method: 'GET',
    authLevel: 'function',
    tag: 'Scaling',
    summary: 'Stored schedules, optionally of one cluster (?cluster=ARM id)',
    query: scalingListQuerySchema,
    responses: {
      '200': { description: 'The schedules.' },
      '400': { description: 'A query parameter is wrong.', schema: apiError },
      '401': unauthorized,
    },
  },
  {
    name: 'getScalingPlan',
    route: 'scaling/plan',
    method: 'GET',
    authLevel: 'function',
    tag: 'Scaling',
    summary:
      'Desired vs current state per schedule of a cluster (?cluster=ARM id), the action and the next change time',
    query: scalingPlanQuerySchema,
    responses: {
      '200': { description: 'The plan.' },
      '400': { description: 'A query parameter is wrong.', schema: apiError },
      '401': unauthorized,
      '503': { description: 'ARM unavailable; retry after Retry-After.', schema: apiError },
    },
  },
  {
    name: 'getScalingRecommendations',
    route: 'scaling/recommendations',
    method: 'GET',
    authLevel: 'function',
    tag: 'Scaling',
    summary: 'Learned schedules per user pool and KRR-style requests per workload, from weeks of Container insights',
    description:
      'Each schedule is a PUT /api/scaling/schedules body in plan mode, with node-hours saved per week and the risk per window; each workload gets CPU request = p95 usage (no CPU limit) and memory = peak working set + 15%. Every item says how many days and samples it rests on, or why there is none.',
    query: recommendationsQuerySchema,
    responses: {
      '200': { description: 'The recommendations.' },
      '400': { description: 'A query parameter is wrong; `problems` names it.', schema: apiError },
      '401': unauthorized,
      '503': { description: 'ARM or Log Analytics unavailable; retry after Retry-After.', schema: apiError },
    },
  },
  {
    name: 'metricsCurrent',
    route: 'metrics/current',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Simulator',
    simulatorOnly: true,
    summary: 'Current metrics per service, anomaly detection and overall status',
    responses: {
      '200': { description: 'Metrics of the current minute.', schema: json('CurrentMetrics', currentMetricsSchema) },
      '503': { description: 'Storage unavailable.', schema: simError },
    },
  },
  {
    name: 'metricsHistory',
    route: 'metrics/history',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Simulator',
    simulatorOnly: true,
    summary: 'Metric time series per service',
    query: historyQuerySchema,
    responses: {
      '200': { description: 'Series per service and metric.', schema: json('MetricsHistory', historySchema) },
      '400': { description: 'Invalid query; `problems` lists valid values.', schema: simError },
    },
  },
  {
    name: 'simulateIncident',
    route: 'incidents/simulate',
    method: 'POST',
    authLevel: 'function',
    tag: 'Simulator',
    simulatorOnly: true,
    summary: 'Start a simulated incident',
    description: `Types: ${INCIDENT_TYPES.join(', ')}.`,
    body: {
      name: 'SimulateIncident',
      zod: simulateIncidentBodySchema,
      example: { type: 'memory_leak', service: 'payment-service', severity: 'high', duration_minutes: 30 },
    },
    responses: {
      '201': { description: 'The stored incident.', schema: json('SimulatedIncident', simulateResponseSchema) },
      '400': { description: 'Invalid incident; `problems` lists valid values.', schema: simError },
      '401': unauthorized,
    },
  },
  {
    name: 'listIncidents',
    route: 'incidents',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Simulator',
    simulatorOnly: true,
    summary: 'Simulated incidents, newest first',
    query: incidentsQuerySchema,
    responses: {
      '200': { description: 'One page.', schema: json('IncidentPage', incidentPageSchema) },
      '400': { description: 'Invalid query.', schema: simError },
    },
  },
  {
    name: 'resolveIncident',
    route: 'incidents/{id}/resolve',
    method: 'POST',
    authLevel: 'function',
    tag: 'Simulator',
    simulatorOnly: true,
    summary: 'End a simulated incident early',
    pathParams: {
      id: { description: 'Incident id.', pattern: '^inc-[0-9a-z]+-[0-9a-f]{8}$', example: 'inc-mhx2k3c0-1a2b3c4d' },
    },
    responses: {
      '200': { description: 'The incident, resolved.', schema: json('Incident', incidentSchema) },
      '401': unauthorized,
      '404': { description: 'No such incident.', schema: simError },
    },
  },
  {
    name: 'systemInfo',
    route: 'system/info',
    method: 'GET',
    authLevel: 'anonymous',
    tag: 'Simulator',
    simulatorOnly: true,
    summary: 'Version, runtime, region and configuration (no secrets)',
    responses: { '200': { description: 'System information.', schema: json('SystemInfo', systemInfoSchema) } },
  },
];

/** The OpenAPI path of a Functions route template: `{id:int?}` becomes `{id}`; the docs route becomes `/`. */
export function openApiPath(route: string): string {
  if (/^\{[^}]*maxlength\(0\)\?\}$/.test(route)) return '/';
  return `/${route.replace(/\{\*?([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\??\}/g, '{$1}')}`;
}

export function routeByName(name: string): RouteEntry {
  const r = ROUTES.find((e) => e.name === name);
  if (!r) throw new Error(`Route ${name} is not in shared/api/routeCatalogue.ts`);
  return r;
}
