// Pages for people (issue 17): the interactive API docs at /api/, the OpenAPI document of every route, the dashboard
// and their static assets. Thin: pick the file or build the document, answer it. Routes come from the catalogue.
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { getConfig } from '../shared/config/config.js';
import { buildApiDocument } from '../shared/api/openApiDocument.js';
import { routeByName } from '../shared/api/routeCatalogue.js';
import { readStaticAsset } from '../shared/web/staticAssets.js';
import { createInvocationLogger } from '../shared/observability/logger.js';
import { ensureErrorType } from '../shared/errors.js';

// Scripts and styles only from this app (no CDN, no inline script); Swagger UI sets inline styles and data: images.
const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

async function serve(name: string, context: InvocationContext, cache: string): Promise<HttpResponseInit> {
  try {
    const asset = await readStaticAsset(name);
    if (!asset) return { status: 404, jsonBody: { error: `No asset named '${name}'` } };
    return {
      status: 200,
      headers: { ...PAGE_HEADERS, 'Content-Type': asset.contentType, 'Cache-Control': cache },
      body: asset.body,
    };
  } catch (err) {
    createInvocationLogger(context, getConfig().LOG_LEVEL).error('reading a static asset failed', {
      error: ensureErrorType(err),
      asset: name,
    });
    return { status: 500, jsonBody: { error: 'internal error' } };
  }
}

export async function apiDocs(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return serve('docs.html', context, 'no-cache');
}

export async function dashboard(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return serve('dashboard.html', context, 'no-cache');
}

export async function webAsset(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  return serve(request.params.name ?? '', context, 'public, max-age=300');
}

export async function openApi(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: buildApiDocument({ simulatorEnabled: getConfig().SIMULATOR_ENABLED }) };
}

for (const [name, handler] of [
  ['apiDocs', apiDocs],
  ['openApi', openApi],
  ['dashboard', dashboard],
  ['webAsset', webAsset],
] as const) {
  const r = routeByName(name);
  app.http(name, { route: r.route, methods: [r.method], authLevel: r.authLevel, handler });
}
