// Runs `node dist/dev/start.js --ephemeral` — exactly what `npm start` runs, on free ports with a temporary data
// folder — and returns what it announced (URLs, keys, kubeconfig path).
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ReadyInfo } from '../../dev/start.js';
import { spawnUntilReady, stopChild } from './childProcess.js';

/** The AKS_AIOPS_READY line's content, as dev/start.ts announces it. */
export type LocalAppInfo = ReadyInfo;

export interface LocalApp extends LocalAppInfo {
  output(): string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startLocalApp(
  options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<LocalApp> {
  const ready = await spawnUntilReady([path.resolve('dist/dev/start.js'), '--ephemeral', ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    marker: 'AKS_AIOPS_READY',
    timeoutMs: options.timeoutMs ?? 90000,
    what: 'npm start',
  });
  return {
    ...(ready.announced as LocalAppInfo),
    child: ready.child,
    output: ready.output,
    stop: () => stopChild(ready.child, 'SIGINT', 15000),
  };
}
