// A fresh local Azure (dev/standins/localAzure.ts) whose managed identity endpoint the process's credentials use:
// the integration tests that run the real SDK clients against the stand-ins start it this way.
import { rm } from 'node:fs/promises';
import { ensureLocalTls } from '../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../dev/standins/localAzure.js';

export async function startLocalAzureWithIdentity(dataDir: string): Promise<LocalAzure> {
  await rm(dataDir, { recursive: true, force: true });
  const tls = await ensureLocalTls('.data');
  const local = await startLocalAzure({ tls, dataDir, clusters: [] });
  process.env.IDENTITY_ENDPOINT = local.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = local.env.IDENTITY_HEADER;
  return local;
}

export async function stopLocalAzureWithIdentity(local: LocalAzure | undefined): Promise<void> {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
  await local?.close();
}
