// Tests start their own Azurite on free ports; the implementation is shared with `npm start`.
export {
  startAzurite,
  freePort,
  azuriteConnectionString,
  identityStorageSettings,
  type AzuriteInstance,
} from '../../dev/local/azurite.js';
