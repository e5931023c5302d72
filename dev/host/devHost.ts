// A local Azure Functions host for this app: an HTTP server, a timer scheduler and queue pollers around the app's
// own registrations. It loads the built app (dist/app.js) exactly as the worker would, so there is no second list of
// routes, schedules or queues. Behaviour follows the Functions host where the app can observe it: route prefix and
// templates, auth levels with function/master keys, `%SETTING%` references, queue batch size, maxDequeueCount,
// visibility timeout and `<queue>-poison`, base64 messages, and POST /admin/functions/{name} to run a non-HTTP function.
import { pathToFileURL } from 'node:url';
import type { InvocationLogLine } from './invoke.js';
import { functionsCoreState, provideFunctionsCore, registeredFunctions } from './registry.js';
import { createBindings } from './bindings.js';
import { startTimers } from './timers.js';
import { startQueuePollers } from './queues.js';
import type { HostRuntime } from './hostRuntime.js';
import { createHostServer } from './http.js';

export {
  DEFAULT_BODY_LIMIT_BYTES,
  bodyLimitFor,
  keyMatches,
  type DevHost,
  type DevHostOptions,
} from './hostOptions.js';
import type { DevHost, DevHostOptions } from './hostOptions.js';

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
