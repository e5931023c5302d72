// Counts the stored diagnosis rows of an alert straight from Table storage (Azurite), bypassing the app's store: the
// exactly-once tests must see what is really there.
import { TableClient } from '@azure/data-tables';
import { TABLE_NAMES } from '../../shared/config/config.js';

export async function diagnosisRowsFor(connectionString: string, alertId: string): Promise<number> {
  const table = TableClient.fromConnectionString(connectionString, TABLE_NAMES.diagnoses, {
    allowInsecureConnection: true,
  });
  let n = 0;
  for await (const e of table.listEntities<{ alertId: string }>()) if (e.alertId === alertId) n++;
  return n;
}
