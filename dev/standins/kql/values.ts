// Values of the KQL stand-in: the table shapes it answers with, Timespan, and Kusto's comparison, string-operator
// and arithmetic semantics (case-insensitive has/contains with _cs variants, term matching for `has`, integer
// division for longs, datetime/timespan arithmetic).
import { KqlError } from './kqlParser.js';

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

export type Value = unknown;
export type Row = Record<string, Value>;
export interface Col {
  name: string;
  type?: string;
}
export interface Frame {
  columns: Col[];
  rows: Row[];
}
export interface Context {
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

export const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isDynamic(v: Value): v is Record<string, unknown> | unknown[] {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof Timespan);
}

export function typeOfValue(v: Value): string | undefined {
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

export function toStringValue(v: Value): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Timespan) return formatTimespan(v.ms);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? '';
}

export function serialize(v: Value): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Timespan) return formatTimespan(v.ms);
  if (isDynamic(v)) return JSON.stringify(v);
  return v;
}

export function toDate(v: Value): Date | null {
  if (v instanceof Date) return v;
  if (typeof v === 'string' && v !== '') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (typeof v === 'number') return new Date(v);
  return null;
}

export function toNumber(v: Value): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

export function semantic(message: string): KqlError {
  return new KqlError('SemanticError', message);
}

/** Ordering of two values of compatible types; throws when Kusto would refuse to compare them. */
export function compare(a: Value, b: Value): number | null {
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

export function equals(a: Value, b: Value, caseInsensitive = false): boolean | null {
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

export function stringOp(op: string, left: Value, right: Value): boolean {
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

export function arithmetic(op: string, a: Value, b: Value, integerDivision: boolean): Value {
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
