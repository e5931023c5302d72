// Starts a real Azurite (queues, tables, blobs) on loopback: for npm start (fixed ports, data kept under .data)
// and for tests (free ports, in memory).
import { spawn } from 'node:child_process';
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

/** The Azurite command line (after the node binary): loopback hosts, the given ports, telemetry off. */
export function azuriteArgs(
  wanted: { blob: number; queue: number; table: number },
  location: string | undefined,
): string[] {
  return [
    path.resolve('node_modules/azurite/dist/src/azurite.js'),
    '--silent',
    '--skipApiVersionCheck',
    '--loose',
    '--disableProductStyleUrl',
    // Azurite sends usage telemetry unless told not to (azurite README, "--disableTelemetry").
    '--disableTelemetry',
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    String(wanted.blob),
    '--queueHost',
    '127.0.0.1',
    '--queuePort',
    String(wanted.queue),
    '--tableHost',
    '127.0.0.1',
    '--tablePort',
    String(wanted.table),
    ...(location ? ['--location', location] : ['--inMemoryPersistence']),
  ];
}

export async function startAzurite(
  options: { location?: string; ports?: { blob: number; queue: number; table: number } } = {},
): Promise<AzuriteInstance> {
  // Port 0 lets Azurite bind free ports itself and print them: picking "free" ports first races with other servers.
  const wanted = options.ports ?? { blob: 0, queue: 0, table: 0 };
  const args = azuriteArgs(wanted, options.location);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ports = await new Promise<{ blob: number; queue: number; table: number }>((resolve, reject) => {
    const found: Partial<Record<'blob' | 'queue' | 'table', number>> = {};
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`azurite did not start within 30 s\n${stdout}${stderr}`));
    }, 30000);
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      for (const m of stdout.matchAll(
        /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/g,
      )) {
        found[m[1]!.toLowerCase() as 'blob' | 'queue' | 'table'] = Number(m[2]);
      }
      if (found.blob && found.queue && found.table) {
        clearTimeout(timer);
        resolve({ blob: found.blob, queue: found.queue, table: found.table });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`azurite exited with code ${code}\n${stderr}`));
    });
  });
  // Keep draining its output so it never blocks on a full pipe.
  child.stdout?.resume();
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
