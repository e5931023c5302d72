// Static checking of KQL expressions against a frame's columns: names and function arities are checked before any
// row is read, so a typo fails even on an empty table, with Kusto's error texts.
import { KqlError, type Expr } from './kqlParser.js';
import { type Col, semantic } from './values.js';
import { AGGREGATES, SCALAR_FUNCTIONS } from './functions.js';

function typeFamily(type: string): string {
  if (type === 'int' || type === 'long' || type === 'real') return 'number';
  // A string literal compared with a datetime is parsed as a datetime.
  if (type === 'string' || type === 'datetime') return 'text-or-time';
  return type;
}

export function exprName(expr: Expr): string | undefined {
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
export function check(expr: Expr, columns: Col[], aggregates: boolean): string | undefined {
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
