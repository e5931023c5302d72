// The scalar functions and aggregations of the KQL stand-in, with their arity and result types (Kusto's naming of
// summarize output columns: count_, max_X, avg_X, ...).
import {
  type Context,
  Timespan,
  type Value,
  semantic,
  toDate,
  toNumber,
  toStringValue,
  typeOfValue,
} from './values.js';

interface ScalarFunction {
  min: number;
  max: number;
  returns?: (argTypes: Array<string | undefined>) => string | undefined;
  fn: (args: Value[], ctx: Context) => Value;
}

export const fixed = (t: string) => (): string => t;
const firstArgType = (types: Array<string | undefined>): string | undefined => types[0];

function binValue(v: Value, size: Value): Value {
  if (v === null || v === undefined || size === null || size === undefined) return null;
  if (v instanceof Date && size instanceof Timespan) return new Date(Math.floor(v.getTime() / size.ms) * size.ms);
  if (v instanceof Timespan && size instanceof Timespan) return new Timespan(Math.floor(v.ms / size.ms) * size.ms);
  if (typeof v === 'number' && typeof size === 'number') return Math.floor(v / size) * size;
  throw semantic(`bin() cannot round ${typeOfValue(v)} by ${typeOfValue(size)}`);
}

/** A function of one argument whose result is always of type `type` (most conversions and string functions). */
function unary(type: string, fn: (v: Value, ctx: Context) => Value): ScalarFunction {
  return { min: 1, max: 1, returns: fixed(type), fn: ([v], ctx) => fn(v, ctx) };
}

/** toint() / tolong(): the number truncated toward zero, null when the value is not a number. */
function truncate(v: Value): Value {
  const n = toNumber(v);
  return n === null ? null : Math.trunc(n);
}

/** tobool(): booleans as they are, 'true'/'1' and 'false'/'0' in any case, numbers by non-zero; otherwise null. */
function toBool(v: Value): Value {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v !== 'string') return null;
  const text = v.toLowerCase();
  return ['true', '1'].includes(text) ? true : ['false', '0'].includes(text) ? false : null;
}

const isNull = (v: Value): boolean => v === null || v === undefined;
const isEmpty = (v: Value): boolean => isNull(v) || v === '';

export const SCALAR_FUNCTIONS: Record<string, ScalarFunction> = {
  ago: unary('datetime', (span, ctx) => {
    if (!(span instanceof Timespan)) throw semantic('ago() expects a timespan, e.g. ago(1h)');
    return new Date(ctx.now.getTime() - span.ms);
  }),
  now: {
    min: 0,
    max: 1,
    returns: fixed('datetime'),
    fn: ([offset], ctx) => new Date(ctx.now.getTime() + (offset instanceof Timespan ? offset.ms : 0)),
  },
  datetime: unary('datetime', toDate),
  todatetime: unary('datetime', toDate),
  totimespan: unary('timespan', (v) =>
    v instanceof Timespan ? v : typeof v === 'number' ? new Timespan(v / 10000) : null,
  ),
  tostring: unary('string', toStringValue),
  toint: unary('int', truncate),
  tolong: unary('long', truncate),
  todouble: unary('real', toNumber),
  toreal: unary('real', toNumber),
  tobool: unary('bool', toBool),
  tolower: unary('string', (v) => toStringValue(v).toLowerCase()),
  toupper: unary('string', (v) => toStringValue(v).toUpperCase()),
  strlen: unary('long', (v) => toStringValue(v).length),
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
  isnull: unary('bool', isNull),
  isnotnull: unary('bool', (v) => !isNull(v)),
  isempty: unary('bool', isEmpty),
  isnotempty: unary('bool', (v) => !isEmpty(v)),
  not: unary('bool', (v) => (typeof v === 'boolean' ? !v : null)),
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
  startofday: unary('datetime', (v) => binValue(toDate(v), new Timespan(86400000))),
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
  array_length: unary('long', (v) => (Array.isArray(v) ? v.length : null)),
  parse_json: unary('dynamic', parseJsonValue),
  todynamic: unary('dynamic', parseJsonValue),
};

export function parseJsonValue(v: Value): Value {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as Value;
  } catch {
    return v;
  }
}

/** Aggregations and how summarize names their result column (Kusto's naming). */
export const AGGREGATES: Record<string, { min: number; max: number; prefix: string; returns?: string }> = {
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
export function nearestRank(values: number[], p: number): number | null {
  if (values.length === 0 || !(p >= 0 && p <= 100)) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
