// Tests start their own Azurite on free ports; the implementation is shared with `npm start`.
import { afterAll, beforeAll } from '@jest/globals';
import { startAzurite, type AzuriteInstance } from '../../dev/local/azurite.js';

export {
  startAzurite,
  freePort,
  azuriteConnectionString,
  identityStorageSettings,
  type AzuriteInstance,
} from '../../dev/local/azurite.js';

/** Starts Azurite before this file's tests and stops it after them; call the returned getter inside a test. */
export function useAzurite(): () => AzuriteInstance {
  let azurite: AzuriteInstance | undefined;
  beforeAll(async () => {
    azurite = await startAzurite();
  }, 60000);
  afterAll(async () => {
    await azurite?.stop();
  });
  return () => {
    if (!azurite) throw new Error('Azurite is not running (useAzurite() must be called at the top of the file)');
    return azurite;
  };
}
