// Runs dist/dev/funcHost.js (the dev host) as a child process, as npm start does, and waits until it serves.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface FuncHostProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
  child: ChildProcess;
}

export async function startFuncHostProcess(env: Record<string, string>, timeoutMs = 30000): Promise<FuncHostProcess> {
  const child = spawn(process.execPath, [path.resolve('dist/dev/funcHost.js')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev host not ready in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = () => {
      const m = /FUNCHOST_READY (\{.*\})/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve((JSON.parse(m[1]!) as { url: string }).url);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dev host exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 6000).unref();
      }),
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
