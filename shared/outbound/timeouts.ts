// One timeout policy for every outbound call (Kubernetes API, ARM, Log Analytics, Storage): the call receives one
// AbortSignal that fires when the caller gives up OR when the call's own per-request timeout elapses, whichever is
// first. A call that ends because its own timeout fired becomes a DependencyTimeoutError (a RemoteServiceError with
// status 503), so HTTP routes answer 503 + Retry-After and queue workers treat it as transient. A call that ends
// because the caller aborted rethrows the caller's reason unchanged.
import { RemoteServiceError } from '../errors.js';

/** Per-request timeouts (milliseconds). One request, not a whole paged listing or a retry loop. */
export const OUTBOUND_TIMEOUT_MS = {
  /** Table and queue operations answer in milliseconds; seconds mean the account is in trouble. */
  storage: 10_000,
  /** A single Kubernetes API read (get, one list page, a log tail). */
  kubernetes: 20_000,
  /** An ARM read (cluster, credentials, discovery page). */
  arm: 30_000,
  /** A Log Analytics query (server-side timeout is longer; evidence is optional). */
  logAnalytics: 30_000,
  /** A PromQL query to an Azure Monitor workspace (its own query timeout is 2 minutes; evidence is optional). */
  prometheus: 30_000,
  /** Each health check: /api/health answers within about 5 s even when storage hangs. */
  health: 4_000,
} as const;

export type OutboundKind = keyof typeof OUTBOUND_TIMEOUT_MS;

/** Retry-After answered for a dependency that did not answer in time. */
export const DEPENDENCY_RETRY_AFTER_MS = 10_000;

/** A dependency did not answer within its per-request timeout. */
export class DependencyTimeoutError extends RemoteServiceError {
  readonly dependency: string;
  constructor(dependency: string, timeoutMs: number, options: { cause?: unknown } = {}) {
    super(`${dependency} did not answer within ${timeoutMs} ms`, {
      statusCode: 503,
      retryAfterMs: DEPENDENCY_RETRY_AFTER_MS,
      cause: options.cause,
    });
    this.dependency = dependency;
  }
}

/** The caller's signal combined with a per-request timeout. */
export function outboundSignal(callerSignal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
}

/**
 * Runs `fn` with a signal that aborts on the caller's signal or after `timeoutMs`. The returned promise settles when
 * the signal fires even if `fn` ignores it (a client that does not honour signals cannot hold the caller past its
 * budget). `dependency` names the call in the error (e.g. "storage table diagnoses").
 */
export async function withTimeout<T>(
  dependency: string,
  timeoutMs: number,
  callerSignal: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  callerSignal?.throwIfAborted();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DependencyTimeoutError(dependency, timeoutMs)), timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(toError(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([fn(signal), aborted]);
  } catch (err) {
    // The client's own AbortError hides why it was aborted: report the reason the signal carries.
    if (signal.aborted) throw toError(signal.reason);
    throw err;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
  }
}

/** True for errors that mean a dependency did not answer (timeouts, aborted or refused connections). */
export function isDependencyUnavailable(err: unknown): boolean {
  if (err instanceof RemoteServiceError)
    return err.statusCode === 0 || err.statusCode === 408 || err.statusCode === 429 || err.statusCode >= 500;
  if (!(err instanceof Error)) return false;
  if (err.name === 'AbortError' || err.name === 'TimeoutError') return true;
  const code = (err as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    /^(REQUEST_SEND_ERROR|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|UND_ERR_\w+)$/.test(code)
  )
    return true;
  const status = (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && (status === 408 || status === 429 || status >= 500);
}

function toError(reason: unknown): Error {
  if (reason instanceof Error) return reason;
  return new Error(typeof reason === 'string' ? reason : 'aborted');
}

/** A whole operation (one diagnosis) ran out of its time budget. */
export class BudgetExceededError extends Error {
  readonly budgetMs: number;
  constructor(what: string, budgetMs: number) {
    super(`the time budget of ${Math.round(budgetMs / 1000)} s for ${what} ran out`);
    this.name = 'BudgetExceededError';
    this.budgetMs = budgetMs;
  }
}

/** A signal that fires after `budgetMs` with a BudgetExceededError, combined with the caller's signal. */
export function budgetSignal(
  what: string,
  budgetMs: number,
  callerSignal?: AbortSignal,
): { signal: AbortSignal; budget: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new BudgetExceededError(what, budgetMs)), budgetMs);
  timer.unref?.();
  return {
    signal: callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal,
    budget: controller.signal,
    dispose: () => clearTimeout(timer),
  };
}
