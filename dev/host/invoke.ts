// Invokes a registered function through the library's own programming model, as the Functions worker does:
// getInvocationModel → getArguments → invokeFunction → getResponse. The result is the RPC shape the host maps to an
// HTTP response or to output-binding writes.
import { randomUUID } from 'node:crypto';
import { programmingModel, type RegisteredFunction, type RpcTypedData } from './registry.js';

export interface InvocationLogLine {
  level: string;
  category: string;
  message: string;
  functionName: string;
  invocationId: string;
}

export interface InvocationResult {
  invocationId: string;
  returnValue?: RpcTypedData;
  outputData: Array<{ name: string; data: RpcTypedData }>;
  durationMs: number;
}

export async function invokeFunction(
  fn: RegisteredFunction,
  triggerData: RpcTypedData,
  options: {
    triggerMetadata?: Record<string, RpcTypedData>;
    log: (line: InvocationLogLine) => void;
    retryContext?: { retryCount: number; maxRetryCount: number };
  },
): Promise<InvocationResult> {
  const invocationId = randomUUID();
  const started = performance.now();
  const coreCtx = {
    invocationId,
    metadata: fn.metadata,
    state: 'invocation',
    request: {
      invocationId,
      functionId: fn.metadata.name,
      inputData: [{ name: fn.triggerName, data: triggerData }],
      triggerMetadata: options.triggerMetadata ?? {},
      retryContext: options.retryContext,
    },
    log: (level: string, category: string, message: string) =>
      options.log({ level, category, message, functionName: fn.metadata.name, invocationId }),
  };
  const model = programmingModel().getInvocationModel(coreCtx);
  const { context, inputs } = await model.getArguments();
  const result = await model.invokeFunction(context, inputs, fn.callback);
  const response = await model.getResponse(context, result);
  return {
    invocationId,
    returnValue: response.returnValue,
    outputData: response.outputData ?? [],
    durationMs: performance.now() - started,
  };
}

/** Decodes an RPC typed value into text or a JS value (for output bindings). */
export function typedDataToValue(data: RpcTypedData | undefined): unknown {
  if (!data) return undefined;
  if (data.string !== undefined) return data.string;
  if (data.json !== undefined) return JSON.parse(data.json) as unknown;
  if (data.bytes !== undefined) return Buffer.from(data.bytes);
  if (data.int !== undefined) return data.int;
  if (data.double !== undefined) return data.double;
  if (data.collectionString) return data.collectionString.string;
  if (data.collectionBytes) return data.collectionBytes.bytes.map((b) => Buffer.from(b));
  return undefined;
}
