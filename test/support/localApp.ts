// Runs `node dist/dev/start.js --ephemeral` — exactly what `npm start` runs, on free ports with a temporary data
// folder — and returns what it announced (URLs, keys, kubeconfig path).
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ReadyInfo } from '../../dev/start.js';
import { loadConfig } from '../../shared/config/config.js';
import { spawnUntilReady, stopChild } from './childProcess.js';
import { startedForFile } from './fileScoped.js';

/** The ARM id of the cluster `npm start` simulates: SIMULATOR_CLUSTER_ID's default. */
export const SIMULATED_CLUSTER_ID = loadConfig({
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
}).SIMULATOR_CLUSTER_ID;

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

/** Starts `npm start` before this file's tests and stops it after them; call the returned getter inside a test. The
 * sweep timer fires only on 1 January, so a sweep runs when a test asks for one. */
export function useLocalApp(): () => LocalApp {
  return startedForFile(
    'the local app',
    () => startLocalApp({ env: { SWEEP_SCHEDULE: '0 0 0 1 1 *' } }),
    (app) => app.stop(),
    120000,
  );
}
