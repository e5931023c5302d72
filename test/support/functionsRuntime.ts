// Real @azure/functions request and context objects, so tests call trigger handlers the way the Functions host does.
// @azure/functions is CommonJS: jest's ESM mode does not see its named exports, so its classes come through require.
import { createRequire } from 'node:module';

const functions = createRequire(import.meta.url)('@azure/functions') as typeof import('@azure/functions');

export const { HttpRequest, InvocationContext } = functions;
export type HttpRequest = InstanceType<typeof HttpRequest>;
export type InvocationContext = InstanceType<typeof InvocationContext>;

/** A context for one invocation of `functionName`; its log lines go to `logs` when given, else nowhere. */
export function invocationContext(
  functionName: string,
  options: { dequeueCount?: number; logs?: string[] } = {},
): InvocationContext {
  const { logs } = options;
  return new InvocationContext({
    invocationId: 'test',
    functionName,
    logHandler: logs ? (_level, ...args) => logs.push(args.map(String).join(' ')) : () => undefined,
    ...(options.dequeueCount !== undefined ? { triggerMetadata: { dequeueCount: options.dequeueCount } } : {}),
  });
}
