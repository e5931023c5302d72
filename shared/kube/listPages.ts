// Paged listing of one Kubernetes resource (limit/continue), with the client library's configuration and auth but
// plain JSON parsing: at 150,000 pods, building @kubernetes/client-node's typed models costs more than fetching
// and parsing the pages themselves (issue 4 §Performance, bench/sweep.ts). Every request asks the KubeConfig for
// its TLS options and Authorization header, so a token provider is consulted per request and expiry is handled
// there.
//
// Faults: 429 and 5xx (and dropped connections) are retried honouring Retry-After; 410 Gone on an expired continue
// token restarts the list from the beginning, skipping objects already handed over; 401/403 throw
// KubeAccessDeniedError; 404 throws NotFoundError (the cluster does not serve that API version).
import { Agent, request, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import { NotFoundError, RemoteServiceError, ensureErrorType } from '../errors.js';
import { KubeAccessDeniedError } from './kubeErrors.js';
import type { KubeObject } from './objects.js';
import { listPath, type KubeResource } from './resources.js';

export interface ListPagesOptions {
  namespace?: string;
  /** Objects per page (limit). Default 500. */
  limit?: number;
  labelSelector?: string;
  fieldSelector?: string;
  abortSignal?: AbortSignal;
  /** Retries of one page on 429/5xx/connection errors. Default 5. */
  maxRetries?: number;
  /** First backoff when no Retry-After is given; doubles per attempt, capped at maxDelayMs. Default 500 ms. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Restarts after 410 Gone before giving up. Default 3. */
  maxRestarts?: number;
  /** Per-request timeout. Default 60 s. */
  requestTimeoutMs?: number;
  /** Fetch the next page while the caller processes the current one. Default true. */
  prefetch?: boolean;
  /**
   * Pages listed before giving up on a server whose `continue` token never ends (or repeats). Default 2000 (a million
   * objects at 500 a page). The pages already yielded stand; a ListTruncatedError then says the listing is partial.
   */
  maxPages?: number;
}

/** The API server kept answering with a `continue` token: the listing stopped at a bound and is partial. */
export class ListTruncatedError extends Error {
  constructor(resource: string, pages: number, reason: string) {
    super(`${resource}: listing stopped after ${pages} pages: ${reason}`);
    this.name = 'ListTruncatedError';
  }
}

interface ListBody {
  metadata?: { continue?: string; resourceVersion?: string };
  items?: KubeObject[];
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Lists a resource page by page. Yields arrays of plain objects as the API server sent them. */
export async function* listPages(
  kc: KubeConfig,
  resource: KubeResource,
  options: ListPagesOptions = {},
): AsyncGenerator<KubeObject[], void, undefined> {
  const limit = options.limit ?? 500;
  const maxRestarts = options.maxRestarts ?? 3;
  let restarts = 0;
  // Only filled after a restart: the objects already yielded, so they are not yielded twice.
  let yielded: Set<string> | undefined;
  // Namespace and name of each object yielded in this run, in pairs: kept as the strings the pages hold (no key
  // built per object, 215,000 of them in a large sweep); keys are built only if a 410 forces a restart.
  const seenThisRun: (string | undefined)[] | undefined = maxRestarts > 0 ? [] : undefined;
  let continueToken: string | undefined;
  const maxPages = options.maxPages ?? 2000;
  let pages = 0;
  const tokens = new Set<string>();
  let truncated: string | undefined;
  let next: Promise<ListBody> | undefined = fetchList(kc, resource, options, limit, undefined);
  while (next) {
    let body: ListBody | undefined;
    try {
      body = await next;
    } catch (err) {
      if (
        err instanceof RemoteServiceError &&
        err.statusCode === 410 &&
        continueToken !== undefined &&
        restarts < maxRestarts
      ) {
        restarts++;
        yielded ??= new Set();
        for (let i = 0; i + 1 < (seenThisRun?.length ?? 0); i += 2)
          yielded.add(objectKey(seenThisRun?.[i], seenThisRun?.[i + 1]));
        if (seenThisRun) seenThisRun.length = 0;
        continueToken = undefined;
        // A restarted list may hand out the same tokens again: only a repeat within one run is a loop.
        tokens.clear();
        next = fetchList(kc, resource, options, limit, undefined);
        continue;
      }
      throw err;
    }
    continueToken = body.metadata?.continue || undefined;
    pages++;
    if (continueToken !== undefined) {
      if (tokens.has(continueToken)) truncated = 'the server repeated a continue token';
      else if (pages >= maxPages) truncated = `the server still had more after ${maxPages} pages`;
      tokens.add(continueToken);
      if (truncated) continueToken = undefined;
    }
    next =
      continueToken !== undefined && options.prefetch !== false
        ? fetchList(kc, resource, options, limit, continueToken)
        : undefined;
    // An unawaited prefetch that fails while the caller is busy must not become an unhandled rejection.
    next?.catch(() => undefined);
    let items: KubeObject[] | undefined = body.items ?? [];
    body = undefined;
    if (yielded)
      items = items.filter((item) => !yielded?.has(objectKey(item.metadata?.namespace, item.metadata?.name)));
    if (seenThisRun) for (const item of items) seenThisRun.push(item.metadata?.namespace, item.metadata?.name);
    yield items;
    // Not held while the next page is awaited: a suspended generator keeps its locals, and a page held through the
    // wait is copied by young-generation collections until it is promoted.
    items = undefined;
    if (truncated) throw new ListTruncatedError(resource.key, pages, truncated);
    if (continueToken !== undefined && options.prefetch === false)
      next = fetchList(kc, resource, options, limit, continueToken);
  }
}

function objectKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}

function fetchList(
  kc: KubeConfig,
  resource: KubeResource,
  options: ListPagesOptions,
  limit: number,
  continueToken: string | undefined,
): Promise<ListBody> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (continueToken) query.set('continue', continueToken);
  if (options.labelSelector) query.set('labelSelector', options.labelSelector);
  const fieldSelector = [resource.fieldSelector, options.fieldSelector].filter(Boolean).join(',');
  if (fieldSelector) query.set('fieldSelector', fieldSelector);
  const path = `${listPath(resource, options.namespace)}?${query.toString()}`;
  return getJsonWithRetries<ListBody>(kc, path, resource, options);
}

