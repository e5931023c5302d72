// A small, honest PromQL subset for the local Prometheus query stand-in: exactly what aks-aiops's Prometheus reader
// sends (shared/metrics/prometheusReader.ts), evaluated the way Prometheus does, and a `bad_data` error for anything
// else, so nothing outside the subset is ever answered wrongly.
//
// Supported (Prometheus docs, "Querying basics", "Operators", "Functions"):
//   selectors     name{l="v", l!="v", l=~"re", l!~"re"}   (regexes fully anchored, as Prometheus anchors them)
//   range         selector[5m]   only as the argument of rate() / increase()
//   functions     rate(v[d]), increase(v[d]), histogram_quantile(φ, v)
//   aggregation   sum | avg | min | max | count, optionally `by (labels)` before or after the parenthesis
//   arithmetic    + - * /  between scalars, a vector and a scalar, or two vectors (one-to-one on identical labels)
// Deviations, on purpose: rate() is the counter increase between the first and last sample inside the range divided
// by their distance (Prometheus also extrapolates to the range edges; with the stand-in's evenly spaced samples the
// two agree within a sample), and the instant-vector lookback is Prometheus's default 5 minutes.

export class PromQlError extends Error {
  constructor(
    message: string,
    readonly errorType: 'bad_data' | 'execution' = 'bad_data',
  ) {
    super(message);
    this.name = 'PromQlError';
  }
}

export type Labels = Record<string, string>;

export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

