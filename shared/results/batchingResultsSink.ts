// Batches result rows across callers (the concurrent cluster sweeps of one worker) into as few Logs Ingestion calls
// as the 1 MB call limit allows. Each upload() joins the table's open batch and resolves when that batch has been
// sent (or spooled) by the inner sink, so a sweep still finishes only after its rows are safe, exactly as with the
// inner sink alone. A batch is sent when it reaches the call limit or `lingerMs` after its first rows arrived,
// whichever comes first; a Logs Ingestion call costs the same for 1 KB as for 1 MB of rows, so a fleet of small
// clusters makes tens of calls per period instead of two per cluster.
import { bodyBytes, CALL_LIMIT_BYTES } from './fitRow.js';
import type { ResultRow, ResultTable, ResultsSink, UploadOutcome } from './resultsSink.js';

interface Pending {
  rows: ResultRow[];
  bytes: number;
  waiters: Array<{ rows: number; resolve: (o: UploadOutcome) => void; reject: (e: unknown) => void }>;
  timer?: NodeJS.Timeout;
}

export interface BatchingOptions {
  /** Longest a row waits for companions (default 250 ms). */
  lingerMs?: number;
  /** Batch size at which it is sent at once (default the 1 MB call limit). */
  maxBytes?: number;
}

export class BatchingResultsSink implements ResultsSink {
  private readonly pending = new Map<ResultTable, Pending>();
  private readonly lingerMs: number;
  private readonly maxBytes: number;
  /** Batches sent so far (each is one or more calls of the inner sink, split at the call limit). */
  batches = 0;

  constructor(
    private readonly inner: ResultsSink,
    options: BatchingOptions = {},
  ) {
    this.lingerMs = options.lingerMs ?? 250;
    this.maxBytes = options.maxBytes ?? CALL_LIMIT_BYTES;
  }

  upload(table: ResultTable, rows: ResultRow[]): Promise<UploadOutcome> {
    if (rows.length === 0) return Promise.resolve({ uploaded: 0, spooled: 0, calls: 0 });
    const size = bodyBytes(rows);
    let batch = this.pending.get(table);
    // A batch that these rows would push over the limit goes first, on its own.
    if (batch && batch.bytes + size > this.maxBytes) {
      void this.flushTable(table);
      batch = undefined;
    }
    if (!batch) {
      batch = { rows: [], bytes: 2, waiters: [] };
      this.pending.set(table, batch);
      const timer = setTimeout(() => void this.flushTable(table), this.lingerMs);
      timer.unref();
      batch.timer = timer;
    }
    const joined = batch;
    joined.rows.push(...rows);
    joined.bytes += size;
    const done = new Promise<UploadOutcome>((resolve, reject) =>
      joined.waiters.push({ rows: rows.length, resolve, reject }),
    );
    if (joined.bytes >= this.maxBytes) void this.flushTable(table);
    return done;
  }

  /** Sends every open batch now (tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.allSettled([...this.pending.keys()].map((t) => this.flushTable(t)));
  }

  private flushTable(table: ResultTable): Promise<void> {
    const batch = this.pending.get(table);
    if (!batch) return Promise.resolve();
    this.pending.delete(table);
    clearTimeout(batch.timer);
    this.batches += 1;
    // No abort signal: rows joined by several sweeps must not be lost because one of them was cancelled; the inner
    // sink spools what it cannot send.
    return this.inner.upload(table, batch.rows).then(
      (outcome) => {
        const total = batch.rows.length;
        for (const w of batch.waiters) {
          // Spooled rows cannot be attributed to a caller; each gets its share.
          const spooled = Math.round((outcome.spooled * w.rows) / total);
          w.resolve({
            uploaded: w.rows - spooled,
            spooled,
            calls: outcome.calls,
            truncatedRows: outcome.truncatedRows,
          });
        }
      },
      (err: unknown) => {
        for (const w of batch.waiters) w.reject(err);
      },
    );
  }
}
