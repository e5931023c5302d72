// A fresh local Azure (dev/standins/localAzure.ts) whose managed identity endpoint the process's credentials use:
// the integration tests that run the real SDK clients against the stand-ins start it this way.
import { rm } from 'node:fs/promises';
import { ensureLocalTls } from '../../dev/tls.js';
import { startLocalAzure, type LocalAzure, type LocalAzureOptions } from '../../dev/standins/localAzure.js';
import { clearLocalIdentity, useLocalIdentity } from './localIdentity.js';

/** Starts it in an emptied `dataDir`, serving no clusters unless `options` names some. */
export async function startLocalAzureWithIdentity(
  dataDir: string,
  options: Partial<Omit<LocalAzureOptions, 'tls' | 'dataDir'>> = {},
): Promise<LocalAzure> {
  await rm(dataDir, { recursive: true, force: true });
  const tls = await ensureLocalTls('.data');
  const local = await startLocalAzure({ clusters: [], ...options, tls, dataDir });
  useLocalIdentity(local);
  return local;
}

export async function stopLocalAzureWithIdentity(local: LocalAzure | undefined): Promise<void> {
  clearLocalIdentity();
  await local?.close();
}
