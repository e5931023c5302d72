// Where the Function app's check policy comes from: the blob named by SWEEP_POLICY_BLOB in the app's own storage
// account (so it can change without a redeploy), else the SWEEP_POLICY setting, else the catalogue's defaults.
// The blob is read with the app's storage credential (connection string locally, managed identity in Azure), with
// a timeout and the sweep's abort signal.
import { BlobServiceClient } from '@azure/storage-blob';
import type { AppConfig } from '../config/config.js';
import { getManagedIdentityCredential } from '../azure/credential.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { EMPTY_POLICY, parseSweepPolicy, type SweepPolicy } from './policy.js';

const BLOB_TIMEOUT_MS = 10_000;

export interface LoadedPolicy {
  policy: SweepPolicy;
  source: string;
}

export async function loadSweepPolicy(
  config: Pick<AppConfig, 'SWEEP_POLICY' | 'SWEEP_POLICY_BLOB' | 'storage'>,
  options: { abortSignal?: AbortSignal } = {},
): Promise<LoadedPolicy> {
  if (config.SWEEP_POLICY_BLOB) {
    const [container, ...rest] = config.SWEEP_POLICY_BLOB.split('/');
    const blobName = rest.join('/');
    if (!container || !blobName)
      throw new ValidationError(`SWEEP_POLICY_BLOB must be "<container>/<path>", got '${config.SWEEP_POLICY_BLOB}'`);
    const s = config.storage;
    if (s.kind === 'identity' && !s.blobServiceUri)
      throw new ValidationError('SWEEP_POLICY_BLOB needs AzureWebJobsStorage__blobServiceUri (identity-based storage)');
    const service =
      s.kind === 'connectionString'
        ? BlobServiceClient.fromConnectionString(s.connectionString)
        : new BlobServiceClient(s.blobServiceUri ?? '', getManagedIdentityCredential({ AZURE_CLIENT_ID: s.clientId }));
    const abortSignal = AbortSignal.any([
      AbortSignal.timeout(BLOB_TIMEOUT_MS),
      ...(options.abortSignal ? [options.abortSignal] : []),
    ]);
    let buffer: Buffer;
    try {
      buffer = await service
        .getContainerClient(container)
        .getBlobClient(blobName)
        .downloadToBuffer(undefined, undefined, { abortSignal });
    } catch (err) {
      // A HEAD 404 carries no body, so the SDK's message is empty: say which blob.
      if ((err as { statusCode?: number }).statusCode === 404)
        throw new NotFoundError(`SWEEP_POLICY_BLOB ${config.SWEEP_POLICY_BLOB}: no such blob`, { cause: err });
      throw err;
    }
    const source = `blob ${config.SWEEP_POLICY_BLOB}`;
    return { policy: parseSweepPolicy(buffer.toString('utf8'), source), source };
  }
  if (config.SWEEP_POLICY)
    return { policy: parseSweepPolicy(config.SWEEP_POLICY, 'SWEEP_POLICY'), source: 'SWEEP_POLICY' };
  return { policy: EMPTY_POLICY, source: 'defaults' };
}
