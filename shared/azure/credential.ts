// The app authenticates to Azure only as its managed identity. Locally, `npm start` and the tests run a
// managed-identity token endpoint (App Service style IDENTITY_ENDPOINT/IDENTITY_HEADER), so this same code path
// runs everywhere; nothing here knows whether it is local.
import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config/config.js';

const credentials = new Map<string, TokenCredential>();

/** One credential per client id per process: @azure/identity caches tokens inside the credential. */
export function getManagedIdentityCredential(config: Pick<AppConfig, 'AZURE_CLIENT_ID'>): TokenCredential {
  const key = config.AZURE_CLIENT_ID ?? '(system-assigned)';
  let credential = credentials.get(key);
  if (!credential) {
    credential = config.AZURE_CLIENT_ID
      ? new ManagedIdentityCredential({ clientId: config.AZURE_CLIENT_ID })
      : new ManagedIdentityCredential();
    credentials.set(key, credential);
  }
  return credential;
}
