// Evaluates the KQL subset (see kqlParser.ts) over in-memory tables for the local Log Analytics endpoint.
// Semantics follow Kusto where the subset reaches: case-insensitive has/contains/startswith/endswith (with _cs
// variants), term matching for `has`, integer division for longs, sort descending by default with nulls last,
// summarize output named like Kusto (count_, max_X, avg_X, arg_max's columns), datetime/timespan arithmetic.
// Column and function names are checked before any row is read, so a typo fails even on an empty table.
import { KqlError, parseKql, type Expr, type NamedExpr, type Operator, type SortKey } from './kqlParser.js';

export { KqlError } from './kqlParser.js';

export interface KqlColumn {
  name: string;
  type: string;
}
export interface KqlTable {
  columns: KqlColumn[];
  rows: unknown[][];
}

export class Timespan {
  constructor(readonly ms: number) {}
}

type Value = unknown;
type Row = Record<string, Value>;
interface Col {
  name: string;
  type?: string;
}
interface Frame {
  columns: Col[];
  rows: Row[];
}
interface Context {
  now: Date;
}

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

// ---------------------------------------------------------------- values

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function isDynamic(v: Value): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof Timespan);
}

function typeOfValue(v: Value): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (v instanceof Date) return 'datetime';
  if (v instanceof Timespan) return 'timespan';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  if (typeof v === 'string') return 'string';
  return 'dynamic';
}

function formatTimespan(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86400000);
  rest -= days * 86400000;
  const h = Math.floor(rest / 3600000);
  rest -= h * 3600000;
  const m = Math.floor(rest / 60000);
  rest -= m * 60000;
  const s = Math.floor(rest / 1000);
  const frac = Math.round((rest - s * 1000) * 10000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${sign}${days ? `${days}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}${frac ? `.${String(frac).padStart(7, '0')}` : ''}`;
}

function toStringValue(v: Value): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Timespan) return formatTimespan(v.ms);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? '';
}

function serialize(v: Value): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Timespan) return formatTimespan(v.ms);
  if (isDynamic(v)) return JSON.stringify(v);
  return v;
}

function toDate(v: Value): Date | null {
  if (v instanceof Date) return v;
  if (typeof v === 'string' && v !== '') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (typeof v === 'number') return new Date(v);
  return null;
}

function toNumber(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

function semantic(message: string): KqlError {
  return new KqlError('SemanticError', message);
}

/** Ordering of two values of compatible types; throws when Kusto would refuse to compare them. */
function compare(a: Value, b: Value): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof Date || b instanceof Date) {
    const da = toDate(a);
    const db = toDate(b);
    if (!da || !db) throw semantic(`Cannot compare a datetime with ${typeOfValue(a instanceof Date ? b : a)}`);
    return da.getTime() - db.getTime();
  }
  if (a instanceof Timespan && b instanceof Timespan) return a.ms - b.ms;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw semantic(`Cannot compare values of types ${typeOfValue(a)} and ${typeOfValue(b)}`);
}

function equals(a: Value, b: Value, caseInsensitive = false): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a === 'string' && typeof b === 'string')
    return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
  if (isDynamic(a) || isDynamic(b)) return JSON.stringify(a) === JSON.stringify(b);
  return compare(a, b) === 0;
}

const TERM_CHAR = /[A-Za-z0-9]/;
/** `has`: the needle matches whole terms (runs of ASCII alphanumerics) of the haystack. */
function hasTerm(haystack: string, needle: string, caseSensitive: boolean): boolean {
  const h = caseSensitive ? haystack : haystack.toLowerCase();
  const n = caseSensitive ? needle : needle.toLowerCase();
  if (n === '') return true;
  let from = 0;
  for (;;) {
    const at = h.indexOf(n, from);
    if (at < 0) return false;
    const before = h[at - 1];
    const after = h[at + n.length];
    const startsOnBoundary = !TERM_CHAR.test(n[0] ?? '') || before === undefined || !TERM_CHAR.test(before);
    const endsOnBoundary = !TERM_CHAR.test(n[n.length - 1] ?? '') || after === undefined || !TERM_CHAR.test(after);
    if (startsOnBoundary && endsOnBoundary) return true;
    from = at + 1;
  }
}

