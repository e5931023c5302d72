// Lexer and parser for the KQL subset the local Log Analytics endpoint understands. It parses what it supports and
// throws KqlError (SyntaxError / UnsupportedByLocalStandIn) for everything else, naming the construct and where it
// is, so a query outside the subset fails loudly instead of returning something silently different from Azure.
import { KqlError, TIMESPAN_UNITS, lineCol, tokenize, type Token } from './kqlLexer.js';

export { KqlError, type KqlErrorKind } from './kqlLexer.js';

// ---------------------------------------------------------------- AST

export type Expr =
  | { type: 'literal'; value: unknown; kind: 'string' | 'number' | 'bool' | 'timespan' | 'datetime' | 'null' }
  | { type: 'column'; name: string; pos: number }
  | { type: 'member'; target: Expr; key: Expr }
  | { type: 'call'; name: string; args: Expr[]; star?: boolean; pos: number }
  | { type: 'unary'; op: '-'; operand: Expr }
  | { type: 'binary'; op: string; left: Expr; right: Expr; pos: number }
  | { type: 'in'; negate: boolean; caseInsensitive: boolean; target: Expr; list: Expr[] }
  | { type: 'between'; negate: boolean; target: Expr; low: Expr; high: Expr };

export interface NamedExpr {
  name?: string;
  expr: Expr;
}
export interface SortKey {
  expr: Expr;
  desc: boolean;
  nullsFirst?: boolean;
}

export type Operator =
  | { op: 'where'; predicate: Expr }
  | { op: 'project'; items: NamedExpr[] }
  | { op: 'project-away'; columns: string[] }
  | { op: 'project-rename'; renames: Array<{ to: string; from: string }> }
  | { op: 'extend'; items: NamedExpr[] }
  | { op: 'summarize'; aggregates: NamedExpr[]; by: NamedExpr[] }
  | { op: 'sort'; keys: SortKey[] }
  | { op: 'take'; count: number }
  | { op: 'top'; count: number; key: SortKey }
  | { op: 'count' }
  | { op: 'distinct'; columns: string[] | '*' };

export interface KqlQuery {
  table: string;
  operators: Operator[];
}

// ---------------------------------------------------------------- parser

const SUPPORTED_OPERATORS =
  'where, project, project-away, project-rename, extend, summarize, order by, sort by, take, limit, top, count, distinct';
const COMPARISON_WORDS = [
  'has',
  '!has',
  'has_cs',
  '!has_cs',
  'contains',
  '!contains',
  'contains_cs',
  '!contains_cs',
  'startswith',
  '!startswith',
  'startswith_cs',
  '!startswith_cs',
  'endswith',
  '!endswith',
  'endswith_cs',
  '!endswith_cs',
];

