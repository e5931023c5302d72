// RESULTS_SINK=console: one JSON line per row on stdout, `Table` first, for the CLI and pipes (`| jq`).
import type { Writable } from 'node:stream';
import type { ResultRow, ResultTable, ResultsSink, UploadOptions, UploadOutcome } from './resultsSink.js';

export class ConsoleResultsSink implements ResultsSink {
  constructor(private readonly out: Pick<Writable, 'write'> = process.stdout) {}

  async upload(table: ResultTable, rows: ResultRow[], options: UploadOptions = {}): Promise<UploadOutcome> {
    options.abortSignal?.throwIfAborted();
    if (rows.length > 0) this.out.write(rows.map((row) => JSON.stringify({ Table: table, ...row })).join('\n') + '\n');
    return { uploaded: rows.length, spooled: 0, calls: rows.length > 0 ? 1 : 0, truncatedRows: 0 };
  }
}
