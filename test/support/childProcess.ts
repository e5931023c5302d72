// Starting a long-running child (the dev host, `npm start`) and waiting for the line it prints when it serves.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ReadyChild {
  child: ChildProcess;
  /** The JSON announced after the ready marker. */
  announced: unknown;
  output: () => string;
}

export async function spawnUntilReady(
  args: string[],
  options: { env: NodeJS.ProcessEnv; marker: string; timeoutMs: number; what: string },
): Promise<ReadyChild> {
  const child = spawn(process.execPath, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const pattern = new RegExp(`${options.marker} (\\{.*\\})`);
  const announced = await new Promise<unknown>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.what} not ready in ${options.timeoutMs} ms:\n${out}`)),
      options.timeoutMs,
    );
    child.stdout?.on('data', () => {
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]!));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.what} exited with ${code}:\n${out}`));
    });
  });
  return { child, announced, output: () => out };
}

/** Asks the child to stop and waits for it; kills it if it has not exited after `killAfterMs`. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals, killAfterMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
  });
}
