// Something a whole test file shares (a server, a child process): started before the file's tests, stopped after.
import { afterAll, beforeAll } from '@jest/globals';

/** Call at the top of a file; call the returned getter inside a test (it throws when the start failed or has not run). */
export function startedForFile<T>(
  what: string,
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
  startTimeoutMs: number,
): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, startTimeoutMs);
  afterAll(async () => {
    if (started !== undefined) await stop(started);
  });
  return () => {
    if (started === undefined) throw new Error(`${what} is not running (call its use… helper at the top of the file)`);
    return started;
  };
}