/** GET a path on the current cluster with retries; parses JSON plainly. */
export async function getJsonWithRetries<T>(
  kc: KubeConfig,
  path: string,
  resource: KubeResource,
  options: ListPagesOptions,
): Promise<T> {
  const maxRetries = options.maxRetries ?? 5;
  const base = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  for (let attempt = 0; ; attempt++) {
    options.abortSignal?.throwIfAborted();
    let res: RawResponse;
    try {
      res = await rawGet(kc, path, options);
    } catch (err) {
      if (options.abortSignal?.aborted || attempt >= maxRetries) {
        throw new RemoteServiceError(`GET ${path} failed: ${ensureErrorType(err).message}`, {
          statusCode: 0,
          cause: err,
        });
      }
      await sleep(Math.min(maxDelay, base * 2 ** attempt), options.abortSignal);
      continue;
    }
    if (res.status === 200) return JSON.parse(res.body.toString('utf8')) as T;
    const message = statusMessage(res);
    if (res.status === 401 || res.status === 403) {
      throw new KubeAccessDeniedError(`GET ${path}: ${res.status} ${message}`, { statusCode: res.status, resource });
    }
    if (res.status === 404) throw new NotFoundError(`GET ${path}: 404 ${message}`);
    const retryable = res.status === 429 || res.status >= 500;
    const retryAfterMs = parseRetryAfter(res.headers['retry-after']);
    if (!retryable || attempt >= maxRetries) {
      throw new RemoteServiceError(`GET ${path}: ${res.status} ${message}`, { statusCode: res.status, retryAfterMs });
    }
    await sleep(Math.min(maxDelay, retryAfterMs ?? base * 2 ** attempt), options.abortSignal);
  }
}

/**
 * One keep-alive agent per KubeConfig and TLS identity: the client library's own agent opens a new TLS connection
 * per request, which at hundreds of pages costs a handshake (and a round trip to the API server) each.
 */
const agents = new WeakMap<KubeConfig, Map<string, Agent>>();

function keepAliveAgent(kc: KubeConfig, opts: RequestOptions): Agent {
  const tls = {
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    pfx: opts.pfx,
    passphrase: opts.passphrase,
    rejectUnauthorized: opts.rejectUnauthorized,
    servername: opts.servername,
  };
  const key = JSON.stringify([kc.getCurrentContext(), tls]);
  let byKey = agents.get(kc);
  if (!byKey) agents.set(kc, (byKey = new Map<string, Agent>()));
  let agent = byKey.get(key);
  if (!agent) {
    agent = new Agent({ ...tls, keepAlive: true, maxSockets: 8, scheduling: 'lifo' });
    byKey.set(key, agent);
  }
  return agent;
}

async function rawGet(kc: KubeConfig, path: string, options: ListPagesOptions): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new NotFoundError('The kubeconfig has no current cluster');
  const opts: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  if (!cluster.proxyUrl && cluster.server.startsWith('https:')) opts.agent = keepAliveAgent(kc, opts);
  const url = new URL(path.replace(/^\//, ''), cluster.server.endsWith('/') ? cluster.server : `${cluster.server}/`);
  const timeout = AbortSignal.timeout(options.requestTimeoutMs ?? 60_000);
  const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
  const send = url.protocol === 'http:' ? httpRequest : request;
  return new Promise<RawResponse>((resolve, reject) => {
    const req = send(url, { ...opts, signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function statusMessage(res: RawResponse): string {
  try {
    const s = JSON.parse(res.body.toString('utf8')) as { message?: string; reason?: string };
    return s.message ?? s.reason ?? '';
  } catch {
    return res.body.toString('utf8').slice(0, 200);
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unparseable. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(ensureErrorType(signal.reason));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(ensureErrorType(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
