// What could not be gathered, and why, in words fit for a Diagnosis: a short class of failure with the HTTP status or
// service error code, never the upstream error text (which can carry internal names, queries or identifiers).

// Duck-typed: Azure SDK RestError (statusCode, code), Kubernetes client ApiException (code = HTTP status), and the
// project's RemoteServiceError (statusCode) all carry the status somewhere.
function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; code?: unknown; status?: unknown };
  for (const v of [e?.statusCode, e?.status, e?.code]) if (typeof v === 'number' && v >= 100 && v < 600) return v;
  return undefined;
}

export function gapReason(err: unknown): string {
  const status = statusOf(err);
  const rawCode = (err as { code?: unknown })?.code;
  const code = typeof rawCode === 'string' && /^[A-Za-z]+$/.test(rawCode) ? ` ${rawCode}` : '';
  const name = (err as { name?: unknown })?.name;
  if (name === 'AbortError' || name === 'TimeoutError') return 'timed out';
  if (status === 401 || status === 403) return `access denied (${status}${code})`;
  if (status === 404) return `not found (404${code})`;
  if (status === 429) return `throttled (429${code})`;
  if (status !== undefined && status >= 500) return `service unavailable (${status}${code})`;
  if (status !== undefined) return `rejected (${status}${code})`;
  if (rawCode === 'ECONNREFUSED' || rawCode === 'ENOTFOUND' || rawCode === 'ECONNRESET') return 'unreachable';
  return 'failed';
}

/** One evidenceGaps entry: "<what>: <reason>". */
export const evidenceGap = (what: string, err: unknown): string => `${what}: ${gapReason(err)}`;
