// Starts a real Azurite (queues, tables, blobs) on loopback: for npm start (fixed ports, data kept under .data)
// and for tests (free ports, in memory).
//
// With `identity`, Azurite serves HTTPS with the local certificate and `--oauth basic`: it then accepts Entra bearer
// tokens (issuer sts.windows.net, audience https://storage.azure.com, within their lifetime; Azurite's basic check
// skips the signature, see azurite src/*/authentication/*TokenAuthenticator.ts), which is what the local managed
// identity endpoint issues. The app then reaches storage as in Azure: AzureWebJobsStorage__* service URIs and the
// managed identity credential, no key. Azurite refuses OAuth over plain HTTP.
//
// Durability: Azurite keeps its metadata in LokiJS databases saved to disk every 5 s, so a kill -9 of npm start can
// lose the last seconds of acknowledged writes (Azure Storage does not); docs/deploy.md says so.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export interface AzuriteInstance {
  /** Shared-key connection string (https when started with `identity`): for local tooling, never the app in Azure mode. */
  connectionString: string;
  /** Service URIs of the devstoreaccount1 account (AzureWebJobsStorage__blobServiceUri etc.). */
  serviceUris: { blob: string; queue: string; table: string };
  accountName: string;
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

const ACCOUNT = 'devstoreaccount1';

function serviceUris(ports: { blob: number; queue: number; table: number }, scheme: 'http' | 'https') {
  return {
    blob: `${scheme}://127.0.0.1:${ports.blob}/${ACCOUNT}`,
    queue: `${scheme}://127.0.0.1:${ports.queue}/${ACCOUNT}`,
    table: `${scheme}://127.0.0.1:${ports.table}/${ACCOUNT}`,
  };
}

export function azuriteConnectionString(
  ports: { blob: number; queue: number; table: number },
  scheme: 'http' | 'https' = 'http',
): string {
  const uris = serviceUris(ports, scheme);
  return (
    `DefaultEndpointsProtocol=${scheme};AccountName=${ACCOUNT};AccountKey=${KEY};` +
    `BlobEndpoint=${uris.blob};QueueEndpoint=${uris.queue};TableEndpoint=${uris.table};`
  );
}

/** The app's identity-based host storage settings for this Azurite, as the infrastructure sets them in Azure. */
export function identityStorageSettings(azurite: AzuriteInstance, clientId: string): Record<string, string> {
  return {
    AzureWebJobsStorage__credential: 'managedidentity',
    AzureWebJobsStorage__clientId: clientId,
    AzureWebJobsStorage__accountName: azurite.accountName,
    AzureWebJobsStorage__blobServiceUri: azurite.serviceUris.blob,
    AzureWebJobsStorage__queueServiceUri: azurite.serviceUris.queue,
    AzureWebJobsStorage__tableServiceUri: azurite.serviceUris.table,
  };
}

/** The Azurite command line (after the node binary): loopback hosts, the given ports, telemetry off, and HTTPS with
 * `--oauth basic` when an identity certificate is given. */
export function azuriteArgs(
  wanted: { blob: number; queue: number; table: number },
  location: string | undefined,
  identity?: { certPath: string; keyPath: string },
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
    ...(identity ? ['--cert', identity.certPath, '--key', identity.keyPath, '--oauth', 'basic'] : []),
  ];
}

export async function startAzurite(
  options: {
    location?: string;
    ports?: { blob: number; queue: number; table: number };
    /** HTTPS with this certificate and `--oauth basic` (see above). */
    identity?: { certPath: string; keyPath: string };
  } = {},
): Promise<AzuriteInstance> {
  // Port 0 lets Azurite bind free ports itself and print them: picking "free" ports first races with other servers.
  const wanted = options.ports ?? { blob: 0, queue: 0, table: 0 };
  const args = azuriteArgs(wanted, options.location, options.identity);
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
        /Azurite (Blob|Queue|Table) service is successfully listening at https?:\/\/[^:]+:(\d+)/g,
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
  const scheme = options.identity ? 'https' : 'http';
  return {
    connectionString: azuriteConnectionString(ports, scheme),
    serviceUris: serviceUris(ports, scheme),
    accountName: ACCOUNT,
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
