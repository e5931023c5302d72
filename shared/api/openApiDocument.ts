// OpenAPI 3.1 document of every HTTP route, generated from the route catalogue and the zod schemas the handlers
// validate with (https://spec.openapis.org/oas/v3.1.0). The server URL is relative (`/api`), so Swagger UI and its
// curl examples use the host and port the page was served from.
import { z } from 'zod';
import { APP_VERSION } from '../version.js';
import { openApiPath, ROUTES, type RouteEntry } from './routeCatalogue.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

function queryParameters(schema: z.ZodObject): Json[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const { description, ...rest } = jsonSchema(field as z.ZodType, 'input');
    const required = !(field as z.ZodType).safeParse(undefined).success;
    return { name, in: 'query', required, ...(description ? { description } : {}), schema: rest };
  });
}

function operation(r: RouteEntry, schemas: Record<string, Json>): Json {
  const parameters: Json[] = [];
  for (const [name, p] of Object.entries(r.pathParams ?? {}))
    parameters.push({
      name,
      in: 'path',
      required: true,
      description: p.description,
      schema: { type: 'string', ...(p.pattern ? { pattern: p.pattern } : {}) },
      example: p.example,
    });
  if (r.query) parameters.push(...queryParameters(r.query));
  const responses: Record<string, Json> = {};
  for (const [status, res] of Object.entries(r.responses)) {
    let content: Json | undefined;
    if (res.schema) {
      schemas[res.schema.name] ??= jsonSchema(res.schema.zod, 'output');
      content = { 'application/json': { schema: { $ref: `#/components/schemas/${res.schema.name}` } } };
    } else if (res.contentType) content = { [res.contentType]: {} };
    responses[status] = { description: res.description, ...(content ? { content } : {}) };
  }
  let requestBody: Json | undefined;
  if (r.body) {
    schemas[r.body.name] ??= jsonSchema(r.body.zod, 'input');
    requestBody = {
      required: true,
      ...(r.body.description ? { description: r.body.description } : {}),
      content: {
        'application/json': { schema: { $ref: `#/components/schemas/${r.body.name}` }, example: r.body.example },
      },
    };
  }
  const authNote =
    r.authLevel === 'anonymous'
      ? 'No key needed.'
      : r.authLevel === 'function'
        ? 'Function key required.'
        : 'Master key required.';
  return {
    operationId: r.name,
    tags: [r.tag],
    summary: r.summary,
    description: [r.description, authNote, r.simulatorOnly ? 'Registered when SIMULATOR_ENABLED is true.' : undefined]
      .filter(Boolean)
      .join('\n\n'),
    ...(r.authLevel === 'anonymous' ? { security: [] } : { security: [{ functionKey: [] }, { functionKeyQuery: [] }] }),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}

export interface OpenApiOptions {
  /** Leave out the simulator routes (they are not registered when SIMULATOR_ENABLED is false). */
  simulatorEnabled: boolean;
}

export function buildApiDocument(options: OpenApiOptions): Json {
  const schemas: Record<string, Json> = {};
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of ROUTES) {
    if (r.simulatorOnly && !options.simulatorEnabled) continue;
    const p = openApiPath(r.route);
    (paths[p] ??= {})[r.method.toLowerCase()] = operation(r, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'aks-aiops',
      version: APP_VERSION,
      description:
        'Health sweeps, alert-triggered diagnostics and a metrics simulator for AKS fleets on Azure Functions. ' +
        'Routes marked with a lock need the function key: press Authorize and paste it (it stays in this page only).',
    },
    servers: [{ url: '/api', description: 'This app (the host and port this document was served from).' }],
    tags: [
      { name: 'Pages', description: 'Pages for people.' },
      { name: 'Health' },
      { name: 'Clusters and sweeps', description: 'Results of the fleet health sweeps.' },
      { name: 'Alerts and diagnoses', description: 'Alert intake and diagnoses.' },
      { name: 'Scaling', description: 'Scheduled node pool scaling and cluster stop/start.' },
      { name: 'Simulator', description: 'Simulated services, metrics and incidents.' },
    ],
    paths,
    components: {
      securitySchemes: {
        functionKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-functions-key',
          description: 'Function key, sent as the x-functions-key header.',
        },
        functionKeyQuery: {
          type: 'apiKey',
          in: 'query',
          name: 'code',
          description: 'Function key, sent as ?code= (either form works).',
        },
      },
      schemas,
    },
  };
}
