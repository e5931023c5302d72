// Evaluation of KQL expressions over one row (scalars) or a group of rows (aggregations).
import { type Expr } from './kqlParser.js';
import {
  type Context,
  type Row,
  Timespan,
  type Value,
  arithmetic,
  compare,
  equals,
  isDynamic,
  semantic,
  stringOp,
  toNumber,
  toStringValue,
  typeOfValue,
} from './values.js';
import { AGGREGATES, SCALAR_FUNCTIONS, nearestRank, parseJsonValue } from './functions.js';

export function evaluate(expr: Expr, row: Row, ctx: Context): Value {
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

export function aggregate(expr: Expr, group: Row[], ctx: Context): Value {
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

function literalOf(value: Value): Expr {
  if (value instanceof Timespan) return { type: 'literal', value: value.ms, kind: 'timespan' };
  return { type: 'literal', value, kind: 'string' };
}
