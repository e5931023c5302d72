// A local Azure Functions host for this app: an HTTP server, a timer scheduler and queue pollers around the app's
// own registrations. It loads the built app (dist/app.js) exactly as the worker would, so there is no second list of
// routes, schedules or queues. Behaviour follows the Functions host where the app can observe it: route prefix and
// templates, auth levels with function/master keys, `%SETTING%` references, queue batch size, maxDequeueCount,
// visibility timeout and `<queue>-poison`, base64 messages, and POST /admin/functions/{name} to run a non-HTTP function.
import { createHash, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { InvocationLogLine } from './invoke.js';
import { functionsCoreState, provideFunctionsCore, registeredFunctions, type RegisteredFunction } from './registry.js';
import type { HostOptions } from './hostJson.js';
import { createBindings } from './bindings.js';
import { startTimers } from './timers.js';
import { startQueuePollers } from './queues.js';
import type { HostRuntime } from './hostRuntime.js';
import { createHostServer } from './http.js';

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

  // ---------------- bindings, timers, queues (bindings.ts, timers.ts, queues.ts) ----------------
  let stopping = false;
  const { handleOutputBindings, queueClientFor } = createBindings(options);
  const rt: HostRuntime = {
    options,
    log,
    invocationLog,
    track,
    isStopping: () => stopping,
    handleOutputBindings,
    queueClientFor,
  };
  const timerHost = startTimers(rt, functions);
  const { fireTimer } = timerHost;
  const { runQueueMessage, pollers } = startQueuePollers(rt, functions);
  const server = createHostServer(rt, functions, { fireTimer, runQueueMessage });

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
      timerHost.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled([...pollers, ...running]);
    },
  };
}
