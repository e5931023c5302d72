// The dev host's HTTP side: routes with the route prefix and templates, auth levels with function/master keys, body
// limits, and POST /admin/functions/{name} to run a non-HTTP function (as the Functions host's admin API does).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { compareRoutes, compileRoute, matchRoute, type CompiledRoute } from './routes.js';
import { invokeFunction, typedDataToValue } from './invoke.js';
import { bindingOption, type RegisteredFunction, type RpcHttpData } from './registry.js';
import { bodyLimitFor, keyMatches } from './hostOptions.js';
import type { HostRuntime } from './hostRuntime.js';
import { redactSecrets } from '../../shared/observability/logger.js';

interface HttpFunction {
  fn: RegisteredFunction;
  route: CompiledRoute;
  methods: string[];
  authLevel: string;
}

export function createHostServer(
  rt: HostRuntime,
  functions: RegisteredFunction[],
  run: {
    fireTimer: (fn: RegisteredFunction, isPastDue: boolean, scheduled?: boolean) => Promise<void>;
    runQueueMessage: (
      fn: RegisteredFunction,
      text: string,
      meta: { dequeueCount: number; id: string },
    ) => Promise<void>;
  },
): Server {
  const { options, log, invocationLog, track, handleOutputBindings } = rt;
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
      return runNonHttpFromAdmin(
        { masterKey: options.keys.masterKey, nonHttpByName, track, run },
        req,
        res,
        url,
        path.slice('/admin/functions/'.length),
      );
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

  return server;
}

/** POST /admin/functions/{name}: runs a timer or queue function with the master key, as the host's admin API does. */
async function runNonHttpFromAdmin(
  ctx: {
    masterKey: string;
    nonHttpByName: Map<string, RegisteredFunction>;
    track: HostRuntime['track'];
    run: Parameters<typeof createHostServer>[2];
  },
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  name: string,
): Promise<void> {
  const { masterKey, nonHttpByName, track } = ctx;
  const { fireTimer, runQueueMessage } = ctx.run;
  const given = url.searchParams.get('code') ?? (req.headers['x-functions-key'] as string | undefined);
  if (!keyMatches(given, masterKey)) return sendJson(res, 401, { error: 'Unauthorized: the master key is required' });
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
  // A timer run by hand has no schedule status, unless the input asks for a scheduled run ({"input": "scheduled"}: a
  // local extension, so tests and bench/fleet can fire overlapping runs of one scheduled occurrence).
  if (type === 'timertrigger') void track(fireTimer(fn, false, input === 'scheduled'));
  else if (type === 'queuetrigger') void track(runQueueMessage(fn, input, { dequeueCount: 1, id: 'admin' }));
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
