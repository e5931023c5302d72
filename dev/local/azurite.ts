// Starts a real Azurite (queues, tables, blobs) on loopback: for npm start (fixed ports, data kept under .data)
// and for tests (free ports, in memory).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export interface AzuriteInstance {
  connectionString: string;
  ports: { blob: number; queue: number; table: number };
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(ports: { blob: number; queue: number; table: number }): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};` +
    `BlobEndpoint=http://127.0.0.1:${ports.blob}/devstoreaccount1;` +
    `QueueEndpoint=http://127.0.0.1:${ports.queue}/devstoreaccount1;` +
    `TableEndpoint=http://127.0.0.1:${ports.table}/devstoreaccount1;`
  );
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`azurite exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/devstoreaccount1?comp=list`);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`azurite did not listen on ${port} within ${timeoutMs} ms`);
}

export async function startAzurite(
  options: { location?: string; ports?: { blob: number; queue: number; table: number } } = {},
): Promise<AzuriteInstance> {
  const ports = options.ports ?? { blob: await freePort(), queue: await freePort(), table: await freePort() };
  const bin = path.resolve('node_modules/azurite/dist/src/azurite.js');
  const args = [
    bin,
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--disableProductStyleUrl',
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(ports.blob),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(ports.queue),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(ports.table),
    ...(options.location ? ['--location', options.location] : ['--inMemoryPersistence']),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await Promise.all([
      waitForPort(ports.blob, child),
      waitForPort(ports.queue, child),
      waitForPort(ports.table, child),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${stderr}`);
  }
  return {
    connectionString: azuriteConnectionString(ports),
    ports,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