function stringOp(op: string, left: Value, right: Value): boolean {
  const negate = op.startsWith('!');
  const base = negate ? op.slice(1) : op;
  const cs = base.endsWith('_cs');
  const kind = cs ? base.slice(0, -3) : base;
  let h = toStringValue(left);
  let n = toStringValue(right);
  if (!cs) {
    h = h.toLowerCase();
    n = n.toLowerCase();
  }
  let result: boolean;
  switch (kind) {
    case 'has':
      result = hasTerm(h, n, true);
      break;
    case 'contains':
      result = h.includes(n);
      break;
    case 'startswith':
      result = h.startsWith(n);
      break;
    default:
      result = h.endsWith(n);
  }
  return negate ? !result : result;
}

function arithmetic(op: string, a: Value, b: Value, integerDivision: boolean): Value {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) return integerDivision ? null : a / b;
        return integerDivision ? Math.trunc(a / b) : a / b;
      default:
        return b === 0 ? null : a % b;
    }
  }
  if (a instanceof Date && b instanceof Date && op === '-') return new Timespan(a.getTime() - b.getTime());
  if (a instanceof Date && b instanceof Timespan && (op === '+' || op === '-'))
    return new Date(a.getTime() + (op === '+' ? b.ms : -b.ms));
  if (a instanceof Timespan && b instanceof Date && op === '+') return new Date(b.getTime() + a.ms);
  if (a instanceof Timespan && b instanceof Timespan) {
    if (op === '+') return new Timespan(a.ms + b.ms);
    if (op === '-') return new Timespan(a.ms - b.ms);
    if (op === '/') return a.ms / b.ms;
  }
  if (a instanceof Timespan && typeof b === 'number') {
    if (op === '*') return new Timespan(a.ms * b);
    if (op === '/') return new Timespan(a.ms / b);
  }
  if (typeof a === 'number' && b instanceof Timespan && op === '*') return new Timespan(a * b.ms);
  throw semantic(`Operator '${op}' cannot be applied to ${typeOfValue(a)} and ${typeOfValue(b)}`);
}

// ---------------------------------------------------------------- functions

interface ScalarFunction {
  min: number;
  max: number;
  returns?: (argTypes: Array<string | undefined>) => string | undefined;
  fn: (args: Value[], ctx: Context) => Value;
}

const fixed = (t: string) => (): string => t;
const firstArgType = (types: Array<string | undefined>): string | undefined => types[0];

function binValue(v: Value, size: Value): Value {
  if (v === null || v === undefined || size === null || size === undefined) return null;
  if (v instanceof Date && size instanceof Timespan) return new Date(Math.floor(v.getTime() / size.ms) * size.ms);
  if (v instanceof Timespan && size instanceof Timespan) return new Timespan(Math.floor(v.ms / size.ms) * size.ms);
  if (typeof v === 'number' && typeof size === 'number') return Math.floor(v / size) * size;
  throw semantic(`bin() cannot round ${typeOfValue(v)} by ${typeOfValue(size)}`);
}

