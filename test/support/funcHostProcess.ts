// Runs dist/dev/funcHost.js (the dev host) as a child process, as npm start does, and waits until it serves.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { spawnUntilReady, stopChild } from './childProcess.js';

export interface FuncHostProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
  child: ChildProcess;
}

export async function startFuncHostProcess(env: Record<string, string>, timeoutMs = 30000): Promise<FuncHostProcess> {
  const ready = await spawnUntilReady([path.resolve('dist/dev/funcHost.js')], {
    env: { ...process.env, ...env },
    marker: 'FUNCHOST_READY',
    timeoutMs,
    what: 'dev host',
  });
  return {
    url: (ready.announced as { url: string }).url,
    child: ready.child,
    output: ready.output,
    stop: () => stopChild(ready.child, 'SIGTERM', 6000),
  };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