export type PromExpr =
  | { kind: 'number'; value: number }
  | { kind: 'selector'; metric?: string; matchers: Matcher[]; rangeMs?: number }
  | { kind: 'call'; fn: 'rate' | 'increase'; arg: PromExpr }
  | { kind: 'quantile'; phi: PromExpr; arg: PromExpr }
  | { kind: 'aggregate'; op: AggregateOp; by: string[]; arg: PromExpr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/'; left: PromExpr; right: PromExpr };

type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count';
const AGGREGATES = new Set<string>(['sum', 'avg', 'min', 'max', 'count']);

// ------------------------------------------------------------------------------------------------------- lexer

type Token = { t: 'ident' | 'num' | 'str' | 'dur' | 'op' | 'end'; v: string; pos: number };

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDurationMs(text: string): number | undefined {
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (m[2] === 'y' ? 365 * 86_400_000 : (DURATION_MS[m[2] ?? ''] ?? 0));
    at = re.lastIndex;
  }
  return at === text.length && at > 0 ? total : undefined;
}

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const two = rest.slice(0, 2);
    if (['=~', '!~', '!=', '=='].includes(two)) {
      out.push({ t: 'op', v: two, pos: i });
      i += 2;
      continue;
    }
    if ('(){}[],=+-*/<>^%'.includes(c)) {
      out.push({ t: 'op', v: c, pos: i });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1] ?? '';
          value += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else value += src[j++];
      }
      if (j >= src.length) throw parseError(i, 'unterminated quoted string');
      out.push({ t: 'str', v: value, pos: i });
      i = j + 1;
      continue;
    }
    const dur = /^\d+(?:ms|s|m|h|d|w|y)(?:\d+(?:ms|s|m|h|d|w|y))*/.exec(rest);
    const prev = out[out.length - 1];
    if (dur && prev?.t === 'op' && prev.v === '[') {
      out.push({ t: 'dur', v: dur[0], pos: i });
      i += dur[0].length;
      continue;
    }
    const num = /^(?:\d+\.?\d*(?:e[+-]?\d+)?|\.\d+(?:e[+-]?\d+)?)/i.exec(rest);
    if (num && /[\d.]/.test(c)) {
      out.push({ t: 'num', v: num[0], pos: i });
      i += num[0].length;
      continue;
    }
    const ident = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest);
    if (ident) {
      out.push({ t: 'ident', v: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    throw parseError(i, `unexpected character: '${c}'`);
  }
  out.push({ t: 'end', v: '', pos: src.length });
  return out;
}

function parseError(pos: number, what: string): PromQlError {
  // Prometheus reports "<line>:<col>: parse error: ..."; queries here are one line.
  return new PromQlError(`1:${pos + 1}: parse error: ${what}`);
}

// ------------------------------------------------------------------------------------------------------ parser

/** A position in the token list, shared by the parsing functions. */
interface Cursor {
  peek: () => Token;
  next: () => Token;
  back: () => void;
  expect: (v: string) => void;
}

const describe = (t: Token) => (t.t === 'end' ? 'end of input' : `"${t.v}"`);

function cursorOver(tokens: Token[]): Cursor {
  let k = 0;
  const c: Cursor = {
    peek: () => tokens[k]!,
    next: () => tokens[k++]!,
    back: () => {
      k--;
    },
    expect: (v) => {
      const t = c.next();
      if (t.v !== v || t.t === 'str') throw parseError(t.pos, `unexpected ${describe(t)}, expected "${v}"`);
    },
  };
  return c;
}

function parseLabelList(c: Cursor): string[] {
  c.expect('(');
  const names: string[] = [];
  while (c.peek().v !== ')') {
    const t = c.next();
    if (t.t !== 'ident') throw parseError(t.pos, `unexpected ${describe(t)} in grouping opts, expected label`);
    names.push(t.v);
    if (c.peek().v === ',') c.next();
    else break;
  }
  c.expect(')');
  return names;
}

function parseSelector(c: Cursor, metric?: string): PromExpr {
  const matchers: Matcher[] = [];
  if (c.peek().v === '{') {
    c.next();
    while (c.peek().v !== '}') {
      const name = c.next();
      if (name.t !== 'ident') throw parseError(name.pos, `unexpected ${describe(name)} in label matching`);
      const op = c.next();
      if (!['=', '!=', '=~', '!~'].includes(op.v) || op.t !== 'op')
        throw parseError(op.pos, `unexpected ${describe(op)} in label matching, expected label matching operator`);
      const value = c.next();
      if (value.t !== 'str') throw parseError(value.pos, `unexpected ${describe(value)}, expected string`);
      if (op.v === '=~' || op.v === '!~') compileRegex(value.v, value.pos);
      matchers.push({ name: name.v, op: op.v as Matcher['op'], value: value.v });
      if (c.peek().v === ',') c.next();
      else break;
    }
    c.expect('}');
  }
  if (!metric && !matchers.some((m) => !matchesEmpty(m)))
    throw parseError(c.peek().pos, 'vector selector must contain at least one non-empty matcher');
  let rangeMs: number | undefined;
  if (c.peek().v === '[') {
    c.next();
    const d = c.next();
    const ms = d.t === 'dur' ? parseDurationMs(d.v) : undefined;
    if (ms === undefined || ms <= 0) throw parseError(d.pos, `bad duration ${describe(d)}`);
    if (c.peek().v === ':') throw parseError(c.peek().pos, 'subqueries are not in the local PromQL subset');
    c.expect(']');
    rangeMs = ms;
  }
  return { kind: 'selector', metric, matchers, ...(rangeMs ? { rangeMs } : {}) };
}

/** Parses one expression of the subset; throws PromQlError (bad_data) for anything outside it. */
export function parsePromQl(src: string): PromExpr {
  const c = cursorOver(lex(src));
  const { peek, next, expect } = c;
  const labelList = () => parseLabelList(c);
  const selector = (metric?: string) => parseSelector(c, metric);

  const primary = (): PromExpr => {
    const t = next();
    if (t.t === 'num') return { kind: 'number', value: Number(t.v) };
    if (t.t === 'ident' && /^(inf|nan)$/i.test(t.v))
      return { kind: 'number', value: t.v.toLowerCase() === 'inf' ? Infinity : NaN };
    if (t.v === '(' && t.t === 'op') {
      const e = expr(0);
      expect(')');
      return e;
    }
    if (t.v === '{' && t.t === 'op') {
      c.back();
      return selector();
    }
    if (t.v === '-' && t.t === 'op')
      return { kind: 'binary', op: '*', left: { kind: 'number', value: -1 }, right: primary() };
    if (t.t !== 'ident') throw parseError(t.pos, `unexpected ${describe(t)}`);
    if (AGGREGATES.has(t.v)) {
      let by: string[] = [];
      if (peek().v === 'by') {
        next();
        by = labelList();
      } else if (peek().v === 'without') throw parseError(peek().pos, '"without" is not in the local PromQL subset');
      expect('(');
      const arg = expr(0);
      if (peek().v === ',') throw parseError(peek().pos, `${t.v}() takes one argument in the local PromQL subset`);
      expect(')');
      if (peek().v === 'by') {
        next();
        by = labelList();
      } else if (peek().v === 'without') throw parseError(peek().pos, '"without" is not in the local PromQL subset');
      return { kind: 'aggregate', op: t.v as AggregateOp, by, arg: requireInstant(arg, t.pos) };
    }
    if (peek().v === '(') {
      next();
      if (t.v === 'rate' || t.v === 'increase') {
        const arg = expr(0);
        expect(')');
        if (arg.kind !== 'selector' || !arg.rangeMs)
          throw parseError(t.pos, `expected type range vector in call to function "${t.v}"`);
        return { kind: 'call', fn: t.v, arg };
      }
      if (t.v === 'histogram_quantile') {
        const phi = expr(0);
        expect(',');
        const arg = expr(0);
        expect(')');
        return { kind: 'quantile', phi, arg: requireInstant(arg, t.pos) };
      }
      throw parseError(t.pos, `function "${t.v}" is not in the local PromQL subset`);
    }
    if (
      [
        'by',
        'without',
        'offset',
        'bool',
        'on',
        'ignoring',
        'group_left',
        'group_right',
        'and',
        'or',
        'unless',
      ].includes(t.v)
    )
      throw parseError(t.pos, `"${t.v}" is not in the local PromQL subset`);
    return selector(t.v);
  };

  const requireInstant = (e: PromExpr, pos: number): PromExpr => {
    if (e.kind === 'selector' && e.rangeMs) throw parseError(pos, 'expected type instant vector, got range vector');
    return e;
  };

  const PRECEDENCE: Record<string, number> = { '+': 1, '-': 1, '*': 2, '/': 2 };
  const expr = (minPrec: number): PromExpr => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (t.t === 'op' && ['==', '!=', '<', '>', '^', '%'].includes(t.v))
        throw parseError(t.pos, `operator "${t.v}" is not in the local PromQL subset`);
      if (t.t === 'ident' && ['and', 'or', 'unless'].includes(t.v))
        throw parseError(t.pos, `operator "${t.v}" is not in the local PromQL subset`);
      const prec = t.t === 'op' ? PRECEDENCE[t.v] : undefined;
      if (prec === undefined || prec < minPrec) break;
      next();
      if (['on', 'ignoring', 'bool'].includes(peek().v))
        throw parseError(peek().pos, `"${peek().v}" is not in the local PromQL subset`);
      const right = expr(prec + 1);
      left = {
        kind: 'binary',
        op: t.v as '+' | '-' | '*' | '/',
        left: requireInstant(left, t.pos),
        right: requireInstant(right, t.pos),
      };
    }
    return left;
  };

  const result = expr(0);
  if (peek().t !== 'end') throw parseError(peek().pos, `unexpected ${describe(peek())}`);
  return result;
}

