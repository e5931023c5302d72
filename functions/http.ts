// One error envelope for every HTTP route: `{ error, message, problems? }`.
//   400 / 413  the caller's input is wrong (ValidationError), with the problems found
//   404        the thing asked for does not exist (NotFoundError)
//   429        a cap was reached (TooManyRequestsError), with Retry-After
//   503        a dependency did not answer or failed (timeouts, refused connections, 5xx), with Retry-After
//   502        a dependency refused us for good (e.g. 403 from ARM or the Kubernetes API): retrying will not help
//   500        anything else: our own fault. Logged with its cause; the response names no internals.
// The webhook relies on the last two: Azure Monitor action groups retry a webhook on 5xx (and 429/408), so our own
// bug must never become a 4xx that drops the alert.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { parseQuery } from '../shared/api/query.js';
import { getConfig } from '../shared/config/config.js';
import {
  MissingPermissionError,
  NotFoundError,
  RemoteServiceError,
  TooManyRequestsError,
  ValidationError,
  ensureErrorType,
} from '../shared/errors.js';
import { createInvocationLogger, redactSecrets, type Logger } from '../shared/observability/logger.js';
import { DEPENDENCY_RETRY_AFTER_MS, isDependencyUnavailable } from '../shared/outbound/timeouts.js';

export interface ErrorBody {
  error:
    | 'ValidationError'
    | 'PayloadTooLarge'
    | 'NotFound'
    | 'TooManyRequests'
    | 'ServiceUnavailable'
    | 'BadGateway'
    | 'MissingPermission'
    | 'InternalError';
  message: string;
  problems?: string[];
}

function retryAfter(ms: number | undefined): Record<string, string> {
  return { 'Retry-After': String(Math.max(1, Math.ceil((ms ?? DEPENDENCY_RETRY_AFTER_MS) / 1000))) };
}

/** Maps anything thrown by a route to its response. `what` names the operation in the log line. */
export function errorResponse(err: unknown, logger: Logger, what = 'request'): HttpResponseInit {
  if (err instanceof ValidationError) {
    const body: ErrorBody = {
      error: err.statusCode === 413 ? 'PayloadTooLarge' : 'ValidationError',
      message: err.message,
      problems: err.problems,
    };
    return { status: err.statusCode, jsonBody: body };
  }
  if (err instanceof NotFoundError) return { status: 404, jsonBody: { error: 'NotFound', message: err.message } };
  if (err instanceof TooManyRequestsError)
    return {
      status: 429,
      headers: retryAfter(err.retryAfterMs),
      jsonBody: { error: 'TooManyRequests', message: err.message } satisfies ErrorBody,
    };
  const e = ensureErrorType(err);
  if (isDependencyUnavailable(err)) {
    logger.warn(`${what}: a dependency is unavailable; answering 503`, { error: e });
    return {
      status: 503,
      headers: retryAfter(err instanceof RemoteServiceError ? err.retryAfterMs : undefined),
      jsonBody: {
        error: 'ServiceUnavailable',
        message: `A dependency is unavailable: ${redactSecrets(e.message.split('\n')[0] ?? '').slice(0, 300)}; retry later`,
      } satisfies ErrorBody,
    };
  }
  if (err instanceof RemoteServiceError) {
    logger.error(`${what}: a dependency refused the request`, { error: e });
    return {
      status: 502,
      jsonBody: {
        error: 'BadGateway',
        message: redactSecrets(e.message.split('\n')[0] ?? '').slice(0, 300),
      } satisfies ErrorBody,
    };
  }
  if (err instanceof MissingPermissionError) {
    // Ours to fix (a role assignment), so 500 like any fault of ours, but saying which permission: the operator
    // reading the response or the log can grant it without a code change.
    logger.error(`${what}: the app's identity lacks a permission`, { error: e });
    return {
      status: 500,
      jsonBody: { error: 'MissingPermission', message: redactSecrets(e.message).slice(0, 500) } satisfies ErrorBody,
    };
  }
  logger.error(`${what} failed`, { error: e });
  return { status: 500, jsonBody: { error: 'InternalError', message: 'internal error' } satisfies ErrorBody };
}

/** Runs a route handler; whatever it throws becomes the envelope above. */
export async function handle(
  context: InvocationContext,
  what: string,
  fn: (logger: Logger) => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  const logger = createInvocationLogger(context, getConfig().LOG_LEVEL);
  try {
    return await fn(logger);
  } catch (err) {
    return errorResponse(err, logger, what);
  }
}

/** The request's query, validated with the route's schema (its `query` in shared/api/routeCatalogue.ts, which the
 * OpenAPI document shows); a wrong parameter throws ValidationError, which `handle` answers with 400 naming it. */
export function queryOf<S extends z.ZodObject>(request: HttpRequest, schema: S): z.output<S> {
  return parseQuery(schema, request.query);
}

/** A link to the next page, relative to the API (no host from the request, no function key). */
export function nextPageLink(requestUrl: string, tokenParam: string, token: string): string {
  const url = new URL(requestUrl);
  const params = new URLSearchParams();
  for (const [k, v] of url.searchParams) if (k !== 'code' && k !== tokenParam) params.append(k, v);
  params.set(tokenParam, token);
  return `${url.pathname}?${params.toString()}`;
}
