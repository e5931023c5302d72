// The Function app's check policy from a blob (SWEEP_POLICY_BLOB) in its storage account, over the wire against
// Azurite with the real Blob SDK: the blob wins over SWEEP_POLICY, a missing blob or a bad document is an error
// naming it, and an aborted sweep stops the read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BlobServiceClient } from '@azure/storage-blob';
import { loadSweepPolicy } from '../../../shared/sweep/policySource.js';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';

let azurite: AzuriteInstance;
const config = (blob?: string, inline?: string) => ({
  SWEEP_POLICY_BLOB: blob,
  SWEEP_POLICY: inline,
  storage: { kind: 'connectionString' as const, connectionString: azurite.connectionString },
});

beforeAll(async () => {
  azurite = await startAzurite();
  const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('config');
  await container.createIfNotExists();
  const text = 'checks:\n  rbac.wildcard: critical\nexemptions:\n  - namespaces: [legacy]\n';
  await container.getBlockBlobClient('sweeps/aks-aiops.yaml').upload(text, Buffer.byteLength(text));
  const bad = 'checks:\n  no.such-check: off\n';
  await container.getBlockBlobClient('sweeps/bad.yaml').upload(bad, Buffer.byteLength(bad));
});
afterAll(async () => {
  await azurite.stop();
});

describe('loadSweepPolicy', () => {
  it('reads the blob, which wins over SWEEP_POLICY', async () => {
    const loaded = await loadSweepPolicy(config('config/sweeps/aks-aiops.yaml', 'checks:\n  rbac.wildcard: off\n'));
    expect(loaded.source).toBe('blob config/sweeps/aks-aiops.yaml');
    expect(loaded.policy.checks).toEqual({ 'rbac.wildcard': { severity: 'critical' } });
    expect(loaded.policy.exemptions).toEqual([{ namespaces: ['legacy'] }]);
  });

  it('falls back to SWEEP_POLICY, then to the defaults', async () => {
    expect((await loadSweepPolicy(config(undefined, 'checks:\n  rbac.wildcard: off\n'))).policy.checks).toEqual({
      'rbac.wildcard': { enabled: false },
    });
    expect(await loadSweepPolicy(config())).toEqual({ policy: { checks: {}, exemptions: [] }, source: 'defaults' });
  });

  it('names the missing blob, the bad document and the malformed setting', async () => {
    await expect(loadSweepPolicy(config('config/sweeps/missing.yaml'))).rejects.toThrow(
      'SWEEP_POLICY_BLOB config/sweeps/missing.yaml: no such blob',
    );
    await expect(loadSweepPolicy(config('config/sweeps/bad.yaml'))).rejects.toThrow(
      /blob config\/sweeps\/bad.yaml: unknown check id\(s\) no.such-check/,
    );
    await expect(loadSweepPolicy(config('no-path'))).rejects.toThrow(/SWEEP_POLICY_BLOB must be "<container>\/<path>"/);
  });

  it('honours the abort signal', async () => {
    await expect(
      loadSweepPolicy(config('config/sweeps/aks-aiops.yaml'), { abortSignal: AbortSignal.abort() }),
    ).rejects.toThrow(/abort/i);
  });
});