const regexCache = new Map<string, RegExp>();
function compileRegex(source: string, pos = 0): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    try {
      // Prometheus anchors label regexes at both ends (RE2 syntax; the subset of it JavaScript shares).
      re = new RegExp(`^(?:${source})$`, 's');
    } catch {
      throw parseError(pos, `invalid regular expression "${source}"`);
    }
    regexCache.set(source, re);
  }
  return re;
}

const matchesEmpty = (m: Matcher) => matcherMatches(m, '');

export function matcherMatches(m: Matcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return compileRegex(m.value).test(value);
    case '!~':
      return !compileRegex(m.value).test(value);
  }
}

// --------------------------------------------------------------------------------------------------- evaluation

/** Raw samples of one stored series, oldest first. */
export interface RawSeries {
  labels: Labels;
  samples: Array<[number, number]>;
}

/** Where the evaluator gets samples: every series matching `matchers` with its samples in [fromMs, toMs]. */
export type SeriesStore = (
  metric: string | undefined,
  matchers: Matcher[],
  fromMs: number,
  toMs: number,
) => RawSeries[];

export const LOOKBACK_MS = 5 * 60_000;

type Vector = Array<{ labels: Labels; value: number }>;
type Value = { kind: 'scalar'; value: number } | { kind: 'vector'; samples: Vector };

