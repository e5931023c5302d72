// Shared by the dev host's parts: what an invocation needs from the host around it.
import type { QueueClient } from '@azure/storage-queue';
import type { InvocationLogLine } from './invoke.js';
import type { RegisteredFunction, RpcBinding } from './registry.js';
import type { DevHostOptions } from './hostOptions.js';

export interface HostRuntime {
  options: DevHostOptions;
  log: (line: Record<string, unknown>) => void;
  invocationLog: (line: InvocationLogLine) => void;
  /** Keeps a running invocation so stop() can wait for it. */
  track: <T>(p: Promise<T>) => Promise<T>;
  isStopping: () => boolean;
  handleOutputBindings: (fn: RegisteredFunction, outputs: Array<{ name: string; data: unknown }>) => Promise<void>;
  queueClientFor: (binding: RpcBinding, suffix?: string) => QueueClient;
}
