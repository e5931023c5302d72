// The custom Log Analytics tables, declared once in infra/tables.json: Bicep and Terraform load that file for the DCR
// stream declarations and the table resources, and this module reads the same file (bundled into the app) for the
// sinks, the local DCR stand-in, docs/tables.md and the KQL validation test. Change a column there. It is checked
// when this module loads, so a malformed file fails the app at start-up and every test that imports it.
import { z } from 'zod';
import tables from '../../infra/tables.json' with { type: 'json' };
import { RESULT_TABLES, type ResultTable } from './resultsSink.js';

/** Log Analytics column types usable in custom tables and DCR stream declarations. */
const columnTypeSchema = z.enum(['string', 'int', 'long', 'real', 'boolean', 'datetime', 'dynamic']);
export type ColumnType = z.infer<typeof columnTypeSchema>;

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  description: string;
}

export interface TableSchema {
  table: ResultTable;
  /** The DCR input stream (and output stream) name the Logs Ingestion API is called with. */
  stream: `Custom-${ResultTable}`;
  description: string;
  columns: ColumnSchema[];
}

const tableSchema = z
  .strictObject({
    table: z.enum(RESULT_TABLES),
    stream: z.string(),
    description: z.string().min(1),
    columns: z.array(z.strictObject({ name: z.string(), type: columnTypeSchema, description: z.string().min(1) })),
  })
  .refine((t) => t.stream === `Custom-${t.table}`, 'stream must be Custom-<table>')
  .refine((t) => t.columns.some((c) => c.name === 'RecordId') && t.columns.some((c) => c.name === 'TimeGenerated'), {
    error: 'every table has RecordId and TimeGenerated',
  });

/** The tables of `json` (infra/tables.json), one per result table in RESULT_TABLES order; throws naming the fault. */
export function parseTableSchemas(json: unknown): Record<ResultTable, TableSchema> {
  const parsed = z.array(tableSchema).parse(json) as TableSchema[];
  const order = parsed.map((t) => t.table).join();
  if (order !== RESULT_TABLES.join()) throw new Error(`infra/tables.json lists ${order}, not ${RESULT_TABLES.join()}`);
  return Object.fromEntries(parsed.map((t) => [t.table, t])) as Record<ResultTable, TableSchema>;
}

export const TABLE_SCHEMAS: Record<ResultTable, TableSchema> = parseTableSchemas(tables);

/** `Custom-<Table>`: the stream a table's rows are uploaded to. */
export function streamNameOf(table: ResultTable): `Custom-${ResultTable}` {
  return TABLE_SCHEMAS[table].stream;
}

/** KQL schema text `(Name:type, ...)` of a table, as @kusto/language-service-next and the DCR docs write it. */
export function kqlSchemaOf(table: ResultTable): string {
  return `(${TABLE_SCHEMAS[table].columns.map((c) => `${c.name}:${c.type}`).join(', ')})`;
}
