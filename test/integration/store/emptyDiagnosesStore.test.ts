// A fresh storage account has no diagnoses table until the first diagnosis is written: listing then is an empty page,
// not a 502 (the dashboard lists diagnoses on its first page).
import { describe, expect, it } from '@jest/globals';
import { useAzurite } from '../../support/azurite.js';
import { DiagnosesStore } from '../../../shared/diagnostics/diagnosesStore.js';

const azurite = useAzurite();

describe('DiagnosesStore on a fresh account', () => {
  it('lists no diagnoses before the table exists', async () => {
    const store = new DiagnosesStore({
      storage: { kind: 'connectionString', connectionString: azurite().connectionString },
    });
    await expect(store.listDiagnoses({ pageSize: 10 })).resolves.toEqual({ items: [] });
    await expect(store.getDiagnosis('d-none')).resolves.toBeUndefined();
  });
});