const SCALAR_FUNCTIONS: Record<string, ScalarFunction> = {
  ago: {
    min: 1,
    max: 1,
    returns: fixed('datetime'),
    fn: ([span], ctx) => {
      if (!(span instanceof Timespan)) throw semantic('ago() expects a timespan, e.g. ago(1h)');
      return new Date(ctx.now.getTime() - span.ms);
    },
  },
  now: {
    min: 0,
    max: 1,
    returns: fixed('datetime'),
    fn: ([offset], ctx) => new Date(ctx.now.getTime() + (offset instanceof Timespan ? offset.ms : 0)),
  },
  datetime: { min: 1, max: 1, returns: fixed('datetime'), fn: ([v]) => toDate(v) },
  todatetime: { min: 1, max: 1, returns: fixed('datetime'), fn: ([v]) => toDate(v) },
  totimespan: {
    min: 1,
    max: 1,
    returns: fixed('timespan'),
    fn: ([v]) => (v instanceof Timespan ? v : typeof v === 'number' ? new Timespan(v / 10000) : null),
  },
  tostring: { min: 1, max: 1, returns: fixed('string'), fn: ([v]) => toStringValue(v) },
  toint: {
    min: 1,
    max: 1,
    returns: fixed('int'),
    fn: ([v]) => (toNumber(v) === null ? null : Math.trunc(toNumber(v) ?? 0)),
  },
  tolong: {
    min: 1,
    max: 1,
    returns: fixed('long'),
    fn: ([v]) => (toNumber(v) === null ? null : Math.trunc(toNumber(v) ?? 0)),
  },
  todouble: { min: 1, max: 1, returns: fixed('real'), fn: ([v]) => toNumber(v) },
  toreal: { min: 1, max: 1, returns: fixed('real'), fn: ([v]) => toNumber(v) },
  tobool: {
    min: 1,
    max: 1,
    returns: fixed('bool'),
    fn: ([v]) =>
      typeof v === 'boolean'
        ? v
        : typeof v === 'string'
          ? ['true', '1'].includes(v.toLowerCase())
            ? true
            : ['false', '0'].includes(v.toLowerCase())
              ? false
              : null
          : typeof v === 'number'
            ? v !== 0
            : null,
  },
  tolower: { min: 1, max: 1, returns: fixed('string'), fn: ([v]) => toStringValue(v).toLowerCase() },
  toupper: { min: 1, max: 1, returns: fixed('string'), fn: ([v]) => toStringValue(v).toUpperCase() },
  strlen: { min: 1, max: 1, returns: fixed('long'), fn: ([v]) => toStringValue(v).length },
  strcat: { min: 1, max: 64, returns: fixed('string'), fn: (args) => args.map(toStringValue).join('') },
  substring: {
    min: 2,
    max: 3,
    returns: fixed('string'),
    fn: ([s, start, length]) => {
      const text = toStringValue(s);
      const from = Math.max(0, toNumber(start) ?? 0);
      return length === undefined ? text.slice(from) : text.slice(from, from + Math.max(0, toNumber(length) ?? 0));
    },
  },
  split: {
    min: 2,
    max: 2,
    returns: fixed('dynamic'),
    fn: ([s, delimiter]) => toStringValue(s).split(toStringValue(delimiter)),
  },
  extract: {
    min: 3,
    max: 3,
    returns: fixed('string'),
    fn: ([pattern, group, s]) => {
      const match = new RegExp(toStringValue(pattern)).exec(toStringValue(s));
      return match ? (match[toNumber(group) ?? 0] ?? '') : '';
    },
  },
  isnull: { min: 1, max: 1, returns: fixed('bool'), fn: ([v]) => v === null || v === undefined },
  isnotnull: { min: 1, max: 1, returns: fixed('bool'), fn: ([v]) => v !== null && v !== undefined },
  isempty: { min: 1, max: 1, returns: fixed('bool'), fn: ([v]) => v === null || v === undefined || v === '' },
  isnotempty: { min: 1, max: 1, returns: fixed('bool'), fn: ([v]) => !(v === null || v === undefined || v === '') },
  not: { min: 1, max: 1, returns: fixed('bool'), fn: ([v]) => (typeof v === 'boolean' ? !v : null) },
  iff: { min: 3, max: 3, returns: (t) => t[1] ?? t[2], fn: ([c, a, b]) => (c === true ? a : b) },
  iif: { min: 3, max: 3, returns: (t) => t[1] ?? t[2], fn: ([c, a, b]) => (c === true ? a : b) },
  case: {
    min: 3,
    max: 64,
    returns: (t) => t[1],
    fn: (args) => {
      for (let i = 0; i + 1 < args.length; i += 2) if (args[i] === true) return args[i + 1];
      return args[args.length - 1];
    },
  },
  coalesce: {
    min: 1,
    max: 64,
    returns: firstArgType,
    fn: (args) => args.find((a) => a !== null && a !== undefined && a !== '') ?? null,
  },
  bin: { min: 2, max: 2, returns: firstArgType, fn: ([v, size]) => binValue(v, size) },
  floor: { min: 2, max: 2, returns: firstArgType, fn: ([v, size]) => binValue(v, size) },
  startofday: { min: 1, max: 1, returns: fixed('datetime'), fn: ([v]) => binValue(toDate(v), new Timespan(86400000)) },
  abs: {
    min: 1,
    max: 1,
    returns: firstArgType,
    fn: ([v]) => (typeof v === 'number' ? Math.abs(v) : v instanceof Timespan ? new Timespan(Math.abs(v.ms)) : null),
  },
  round: {
    min: 1,
    max: 2,
    returns: fixed('real'),
    fn: ([v, digits]) => {
      const n = toNumber(v);
      if (n === null) return null;
      const f = 10 ** (toNumber(digits) ?? 0);
      return Math.round(n * f) / f;
    },
  },
  array_length: { min: 1, max: 1, returns: fixed('long'), fn: ([v]) => (Array.isArray(v) ? v.length : null) },
  parse_json: { min: 1, max: 1, returns: fixed('dynamic'), fn: ([v]) => parseJsonValue(v) },
  todynamic: { min: 1, max: 1, returns: fixed('dynamic'), fn: ([v]) => parseJsonValue(v) },
};

