// Local Log Analytics query API: POST /v1/workspaces/{workspaceId}/query {query, timespan}, bearer token for
// https://api.loganalytics.io. Queries run through a small, honest KQL subset (kql/kqlSubset.ts); anything outside
// it is a 400 BadArgumentError naming what is unsupported, so nothing is ever silently wrong.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { bearerToken, readBody, sendJson, StandinHttpError, takeFault } from './standinHttp.js';
import { isForbiddenAudience, verifyForAudiences } from './tokenIssuer.js';
import { KqlError, runKql, type KqlTable } from './kql/kqlSubset.js';
import { parseTimespan } from './kql/timespan.js';

export interface LogAnalyticsFault {
  failNext?: number;
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
}

const LOG_ANALYTICS_AUDIENCES = ['https://api.loganalytics.io', 'https://api.loganalytics.azure.com'];

export interface LogAnalyticsEndpointOptions {
  workspaceId: string;
  tables: () => Map<string, Array<Record<string, unknown>>>;
  /** Declared columns of known tables (dev/standins/kql/tableSchemas.ts and the custom tables). */
  schemas?: Record<string, Record<string, string>>;
  faults: () => LogAnalyticsFault | undefined;
  forbiddenAudiences: () => string[] | undefined;
}

function queryError(
  status: number,
  code: string,
  message: string,
  inner?: { code: string; message: string },
  headers: Record<string, string> = {},
): StandinHttpError {
  return new StandinHttpError(
    status,
    { error: { code, message, correlationId: randomUUID(), ...(inner ? { innererror: inner } : {}) } },
    headers,
  );
}

export function createLogAnalyticsHandler(options: LogAnalyticsEndpointOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    // Workspace-centric (/v1/workspaces/{id}/query) or resource-centric (/v1/{resourceId}/query: the rows of every
    // workspace whose _ResourceId is that resource; Log Analytics query API, "Query a resource").
    const match = /^\/v1\/workspaces\/([^/]+)\/query$/i.exec(url.pathname);
    const resourceMatch = match ? null : /^\/v1\/+(subscriptions\/.+)\/query$/i.exec(url.pathname);
    if (!match && !resourceMatch) {
      throw queryError(404, 'PathNotFoundError', `The requested path does not exist: ${url.pathname}`);
    }
    if (req.method !== 'POST')
      throw queryError(405, 'MethodNotAllowed', 'The local query endpoint supports POST only.');

    const verdict = verifyForAudiences(bearerToken(req), LOG_ANALYTICS_AUDIENCES);
    if (!verdict.ok) {
      if (verdict.reason === 'missing')
        throw queryError(401, 'AuthorizationRequiredError', 'Valid authentication was not provided');
      throw queryError(
        401,
        'InvalidTokenError',
        `The provided authentication is not valid for this resource (${verdict.reason}).`,
      );
    }
    if (isForbiddenAudience(LOG_ANALYTICS_AUDIENCES, options.forbiddenAudiences())) {
      throw queryError(
        403,
        'InsufficientAccessError',
        'The provided credentials have insufficient access to perform the requested operation',
      );
    }

    const resourceId = resourceMatch ? `/${decodeURIComponent(resourceMatch[1] ?? '')}`.toLowerCase() : undefined;
    const workspaceId = match ? decodeURIComponent(match[1] ?? '') : '';
    if (match && workspaceId.toLowerCase() !== options.workspaceId.toLowerCase()) {
      throw queryError(404, 'WorkspaceNotFoundError', `Workspace '${workspaceId}' could not be found`);
    }

    const fault = takeFault(options.faults());
    if (fault) {
      const code =
        fault.status === 429
          ? 'ThrottledError'
          : fault.status === 503
            ? 'ServiceUnavailableError'
            : 'InternalServerError';
      throw queryError(
        fault.status,
        code,
        `Injected fault: the query service answered ${fault.status}.`,
        undefined,
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
    }

    const raw = await readBody(req, {
      maxBytes: 1024 * 1024,
      tooLarge: () => queryError(413, 'PayloadTooLargeError', 'The request body is larger than 1 MB.'),
    });
    let body: { query?: unknown; timespan?: unknown };
    try {
      body = JSON.parse(raw.toString('utf8')) as { query?: unknown; timespan?: unknown };
    } catch {
      throw queryError(400, 'BadArgumentError', 'The request body is not valid JSON.');
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      throw queryError(400, 'BadArgumentError', "The request had some invalid properties: 'query' is required.");
    }
    const now = new Date();
    let window: { start?: Date; end?: Date } = {};
    if (body.timespan !== undefined && body.timespan !== null) {
      if (typeof body.timespan !== 'string')
        throw queryError(400, 'BadArgumentError', "'timespan' must be an ISO 8601 duration or interval string.");
      try {
        window = parseTimespan(body.timespan, now);
      } catch (err) {
        throw queryError(400, 'BadArgumentError', `Invalid timespan '${body.timespan}': ${(err as Error).message}`);
      }
    }

    let result: KqlTable;
    try {
      const all = options.tables();
      const tables = resourceId
        ? new Map(
            [...all].map(([name, rows]) => [
              name,
              rows.filter((r) => typeof r._ResourceId === 'string' && r._ResourceId.toLowerCase() === resourceId),
            ]),
          )
        : all;
      result = runKql(body.query, { tables, schemas: options.schemas, now, window });
    } catch (err) {
      if (err instanceof KqlError) {
        throw queryError(400, 'BadArgumentError', err.message, { code: err.kind, message: err.message });
      }
      throw err;
    }
    sendJson(res, 200, { tables: [{ name: 'PrimaryResult', columns: result.columns, rows: result.rows }] });
  };
}
