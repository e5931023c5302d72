// The body of POST /api/diagnose: either a live request (JSON {namespace, pod_name | service_name | node_name, ...})
// or a paste - what a ticketing or chat integration forwards from its user - as a `text/plain` body or JSON
// {"paste": "..."}. The paste is diagnosed offline with the same reader and engine as `aks-aiops diagnose --file`.
import { ValidationError } from '../errors.js';
import { parseOnDemandRequest, type OnDemandRequest } from './onDemand.js';

export type DiagnoseRequest = { kind: 'paste'; text: string } | { kind: 'live'; request: OnDemandRequest };

const JSON_HINT =
  'a JSON object {namespace, service_name | pod_name | node_name, include_logs?} or {"paste": "<text>"}';

/**
 * Reads the body. `maxBytes` bounds what is read (413 above it); a body that is not text, JSON of the wrong shape,
 * or an empty paste is a 400 with the reason.
 */
export function parseDiagnoseBody(
  body: Uint8Array,
  contentType: string | null | undefined,
  maxBytes: number,
): DiagnoseRequest {
  if (body.byteLength > maxBytes)
    throw new ValidationError(`Request body is ${body.byteLength} bytes; the limit is ${maxBytes} bytes`, {
      tooLarge: true,
      problems: ['payload too large'],
    });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new ValidationError('Request body is not UTF-8 text');
  }
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/plain') return { kind: 'paste', text: nonEmptyPaste(text) };
  if (type !== '' && type !== 'application/json' && !type.endsWith('+json'))
    throw new ValidationError(`Unsupported Content-Type '${type}': send text/plain (a paste) or application/json`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError(`Body must be ${JSON_HINT}`);
  }
  if (json !== null && typeof json === 'object' && !Array.isArray(json) && 'paste' in json) {
    const { paste, ...rest } = json;
    if (typeof paste !== 'string') throw new ValidationError('paste: must be a string (the pasted text)');
    if (Object.keys(rest).length > 0)
      throw new ValidationError(`Unexpected field(s) with paste: ${Object.keys(rest).join(', ')}`);
    return { kind: 'paste', text: nonEmptyPaste(paste) };
  }
  return { kind: 'live', request: parseOnDemandRequest(json) };
}

function nonEmptyPaste(text: string): string {
  if (text.trim() === '') throw new ValidationError('paste: is empty');
  return text;
}
