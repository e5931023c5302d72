// The local DCR's column shaping (dev/standins/logsIngestionEndpoint.ts), value by value: what a declared column of
// each type stores for a JSON value, null when it does not fit, as Log Analytics ingests it.
import { describe, expect, it } from '@jest/globals';
import {
  fitDeclaredType,
  shapeRow,
  type DeclaredColumnType,
  type ShapingReport,
} from '../../../dev/standins/logsIngestionEndpoint.js';

describe('fitDeclaredType', () => {
  it.each([
    ['string', 'a', 'a'],
    ['string', 5, '5'],
    ['string', { a: 1 }, '{"a":1}'],
    ['int', 7, 7],
    ['int', '7', 7],
    ['int', 7.5, null],
    ['int', 2 ** 31, null],
    ['long', 2 ** 40, 2 ** 40],
    ['long', 'seven', null],
    ['real', 1.5, 1.5],
    ['real', '1.5', 1.5],
    ['real', 'x', null],
    ['boolean', true, true],
    ['boolean', 'false', false],
    ['boolean', 1, null],
    ['datetime', '2026-11-30T10:00:00Z', '2026-11-30T10:00:00.000Z'],
    ['datetime', 'yesterday', null],
    ['datetime', 1764496800000, null],
    ['dynamic', ['a'], ['a']],
    ['dynamic', 'text', 'text'],
    ['string', null, null],
  ] as Array<[DeclaredColumnType, unknown, unknown]>)('%s <- %j = %j', (type, value, expected) => {
    expect(fitDeclaredType(type, value)).toEqual(expected);
  });
});

describe('shapeRow', () => {
  it('drops undeclared columns, nulls mismatches and counts both', () => {
    const report: ShapingReport = { droppedColumns: {}, nulledValues: {} };
    const columns: Array<{ name: string; type: DeclaredColumnType }> = [
      { name: 'RecordId', type: 'string' },
      { name: 'Count', type: 'int' },
    ];
    expect(shapeRow({ RecordId: 'r', Count: 'many', Extra: 1 }, columns, report)).toEqual({
      RecordId: 'r',
      Count: null,
    });
    expect(report).toEqual({ droppedColumns: { Extra: 1 }, nulledValues: { Count: 1 } });
  });
});
