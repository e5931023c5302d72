// One error envelope for every route (functions/http.ts): the caller's mistakes are 4xx with the reason, a
// dependency that does not answer is 503 + Retry-After, and our own faults are 500 — so Azure Monitor's action group
// retries the webhook instead of dropping the alert (it used to answer 400 to our own bugs).
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { errorResponse, handle, nextPageLink } from '../../../functions/http.js';
import {
  MissingPermissionError,
  NotFoundError,
  RemoteServiceError,
  TooManyRequestsError,
  ValidationError,
} from '../../../shared/errors.js';
import { createLogger } from '../../../shared/observability/logger.js';
import { DependencyTimeoutError } from '../../../shared/outbound/timeouts.js';

const { InvocationContext } = createRequire(import.meta.url)('@azure/functions') as typeof import('@azure/functions');
const logged: string[] = [];
const logger = createLogger({
  sink: {
    info: (l) => logged.push(String(l)),
    warn: (l) => logged.push(String(l)),
    error: (l) => logged.push(String(l)),
  },
});

describe('HTTP error envelope', () => {
  it.each<[string, unknown, number, boolean]>([
    ['validation', new ValidationError('bad since', { problems: ['since: not a date'] }), 400, false],
    ['too large', new ValidationError('too big', { tooLarge: true }), 413, false],
    ['not found', new NotFoundError('no such diagnosis'), 404, false],
    ['cap reached', new TooManyRequestsError('50 incidents are active'), 429, true],
    ['dependency timeout', new DependencyTimeoutError('storage', 10_000), 503, true],
    ['dependency 503', new RemoteServiceError('queue down', { statusCode: 503 }), 503, true],
    ['throttled upstream', new RemoteServiceError('slow down', { statusCode: 429 }), 503, true],
    ['aborted request', Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }), 503, true],
    ['refused connection', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 503, true],
    ['upstream refusal', new RemoteServiceError('forbidden', { statusCode: 403 }), 502, false],
    ['our bug', new TypeError("Cannot read properties of undefined (reading 'x')"), 500, false],
    ['thrown string', 'boom', 500, false],
  ])('%s → %i', (_name, err, status, retryAfter) => {
    const res = errorResponse(err, logger);
    expect(res.status).toBe(status);
    expect(Boolean((res.headers as Record<string, string> | undefined)?.['Retry-After'])).toBe(retryAfter);
    expect(res.jsonBody).toMatchObject({ error: expect.any(String), message: expect.any(String) });
  });

  it('a 500 names no internals; the log has them', () => {
    logged.length = 0;
    const res = errorResponse(new Error('secret path /home/app/x.ts line 3'), logger, 'alert webhook');
    expect(res.jsonBody).toEqual({ error: 'InternalError', message: 'internal error' });
    expect(logged.join('\n')).toMatch(/alert webhook failed/);
  });

  it('a permission our identity lacks is a 500 that names it, so the operator can grant it', () => {
    const res = errorResponse(
      new MissingPermissionError('ARM refused to read c1 (403): needs Microsoft.ContainerService/managedClusters/read'),
      logger,
      'scaling',
    );
    expect(res.status).toBe(500);
    expect(res.headers).toBeUndefined();
    expect(res.jsonBody).toMatchObject({
      error: 'MissingPermission',
      message: expect.stringContaining('Microsoft.ContainerService/managedClusters/read'),
    });
  });

  it('handle() turns anything a handler throws after validation into the envelope (500 for our own faults)', async () => {
    const context = new InvocationContext({ invocationId: 't', functionName: 'alertsWebhook', logHandler: () => {} });
    const res = await handle(context, 'alert webhook', async () => {
      throw new RangeError('Invalid time value');
    });
    expect(res.status).toBe(500);
  });

  it('nextLink is relative and never carries the function key', () => {
    const link = nextPageLink(
      'https://evil.example/api/diagnoses?code=SECRET&cluster=a&continuationToken=old',
      'continuationToken',
      'NEW',
    );
    expect(link).toBe('/api/diagnoses?cluster=a&continuationToken=NEW');
  });
});
