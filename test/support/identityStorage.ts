// Storage as the app reaches it in Azure: Azurite over HTTPS with `--oauth basic`, the app's settings are the
// AzureWebJobsStorage__* service URIs with `credential=managedidentity` (no connection string, no key), and every
// request carries a bearer token from the local managed-identity endpoint (dev/standins/managedIdentityEndpoint.ts).
// Integration tests use this instead of a shared-key connection string, so the identity path is the one exercised.
// `connectionString` remains for the test's own inspection of what was stored (tooling, never the app).
import { ensureLocalTls } from '../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../dev/standins/localAzure.js';
import { identityStorageSettings, startAzurite, type AzuriteInstance } from './azurite.js';

export interface IdentityStorage {
  azurite: AzuriteInstance;
  /** The app's storage settings (as infra writes them) plus the managed-identity endpoint variables. */
  settings: Record<string, string>;
  /** IDENTITY_ENDPOINT / IDENTITY_HEADER, for a child process that must get tokens too. */
  identityEnv: Record<string, string>;
  /** Shared-key connection string over HTTPS, for the test's own reads. */
  connectionString: string;
  stop(): Promise<void>;
}

let sequence = 0;

/** Starts Azurite with OAuth and a managed-identity endpoint, and sets IDENTITY_ENDPOINT / IDENTITY_HEADER in this
 * process (restored by `stop`), as App Service does for the Functions host. */
export async function startIdentityStorage(): Promise<IdentityStorage> {
  const tls = await ensureLocalTls('.data');
  const [azurite, local]: [AzuriteInstance, LocalAzure] = await Promise.all([
    startAzurite({ identity: tls }),
    startLocalAzure({ tls, dataDir: `.data/test-identity-${process.pid}-${++sequence}`, clusters: [] }),
  ]);
  const identityEnv = {
    IDENTITY_ENDPOINT: local.env.IDENTITY_ENDPOINT ?? '',
    IDENTITY_HEADER: local.env.IDENTITY_HEADER ?? '',
  };
  const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
  Object.assign(process.env, identityEnv);
  const settings = {
    ...identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId),
  };
  return {
    azurite,
    settings,
    identityEnv,
    connectionString: azurite.connectionString,
    async stop() {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await Promise.all([azurite.stop(), local.close()]);
    },
  };
}
