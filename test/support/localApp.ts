// Runs `node dist/dev/start.js --ephemeral` — exactly what `npm start` runs, on free ports with a temporary data
// folder — and returns what it announced (URLs, keys, kubeconfig path).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface LocalAppInfo {
  appUrl: string;
  functionKey: string;
  masterKey: string;
  kubeApiUrl: string;
  kubeconfig: string;
  azurite: string;
  armEndpoint: string;
  resultsDir: string;
  dataDir: string;
}

export interface LocalApp extends LocalAppInfo {
  output(): string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startLocalApp(
  options: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<LocalApp> {
  const timeoutMs = options.timeoutMs ?? 90000;
  const child = spawn(process.execPath, [path.resolve('dist/dev/start.js'), '--ephemeral', ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const info = await new Promise<LocalAppInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.stdout?.on('data', () => {
      const m = /AKS_AIOPS_READY (\{.*\})/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]!) as LocalAppInfo);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${out}`));
    });
  });
  return {
    ...info,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
        setTimeout(() => child.kill('SIGKILL'), 15000).unref();
      }),
  };
}
