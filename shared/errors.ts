// A handful of error classes, each carrying what a caller needs to map it to a response or exit code.
// Wrap causes with `{ cause }` so logs keep the chain; never put secrets or tokens in messages.

export class AksAiopsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A setting is missing or malformed. Thrown once at start-up. */
export class ConfigError extends AksAiopsError {
  readonly settings: string[];
  constructor(message: string, options: { settings: string[]; cause?: unknown }) {
    super(message, options);
    this.settings = options.settings;
  }
}

/** Input from a caller is wrong: HTTP 400 (or 413 when `tooLarge`), CLI exit 2. */
export class ValidationError extends AksAiopsError {
  readonly problems: string[];
  readonly statusCode: 400 | 413;
  constructor(message: string, options?: { problems?: string[]; tooLarge?: boolean; cause?: unknown }) {
    super(message, options);
    this.problems = options?.problems ?? [message];
    this.statusCode = options?.tooLarge ? 413 : 400;
  }
}

/** The thing asked for does not exist: HTTP 404. */
export class NotFoundError extends AksAiopsError {}

/**
 * Our own identity lacks a role or permission the feature needs (a dependency answered 401/403 to us): the deployment's
 * fault, not the caller's and not an outage, so HTTP 500 whose message names the missing permission (never a secret).
 */
export class MissingPermissionError extends AksAiopsError {}

/** A remote service answered with an error status. */
export class RemoteServiceError extends AksAiopsError {
  readonly statusCode: number;
  readonly retryAfterMs?: number;
  constructor(message: string, options: { statusCode: number; retryAfterMs?: number; cause?: unknown }) {
    super(message, options);
    this.statusCode = options.statusCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Normalises anything thrown into an Error, so every catch can log `.message` and rethrow with a cause. */
export function ensureErrorType(err: unknown): Error {
  if (err instanceof Error) return err;
  if (typeof err === 'string') return new Error(err);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(err)}`);
  } catch {
    return new Error(`Non-error thrown: ${String(err)}`);
  }
}

/** A cap was reached (e.g. active incidents): HTTP 429 with Retry-After. */
export class TooManyRequestsError extends AksAiopsError {
  readonly retryAfterMs: number;
  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs ?? 60_000;
  }
}