function parseJsonValue(v: Value): Value {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as Value;
  } catch {
    return v;
  }
}

/** Aggregations and how summarize names their result column (Kusto's naming). */
const AGGREGATES: Record<string, { min: number; max: number; prefix: string; returns?: string }> = {
  count: { min: 0, max: 0, prefix: 'count_', returns: 'long' },
  countif: { min: 1, max: 1, prefix: 'countif_', returns: 'long' },
  dcount: { min: 1, max: 2, prefix: 'dcount_', returns: 'long' },
  dcountif: { min: 2, max: 3, prefix: 'dcountif_', returns: 'long' },
  sum: { min: 1, max: 1, prefix: 'sum_' },
  sumif: { min: 2, max: 2, prefix: 'sumif_' },
  avg: { min: 1, max: 1, prefix: 'avg_', returns: 'real' },
  avgif: { min: 2, max: 2, prefix: 'avgif_', returns: 'real' },
  min: { min: 1, max: 1, prefix: 'min_' },
  max: { min: 1, max: 1, prefix: 'max_' },
  make_set: { min: 1, max: 2, prefix: 'set_', returns: 'dynamic' },
  make_list: { min: 1, max: 2, prefix: 'list_', returns: 'dynamic' },
  take_any: { min: 1, max: 1, prefix: 'any_' },
  any: { min: 1, max: 1, prefix: 'any_' },
  arg_max: { min: 1, max: 64, prefix: 'max_' },
  arg_min: { min: 1, max: 64, prefix: 'min_' },
  // percentile(expr, P): the nearest-rank percentile (Kusto estimates it with T-Digest; over the stand-in's few
  // thousand rows the exact nearest rank is what that estimate converges to). Output column percentile_<expr>_<P>
  // (https://learn.microsoft.com/kusto/query/percentiles-aggregation-function).
  percentile: { min: 2, max: 2, prefix: 'percentile_' },
};

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0 || !(p >= 0 && p <= 100)) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

// ---------------------------------------------------------------- validation and typing

function typeFamily(type: string): string {
  if (type === 'int' || type === 'long' || type === 'real') return 'number';
  // A string literal compared with a datetime is parsed as a datetime.
  if (type === 'string' || type === 'datetime') return 'text-or-time';
  return type;
}

function exprName(expr: Expr): string | undefined {
  if (expr.type === 'column') return expr.name;
  if (expr.type === 'member') {
    const base = exprName(expr.target);
    const key = expr.key.type === 'literal' ? String(expr.key.value) : undefined;
    return base && key !== undefined ? `${base}_${key}` : undefined;
  }
  return undefined;
}

