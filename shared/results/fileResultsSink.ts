// RESULTS_SINK=file: one JSON line per row in <RESULTS_DIR>/<Table>.jsonl, appended. The local default, so rows
// look exactly as they would in Log Analytics (same fitting of oversized fields).
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fitRow } from './fitRow.js';
import type { ResultRow, ResultTable, ResultsSink, UploadOptions, UploadOutcome } from './resultsSink.js';

export class FileResultsSink implements ResultsSink {
  // Appends to one file are chained so rows of concurrent uploads never interleave inside a line.
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly directory: string) {}

  fileOf(table: ResultTable): string {
    return path.join(this.directory, `${table}.jsonl`);
  }

  async upload(table: ResultTable, rows: ResultRow[], options: UploadOptions = {}): Promise<UploadOutcome> {
    options.abortSignal?.throwIfAborted();
    if (rows.length === 0) return { uploaded: 0, spooled: 0, calls: 0, truncatedRows: 0 };
    const fitted = rows.map((r) => fitRow(r));
    const text = fitted.map((f) => JSON.stringify(f.row)).join('\n') + '\n';
    const file = this.fileOf(table);
    const previous = this.writes.get(file) ?? Promise.resolve();
    const write = previous.then(async () => {
      await mkdir(this.directory, { recursive: true });
      await appendFile(file, text, 'utf8');
    });
    this.writes.set(
      file,
      write.catch(() => undefined),
    );
    await write;
    return {
      uploaded: rows.length,
      spooled: 0,
      calls: 1,
      truncatedRows: fitted.filter((f) => f.truncated.length > 0).length,
    };
  }
}