const keyOf = (labels: Labels) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
const withoutName = (labels: Labels): Labels => {
  const { __name__: _name, ...rest } = labels;
  return rest;
};

/** Every selector in the expression with the widest time it looks back, so a range query fetches once. */
function selectors(e: PromExpr, out: Array<{ sel: Extract<PromExpr, { kind: 'selector' }> }> = []) {
  if (e.kind === 'selector') out.push({ sel: e });
  else if (e.kind === 'call' || e.kind === 'aggregate') selectors(e.arg, out);
  else if (e.kind === 'quantile') {
    selectors(e.phi, out);
    selectors(e.arg, out);
  } else if (e.kind === 'binary') {
    selectors(e.left, out);
    selectors(e.right, out);
  }
  return out;
}

/**
 * Evaluates `expr` at each of `times` (epoch ms). Returns, per time, a scalar or a vector. Series are fetched once
 * for the whole span.
 */
export function evaluateAt(expr: PromExpr, times: number[], store: SeriesStore): Value[] {
  if (times.length === 0) return [];
  const from = Math.min(...times);
  const to = Math.max(...times);
  const fetched = new Map<Extract<PromExpr, { kind: 'selector' }>, RawSeries[]>();
  for (const { sel } of selectors(expr)) {
    const back = sel.rangeMs ?? LOOKBACK_MS;
    fetched.set(sel, store(sel.metric, sel.matchers, from - back, to));
  }
  return times.map((t) => evaluate(expr, t, fetched));
}

/** Index of the first sample later than `t` (samples are oldest first). */
function firstAfter(samples: Array<[number, number]>, t: number): number {
  let lo = 0;
  let hi = samples.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]![0] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function samplesIn(series: RawSeries, fromExclusive: number, toInclusive: number): Array<[number, number]> {
  return series.samples.slice(firstAfter(series.samples, fromExclusive), firstAfter(series.samples, toInclusive));
}

function evaluate(e: PromExpr, t: number, fetched: Map<Extract<PromExpr, { kind: 'selector' }>, RawSeries[]>): Value {
  switch (e.kind) {
    case 'number':
      return { kind: 'scalar', value: e.value };
    case 'selector': {
      const samples: Vector = [];
      for (const s of fetched.get(e) ?? []) {
        const inWindow = samplesIn(s, t - LOOKBACK_MS, t);
        const last = inWindow[inWindow.length - 1];
        if (last) samples.push({ labels: s.labels, value: last[1] });
      }
      return { kind: 'vector', samples };
    }
    case 'call': {
      const sel = e.arg as Extract<PromExpr, { kind: 'selector' }>;
      const range = sel.rangeMs ?? 0;
      const samples: Vector = [];
      for (const s of fetched.get(sel) ?? []) {
        const points = samplesIn(s, t - range, t);
        if (points.length < 2) continue;
        let increase = 0;
        for (let i = 1; i < points.length; i++) {
          const prev = points[i - 1]![1];
          const cur = points[i]![1];
          // A counter that went down was reset: the new value is the increase since the reset.
          increase += cur >= prev ? cur - prev : cur;
        }
        const seconds = (points[points.length - 1]![0] - points[0]![0]) / 1000;
        const rate = increase / seconds;
        samples.push({ labels: withoutName(s.labels), value: e.fn === 'rate' ? rate : rate * (range / 1000) });
      }
      return { kind: 'vector', samples };
    }
    case 'aggregate':
      return { kind: 'vector', samples: aggregate(e.op, e.by, asVector(evaluate(e.arg, t, fetched), e.op)) };
    case 'quantile': {
      const phi = evaluate(e.phi, t, fetched);
      if (phi.kind !== 'scalar') throw new PromQlError('histogram_quantile: φ must be a scalar');
      return {
        kind: 'vector',
        samples: histogramQuantile(phi.value, asVector(evaluate(e.arg, t, fetched), 'histogram_quantile')),
      };
    }
    case 'binary':
      return binary(e.op, evaluate(e.left, t, fetched), evaluate(e.right, t, fetched));
  }
}

function asVector(v: Value, where: string): Vector {
  if (v.kind !== 'vector') throw new PromQlError(`expected instant vector in ${where}, got scalar`);
  return v.samples;
}