/**
 * Checks names and computes the static type of an expression against the frame's columns. `aggregates` says
 * whether aggregation calls are allowed here (summarize items) or not (everywhere else).
 */
function check(expr: Expr, columns: Col[], aggregates: boolean): string | undefined {
  switch (expr.type) {
    case 'literal':
      return expr.kind === 'number'
        ? Number.isInteger(expr.value)
          ? 'long'
          : 'real'
        : expr.kind === 'null'
          ? undefined
          : expr.kind;
    case 'column': {
      const col = columns.find((c) => c.name === expr.name);
      if (!col) throw semantic(`Failed to resolve scalar expression named '${expr.name}'`);
      return col.type;
    }
    case 'member':
      check(expr.target, columns, aggregates);
      check(expr.key, columns, aggregates);
      return 'dynamic';
    case 'unary':
      return check(expr.operand, columns, aggregates);
    case 'in':
      check(expr.target, columns, aggregates);
      for (const e of expr.list) check(e, columns, aggregates);
      return 'bool';
    case 'between':
      check(expr.target, columns, aggregates);
      check(expr.low, columns, aggregates);
      check(expr.high, columns, aggregates);
      return 'bool';
    case 'binary': {
      const l = check(expr.left, columns, aggregates);
      const r = check(expr.right, columns, aggregates);
      if (['+', '-', '*', '/', '%'].includes(expr.op)) {
        if (l === 'datetime' && r === 'datetime') return 'timespan';
        if (l === 'datetime' || r === 'datetime') return 'datetime';
        if (l === 'timespan' || r === 'timespan')
          return expr.op === '/' && l === 'timespan' && r === 'timespan' ? 'real' : 'timespan';
        if ((l === 'long' || l === 'int') && (r === 'long' || r === 'int')) {
          if (expr.op === '/') (expr as { integerDivision?: boolean }).integerDivision = true;
          return 'long';
        }
        return l === undefined || r === undefined ? undefined : 'real';
      }
      if (
        ['==', '!=', '<', '<=', '>', '>='].includes(expr.op) &&
        l &&
        r &&
        typeFamily(l) !== typeFamily(r) &&
        l !== 'dynamic' &&
        r !== 'dynamic'
      ) {
        // Kusto refuses these at compile time; so do we, even when no row would reach the comparison.
        throw semantic(`Cannot compare values of types ${l} and ${r}`);
      }
      return 'bool';
    }
    case 'call': {
      const agg = AGGREGATES[expr.name];
      if (agg) {
        if (!aggregates) throw semantic(`The aggregation function '${expr.name}' can only be used in summarize`);
        if (expr.args.length < agg.min || expr.args.length > agg.max) {
          throw semantic(
            `${expr.name}() expects ${agg.min === agg.max ? agg.min : `${agg.min} to ${agg.max}`} arguments, got ${expr.args.length}`,
          );
        }
        if (expr.star && !expr.name.startsWith('arg_')) throw semantic(`'*' is only allowed in arg_max/arg_min`);
        const types = expr.args.map((a) => check(a, columns, false));
        return agg.returns ?? types[0];
      }
      const fn = SCALAR_FUNCTIONS[expr.name];
      if (!fn) {
        throw new KqlError(
          'UnsupportedByLocalStandIn',
          `Function '${expr.name}' is outside the KQL subset of the local Log Analytics stand-in (or does not exist). Supported: ${Object.keys(SCALAR_FUNCTIONS).join(', ')}; aggregations: ${Object.keys(AGGREGATES).join(', ')}.`,
        );
      }
      if (expr.star) throw semantic(`'*' is not a valid argument of ${expr.name}()`);
      if (expr.args.length < fn.min || expr.args.length > fn.max) {
        throw semantic(
          `${expr.name}() expects ${fn.min === fn.max ? fn.min : `${fn.min} to ${fn.max}`} arguments, got ${expr.args.length}`,
        );
      }
      const types = expr.args.map((a) => check(a, columns, aggregates));
      return fn.returns?.(types);
    }
  }
}

// ---------------------------------------------------------------- evaluation

