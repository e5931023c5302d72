// The tabular operators of the KQL stand-in (where, project, extend, summarize, sort, top, take, distinct, ...),
// each from one frame to the next.
import { type Expr, type NamedExpr, type Operator, type SortKey } from './kqlParser.js';
import {
  type Col,
  type Context,
  type Frame,
  type Row,
  Timespan,
  type Value,
  compare,
  semantic,
  toStringValue,
} from './values.js';
import { AGGREGATES } from './functions.js';
import { check, exprName } from './typing.js';
import { aggregate, evaluate } from './evaluate.js';

function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) if (!taken.has(`${name}${i}`)) return `${name}${i}`;
}

function namedItems(items: NamedExpr[], frame: Frame): Array<{ name: string; expr: Expr; type?: string }> {
  let unnamed = 0;
  return items.map((item) => {
    const type = check(item.expr, frame.columns, false);
    const name = item.name ?? exprName(item.expr) ?? `Column${++unnamed}`;
    return { name, expr: item.expr, ...(type ? { type } : {}) };
  });
}

function sortRows(rows: Row[], keys: SortKey[], frame: Frame, ctx: Context): Row[] {
  for (const k of keys) check(k.expr, frame.columns, false);
  const decorated = rows.map((row) => ({ row, values: keys.map((k) => evaluate(k.expr, row, ctx)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as SortKey;
      const av = a.values[i];
      const bv = b.values[i];
      const aNull = av === null || av === undefined;
      const bNull = bv === null || bv === undefined;
      const nullsFirst = key.nullsFirst ?? !key.desc;
      if (aNull || bNull) {
        if (aNull && bNull) continue;
        return (aNull ? -1 : 1) * (nullsFirst ? 1 : -1);
      }
      const c = compare(av, bv) ?? 0;
      if (c !== 0) return key.desc ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

/** `95` -> "95", `99.9` -> "99_9": how Kusto names a percentile column. */
function percentileSuffix(arg: Expr | undefined): string {
  return arg?.type === 'literal' ? String(arg.value).replace('.', '_') : '';
}

export function summarize(op: Extract<Operator, { op: 'summarize' }>, frame: Frame, ctx: Context): Frame {
  let unnamed = 0;
  const byItems = op.by.map((item) => {
    const type = check(item.expr, frame.columns, false);
    const inner =
      item.expr.type === 'call' && ['bin', 'floor', 'startofday'].includes(item.expr.name)
        ? item.expr.args[0]
        : undefined;
    const name = item.name ?? exprName(item.expr) ?? (inner ? exprName(inner) : undefined) ?? `Column${++unnamed}`;
    return { name, expr: item.expr, type };
  });
  for (const a of op.aggregates) check(a.expr, frame.columns, true);

  const groups = new Map<string, { keys: Value[]; rows: Row[] }>();
  for (const row of frame.rows) {
    const keys = byItems.map((b) => evaluate(b.expr, row, ctx));
    const id = JSON.stringify(
      keys.map((k) => (k instanceof Date ? `d:${k.getTime()}` : k instanceof Timespan ? `t:${k.ms}` : k)),
    );
    let group = groups.get(id);
    if (!group) {
      group = { keys, rows: [] };
      groups.set(id, group);
    }
    group.rows.push(row);
  }
  // Without by, summarize always answers one row (count() of nothing is 0).
  if (byItems.length === 0 && groups.size === 0) groups.set('[]', { keys: [], rows: [] });

  const taken = new Set(byItems.map((b) => b.name));
  const outColumns: Col[] = byItems.map((b) => ({ name: b.name, ...(b.type ? { type: b.type } : {}) }));
  type Producer = (group: Row[]) => Value[];
  const producers: Producer[] = [];
  for (const item of op.aggregates) {
    const expr = item.expr;
    if (expr.type === 'call' && (expr.name === 'arg_max' || expr.name === 'arg_min')) {
      const [by, ...rest] = expr.args as [Expr, ...Expr[]];
      const byName = item.name ?? exprName(by) ?? `${AGGREGATES[expr.name]?.prefix ?? ''}`;
      const extra: Array<{ name: string; expr: Expr; type?: string }> = rest.map((e) => ({
        name: exprName(e) ?? `Column${++unnamed}`,
        expr: e,
        type: check(e, frame.columns, false),
      }));
      if (expr.star) {
        for (const c of frame.columns) {
          if (c.name !== exprName(by) && !taken.has(c.name) && !extra.some((x) => x.name === c.name)) {
            extra.push({ name: c.name, expr: { type: 'column', name: c.name, pos: 0 }, type: c.type });
          }
        }
      }
      const names = [byName, ...extra.map((x) => x.name)].map((n) => {
        const u = uniqueName(n, taken);
        taken.add(u);
        return u;
      });
      outColumns.push({
        name: names[0] ?? byName,
        ...(check(by, frame.columns, false) ? { type: check(by, frame.columns, false) } : {}),
      });
      extra.forEach((x, i) => outColumns.push({ name: names[i + 1] ?? x.name, ...(x.type ? { type: x.type } : {}) }));
      producers.push((group) => {
        let best: Row | undefined;
        let bestValue: Value = null;
        for (const row of group) {
          const v = evaluate(by, row, ctx);
          if (v === null || v === undefined) continue;
          const c = best === undefined ? 1 : (compare(v, bestValue) ?? 0);
          if (expr.name === 'arg_max' ? c > 0 : best === undefined || c < 0) {
            best = row;
            bestValue = v;
          }
        }
        return [bestValue, ...extra.map((x) => (best ? evaluate(x.expr, best, ctx) : null))];
      });
      continue;
    }
    const agg = expr.type === 'call' ? AGGREGATES[expr.name] : undefined;
    const argName = expr.type === 'call' && expr.args[0] ? exprName(expr.args[0]) : undefined;
    const defaultName = agg
      ? expr.type === 'call' && (expr.name === 'count' || expr.name === 'countif')
        ? agg.prefix
        : expr.type === 'call' && expr.name === 'percentile'
          ? `${agg.prefix}${argName ?? ''}_${percentileSuffix(expr.args[1])}`
          : `${agg.prefix}${argName ?? ''}`
      : `Column${++unnamed}`;
    const name = uniqueName(item.name ?? defaultName, taken);
    taken.add(name);
    const type = check(expr, frame.columns, true);
    outColumns.push({ name, ...(type ? { type } : {}) });
    producers.push((group) => [aggregate(expr, group, ctx)]);
  }

  const rows: Row[] = [];
  for (const group of groups.values()) {
    const values = [...group.keys, ...producers.flatMap((p) => p(group.rows))];
    const row: Row = {};
    outColumns.forEach((c, i) => (row[c.name] = values[i] ?? null));
    rows.push(row);
  }
  return { columns: outColumns, rows };
}

export function applyOperator(op: Operator, frame: Frame, ctx: Context): Frame {
  switch (op.op) {
    case 'where': {
      check(op.predicate, frame.columns, false);
      return {
        columns: frame.columns,
        rows: frame.rows.filter((row) => {
          const v = evaluate(op.predicate, row, ctx);
          if (v !== null && v !== undefined && typeof v !== 'boolean')
            throw semantic('The where predicate must be a boolean expression');
          return v === true;
        }),
      };
    }
    case 'project': {
      const items = namedItems(op.items, frame);
      const seen = new Set<string>();
      for (const i of items) {
        if (seen.has(i.name)) throw semantic(`Column '${i.name}' is projected more than once`);
        seen.add(i.name);
      }
      return {
        columns: items.map((i) => ({ name: i.name, ...(i.type ? { type: i.type } : {}) })),
        rows: frame.rows.map((row) => Object.fromEntries(items.map((i) => [i.name, evaluate(i.expr, row, ctx)]))),
      };
    }
    case 'project-away': {
      for (const c of op.columns)
        if (!frame.columns.some((x) => x.name === c)) throw semantic(`Failed to resolve column named '${c}'`);
      const keep = frame.columns.filter((c) => !op.columns.includes(c.name));
      return {
        columns: keep,
        rows: frame.rows.map((row) => Object.fromEntries(keep.map((c) => [c.name, row[c.name]]))),
      };
    }
    case 'project-rename': {
      let columns = frame.columns;
      for (const { to, from } of op.renames) {
        if (!columns.some((c) => c.name === from)) throw semantic(`Failed to resolve column named '${from}'`);
        columns = columns.map((c) => (c.name === from ? { ...c, name: to } : c));
      }
      const mapping = new Map(op.renames.map((r) => [r.from, r.to]));
      return {
        columns,
        rows: frame.rows.map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [mapping.get(k) ?? k, v])),
        ),
      };
    }
    case 'extend': {
      let columns = [...frame.columns];
      let rows = frame.rows;
      // Each extend item sees the columns defined before it, as in Kusto.
      for (const item of op.items) {
        const current: Frame = { columns, rows };
        const [named] = namedItems([item], current);
        if (!named) continue;
        const existing = columns.findIndex((c) => c.name === named.name);
        const col = { name: named.name, ...(named.type ? { type: named.type } : {}) };
        columns = existing >= 0 ? columns.map((c, i) => (i === existing ? col : c)) : [...columns, col];
        rows = rows.map((row) => ({ ...row, [named.name]: evaluate(named.expr, row, ctx) }));
      }
      return { columns, rows };
    }
    case 'summarize':
      return summarize(op, frame, ctx);
    case 'sort':
      return { columns: frame.columns, rows: sortRows(frame.rows, op.keys, frame, ctx) };
    case 'take':
      return { columns: frame.columns, rows: frame.rows.slice(0, op.count) };
    case 'top':
      return { columns: frame.columns, rows: sortRows(frame.rows, [op.key], frame, ctx).slice(0, op.count) };
    case 'count':
      return { columns: [{ name: 'Count', type: 'long' }], rows: [{ Count: frame.rows.length }] };
    case 'distinct': {
      const cols =
        op.columns === '*'
          ? frame.columns
          : op.columns.map((name) => {
              const c = frame.columns.find((x) => x.name === name);
              if (!c) throw semantic(`Failed to resolve column named '${name}'`);
              return c;
            });
      const seen = new Map<string, Row>();
      for (const row of frame.rows) {
        const picked = Object.fromEntries(cols.map((c) => [c.name, row[c.name] ?? null]));
        seen.set(JSON.stringify(cols.map((c) => toStringValue(picked[c.name]))), picked);
      }
      return { columns: cols, rows: [...seen.values()] };
    }
  }
}
