// Tests start their own Azurite on free ports; the implementation is shared with `npm start`.
import { startAzurite, type AzuriteInstance } from '../../dev/local/azurite.js';
import { startedForFile } from './fileScoped.js';

export {
  startAzurite,
  freePort,
  azuriteConnectionString,
  identityStorageSettings,
  type AzuriteInstance,
} from '../../dev/local/azurite.js';

/** Starts Azurite before this file's tests and stops it after them; call the returned getter inside a test. */
export function useAzurite(): () => AzuriteInstance {
  return startedForFile(
    'Azurite',
    () => startAzurite(),
    (azurite) => azurite.stop(),
    60000,
  );
}
