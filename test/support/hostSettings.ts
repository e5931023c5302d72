// The Functions host's settings as in Azure, for tests that call trigger handlers in-process: storage reached with
// the app's managed identity (the AzureWebJobsStorage__* service URIs, no connection string), the managed identity
// endpoint and ARM of the local stand-ins, and what the test adds. shared/config caches what it read, so it is reset
// on the way in and on the way out.
import type { LocalAzure } from '../../dev/standins/localAzure.js';
import { resetConfigForTesting } from '../../shared/config/config.js';
import { identityStorageSettings, type AzuriteInstance } from './azurite.js';

/** Puts the settings in this process's environment; the returned function restores the environment as it was. */
export function applyHostSettings(
  local: LocalAzure,
  azurite: AzuriteInstance,
  extra: Record<string, string> = {},
): () => void {
  const saved = { ...process.env };
  delete process.env.AzureWebJobsStorage;
  Object.assign(
    process.env,
    local.env,
    identityStorageSettings(azurite, local.identities.userAssigned[0]!.clientId),
    extra,
  );
  resetConfigForTesting();
  return () => {
    process.env = saved;
    resetConfigForTesting();
  };
}
