// The local query endpoint's table schemas (dev/standins/kql/tableSchemas.ts) are the Azure Monitor table reference
// the KQL validation uses (test/fixtures/kql/azureMonitorTables.json), column for column.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { CONTAINER_INSIGHTS_SCHEMAS } from '../../../dev/standins/kql/tableSchemas.js';

const reference = (
  JSON.parse(fs.readFileSync('test/fixtures/kql/azureMonitorTables.json', 'utf8')) as {
    tables: Record<string, Record<string, string>>;
  }
).tables;

describe('stand-in table schemas', () => {
  it('equal the Azure Monitor table reference for every Container Insights table they declare', () => {
    expect(Object.keys(CONTAINER_INSIGHTS_SCHEMAS)).toEqual(
      expect.arrayContaining(['KubePodInventory', 'ContainerLogV2', 'Perf', 'KubeEvents', 'KubeNodeInventory']),
    );
    for (const [table, columns] of Object.entries(CONTAINER_INSIGHTS_SCHEMAS))
      expect({ table, columns }).toEqual({ table, columns: reference[table] });
  });
});
