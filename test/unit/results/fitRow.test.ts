// Oversized values are cut to the Log Analytics limits with a visible marker; nothing fails and RecordId is never cut.
import { describe, expect, it } from '@jest/globals';
import {
  CALL_LIMIT_BYTES,
  FIELD_LIMIT_BYTES,
  TRUNCATION_MARKER,
  bodyBytes,
  chunkRows,
  fitRow,
  fitValue,
} from '../../../shared/results/fitRow.js';
import type { ResultRow } from '../../../shared/results/resultsSink.js';

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');
const row = (fields: Record<string, unknown>): ResultRow => ({
  RecordId: 'sweep-1/abc',
  TimeGenerated: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('fitRow', () => {
  it('leaves rows within the limits untouched', () => {
    const r = row({ Message: 'ok', Evidence: ['a', 'b'], Count: 3 });
    expect(fitRow(r)).toEqual({ row: r, truncated: [] });
  });

  it('cuts a 200 KB string field to 64 KB, keeps its start and says how much was kept', () => {
    const message = 'x'.repeat(200_000);
    const { row: out, truncated } = fitRow(row({ Message: message }));
    expect(truncated).toEqual(['Message']);
    const cut = out.Message as string;
    expect(bytes(cut)).toBeLessThanOrEqual(FIELD_LIMIT_BYTES);
    expect(bytes(cut)).toBeGreaterThan(FIELD_LIMIT_BYTES - 200);
    expect(cut.startsWith('xxxx')).toBe(true);
    expect(cut).toMatch(new RegExp(`${TRUNCATION_MARKER.replace(/[[\]]/g, '\\$&')} \\d+ of 200000 bytes kept$`));
  });

  it('never splits a multi-byte character and counts bytes, not characters', () => {
    const { row: out } = fitRow(row({ Summary: 'é🙂'.repeat(40_000) }));
    const cut = out.Summary as string;
    expect(bytes(cut)).toBeLessThanOrEqual(FIELD_LIMIT_BYTES);
    expect(cut).not.toContain('\uFFFD');
  });

  it('budgets for JSON escaping (quotes and newlines double in size)', () => {
    const { row: out } = fitRow(row({ Message: '"\n'.repeat(60_000) }));
    expect(bytes(out.Message)).toBeLessThanOrEqual(FIELD_LIMIT_BYTES);
  });

  it('keeps a dynamic array an array: leading items kept, a marker item appended', () => {
    const evidence = Array.from({ length: 2000 }, (_, i) => ({
      source: 'events',
      detail: `event ${i} ${'d'.repeat(100)}`,
      reproduce: 'kubectl get events',
    }));
    const { row: out, truncated } = fitRow(row({ Evidence: evidence }));
    expect(truncated).toEqual(['Evidence']);
    const cut = out.Evidence as unknown[];
    expect(Array.isArray(cut)).toBe(true);
    expect(bytes(cut)).toBeLessThanOrEqual(FIELD_LIMIT_BYTES);
    expect(cut[0]).toEqual(evidence[0]);
    expect(cut.at(-1)).toMatch(new RegExp(`of 2000 items kept$`));
  });

  it('keeps a dynamic object an object with a _truncated key', () => {
    const scores = Object.fromEntries(
      Array.from({ length: 5000 }, (_, i) => [`namespace-${i}-${'n'.repeat(20)}`, 100]),
    );
    const cut = fitRow(row({ NamespaceScores: scores })).row.NamespaceScores as Record<string, unknown>;
    expect(bytes(cut)).toBeLessThanOrEqual(FIELD_LIMIT_BYTES);
    expect(cut._truncated).toMatch(/of 5000 keys kept$/);
    expect(cut['namespace-0-nnnnnnnnnnnnnnnnnnnn']).toBe(100);
  });

  it('shrinks a row of many near-limit fields until it fits in one call, RecordId intact', () => {
    const fields = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`F${i}`, 'y'.repeat(70_000)]));
    const r = row(fields);
    const { row: out, truncated } = fitRow(r);
    expect(bytes(out)).toBeLessThanOrEqual(CALL_LIMIT_BYTES - 2);
    expect(out.RecordId).toBe(r.RecordId);
    expect(out.TimeGenerated).toBe(r.TimeGenerated);
    expect(truncated.length).toBe(20);
  });

  it('fitValue leaves numbers, booleans and null alone', () => {
    expect(fitValue(42, 10)).toBe(42);
    expect(fitValue(true, 1)).toBe(true);
    expect(fitValue(null, 1)).toBe(null);
  });
});

describe('chunkRows', () => {
  it('keeps every call body within 1 MB including brackets and commas, in order, with no row lost', () => {
    // Small rows are where the per-row separators add up (the SDK's own splitter ignores them).
    const rows = Array.from({ length: 40_000 }, (_, i) => row({ N: i, Message: 'm'.repeat(i % 50) }));
    const chunks = chunkRows(rows);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(bodyBytes(c)).toBeLessThanOrEqual(CALL_LIMIT_BYTES);
    expect(chunks.flat()).toEqual(rows);
  });

  it('returns no chunk for no rows and one chunk for a small batch', () => {
    expect(chunkRows([])).toEqual([]);
    expect(chunkRows([row({})])).toHaveLength(1);
  });
});
