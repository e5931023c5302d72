// Simulator HTTP endpoints (issue 3): thin adapters over shared/simulator/api. Each handler parses the request, calls
// the simulator service and maps the result (or the error) to a response.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getConfig } from '../shared/config/config.js';
import { ValidationError } from '../shared/errors.js';
import { createInvocationLogger } from '../shared/observability/logger.js';
import { createSimulatorService, type SimulatorService } from '../shared/simulator/api/simulatorService.js';
import { historyQuerySchema, incidentsQuerySchema } from '../shared/simulator/api/schemas.js';
import { handle, queryOf } from './http.js';
import { appServices } from './compositionRoot.js';

const processStartedAt = new Date();

/** One service per invocation (its logger writes through the invocation context); the store is the app's. */
function serviceFor(context: InvocationContext): SimulatorService {
  const services = appServices();
  const logger = createInvocationLogger(context, services.config.LOG_LEVEL);
  return createSimulatorService({
    config: services.config,
    store: services.incidents(),
    logger,
    startedAt: processStartedAt,
  });
}

async function run(
  context: InvocationContext,
  fn: (s: SimulatorService) => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  return handle(context, 'simulator request', () => fn(serviceFor(context)));
}

export async function metricsCurrent(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return run(context, async (s) => ({ status: 200, jsonBody: await s.currentMetrics() }));
}

export async function metricsHistory(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return run(context, async (s) => ({ status: 200, jsonBody: await s.history(queryOf(request, historyQuerySchema)) }));
}

export async function simulateIncident(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return run(context, async (s) => {
    const text = await request.text();
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ValidationError('Invalid incident: the body is not valid JSON', {
        problems: ['body: must be a JSON object like {"type":"memory_leak","service":"payment-service"}'],
      });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new ValidationError('Invalid incident: the body must be a JSON object', {
        problems: ['body: must be a JSON object like {"type":"memory_leak","service":"payment-service"}'],
      });
    }
    const incident = await s.simulate(body);
    return { status: 201, headers: { Location: `/api/incidents?status=active` }, jsonBody: incident };
  });
}

export async function listIncidents(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return run(context, async (s) => ({
    status: 200,
    jsonBody: await s.listIncidents(queryOf(request, incidentsQuerySchema)),
  }));
}

export async function resolveIncident(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return run(context, async (s) => ({ status: 200, jsonBody: await s.resolve(request.params.id ?? '') }));
}

export async function systemInfo(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return run(context, async (s) => ({ status: 200, jsonBody: s.systemInfo() }));
}

// The docs page and the OpenAPI document of every route (these included) are in functions/web.ts.
if (getConfig().SIMULATOR_ENABLED) {
  app.http('metricsCurrent', {
    route: 'metrics/current',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: metricsCurrent,
  });
  app.http('metricsHistory', {
    route: 'metrics/history',
    methods: ['GET'],
    authLevel: 'anonymous',
    handler: metricsHistory,
  });
  app.http('simulateIncident', {
    route: 'incidents/simulate',
    methods: ['POST'],
    authLevel: 'function',
    handler: simulateIncident,
  });
  app.http('listIncidents', { route: 'incidents', methods: ['GET'], authLevel: 'anonymous', handler: listIncidents });
  app.http('resolveIncident', {
    route: 'incidents/{id}/resolve',
    methods: ['POST'],
    authLevel: 'function',
    handler: resolveIncident,
  });
  app.http('systemInfo', { route: 'system/info', methods: ['GET'], authLevel: 'anonymous', handler: systemInfo });
}