class Parser {
  private i = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === text;
  }
  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text === text;
  }
  private fail(message: string, token = this.peek()): never {
    throw new KqlError('SyntaxError', `${message} at ${lineCol(this.source, token.pos)} (near '${token.text}')`);
  }
  private unsupported(what: string, token = this.peek()): never {
    throw new KqlError(
      'UnsupportedByLocalStandIn',
      `${what} (at ${lineCol(this.source, token.pos)}) is outside the KQL subset of the local Log Analytics stand-in. Supported operators: ${SUPPORTED_OPERATORS}.`,
    );
  }
  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`Expected '${text}'`);
    return this.next();
  }
  private expectWord(text: string): Token {
    if (!this.isWord(text)) this.fail(`Expected '${text}'`);
    return this.next();
  }
  private ident(what: string): string {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(`Expected ${what}`);
    this.next();
    return t.text;
  }
  private integer(what: string): number {
    const t = this.next();
    if (t.kind !== 'number' || !Number.isInteger(t.value)) this.fail(`Expected an integer ${what}`, t);
    return t.value as number;
  }

  parseQuery(): KqlQuery {
    if (this.isWord('let')) this.unsupported("'let' statements");
    const first = this.peek();
    if (first.kind !== 'ident') this.fail('Expected a table name');
    if (
      ['union', 'datatable', 'print', 'range', 'search', 'find', 'externaldata', 'materialize', 'evaluate'].includes(
        first.text,
      )
    ) {
      this.unsupported(`'${first.text}'`);
    }
    this.next();
    const operators: Operator[] = [];
    while (this.isOp('|')) {
      this.next();
      operators.push(this.parseOperator());
    }
    if (this.isOp(';')) this.next();
    if (this.peek().kind !== 'eof') {
      if (this.isOp(';')) this.unsupported('Multiple statements');
      this.fail("Expected '|' or the end of the query");
    }
    return { table: first.text, operators };
  }

  private parseOperator(): Operator {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail('Expected a query operator');
    this.next();
    switch (t.text) {
      case 'where':
      case 'filter':
        return { op: 'where', predicate: this.parseExpr() };
      case 'project':
        return { op: 'project', items: this.parseNamedList() };
      case 'project-away':
        return { op: 'project-away', columns: this.parseIdentList() };
      case 'project-rename': {
        const renames: Array<{ to: string; from: string }> = [];
        do {
          const to = this.ident('a new column name');
          this.expectOp('=');
          renames.push({ to, from: this.ident('a column name') });
        } while (this.isOp(',') && this.next());
        return { op: 'project-rename', renames };
      }
      case 'extend':
        return { op: 'extend', items: this.parseNamedList() };
      case 'summarize':
        return this.parseSummarize();
      case 'order':
      case 'sort': {
        this.expectWord('by');
        return { op: 'sort', keys: this.parseCommaList(() => this.parseSortKey()) };
      }
      case 'take':
      case 'limit':
        return { op: 'take', count: this.integer('row count') };
      case 'top': {
        const count = this.integer('row count');
        this.expectWord('by');
        return { op: 'top', count, key: this.parseSortKey() };
      }
      case 'count':
        return { op: 'count' };
      case 'distinct': {
        if (this.isOp('*')) {
          this.next();
          return { op: 'distinct', columns: '*' };
        }
        return { op: 'distinct', columns: this.parseIdentList() };
      }
      default:
        return this.unsupported(`Operator '${t.text}'`, t);
    }
  }

  /** `item (, item)*`: one or more items separated by commas. */
  private parseCommaList<T>(item: () => T): T[] {
    const items = [item()];
    while (this.isOp(',')) {
      this.next();
      items.push(item());
    }
    return items;
  }

  private parseIdentList(): string[] {
    return this.parseCommaList(() => this.ident('a column name'));
  }

  private parseNamedList(): NamedExpr[] {
    return this.parseCommaList(() => this.parseNamed());
  }

  private parseNamed(): NamedExpr {
    if (this.peek().kind === 'ident' && this.isOp('=', 1)) {
      const name = this.next().text;
      this.next();
      return { name, expr: this.parseExpr() };
    }
    return { expr: this.parseExpr() };
  }

  private parseSummarize(): Operator {
    const aggregates: NamedExpr[] = this.isWord('by') ? [] : this.parseNamedList();
    const by: NamedExpr[] = [];
    if (this.isWord('by')) {
      this.next();
      by.push(...this.parseNamedList());
    }
    if (aggregates.length === 0 && by.length === 0) this.fail('summarize needs an aggregation or a by clause');
    return { op: 'summarize', aggregates, by };
  }

  private parseSortKey(): SortKey {
    const expr = this.parseExpr();
    let desc = true;
    if (this.isWord('asc')) {
      this.next();
      desc = false;
    } else if (this.isWord('desc')) {
      this.next();
    }
    let nullsFirst: boolean | undefined;
    if (this.isWord('nulls')) {
      this.next();
      if (this.isWord('first')) nullsFirst = true;
      else if (this.isWord('last')) nullsFirst = false;
      else this.fail("Expected 'first' or 'last'");
      this.next();
    }
    return { expr, desc, ...(nullsFirst !== undefined ? { nullsFirst } : {}) };
  }

  // expressions, lowest precedence first
  parseExpr(): Expr {
    return this.parseOr();
  }
  /** One left-associative precedence level, `operand (operator operand)*`: the operators are tokens of `kind`. */
  private parseBinaryLevel(kind: 'ident' | 'op', operators: string[], operand: () => Expr): Expr {
    let left = operand();
    for (let t = this.peek(); t.kind === kind && operators.includes(t.text); t = this.peek()) {
      this.next();
      left = { type: 'binary', op: t.text, left, right: operand(), pos: t.pos };
    }
    return left;
  }
  private parseOr(): Expr {
    return this.parseBinaryLevel('ident', ['or'], () => this.parseAnd());
  }
  private parseAnd(): Expr {
    return this.parseBinaryLevel('ident', ['and'], () => this.parseComparison());
  }
  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const t = this.peek();
    if (t.kind === 'op' && ['==', '!=', '<>', '<', '<=', '>', '>=', '=~', '!~'].includes(t.text)) {
      this.next();
      return { type: 'binary', op: t.text === '<>' ? '!=' : t.text, left, right: this.parseAdditive(), pos: t.pos };
    }
    if (t.kind === 'ident' && COMPARISON_WORDS.includes(t.text)) {
      this.next();
      return { type: 'binary', op: t.text, left, right: this.parseAdditive(), pos: t.pos };
    }
    if (t.kind === 'ident' && ['in', '!in', 'in~', '!in~'].includes(t.text)) {
      this.next();
      this.expectOp('(');
      const list: Expr[] = this.isOp(')') ? [] : this.parseCommaList(() => this.parseExpr());
      this.expectOp(')');
      return { type: 'in', negate: t.text.startsWith('!'), caseInsensitive: t.text.endsWith('~'), target: left, list };
    }
    if (t.kind === 'ident' && (t.text === 'between' || t.text === '!between')) {
      this.next();
      this.expectOp('(');
      const low = this.parseAdditive();
      this.expectOp('..');
      const high = this.parseAdditive();
      this.expectOp(')');
      return { type: 'between', negate: t.text === '!between', target: left, low, high };
    }
    if (
      t.kind === 'ident' &&
      [
        'matches',
        'has_any',
        'has_all',
        'hasprefix',
        'hassuffix',
        '!hasprefix',
        '!hassuffix',
        'has_any_cs',
        'in_cs',
      ].includes(t.text)
    ) {
      this.unsupported(`The '${t.text}' operator`, t);
    }
    return left;
  }
  private parseAdditive(): Expr {
    return this.parseBinaryLevel('op', ['+', '-'], () => this.parseMultiplicative());
  }
  private parseMultiplicative(): Expr {
    return this.parseBinaryLevel('op', ['*', '/', '%'], () => this.parseUnary());
  }
  private parseUnary(): Expr {
    if (this.isOp('-')) {
      this.next();
      return { type: 'unary', op: '-', operand: this.parseUnary() };
    }
    return this.parsePostfix();
  }
  private parsePostfix(): Expr {
    let expr = this.parsePrimary();
    for (;;) {
      if (this.isOp('.') && this.peek(1).kind === 'ident') {
        this.next();
        const key = this.next().text;
        expr = { type: 'member', target: expr, key: { type: 'literal', value: key, kind: 'string' } };
      } else if (this.isOp('[')) {
        this.next();
        const key = this.parseExpr();
        this.expectOp(']');
        expr = { type: 'member', target: expr, key };
      } else {
        return expr;
      }
    }
  }
  private parsePrimary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        return { type: 'literal', value: t.value, kind: 'string' };
      case 'number':
        this.next();
        return { type: 'literal', value: t.value, kind: 'number' };
      case 'timespan': {
        this.next();
        if (typeof t.value === 'number') return { type: 'literal', value: t.value, kind: 'timespan' };
        return { type: 'literal', value: parseTimespanText(String(t.value), this.source, t), kind: 'timespan' };
      }
      case 'datetime': {
        this.next();
        const date = new Date(String(t.value));
        if (Number.isNaN(date.getTime())) this.fail(`Invalid datetime literal`, t);
        return { type: 'literal', value: date, kind: 'datetime' };
      }
      case 'ident': {
        this.next();
        if (t.text === 'true' || t.text === 'false') return { type: 'literal', value: t.text === 'true', kind: 'bool' };
        if (this.isOp('(')) {
          this.next();
          const args: Expr[] = [];
          let star = false;
          if (this.isOp('*') && (this.isOp(')', 1) || this.isOp(',', 1))) {
            // count(*) is not KQL, but arg_max(x, *) is: the star is only allowed after the first argument.
            this.fail("Unexpected '*'");
          }
          if (!this.isOp(')')) {
            args.push(this.parseExpr());
            while (this.isOp(',')) {
              this.next();
              if (this.isOp('*')) {
                this.next();
                star = true;
              } else {
                args.push(this.parseExpr());
              }
            }
          }
          this.expectOp(')');
          return { type: 'call', name: t.text, args, pos: t.pos, ...(star ? { star } : {}) };
        }
        if (t.text.startsWith('!')) this.fail(`Unexpected '${t.text}'`, t);
        return { type: 'column', name: t.text, pos: t.pos };
      }
      case 'op':
        if (t.text === '(') {
          this.next();
          const inner = this.parseExpr();
          this.expectOp(')');
          return inner;
        }
        if (t.text === '[') this.unsupported('Bracketed column names', t);
        return this.fail('Expected an expression', t);
      default:
        return this.fail('Expected an expression', t);
    }
  }
}

/** timespan(1.02:03:04.5) / timespan(02:00:00) / timespan(5m) literal text to milliseconds. */
function parseTimespanText(text: string, source: string, token: Token): number {
  const unit = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(text);
  if (unit) {
    const factor = TIMESPAN_UNITS[(unit[2] ?? '').toLowerCase()];
    if (factor !== undefined) return Number(unit[1]) * factor;
  }
  const clock = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/.exec(text);
  if (clock) {
    return (
      ((Number(clock[1] ?? 0) * 24 + Number(clock[2])) * 60 + Number(clock[3])) * 60000 + Number(clock[4] ?? 0) * 1000
    );
  }
  throw new KqlError('SyntaxError', `Invalid timespan literal '${text}' at ${lineCol(source, token.pos)}`);
}

export function parseKql(source: string): KqlQuery {
  return new Parser(source, tokenize(source)).parseQuery();
}