function evaluate(expr: Expr, row: Row, ctx: Context): Value {
  switch (expr.type) {
    case 'literal':
      return expr.kind === 'timespan' ? new Timespan(expr.value as number) : expr.value;
    case 'column':
      return row[expr.name] ?? null;
    case 'member': {
      let target = evaluate(expr.target, row, ctx);
      if (typeof target === 'string') target = parseJsonValue(target);
      const key = evaluate(expr.key, row, ctx);
      if (Array.isArray(target) && typeof key === 'number') return (target[key] as Value) ?? null;
      if (isDynamic(target) && !Array.isArray(target)) return target[toStringValue(key)] ?? null;
      return null;
    }
    case 'unary': {
      const v = evaluate(expr.operand, row, ctx);
      if (v === null || v === undefined) return null;
      if (typeof v === 'number') return -v;
      if (v instanceof Timespan) return new Timespan(-v.ms);
      throw semantic(`Unary '-' cannot be applied to ${typeOfValue(v)}`);
    }
    case 'in': {
      const target = evaluate(expr.target, row, ctx);
      const found = expr.list.some((e) => {
        const v = evaluate(e, row, ctx);
        return Array.isArray(v)
          ? v.some((x) => equals(target, x, expr.caseInsensitive) === true)
          : equals(target, v, expr.caseInsensitive) === true;
      });
      if (target === null || target === undefined) return expr.negate;
      return expr.negate ? !found : found;
    }
    case 'between': {
      const target = evaluate(expr.target, row, ctx);
      const low = evaluate(expr.low, row, ctx);
      let high = evaluate(expr.high, row, ctx);
      // datetime(x) .. 1h means [x, x + 1h], as in Kusto.
      if (low instanceof Date && high instanceof Timespan) high = new Date(low.getTime() + high.ms);
      const lo = compare(target, low);
      const hi = compare(target, high);
      if (lo === null || hi === null) return null;
      const inside = lo >= 0 && hi <= 0;
      return expr.negate ? !inside : inside;
    }
    case 'binary': {
      if (expr.op === 'and' || expr.op === 'or') {
        const l = evaluate(expr.left, row, ctx);
        if (expr.op === 'and' && l === false) return false;
        if (expr.op === 'or' && l === true) return true;
        const r = evaluate(expr.right, row, ctx);
        if (expr.op === 'and') return l === true && r === true ? true : r === false ? false : null;
        return l === true || r === true ? true : l === false && r === false ? false : null;
      }
      const l = evaluate(expr.left, row, ctx);
      const r = evaluate(expr.right, row, ctx);
      switch (expr.op) {
        case '==':
          return equals(l, r);
        case '!=': {
          const eq = equals(l, r);
          return eq === null ? null : !eq;
        }
        case '=~':
          return equals(l, r, true);
        case '!~': {
          const eq = equals(l, r, true);
          return eq === null ? null : !eq;
        }
        case '<':
        case '<=':
        case '>':
        case '>=': {
          const c = compare(l, r);
          if (c === null) return null;
          return expr.op === '<' ? c < 0 : expr.op === '<=' ? c <= 0 : expr.op === '>' ? c > 0 : c >= 0;
        }
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
          return arithmetic(expr.op, l, r, (expr as { integerDivision?: boolean }).integerDivision === true);
        default:
          return stringOp(expr.op, l, r);
      }
    }
    case 'call': {
      const fn = SCALAR_FUNCTIONS[expr.name];
      if (!fn) throw semantic(`The aggregation function '${expr.name}' can only be used in summarize`);
      return fn.fn(
        expr.args.map((a) => evaluate(a, row, ctx)),
        ctx,
      );
    }
  }
}

