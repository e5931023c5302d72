// What the app registered through @azure/functions, read from the local @azure/functions-core stand-in
// (dev/functions-core). Nothing here lists functions by hand: every route, schedule and queue comes from the app.
import { createRequire } from 'node:module';

export interface RpcBinding {
  type: string;
  direction: 'in' | 'out' | 'inout';
  name?: string;
  [option: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBinding>;
  retryOptions?: unknown;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: unknown): InvocationModel;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: (...args: unknown[]) => unknown): Promise<unknown>;
  getResponse(
    context: unknown,
    result: unknown,
  ): Promise<{ outputData?: Array<{ name: string; data: RpcTypedData }>; returnValue?: RpcTypedData }>;
}

export interface RpcTypedData {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  http?: RpcHttpData;
  int?: number;
  double?: number;
  collectionString?: { string: string[] };
  collectionBytes?: { bytes: Uint8Array[] };
}

export interface RpcHttpData {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  params?: Record<string, string>;
  body?: RpcTypedData;
  statusCode?: string;
}

export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: (...args: unknown[]) => unknown;
  triggerName: string;
  trigger: RpcBinding;
}

interface CoreState {
  functions: Array<{ metadata: FunctionMetadata; callback: (...args: unknown[]) => unknown }>;
  programmingModel?: ProgrammingModel;
  logHandler?: (level: string, category: string, message: string) => void;
}

const require = createRequire(import.meta.url);

let providing = false;
/**
 * Makes `require('@azure/functions-core')` from anywhere return the stand-in, as the worker does for the real
 * module: the app bundle may live outside this project's node_modules tree (tests build apps into temp folders).
 */
export function provideFunctionsCore(): void {
  if (providing) return;
  providing = true;
  const Module = require('node:module') as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
  const core = require('@azure/functions-core') as unknown;
  const original = Module._load;
  Module._load = function load(request: string, parent: unknown, isMain: boolean): unknown {
    if (request === '@azure/functions-core') return core;
    return original.call(this, request, parent, isMain);
  };
}

/** The shared state of the functions-core stand-in (the same object the app's @azure/functions writes to). */
export function functionsCoreState(): CoreState {
  const core = require('@azure/functions-core') as { __state: CoreState };
  return core.__state;
}

/** A binding option as text, or undefined when absent or not a primitive. */
export function bindingOption(binding: RpcBinding, key: string): string | undefined {
  const v = binding[key];
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function registeredFunctions(): RegisteredFunction[] {
  return functionsCoreState().functions.map((f) => {
    const entry = Object.entries(f.metadata.bindings).find(([, b]) => /trigger$/i.test(b.type));
    if (!entry) throw new Error(`Function ${f.metadata.name} has no trigger binding`);
    return { ...f, triggerName: entry[0], trigger: entry[1] };
  });
}

export function programmingModel(): ProgrammingModel {
  const model = functionsCoreState().programmingModel;
  if (!model) throw new Error('The app registered no functions: @azure/functions never set its programming model.');
  return model;
}

/** Resolves %SETTING% references the way the Functions host does, failing loudly on a missing setting. */
export function resolveSettingReferences(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(/%([^%]+)%/g, (_m, name: string) => {
    const v = env[name];
    if (v === undefined || v === '') throw new Error(`Setting '${name}' referenced as %${name}% is not set`);
    return v;
  });
}
