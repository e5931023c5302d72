// The dev host's options and its request policies (body size, key comparison), in a module of their own so the
// host's parts (http, bindings, timers, queues) can use them without importing devHost.ts back.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RegisteredFunction } from './registry.js';
import type { HostOptions } from './hostJson.js';

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
