import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { checkHealth } from '../shared/health/checkHealth.js';

export async function health(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const report = await checkHealth();
  if (report.status === 'healthy') return { status: 200, jsonBody: report };
  return { status: 503, headers: { 'Retry-After': '10' }, jsonBody: report };
}

app.http('health', { route: 'health', methods: ['GET'], authLevel: 'anonymous', handler: health });
