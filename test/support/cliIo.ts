// In-memory stdout and stderr for running the CLI (runCli) inside a test and reading what it printed.
import { Writable } from 'node:stream';

/** A writable stream that hands each chunk, as text, to `append`. */
export function textSink(append: (text: string) => void): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      append(chunk.toString());
      cb();
    },
  });
}

/** The streams to pass to runCli, and what was written to each so far. */
export function captureCliIo(interactive = false): {
  io: { stdout: Writable; stderr: Writable; interactive: boolean };
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: { stdout: textSink((s) => (out += s)), stderr: textSink((s) => (err += s)), interactive },
    out: () => out,
    err: () => err,
  };
}
