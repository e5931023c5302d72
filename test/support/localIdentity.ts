// Points the Azure SDK's managed identity credential at the local identity stand-in, as App Service does for a real
// app (IDENTITY_ENDPOINT and IDENTITY_HEADER), and takes it away again.
import type { LocalAzure } from '../../dev/standins/localAzure.js';

export function useLocalIdentity(local: Pick<LocalAzure, 'env'>): void {
  process.env.IDENTITY_ENDPOINT = local.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = local.env.IDENTITY_HEADER;
}

export function clearLocalIdentity(): void {
  delete process.env.IDENTITY_ENDPOINT;
  delete process.env.IDENTITY_HEADER;
}
