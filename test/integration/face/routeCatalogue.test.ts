// Every app.http registration of the built app (dist/app.js, loaded as the Functions worker loads it) is in the route
// catalogue with the same route, method and auth level, and in the OpenAPI document: a route added without docs fails.
import { describe, expect, it } from '@jest/globals';
import { buildApiDocument } from '../../../shared/api/openApiDocument.js';
import { loadRegisteredFunctions } from '../../support/registeredFunctions.js';
import { openApiPath, ROUTES } from '../../../shared/api/routeCatalogue.js';

interface Registered {
  name: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
}

/** The HTTP functions the bundle registers through @azure/functions. */
function registeredHttpFunctions(env: Record<string, string>): Registered[] {
  const app = loadRegisteredFunctions('dist/app.js', { env });
  if (app.status !== 0) throw new Error(`loading dist/app.js failed: ${app.stderr}`);
  return app.functions.flatMap((f) =>
    f.bindings
      .filter((b) => b.type.toLowerCase() === 'httptrigger')
      .map((b) => ({
        name: f.name,
        route: b.route as string | undefined,
        methods: b.methods as string[] | undefined,
        authLevel: b.authLevel as string | undefined,
      })),
  );
}

describe.each([
  ['enabled', 'true'],
  ['disabled', 'false'],
])('with the simulator %s', (_label, enabled) => {
  const registered = registeredHttpFunctions({ SIMULATOR_ENABLED: enabled });
  const doc = buildApiDocument({ simulatorEnabled: enabled === 'true' }) as {
    paths: Record<string, Record<string, { operationId: string; security?: unknown[] }>>;
  };

  it('registers HTTP functions (the probe works)', () => {
    expect(registered.map((r) => r.name)).toEqual(expect.arrayContaining(['health', 'apiDocs', 'getClusters']));
    expect(registered.some((r) => r.name === 'metricsCurrent')).toBe(enabled === 'true');
  });

  it('every registration is in the catalogue with the same route, method and auth level', () => {
    for (const r of registered) {
      for (const method of r.methods ?? ['GET', 'POST']) {
        const entry = ROUTES.find((e) => e.name === r.name && e.method === method.toUpperCase());
        expect({ name: r.name, method, inCatalogue: entry !== undefined }).toEqual({
          name: r.name,
          method,
          inCatalogue: true,
        });
        expect({ name: r.name, route: entry?.route, authLevel: entry?.authLevel }).toEqual({
          name: r.name,
          route: r.route,
          authLevel: r.authLevel ?? 'anonymous',
        });
      }
    }
  });

  it('every registration is an operation of the OpenAPI document, keyed routes with the key scheme', () => {
    for (const r of registered) {
      for (const method of r.methods ?? ['GET', 'POST']) {
        const op = doc.paths[openApiPath(r.route ?? r.name)]?.[method.toLowerCase()];
        expect({ name: r.name, method, operationId: op?.operationId }).toEqual({
          name: r.name,
          method,
          operationId: r.name,
        });
        expect(op?.security).toEqual(
          r.authLevel === 'anonymous' ? [] : [{ functionKey: [] }, { functionKeyQuery: [] }],
        );
      }
    }
  });

  it('documents nothing that is not registered', () => {
    const ops = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(ops.sort()).toEqual(registered.map((r) => r.name).sort());
  });
});
