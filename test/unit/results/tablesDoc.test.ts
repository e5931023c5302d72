// docs/tables.md documents every column of the three tables, with its type, as tableSchemas.ts declares them.
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { RESULT_TABLES } from '../../../shared/results/resultsSink.js';
import { TABLE_SCHEMAS } from '../../../shared/results/tableSchemas.js';

describe('docs/tables.md', () => {
  const doc = fs.readFileSync('docs/tables.md', 'utf8');
  it.each(RESULT_TABLES)('lists every column of %s with its type, in order', (table) => {
    const section = doc.split(`### ${table}\n`)[1]?.split('\n### ')[0] ?? '';
    const rows = [...section.matchAll(/^\|\s*(\w+)\s*\|\s*(\w+)\s*\|/gm)]
      .map((m) => `${m[1]}:${m[2]}`)
      .filter((r) => r !== 'Column:Type');
    expect(rows).toEqual(TABLE_SCHEMAS[table].columns.map((c) => `${c.name}:${c.type}`));
  });
});
