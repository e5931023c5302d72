// Evaluates the KQL subset (see kqlParser.ts) over in-memory tables for the local Log Analytics endpoint.
// Semantics follow Kusto where the subset reaches: case-insensitive has/contains/startswith/endswith (with _cs
// variants), term matching for `has`, integer division for longs, sort descending by default with nulls last,
// summarize output named like Kusto (count_, max_X, avg_X, arg_max's columns), datetime/timespan arithmetic.
// Column and function names are checked before any row is read, so a typo fails even on an empty table.
// The parts: kqlLexer.ts and kqlParser.ts (syntax), kql/values.ts, functions.ts, typing.ts, evaluate.ts and
// operators.ts (semantics); this file loads the source table and runs the pipeline.
import { parseKql } from './kqlParser.js';
import {
  type Col,
  type Context,
  type Frame,
  ISO_DATETIME,
  type KqlColumn,
  type KqlTable,
  type Row,
  type Value,
  isDynamic,
  semantic,
  serialize,
  toDate,
  typeOfValue,
} from './values.js';
import { applyOperator } from './operators.js';

export { KqlError } from './kqlParser.js';
export { Timespan, type KqlColumn, type KqlTable } from './values.js';

export interface RunKqlOptions {
  tables: Map<string, Array<Record<string, unknown>>>;
  /**
   * Declared columns (name -> type) of known tables. A Log Analytics table has a fixed schema: a query on one with no
   * rows yet resolves its columns and returns nothing, where inferring columns from rows would fail with
   * "Failed to resolve scalar expression named 'TimeGenerated'".
   */
  schemas?: Record<string, Record<string, string>>;
  now: Date;
  /** The request's timespan, applied to TimeGenerated of the source table. */
  window: { start?: Date; end?: Date };
}

function inferColumnType(name: string, values: Value[]): string {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return name === 'TimeGenerated' ? 'datetime' : 'string';
  if (present.every((v) => v instanceof Date || (typeof v === 'string' && ISO_DATETIME.test(v)))) return 'datetime';
  if (present.every((v) => typeof v === 'boolean')) return 'bool';
  if (present.every((v) => typeof v === 'number')) return present.every((v) => Number.isInteger(v)) ? 'long' : 'real';
  if (present.every((v) => typeof v === 'string')) return 'string';
  if (present.every((v) => isDynamic(v))) return 'dynamic';
  // Mixed values: Log Analytics columns have one type; treat as dynamic rather than guess.
  return 'dynamic';
}

function withinWindow(
  rows: Array<Record<string, unknown>>,
  window: RunKqlOptions['window'],
): Array<Record<string, unknown>> {
  const start = window.start?.getTime();
  const end = window.end?.getTime();
  if (start === undefined && end === undefined) return rows;
  return rows.filter((r) => {
    const t = r.TimeGenerated;
    const ms = t instanceof Date ? t.getTime() : typeof t === 'string' ? Date.parse(t) : NaN;
    // Rows without a parseable TimeGenerated are left to the typed filter below, which decides as before.
    if (Number.isNaN(ms)) return true;
    return (start === undefined || ms >= start) && (end === undefined || ms <= end);
  });
}

function loadTable(name: string, options: RunKqlOptions): Frame {
  const schema = options.schemas?.[name];
  const stored = options.tables.get(name) ?? (schema ? [] : undefined);
  // The request's timespan drops rows before any typing: a four-week history must not make a six-hour query pay for
  // converting every row. The same filter runs again on the typed rows below (datetime values given as Dates).
  const source = stored ? withinWindow(stored, options.window) : undefined;
  if (!source) {
    throw semantic(
      `Failed to resolve table or column expression named '${name}' (tables in the local workspace: ${[...options.tables.keys()].join(', ') || 'none'})`,
    );
  }
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of source) {
    for (const key of Object.keys(row)) {
      if (seen.has(key)) continue;
      seen.add(key);
      names.push(key);
    }
  }
  const declared: Col[] = Object.entries(schema ?? {}).map(([n, t]) => ({
    name: n,
    type: t === 'boolean' ? 'bool' : t,
  }));
  const columns: Col[] = [
    ...declared,
    ...names
      .filter((n) => !schema || !(n in schema))
      .map((n) => ({
        name: n,
        type: inferColumnType(
          n,
          source.map((r) => r[n]),
        ),
      })),
  ];
  let rows: Row[] = source.map((raw) => {
    const row: Row = {};
    for (const c of columns) {
      const v = raw[c.name];
      row[c.name] =
        c.type === 'datetime' ? toDate(v) : c.type === 'string' && (v === null || v === undefined) ? '' : (v ?? null);
    }
    return row;
  });
  const { start, end } = options.window;
  if ((start || end) && columns.some((c) => c.name === 'TimeGenerated' && c.type === 'datetime')) {
    rows = rows.filter((row) => {
      const t = row.TimeGenerated;
      if (!(t instanceof Date)) return false;
      return (!start || t.getTime() >= start.getTime()) && (!end || t.getTime() <= end.getTime());
    });
  }
  return { columns, rows };
}

export function runKql(query: string, options: RunKqlOptions): KqlTable {
  const parsed = parseKql(query);
  const ctx: Context = { now: options.now };
  let frame = loadTable(parsed.table, options);
  for (const op of parsed.operators) frame = applyOperator(op, frame, ctx);
  const columns: KqlColumn[] = frame.columns.map((c) => {
    if (c.type) return { name: c.name, type: c.type };
    const types = new Set(frame.rows.map((r) => typeOfValue(r[c.name])).filter((t): t is string => t !== undefined));
    const type =
      types.size === 0
        ? 'string'
        : types.size === 1
          ? ([...types][0] ?? 'string')
          : types.has('real') && [...types].every((t) => t === 'real' || t === 'long')
            ? 'real'
            : 'dynamic';
    return { name: c.name, type };
  });
  return {
    columns,
    rows: frame.rows.map((row) =>
      columns.map((c) => {
        const v = row[c.name];
        if (c.type === 'datetime' && typeof v === 'string') return v;
        return serialize(v);
      }),
    ),
  };
}