function aggregate(expr: Expr, group: Row[], ctx: Context): Value {
  if (expr.type === 'call' && AGGREGATES[expr.name]) {
    const values = (i: number): Value[] => group.map((r) => evaluate(expr.args[i] as Expr, r, ctx));
    const present = (vs: Value[]): Value[] => vs.filter((v) => v !== null && v !== undefined);
    const numbers = (vs: Value[]): number[] =>
      present(vs)
        .map((v) => toNumber(v))
        .filter((n): n is number => n !== null);
    const where = (i: number): Row[] => group.filter((r) => evaluate(expr.args[i] as Expr, r, ctx) === true);
    switch (expr.name) {
      case 'count':
        return group.length;
      case 'countif':
        return where(0).length;
      case 'dcount':
        return new Set(present(values(0)).map((v) => toStringValue(v))).size;
      case 'dcountif': {
        const rows = where(1);
        return new Set(
          rows
            .map((r) => evaluate(expr.args[0] as Expr, r, ctx))
            .filter((v) => v !== null)
            .map(toStringValue),
        ).size;
      }
      case 'sum':
        return numbers(values(0)).reduce((a, b) => a + b, 0);
      case 'sumif':
        return where(1)
          .map((r) => toNumber(evaluate(expr.args[0] as Expr, r, ctx)) ?? 0)
          .reduce((a, b) => a + b, 0);
      case 'avg': {
        const ns = numbers(values(0));
        return ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : null;
      }
      case 'avgif': {
        const ns = where(1)
          .map((r) => toNumber(evaluate(expr.args[0] as Expr, r, ctx)))
          .filter((n): n is number => n !== null);
        return ns.length ? ns.reduce((a, b) => a + b, 0) / ns.length : null;
      }
      case 'min':
      case 'max': {
        const vs = present(values(0));
        if (!vs.length) return null;
        return vs.reduce((best, v) => {
          const c = compare(v, best) ?? 0;
          return (expr.name === 'max' ? c > 0 : c < 0) ? v : best;
        });
      }
      case 'percentile': {
        const p = toNumber(evaluate(expr.args[1] as Expr, {}, ctx));
        if (p === null || p < 0 || p > 100)
          throw semantic('percentile() expects a constant percentile between 0 and 100');
        return nearestRank(numbers(values(0)), p);
      }
      case 'make_set':
      case 'make_list': {
        const limit = expr.args[1] ? (toNumber(evaluate(expr.args[1], {}, ctx)) ?? 1048576) : 1048576;
        const vs = present(values(0)).map((v) => (v instanceof Date || v instanceof Timespan ? toStringValue(v) : v));
        const out = expr.name === 'make_set' ? [...new Map(vs.map((v) => [JSON.stringify(v), v])).values()] : vs;
        return out.slice(0, limit);
      }
      default:
        return present(values(0))[0] ?? null;
    }
  }
  switch (expr.type) {
    case 'call':
      return SCALAR_FUNCTIONS[expr.name]?.fn(
        expr.args.map((a) => aggregate(a, group, ctx)),
        ctx,
      );
    case 'literal':
      return evaluate(expr, {}, ctx);
    case 'binary': {
      const l = aggregate(expr.left, group, ctx);
      const r = aggregate(expr.right, group, ctx);
      return evaluate({ ...expr, left: literalOf(l), right: literalOf(r) }, {}, ctx);
    }
    case 'unary':
      return evaluate({ ...expr, operand: literalOf(aggregate(expr.operand, group, ctx)) }, {}, ctx);
    default:
      throw semantic(
        'A summarize aggregation must be an aggregation function (e.g. count(), max(x)) or an expression over them',
      );
  }
}

/** `95` -> "95", `99.9` -> "99_9": how Kusto names a percentile column. */
function percentileSuffix(arg: Expr | undefined): string {
  return arg?.type === 'literal' ? String(arg.value).replace('.', '_') : '';
}

function literalOf(value: Value): Expr {
  if (value instanceof Timespan) return { type: 'literal', value: value.ms, kind: 'timespan' };
  return { type: 'literal', value, kind: 'string' };
}

// ---------------------------------------------------------------- operators

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

function summarize(op: Extract<Operator, { op: 'summarize' }>, frame: Frame, ctx: Context): Frame {
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

function applyOperator(op: Operator, frame: Frame, ctx: Context): Frame {
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

// ---------------------------------------------------------------- source tables

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
