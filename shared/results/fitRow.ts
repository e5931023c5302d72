// Log Analytics limits a field to 64 KB and a Logs Ingestion call to 1 MB. Rather than fail a row, an oversized
// field is cut to fit and ends with a marker saying how much was dropped, so a reader knows the value is partial.
import type { ResultRow } from './resultsSink.js';

/** Per-field limit of Log Analytics (measured here on the JSON text, which is never smaller than the value). */
export const FIELD_LIMIT_BYTES = 64 * 1024;

/** Budget of one upload call's JSON body; below the service's 1 MiB so separators and brackets always fit. */
export const CALL_LIMIT_BYTES = 1_000_000;

export const TRUNCATION_MARKER = '[truncated by aks-aiops]';

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');

function cutString(text: string, budget: number): string {
  const total = Buffer.byteLength(text, 'utf8');
  let keep = Math.max(0, budget - 80);
  for (;;) {
    // Decoding a byte prefix can end in half a character; drop the replacement character it becomes.
    const prefix = Buffer.from(text, 'utf8')
      .subarray(0, keep)
      .toString('utf8')
      .replace(/\uFFFD+$/, '');
    const kept = Buffer.byteLength(prefix, 'utf8');
    const candidate = `${prefix}…${TRUNCATION_MARKER} ${kept} of ${total} bytes kept`;
    const over = jsonBytes(candidate) - budget;
    if (over <= 0 || keep === 0) return candidate;
    keep = Math.max(0, keep - over);
  }
}

/** The largest version of `value` whose JSON fits in `budget` bytes, marked when anything was cut. */
export function fitValue(value: unknown, budget: number): unknown {
  if (jsonBytes(value) <= budget) return value;
  if (typeof value === 'string') return cutString(value, budget);
  if (Array.isArray(value)) {
    const marker = (kept: number) => `${TRUNCATION_MARKER} ${kept} of ${value.length} items kept`;
    const out: unknown[] = [];
    let used = 2 + jsonBytes(marker(value.length)) + 1;
    for (const item of value) {
      const size = jsonBytes(item) + 1;
      if (used + size <= budget) {
        out.push(item);
        used += size;
        continue;
      }
      const room = budget - used - 1;
      if (room > 200) out.push(fitValue(item, room));
      break;
    }
    out.push(marker(out.length));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const markerKey = '_truncated';
    const marker = (kept: number) => `${TRUNCATION_MARKER} ${kept} of ${entries.length} keys kept`;
    const out: Record<string, unknown> = {};
    let used = 2 + jsonBytes(markerKey) + 1 + jsonBytes(marker(entries.length)) + 1;
    let kept = 0;
    for (const [k, v] of entries) {
      const size = jsonBytes(k) + 1 + jsonBytes(v) + 1;
      if (used + size <= budget) {
        out[k] = v;
        used += size;
        kept++;
        continue;
      }
      const room = budget - used - jsonBytes(k) - 2;
      if (room > 200) {
        out[k] = fitValue(v, room);
        kept++;
      }
      break;
    }
    out[markerKey] = marker(kept);
    return out;
  }
  return value;
}

export interface FittedRow {
  row: ResultRow;
  /** Names of the fields that were cut. */
  truncated: string[];
}

/** Cuts every field to the 64 KB limit and the whole row to what one call can carry. `RecordId` is never cut. */
export function fitRow(row: ResultRow, options: { fieldLimitBytes?: number; rowLimitBytes?: number } = {}): FittedRow {
  const fieldLimit = options.fieldLimitBytes ?? FIELD_LIMIT_BYTES;
  const rowLimit = options.rowLimitBytes ?? CALL_LIMIT_BYTES - 2;
  const truncated = new Set<string>();
  const out: ResultRow = { ...row };
  for (const [key, value] of Object.entries(row)) {
    if (key === 'RecordId' || key === 'TimeGenerated') continue;
    const fitted = fitValue(value, fieldLimit);
    if (fitted !== value) {
      out[key] = fitted;
      truncated.add(key);
    }
  }
  // Many fields near the limit can still add up to more than a call: shrink the largest until the row fits.
  for (let size = jsonBytes(out); size > rowLimit; size = jsonBytes(out)) {
    const [largest] = Object.keys(out)
      .filter((k) => k !== 'RecordId' && k !== 'TimeGenerated')
      .sort((a, b) => jsonBytes(out[b]) - jsonBytes(out[a]));
    if (largest === undefined) break;
    const current = jsonBytes(out[largest]);
    out[largest] = fitValue(out[largest], Math.max(256, current - (size - rowLimit) - 256));
    truncated.add(largest);
    if (jsonBytes(out[largest]) >= current) break;
  }
  return { row: out, truncated: [...truncated] };
}

/** Splits rows into call-sized groups, counting the array brackets and separators the body adds. */
export function chunkRows(rows: ResultRow[], maxBytes = CALL_LIMIT_BYTES): ResultRow[][] {
  const chunks: ResultRow[][] = [];
  let chunk: ResultRow[] = [];
  let size = 2;
  for (const row of rows) {
    const rowSize = jsonBytes(row);
    if (chunk.length > 0 && size + 1 + rowSize > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      size = 2;
    }
    size += rowSize + (chunk.length > 0 ? 1 : 0);
    chunk.push(row);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

export function bodyBytes(rows: ResultRow[]): number {
  return jsonBytes(rows);
}
