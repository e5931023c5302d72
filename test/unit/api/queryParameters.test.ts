// Every route that reads a query string validates it with the zod schema of its route catalogue entry, in one place
// (functions/http.ts queryOf): a wrong value answers 400 in the one envelope, naming the parameter; the OpenAPI
// document lists the same schema's fields as the route's parameters.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HttpRequest, InvocationContext } from '../../support/functionsRuntime.js';
import { buildApiDocument } from '../../../shared/api/openApiDocument.js';
import { openApiPath, ROUTES } from '../../../shared/api/routeCatalogue.js';
import { parseQuery } from '../../../shared/api/query.js';
import { latestSweepQuerySchema } from '../../../shared/api/schemas.js';
import { ValidationError } from '../../../shared/errors.js';
import { getLatestSweep } from '../../../functions/sweeps.js';
import { listDiagnoses } from '../../../functions/alerts.js';
import { getScalingPlan, getSchedules } from '../../../functions/scaling.js';
import { getScalingRecommendations } from '../../../functions/scalingRecommendations.js';
import { listIncidents, metricsHistory } from '../../../functions/simulator.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-1';
const cluster = encodeURIComponent(CLUSTER);

function get(pathAndQuery: string): HttpRequest {
  return new HttpRequest({ method: 'GET', url: `http://localhost:7071/api/${pathAndQuery}` });
}
const context = () => new InvocationContext({ functionName: 'query-test', logHandler: () => undefined });
type Handler = (request: HttpRequest, context: InvocationContext) => Promise<{ status?: number; jsonBody?: unknown }>;

describe('a wrong query value answers 400 naming the parameter (validated before any storage or ARM call)', () => {
  it.each<[string, Handler, string, string]>([
    ['sweeps', getLatestSweep, `sweeps/latest?cluster=${cluster}&severity=urgent`, 'severity'],
    ['sweeps', getLatestSweep, `sweeps/latest?cluster=${cluster}&limit=0`, 'limit'],
    ['sweeps', getLatestSweep, 'sweeps/latest?severity=info', 'cluster'],
    ['diagnoses', listDiagnoses, 'diagnoses?since=yesterday', 'since'],
    ['diagnoses', listDiagnoses, 'diagnoses?pageSize=5000', 'pageSize'],
    ['diagnoses', listDiagnoses, 'diagnoses?pageSize=ten', 'pageSize'],
    ['scaling', getSchedules, 'scaling/schedules?cluster=aks-1', 'cluster'],
    ['scaling', getScalingPlan, 'scaling/plan', 'cluster'],
    ['scaling', getScalingRecommendations, `scaling/recommendations?cluster=${cluster}&days=0`, 'days'],
    ['simulator', metricsHistory, 'metrics/history?minutes=abc', 'minutes'],
    ['simulator', listIncidents, 'incidents?status=open', 'status'],
  ])('%s: %s', async (_group, handler, url, parameter) => {
    const res = await handler(get(url), context());
    expect(res.status).toBe(400);
    expect(res.jsonBody).toMatchObject({
      error: 'ValidationError',
      message: expect.stringMatching(/^Invalid query: /),
    });
    const problems = (res.jsonBody as { problems?: string[] }).problems ?? [];
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${parameter}\\b`))]);
  });
});

describe('parseQuery', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    'refuses severity=%s (only the listed severities are severities)',
    (severity) => {
      const err = (() => {
        try {
          return parseQuery(latestSweepQuerySchema, [
            ['cluster', CLUSTER],
            ['severity', severity],
          ]);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).problems).toEqual([expect.stringMatching(/^severity: must be critical/)]);
    },
  );

  it('types the values, applies defaults, ignores the function key and undeclared parameters, treats blank as absent', () => {
    const q = parseQuery(
      latestSweepQuerySchema,
      new URLSearchParams({ cluster: ` ${CLUSTER} `, code: 'key', namespace: '', limit: '25', other: 'x' }),
    );
    expect(q).toEqual({ cluster: CLUSTER, limit: 25 });
    expect(parseQuery(latestSweepQuerySchema, new URLSearchParams({ cluster: CLUSTER })).limit).toBe(1000);
  });

  it('a parameter named __proto__ is a parameter: a strict schema rejects it, a loose one ignores it', () => {
    const strict = z.strictObject({ a: z.string().optional() });
    expect(() => parseQuery(strict, [['__proto__', 'x']])).toThrow(/__proto__/);
    expect(parseQuery(z.object({ a: z.string().optional() }), [['__proto__', 'x']])).toEqual({});
  });
});

describe('routes, handlers and the OpenAPI document agree on the query parameters', () => {
  const doc: Json = buildApiDocument({ simulatorEnabled: true });

  it('lists every route, with exactly the fields of its query schema as query parameters', () => {
    for (const r of ROUTES) {
      const op: Json | undefined = doc.paths[openApiPath(r.route)]?.[r.method.toLowerCase()];
      expect({ route: r.name, documented: op !== undefined }).toEqual({ route: r.name, documented: true });
      const documented = ((op?.parameters ?? []) as Json[]).filter((p) => p.in === 'query').map((p) => p.name);
      expect({ route: r.name, query: documented }).toEqual({ route: r.name, query: Object.keys(r.query?.shape ?? {}) });
    }
  });

  it('handlers read the query only through queryOf, with a schema their catalogue entry documents', () => {
    const dir = path.resolve('functions');
    const schemaNames = new Set<string>();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'http.ts')) {
      const code = fs.readFileSync(path.join(dir, file), 'utf8');
      expect({ file, readsQueryDirectly: /request\.query\b/.test(code) }).toEqual({ file, readsQueryDirectly: false });
      for (const m of code.matchAll(/queryOf\(request, (\w+)\)/g)) schemaNames.add(m[1]!);
    }
    const catalogue = fs.readFileSync(path.resolve('shared/api/routeCatalogue.ts'), 'utf8');
    expect(schemaNames.size).toBe(ROUTES.filter((r) => r.query).length);
    for (const name of schemaNames) expect(catalogue).toContain(`query: ${name},`);
  });
});
