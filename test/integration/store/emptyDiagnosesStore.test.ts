// A fresh storage account has no diagnoses table until the first diagnosis is written: listing then is an empty page,
// not a 502 (the dashboard lists diagnoses on its first page).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { DiagnosesStore } from '../../../shared/diagnostics/diagnosesStore.js';

let azurite: AzuriteInstance;
beforeAll(async () => {
  azurite = await startAzurite();
}, 60000);
afterAll(async () => {
  await azurite?.stop();
});

describe('DiagnosesStore on a fresh account', () => {
  it('lists no diagnoses before the table exists', async () => {
    const store = new DiagnosesStore({
      storage: { kind: 'connectionString', connectionString: azurite.connectionString },
    });
    await expect(store.listDiagnoses({ pageSize: 10 })).resolves.toEqual({ items: [] });
    await expect(store.getDiagnosis('d-none')).resolves.toBeUndefined();
  });
});
