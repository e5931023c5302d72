// Structured JSON logs. In a function, pass the InvocationContext so lines reach Application Insights with the
// invocation id; elsewhere (CLI, dev host) they go to stderr. Values that look like secrets are redacted.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LogSink {
  debug?: (...args: unknown[]) => void;
  info: (...args: unknown[]) => void;
  warn: (...args: unknown[]) => void;
  error: (...args: unknown[]) => void;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const SECRET_KEY = /(authorization|token|secret|password|key|sig|code|credential)/i;
const BEARER = /Bearer\s+[A-Za-z0-9\-._~+/]+=*/g;
const QUERY_SECRET = /([?&](?:code|sig|token|access_token|key)=)[^&\s"]+/gi;
const CONNECTION_STRING_SECRET = /((?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;\s"]+/gi;

/** Removes bearer tokens, function keys, SAS signatures and connection-string keys from free text. */
export function redactSecrets(text: string): string {
  return text
    .replace(BEARER, 'Bearer [redacted]')
    .replace(QUERY_SECRET, '$1[redacted]')
    .replace(CONNECTION_STRING_SECRET, '$1[redacted]');
}

/**
 * An error as a log field: name, message, code, stack and the `cause` chain (wrapped errors are how the SDKs and our
 * own code say why; dropping them leaves Application Insights with the outermost message only). Redacted like the rest.
 */
function sanitizeError(error: Error, depth: number): Record<string, unknown> {
  const extra = error as Error & { code?: unknown; statusCode?: unknown; errors?: unknown };
  return {
    name: error.name,
    message: redactSecrets(error.message),
    ...(typeof extra.code === 'string' || typeof extra.code === 'number' ? { code: extra.code } : {}),
    ...(typeof extra.statusCode === 'number' ? { statusCode: extra.statusCode } : {}),
    ...(error.stack ? { stack: redactSecrets(error.stack) } : {}),
    ...(error.cause !== undefined && depth < 4 ? { cause: sanitize(error.cause, depth + 1) } : {}),
    ...(Array.isArray(extra.errors) && depth < 4
      ? { errors: extra.errors.slice(0, 5).map((e) => sanitize(e, depth + 1)) }
      : {}),
  };
}

function sanitize(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value instanceof Error) return sanitizeError(value, depth);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => sanitize(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && typeof v === 'string' ? '[redacted]' : sanitize(v, depth + 1);
  }
  return out;
}

const stderrSink: LogSink = {
  debug: (line) => process.stderr.write(`${String(line)}\n`),
  info: (line) => process.stderr.write(`${String(line)}\n`),
  warn: (line) => process.stderr.write(`${String(line)}\n`),
  error: (line) => process.stderr.write(`${String(line)}\n`),
};

export function createLogger(
  options: { sink?: LogSink; level?: LogLevel; fields?: Record<string, unknown> } = {},
): Logger {
  const sink = options.sink ?? stderrSink;
  // The level comes from the caller (config.LOG_LEVEL): only shared/config reads the environment.
  const min = order[options.level ?? 'info'];
  const base = options.fields ?? {};
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[level] < min) return;
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      msg: redactSecrets(msg),
      ...(sanitize({ ...base, ...fields }) as Record<string, unknown>),
    });
    // Called as methods: an InvocationContext's log methods need their `this`.
    if (level === 'debug') {
      if (sink.debug) sink.debug(line);
      else sink.info(line);
    } else sink[level](line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ sink, level: options.level, fields: { ...base, ...fields } }),
  };
}

/** The parts of an Azure Functions InvocationContext a logger writes through (structural, so shared/ does not
 * depend on the trigger library). */
export interface InvocationLogTarget extends LogSink {
  invocationId: string;
  functionName: string;
}

/** A logger whose lines reach Application Insights through the invocation, tagged with its id and function. */
export function createInvocationLogger(context: InvocationLogTarget, level?: LogLevel): Logger {
  return createLogger({
    sink: context,
    level,
    fields: { invocationId: context.invocationId, function: context.functionName },
  });
}
