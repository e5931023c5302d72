// The file sink (local default) and the console sink (CLI), chosen by RESULTS_SINK through createResultsSink.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../shared/config/config.js';
import { createResultsSink } from '../../../shared/results/createResultsSink.js';
import { FileResultsSink } from '../../../shared/results/fileResultsSink.js';
import { ConsoleResultsSink } from '../../../shared/results/consoleResultsSink.js';
import type { ResultRow } from '../../../shared/results/resultsSink.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'aks-aiops-results-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const finding = (i: number, extra: Record<string, unknown> = {}): ResultRow => ({
  RecordId: `sweep-1/fp-${i}`,
  TimeGenerated: '2026-01-01T00:00:00.000Z',
  SweepId: 'sweep-1',
  Check: 'pod.crash-loop',
  Evidence: [`kubectl get pod p${i}`],
  ...extra,
});

const readLines = async (file: string) =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('file sink', () => {
  it('is what RESULTS_SINK=file gives, writing <RESULTS_DIR>/<Table>.jsonl', async () => {
    const sink = createResultsSink(loadConfig({ RESULTS_SINK: 'file', RESULTS_DIR: dir }));
    expect(sink).toBeInstanceOf(FileResultsSink);
    const outcome = await sink.upload('AksAiopsFindings_CL', [finding(1), finding(2)]);
    expect(outcome).toMatchObject({ uploaded: 2, spooled: 0 });
    expect(await readLines(path.join(dir, 'AksAiopsFindings_CL.jsonl'))).toEqual([finding(1), finding(2)]);
  });

  it('appends, one row per line, and concurrent uploads never interleave', async () => {
    const sink = new FileResultsSink(dir);
    const batches = Array.from({ length: 10 }, (_, b) =>
      Array.from({ length: 50 }, (_, i) => finding(b * 1000 + i, { Message: 'z'.repeat(5000) })),
    );
    await Promise.all(batches.map((rows) => sink.upload('AksAiopsSweeps_CL', rows)));
    await sink.upload('AksAiopsSweeps_CL', [finding(99_999)]);
    const lines = await readLines(path.join(dir, 'AksAiopsSweeps_CL.jsonl'));
    expect(lines).toHaveLength(501);
    expect(new Set(lines.map((l) => l.RecordId)).size).toBe(501);
    expect(lines.at(-1)?.RecordId).toBe('sweep-1/fp-99999');
  });

  it('cuts an oversized field with the marker instead of failing the row', async () => {
    const sink = new FileResultsSink(dir);
    const outcome = await sink.upload('AksAiopsDiagnoses_CL', [finding(1, { Summary: 's'.repeat(100_000) })]);
    expect(outcome.truncatedRows).toBe(1);
    const [line] = await readLines(path.join(dir, 'AksAiopsDiagnoses_CL.jsonl'));
    expect(String(line?.Summary)).toMatch(/\[truncated by aks-aiops\] \d+ of 100000 bytes kept$/);
  });
});

describe('console sink', () => {
  it('is what RESULTS_SINK=console gives: one JSON line per row, table first', async () => {
    const out: string[] = [];
    const sink = createResultsSink(loadConfig({ RESULTS_SINK: 'console' }), {
      stdout: { write: (s: string) => out.push(s) } as never,
    });
    expect(sink).toBeInstanceOf(ConsoleResultsSink);
    await sink.upload('AksAiopsFindings_CL', [finding(1), finding(2)]);
    const lines = out
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { Table: 'AksAiopsFindings_CL', ...finding(1) },
      { Table: 'AksAiopsFindings_CL', ...finding(2) },
    ]);
    expect(Object.keys(lines[0]!)[0]).toBe('Table');
  });

  it('writes nothing for no rows', async () => {
    const out: string[] = [];
    await new ConsoleResultsSink({ write: (s: string) => out.push(s) } as never).upload('AksAiopsSweeps_CL', []);
    expect(out).toEqual([]);
  });
});

describe('log analytics sink configuration', () => {
  it('refuses to start without the DCR endpoint and id, naming both settings', () => {
    expect(() => loadConfig({ RESULTS_SINK: 'loganalytics' })).toThrow(
      /LOGS_INGESTION_ENDPOINT and LOGS_DCR_IMMUTABLE_ID/,
    );
  });
});
