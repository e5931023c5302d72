// A local Azure Functions host for this app: an HTTP server, a timer scheduler and queue pollers around the app's
// own registrations. It loads the built app (dist/app.js) exactly as the worker would, so there is no second list of
// routes, schedules or queues. Behaviour follows the Functions host where the app can observe it: route prefix and
// templates, auth levels with function/master keys, `%SETTING%` references, queue batch size, maxDequeueCount,
// visibility timeout and `<queue>-poison`, base64 messages, and POST /admin/functions/{name} to run a non-HTTP function.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { CronExpressionParser } from 'cron-parser';
import { compareRoutes, compileRoute, matchRoute, type CompiledRoute } from './routes.js';
import { invokeFunction, typedDataToValue, type InvocationLogLine } from './invoke.js';
import {
  bindingOption,
  functionsCoreState,
  provideFunctionsCore,
  registeredFunctions,
  resolveSettingReferences,
  type RegisteredFunction,
  type RpcBinding,
  type RpcHttpData,
} from './registry.js';
import type { HostOptions } from './hostJson.js';
import { redactSecrets } from '../../shared/observability/logger.js';

export interface DevHostOptions {
  appEntry: string;
  host: HostOptions;
  port: number;
  /** Keys: `function` accepts either; `admin` needs the master key. */
  keys: { functionKey: string; masterKey: string };
  env: NodeJS.ProcessEnv;
  /** How long a dequeued message stays invisible while its function runs; renewed at half this. */
  queueLeaseMs?: number;
  /**
   * Largest request body per function name (bytes); others take DEFAULT_BODY_LIMIT_BYTES. GET and HEAD take none.
   * The app's routes check their own limits too (ALERT_MAX_BYTES): this cap keeps the host's memory bounded.
   */
  bodyLimits?: Record<string, number>;
  log?: (line: Record<string, unknown>) => void;
}

export interface DevHost {
  url: string;
  functions: RegisteredFunction[];
  /** Stops timers and pollers, waits for running invocations, closes the server. */
  stop(): Promise<void>;
}

interface HttpFunction {
  fn: RegisteredFunction;
  route: CompiledRoute;
  methods: string[];
  authLevel: string;
}

