// The result tables are declared once, in infra/tables.json (Bicep and Terraform load it for the DCR and the tables);
// shared/results/tableSchemas.ts reads the same file and refuses one that the sinks could not write rows for.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { RESULT_TABLES } from '../../../shared/results/resultsSink.js';
import { parseTableSchemas, TABLE_SCHEMAS } from '../../../shared/results/tableSchemas.js';

type Table = { table: string; stream: string; columns: Array<{ name: string; type: string; description: string }> };
const fileTables = () => JSON.parse(fs.readFileSync('infra/tables.json', 'utf8')) as Table[];

describe('result table schemas', () => {
  it('are infra/tables.json, one per result table, with the stream each table is uploaded to', () => {
    expect(Object.keys(TABLE_SCHEMAS)).toEqual([...RESULT_TABLES]);
    for (const t of RESULT_TABLES) expect(TABLE_SCHEMAS[t].stream).toBe(`Custom-${t}`);
    expect(RESULT_TABLES.map((t) => TABLE_SCHEMAS[t])).toEqual(fileTables());
  });

  it.each<[string, (tables: Table[]) => unknown, RegExp]>([
    ['an unknown column type', (t) => (t[0]!.columns[0]!.type = 'text'), /type/],
    ['a stream that is not Custom-<table>', (t) => (t[1]!.stream = 'Custom-Other_CL'), /stream must be Custom-<table>/],
    [
      'a table without RecordId',
      (t) => (t[2]!.columns = t[2]!.columns.filter((c) => c.name !== 'RecordId')),
      /RecordId/,
    ],
    ['an unknown table', (t) => (t[0]!.table = 'Other_CL'), /table/],
    ['a missing table', (t) => t.pop(), /lists .* not /],
    ['tables out of order', (t) => t.reverse(), /lists .* not /],
  ])('refuses %s', (_what, edit, message) => {
    const tables = fileTables();
    edit(tables);
    expect(() => parseTableSchemas(tables)).toThrow(message);
  });
});