function aggregate(op: AggregateOp, by: string[], input: Vector): Vector {
  const groups = new Map<string, { labels: Labels; values: number[] }>();
  for (const s of input) {
    const labels: Labels = {};
    for (const l of by) if (s.labels[l] !== undefined && s.labels[l] !== '') labels[l] = s.labels[l];
    const key = keyOf(labels);
    const g = groups.get(key) ?? { labels, values: [] };
    g.values.push(s.value);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ labels, values }) => {
    const sum = values.reduce((a, b) => a + b, 0);
    const value =
      op === 'sum'
        ? sum
        : op === 'avg'
          ? sum / values.length
          : op === 'min'
            ? Math.min(...values)
            : op === 'max'
              ? Math.max(...values)
              : values.length;
    return { labels, value };
  });
}

/** Prometheus's bucketQuantile (promql/quantile.go): linear interpolation inside the bucket holding the rank. */
export function histogramQuantile(phi: number, input: Vector): Vector {
  const groups = new Map<string, { labels: Labels; buckets: Array<{ le: number; count: number }> }>();
  for (const s of input) {
    const le = s.labels.le;
    if (le === undefined) continue;
    const { le: _le, ...rest } = withoutName(s.labels);
    const key = keyOf(rest);
    const g = groups.get(key) ?? { labels: rest, buckets: [] };
    g.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: s.value });
    groups.set(key, g);
  }
  const out: Vector = [];
  for (const { labels, buckets } of groups.values()) {
    buckets.sort((a, b) => a.le - b.le);
    out.push({ labels, value: bucketQuantile(phi, buckets) });
  }
  return out;
}

function bucketQuantile(phi: number, buckets: Array<{ le: number; count: number }>): number {
  if (Number.isNaN(phi)) return NaN;
  if (phi < 0) return -Infinity;
  if (phi > 1) return Infinity;
  const last = buckets[buckets.length - 1];
  if (!last || last.le !== Infinity || buckets.length < 2) return NaN;
  const total = last.count;
  if (total === 0 || Number.isNaN(total)) return NaN;
  const rank = phi * total;
  let b = buckets.findIndex((x) => x.count >= rank);
  if (b < 0) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.le;
  if (b === 0 && buckets[0]!.le <= 0) return buckets[0]!.le;
  const start = b === 0 ? 0 : buckets[b - 1]!.le;
  const end = buckets[b]!.le;
  const before = b === 0 ? 0 : buckets[b - 1]!.count;
  const inBucket = buckets[b]!.count - before;
  return inBucket === 0 ? end : start + (end - start) * ((rank - before) / inBucket);
}

function arith(op: '+' | '-' | '*' | '/', a: number, b: number): number {
  return op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
}

function binary(op: '+' | '-' | '*' | '/', left: Value, right: Value): Value {
  if (left.kind === 'scalar' && right.kind === 'scalar')
    return { kind: 'scalar', value: arith(op, left.value, right.value) };
  if (left.kind === 'vector' && right.kind === 'scalar')
    return {
      kind: 'vector',
      samples: left.samples.map((s) => ({ labels: withoutName(s.labels), value: arith(op, s.value, right.value) })),
    };
  if (left.kind === 'scalar' && right.kind === 'vector')
    return {
      kind: 'vector',
      samples: right.samples.map((s) => ({ labels: withoutName(s.labels), value: arith(op, left.value, s.value) })),
    };
  // One-to-one vector matching on all labels but the metric name (Prometheus "Vector matching").
  const l = left as Extract<Value, { kind: 'vector' }>;
  const r = right as Extract<Value, { kind: 'vector' }>;
  const rightByKey = new Map<string, number>();
  for (const s of r.samples) {
    const key = keyOf(withoutName(s.labels));
    if (rightByKey.has(key))
      throw new PromQlError(
        'found duplicate series for the match group on the right hand-side of the operation',
        'execution',
      );
    rightByKey.set(key, s.value);
  }
  const samples: Vector = [];
  for (const s of l.samples) {
    const labels = withoutName(s.labels);
    const other = rightByKey.get(keyOf(labels));
    if (other !== undefined) samples.push({ labels, value: arith(op, s.value, other) });
  }
  return { kind: 'vector', samples };
}

/** Prometheus prints sample values with Go's strconv.FormatFloat(v, 'f', -1, 64): "+Inf", "-Inf", "NaN". */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