/**
 * The body-size policy: a request body is checked against its route's limit before it is read (Content-Length) and
 * while it streams (chunked), and refused with 413. GET, HEAD, OPTIONS and DELETE carry no body here; the Functions
 * host's own 100 MB cap is far above what any route of this app accepts, and buffering that much per anonymous GET
 * is how 8 requests grew the process to 1.35 GB.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
const NO_BODY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

export function bodyLimitFor(method: string, functionName: string, limits: Record<string, number> = {}): number {
  if (NO_BODY_METHODS.has(method.toUpperCase())) return 0;
  return limits[functionName] ?? DEFAULT_BODY_LIMIT_BYTES;
}

/** Compares a presented key with the expected one in constant time (no early exit on the first differing byte). */
export function keyMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined || expected === '') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function startDevHost(options: DevHostOptions): Promise<DevHost> {
  const log = options.log ?? ((line) => process.stdout.write(`${JSON.stringify(line)}\n`));
  provideFunctionsCore();
  functionsCoreState().logHandler = (level, category, message) => log({ level, category, message });
  await import(pathToFileURL(options.appEntry).href);
  // `AzureWebJobs.<FunctionName>.Disabled=true` turns a function off, as on the Functions host.
  const functions = registeredFunctions().filter(
    (f) => !/^(true|1)$/i.test(options.env[`AzureWebJobs.${f.metadata.name}.Disabled`] ?? ''),
  );
  if (functions.length === 0) throw new Error(`${options.appEntry} registered no functions`);

  const invocationLog = (line: InvocationLogLine) => log({ ...line, time: new Date().toISOString() });
  const running = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => undefined);
    return p;
  };

  // ---------------- HTTP ----------------
  const prefix = options.host.routePrefix.replace(/^\/+|\/+$/g, '');
  const httpFunctions: HttpFunction[] = functions
    .filter((f) => f.trigger.type.toLowerCase() === 'httptrigger')
    .map((fn) => ({
      fn,
      route: compileRoute(typeof fn.trigger.route === 'string' ? fn.trigger.route : fn.metadata.name),
      methods: ((fn.trigger.methods as string[] | undefined) ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
      authLevel: (bindingOption(fn.trigger, 'authLevel') ?? 'anonymous').toLowerCase(),
    }))
    .sort((a, b) => compareRoutes(a.route, b.route));
  const nonHttpByName = new Map(
    functions
      .filter((f) => f.trigger.type.toLowerCase() !== 'httptrigger')
      .map((f) => [f.metadata.name.toLowerCase(), f]),
  );

  const server: Server = createServer((req, res) => {
    void track(handleHttp(req, res)).catch((err: unknown) => {
      // req.url may carry ?code=<function key>.
      log({
        level: 'error',
        message: redactSecrets(`unhandled error serving ${req.method} ${req.url}: ${String(err)}`),
      });
      if (!res.headersSent) sendJson(res, 500, { error: 'Internal Server Error' });
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    let path: string;
    try {
      path = decodeURI(url.pathname);
    } catch {
      return sendJson(res, 400, { error: `Malformed percent-encoding in the path ${url.pathname}` });
    }

    if (path.startsWith('/admin/functions/') && method === 'POST') {
      return runNonHttpFromAdmin(req, res, url, path.slice('/admin/functions/'.length));
    }
    const prefixPath = prefix === '' ? '' : `/${prefix}`;
    if (!(path === prefixPath || path.startsWith(`${prefixPath}/`))) return sendJson(res, 404, { error: 'Not Found' });
    const routePath = path.slice(prefixPath.length).replace(/\/+$/, '');

    let matched: { f: HttpFunction; params: Record<string, string> } | undefined;
    let pathMatchedOtherMethod = false;
    for (const f of httpFunctions) {
      const params = matchRoute(f.route, routePath);
      if (!params) continue;
      if (!f.methods.includes(method)) {
        pathMatchedOtherMethod = true;
        continue;
      }
      matched = { f, params };
      break;
    }
    if (!matched) {
      return sendJson(res, pathMatchedOtherMethod ? 405 : 404, {
        error: pathMatchedOtherMethod ? 'Method Not Allowed' : 'Not Found',
      });
    }
    if (!authorized(matched.f.authLevel, req, url))
      return sendJson(res, 401, {
        error: 'Unauthorized: a valid function key is required (query "code" or header "x-functions-key")',
      });

    const limit = bodyLimitFor(method, matched.f.fn.metadata.name, options.bodyLimits);
    const body = await readBody(req, limit);
    if (body === undefined) {
      res.setHeader('Connection', 'close');
      sendJson(res, 413, {
        error: 'PayloadTooLarge',
        message:
          limit === 0 ? `${method} requests carry no body` : `Request body larger than ${limit} bytes for this route`,
      });
      // Node discards (never buffers) what is left of the body and closes the connection after this response.
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const http: RpcHttpData = {
      method,
      url: url.toString(),
      headers,
      query,
      params: matched.params,
      body: body.length > 0 ? { bytes: body } : undefined,
    };
    const result = await invokeFunction(matched.f.fn, { http }, { log: invocationLog });
    const out = result.returnValue?.http;
    log({
      level: 'info',
      category: 'Host.Results',
      functionName: matched.f.fn.metadata.name,
      method,
      path,
      status: out?.statusCode ?? '204',
      durationMs: Math.round(result.durationMs),
    });
    await handleOutputBindings(matched.f.fn, result.outputData);
    if (!out) {
      res.writeHead(204).end();
      return;
    }
    const status = Number(out.statusCode ?? 200);
    const resHeaders: Record<string, string> = { ...(out.headers ?? {}) };
    const bodyValue = typedDataToValue(out.body);
    const bytes = Buffer.isBuffer(bodyValue)
      ? bodyValue
      : bodyValue === undefined
        ? Buffer.alloc(0)
        : Buffer.from(typeof bodyValue === 'string' ? bodyValue : JSON.stringify(bodyValue));
    res.writeHead(status, resHeaders);
    res.end(method === 'HEAD' ? undefined : bytes);
  }

  function authorized(level: string, req: IncomingMessage, url: URL): boolean {
    if (level === 'anonymous') return true;
    const given = url.searchParams.get('code') ?? (req.headers['x-functions-key'] as string | undefined);
    const master = keyMatches(given, options.keys.masterKey);
    if (level === 'admin') return master;
    // Both comparisons always run, so the time taken says nothing about which key (or how much of it) matched.
    const fnKey = keyMatches(given, options.keys.functionKey);
    return fnKey || master;
  }

  async function runNonHttpFromAdmin(req: IncomingMessage, res: ServerResponse, url: URL, name: string): Promise<void> {
    const given = url.searchParams.get('code') ?? (req.headers['x-functions-key'] as string | undefined);
    if (!keyMatches(given, options.keys.masterKey))
      return sendJson(res, 401, { error: 'Unauthorized: the master key is required' });
    // The path was percent-decoded once already (decodeURI); a name is never decoded twice ('%25' stays '%').
    const fn = nonHttpByName.get(name.toLowerCase());
    if (!fn) return sendJson(res, 404, { error: `No non-HTTP function named '${name}'` });
    const body = await readBody(req, 64 * 1024);
    if (body === undefined) {
      res.setHeader('Connection', 'close');
      return sendJson(res, 413, { error: 'PayloadTooLarge', message: 'Admin request body larger than 65536 bytes' });
    }
    let input = '';
    try {
      const parsed = body.length > 0 ? (JSON.parse(body.toString('utf8')) as { input?: unknown }).input : undefined;
      input = typeof parsed === 'string' ? parsed : parsed === undefined ? '' : JSON.stringify(parsed);
    } catch {
      return sendJson(res, 400, { error: 'Body must be JSON like {"input": "..."}' });
    }
    // Like the host: accept at once, run in the background.
    res.writeHead(202).end();
    const type = fn.trigger.type.toLowerCase();
    if (type === 'timertrigger') void track(fireTimer(fn, false));
    else if (type === 'queuetrigger') void track(runQueueMessage(fn, input, { dequeueCount: 1, id: 'admin' }));
  }

  // ---------------- output bindings ----------------
  async function handleOutputBindings(
    fn: RegisteredFunction,
    outputs: Array<{ name: string; data: unknown }>,
  ): Promise<void> {
    for (const out of outputs) {
      const binding = fn.metadata.bindings[out.name];
      if (!binding || binding.type.toLowerCase() !== 'queue') continue;
      const value = typedDataToValue(out.data as never);
      const messages = Array.isArray(value) ? value : [value];
      const queue = queueClientFor(binding);
      await queue.createIfNotExists();
      for (const m of messages) {
        const text = typeof m === 'string' ? m : Buffer.isBuffer(m) ? m.toString('utf8') : JSON.stringify(m);
        await queue.sendMessage(
          options.host.queues.messageEncoding === 'base64' ? Buffer.from(text).toString('base64') : text,
        );
      }
    }
  }

  // One credential per identity, so its token cache is shared by every queue client (as the host's is).
  const credentials = new Map<string, TokenCredential>();
  function queueClientFor(binding: RpcBinding, suffix = ''): QueueClient {
    const connectionName =
      typeof binding.connection === 'string' && binding.connection ? binding.connection : 'AzureWebJobsStorage';
    const queueName =
      resolveSettingReferences(typeof binding.queueName === 'string' ? binding.queueName : '', options.env) + suffix;
    const connectionString = options.env[connectionName];
    if (connectionString) return new QueueClient(connectionString, queueName);
    // Identity-based connection, as the Functions host resolves it: <connection>__queueServiceUri (or
    // __accountName) with __credential=managedidentity and an optional __clientId (Functions docs, "Connecting to
    // host storage with an identity"). The managed identity credential reads IDENTITY_ENDPOINT like the host's.
    const serviceUri =
      options.env[`${connectionName}__queueServiceUri`] ??
      (options.env[`${connectionName}__accountName`]
        ? `https://${options.env[`${connectionName}__accountName`]}.queue.core.windows.net`
        : undefined);
    if (!serviceUri) {
      throw new Error(`Connection setting '${connectionName}' (or '${connectionName}__queueServiceUri') is not set`);
    }
    const clientId = options.env[`${connectionName}__clientId`];
    const key = clientId ?? '(system-assigned)';
    let credential = credentials.get(key);
    if (!credential) {
      credential = clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
      credentials.set(key, credential);
    }
    return new QueueServiceClient(serviceUri, credential).getQueueClient(queueName);
  }

  // ---------------- timers ----------------
  const timers: NodeJS.Timeout[] = [];
  let stopping = false;
  async function fireTimer(fn: RegisteredFunction, isPastDue: boolean): Promise<void> {
    const timerInfo = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: { Last: new Date().toISOString() },
      IsPastDue: isPastDue,
    };
    try {
      const result = await invokeFunction(fn, { json: JSON.stringify(timerInfo) }, { log: invocationLog });
      await handleOutputBindings(fn, result.outputData);
      log({
        level: 'info',
        category: 'Host.Results',
        functionName: fn.metadata.name,
        trigger: 'timer',
        status: 'Succeeded',
        durationMs: Math.round(result.durationMs),
      });
    } catch (err) {
      log({
        level: 'error',
        category: 'Host.Results',
        functionName: fn.metadata.name,
        trigger: 'timer',
        status: 'Failed',
        error: String(err),
      });
    }
  }
  for (const fn of functions.filter((f) => f.trigger.type.toLowerCase() === 'timertrigger')) {
    const schedule = resolveSettingReferences(bindingOption(fn.trigger, 'schedule') ?? '', options.env);
    // NCRONTAB runs in UTC on the Functions host unless WEBSITE_TIME_ZONE says otherwise.
    const cron = CronExpressionParser.parse(schedule, { tz: options.env.WEBSITE_TIME_ZONE ?? 'UTC' });
    const MAX_TIMEOUT_MS = 2 ** 31 - 1; // setTimeout fires at once for longer delays
    const waitUntil = (due: number) => {
      if (stopping) return;
      const delay = due - Date.now();
      if (delay > MAX_TIMEOUT_MS) {
        timers.push(setTimeout(() => waitUntil(due), MAX_TIMEOUT_MS));
        return;
      }
      timers.push(
        setTimeout(
          () => {
            void track(fireTimer(fn, Date.now() - due > 1000));
            scheduleNext();
          },
          Math.max(0, delay),
        ),
      );
    };
    const scheduleNext = () => waitUntil(cron.next().getTime());
    scheduleNext();
    if (fn.trigger.runOnStartup === true) void track(fireTimer(fn, false));
  }

  // ---------------- queues ----------------
  const q = options.host.queues;
  const leaseMs = options.queueLeaseMs ?? 30000;
  async function runQueueMessage(
    fn: RegisteredFunction,
    text: string,
    meta: { dequeueCount: number; id: string; insertionTime?: Date },
  ): Promise<void> {
    const triggerMetadata = {
      RecordId: { string: meta.id },
      // The queue trigger's metadata in Azure names the message id `Id` (with DequeueCount, InsertionTime, …).
      Id: { string: meta.id },
      DequeueCount: { json: String(meta.dequeueCount) },
      InsertionTime: { string: (meta.insertionTime ?? new Date()).toISOString() },
      QueueTrigger: { string: text },
    };
    const result = await invokeFunction(fn, { string: text }, { log: invocationLog, triggerMetadata });
    await handleOutputBindings(fn, result.outputData);
  }

  const pollers: Array<Promise<void>> = [];
  for (const fn of functions.filter((f) => f.trigger.type.toLowerCase() === 'queuetrigger')) {
    const queue = queueClientFor(fn.trigger);
    const poison = queueClientFor(fn.trigger, '-poison');
    pollers.push(
      (async () => {
        await queue.createIfNotExists();
        let delay = 100;
        const inFlight = new Set<Promise<void>>();
        while (!stopping) {
          const room = q.batchSize + q.newBatchThreshold - inFlight.size;
          if (inFlight.size > q.newBatchThreshold || room <= 0) {
            await Promise.race(inFlight);
            continue;
          }
          let received;
          try {
            received = await queue.receiveMessages({
              numberOfMessages: Math.min(32, q.batchSize),
              visibilityTimeout: Math.ceil(leaseMs / 1000),
            });
          } catch (err) {
            log({ level: 'warn', message: `queue ${queue.name}: receive failed: ${String(err)}` });
            await sleep(Math.min(q.maxPollingIntervalMs, 2000));
            continue;
          }
          const items = received.receivedMessageItems;
          if (items.length === 0) {
            await sleep(delay);
            delay = Math.min(q.maxPollingIntervalMs, delay * 2);
            continue;
          }
          delay = 100;
          for (const item of items) {
            const p = track(processMessage(fn, queue, poison, item)).finally(() => inFlight.delete(p));
            inFlight.add(p);
          }
        }
        await Promise.allSettled(inFlight);
      })(),
    );
  }

  async function processMessage(
    fn: RegisteredFunction,
    queue: QueueClient,
    poison: QueueClient,
    item: { messageId: string; popReceipt: string; messageText: string; dequeueCount: number; insertedOn: Date },
  ): Promise<void> {
    let popReceipt = item.popReceipt;
    const text =
      q.messageEncoding === 'base64' ? Buffer.from(item.messageText, 'base64').toString('utf8') : item.messageText;
    if (item.dequeueCount > q.maxDequeueCount) {
      await poison.createIfNotExists();
      await poison.sendMessage(item.messageText);
      await queue.deleteMessage(item.messageId, popReceipt);
      log({
        level: 'error',
        category: 'Host.Queues',
        functionName: fn.metadata.name,
        message: `Message ${item.messageId} has reached MaxDequeueCount of ${q.maxDequeueCount}. Moving message to queue '${poison.name}'.`,
      });
      return;
    }
    // Keep the message invisible while the function runs, as the host does.
    const renew = setInterval(
      () => {
        queue
          .updateMessage(item.messageId, popReceipt, undefined, Math.ceil(leaseMs / 1000))
          .then((r) => {
            if (r.popReceipt) popReceipt = r.popReceipt;
          })
          .catch(() => undefined);
      },
      Math.max(500, leaseMs / 2),
    );
    try {
      await runQueueMessage(fn, text, {
        dequeueCount: item.dequeueCount,
        id: item.messageId,
        insertionTime: item.insertedOn,
      });
      clearInterval(renew);
      await queue.deleteMessage(item.messageId, popReceipt);
      log({
        level: 'info',
        category: 'Host.Results',
        functionName: fn.metadata.name,
        trigger: 'queue',
        messageId: item.messageId,
        status: 'Succeeded',
      });
    } catch (err) {
      clearInterval(renew);
      log({
        level: 'error',
        category: 'Host.Results',
        functionName: fn.metadata.name,
        trigger: 'queue',
        messageId: item.messageId,
        dequeueCount: item.dequeueCount,
        status: 'Failed',
        error: String(err instanceof Error ? err.message : err),
      });
      // Back on the queue after host.json's visibilityTimeout; after maxDequeueCount it goes to the poison queue.
      await queue
        .updateMessage(item.messageId, popReceipt, undefined, Math.ceil(q.visibilityTimeoutMs / 1000))
        .catch(() => undefined);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://127.0.0.1:${port}`,
    functions,
    async stop() {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled([...pollers, ...running]);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/** Reads a body of at most `limit` bytes; undefined (413) when it is larger, decided from Content-Length first. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(undefined);
  const chunked = /chunked/i.test(String(req.headers['transfer-encoding'] ?? ''));
  if (limit === 0 && !chunked) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(undefined);
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
