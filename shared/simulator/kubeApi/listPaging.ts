// List paging of the simulated API server: continue tokens (opaque base64 JSON, as kube-apiserver's are opaque to
// clients; a token is valid only for the list it came from) and the live iterators that let page N+1 resume where
// page N stopped, plus the backpressure-aware writer that streams a page one item at a time.
import type { ServerResponse } from 'node:http';

type Obj = Record<string, unknown>;

export interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: string;
  /** Key (namespace/name) of the next object: informative, as in a real token. */
  start: string;
  /** Position of that object in the source's order. */
  off: number;
  /** Resource and namespace the list was for: a token is only valid for the same list. */
  r: string;
  ns?: string;
}

export interface Cursor {
  iterator: Iterator<Obj>;
  peeked: Obj;
  offset: number;
}

/** Live iterators of lists in progress, so page N+1 resumes where page N stopped instead of re-skipping. */
export class CursorCache {
  private readonly entries = new Map<string, Cursor>();
  constructor(private readonly capacity: number) {}
  take(token: string): Cursor | undefined {
    const c = this.entries.get(token);
    this.entries.delete(token);
    return c;
  }
  put(token: string, cursor: Cursor): void {
    this.entries.set(token, cursor);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
  clear(): void {
    this.entries.clear();
  }
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64');
}

export function decodeContinue(text: string): ContinueToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<ContinueToken>;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'string' || typeof t.off !== 'number' || typeof t.r !== 'string')
      return undefined;
    if (!Number.isInteger(t.off) || t.off < 0) return undefined;
    return t as ContinueToken;
  } catch {
    return undefined;
  }
}

/** Backpressure-aware buffered writer for streamed list bodies. */
export class ChunkWriter {
  private buf = '';
  constructor(private readonly res: ServerResponse) {}
  async write(text: string): Promise<void> {
    this.buf += text;
    if (this.buf.length >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = this.buf;
    this.buf = '';
    if (!this.res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.once('drain', done);
        this.res.once('close', done);
      });
    }
  }
}
