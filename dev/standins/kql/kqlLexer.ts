// Lexer of the KQL subset the local Log Analytics endpoint understands (see kqlParser.ts), and the one error type of
// the stand-in. Token rules follow the Kusto query language reference (identifiers, string literals with escapes,
// timespan and datetime literals, multi-character operators).

export type KqlErrorKind = 'SyntaxError' | 'SemanticError' | 'UnsupportedByLocalStandIn';

export class KqlError extends Error {
  constructor(
    readonly kind: KqlErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'KqlError';
  }
}

// ---------------------------------------------------------------- lexer

type TokenKind = 'ident' | 'string' | 'number' | 'timespan' | 'datetime' | 'op' | 'eof';
export interface Token {
  kind: TokenKind;
  text: string;
  value?: string | number;
  pos: number;
}

export const TIMESPAN_UNITS: Record<string, number> = {
  d: 86400000,
  day: 86400000,
  days: 86400000,
  h: 3600000,
  hr: 3600000,
  hrs: 3600000,
  hour: 3600000,
  hours: 3600000,
  m: 60000,
  min: 60000,
  minute: 60000,
  minutes: 60000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
};

/** Hyphenated operator keywords, lexed as one identifier. */
const HYPHENATED = [
  'project-away',
  'project-rename',
  'project-keep',
  'project-reorder',
  'mv-expand',
  'mv-apply',
  'make-series',
  'parse-where',
  'top-nested',
  'top-hitters',
];
const OPERATORS = [
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '=~',
  '!~',
  '..',
  '|',
  '(',
  ')',
  '[',
  ']',
  ',',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '.',
  ';',
  '{',
  '}',
  ':',
  '!',
];

export function lineCol(source: string, pos: number): string {
  const before = source.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `line ${line}, position ${col}`;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_$]/.test(c);
  const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_$]/.test(c);
  while (i < source.length) {
    const c = source[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const start = i;
    // Strings: "…" / '…' with backslash escapes, @"…" / @'…' verbatim.
    if (c === '"' || c === "'" || (c === '@' && (source[i + 1] === '"' || source[i + 1] === "'"))) {
      const verbatim = c === '@';
      if (verbatim) i++;
      const quote = source[i];
      i++;
      let value = '';
      while (i < source.length && source[i] !== quote) {
        if (!verbatim && source[i] === '\\') {
          const next = source[i + 1] ?? '';
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next;
          i += 2;
        } else {
          value += source[i];
          i++;
        }
      }
      if (i >= source.length)
        throw new KqlError('SyntaxError', `Unterminated string literal at ${lineCol(source, start)}`);
      i++;
      tokens.push({ kind: 'string', text: source.slice(start, i), value, pos: start });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      while (/[0-9]/.test(source[i] ?? '')) i++;
      if (source[i] === '.' && /[0-9]/.test(source[i + 1] ?? '')) {
        i++;
        while (/[0-9]/.test(source[i] ?? '')) i++;
      }
      if (/[eE]/.test(source[i] ?? '') && /[-+0-9]/.test(source[i + 1] ?? '')) {
        i += 2;
        while (/[0-9]/.test(source[i] ?? '')) i++;
      }
      const numberText = source.slice(start, i);
      let unitEnd = i;
      while (/[A-Za-z]/.test(source[unitEnd] ?? '')) unitEnd++;
      const unit = source.slice(i, unitEnd);
      if (unit) {
        const factor = TIMESPAN_UNITS[unit.toLowerCase()];
        if (factor === undefined || isIdentChar(source[unitEnd])) {
          throw new KqlError(
            'SyntaxError',
            `Unexpected '${source.slice(start, unitEnd)}' at ${lineCol(source, start)}: not a number or timespan literal`,
          );
        }
        i = unitEnd;
        tokens.push({ kind: 'timespan', text: source.slice(start, i), value: Number(numberText) * factor, pos: start });
      } else {
        tokens.push({ kind: 'number', text: numberText, value: Number(numberText), pos: start });
      }
      continue;
    }
    if (isIdentStart(c)) {
      while (isIdentChar(source[i])) i++;
      let word = source.slice(start, i);
      for (const h of HYPHENATED) {
        if (source.slice(start, start + h.length).toLowerCase() === h && !isIdentChar(source[start + h.length])) {
          word = source.slice(start, start + h.length);
          i = start + h.length;
        }
      }
      // datetime(2024-01-01T00:00:00Z) / timespan(1.02:03:04) literals take unquoted text.
      if ((word === 'datetime' || word === 'timespan') && /^\s*\(/.test(source.slice(i))) {
        const open = source.indexOf('(', i);
        const close = source.indexOf(')', open);
        const inner = source.slice(open + 1, close).trim();
        if (close > open && !/^["'@]/.test(inner) && inner !== '') {
          i = close + 1;
          tokens.push({
            kind: word === 'datetime' ? 'datetime' : 'timespan',
            text: source.slice(start, i),
            value: inner,
            pos: start,
          });
          continue;
        }
      }
      if (word === 'in' && source[i] === '~') {
        i++;
        word = 'in~';
      }
      tokens.push({ kind: 'ident', text: word, pos: start });
      continue;
    }
    if (c === '!' && isIdentStart(source[i + 1])) {
      i++;
      while (isIdentChar(source[i])) i++;
      let word = source.slice(start, i);
      if (word === '!in' && source[i] === '~') {
        i++;
        word = '!in~';
      }
      tokens.push({ kind: 'ident', text: word, pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new KqlError('SyntaxError', `Unexpected character '${c}' at ${lineCol(source, start)}`);
    i += op.length;
    tokens.push({ kind: 'op', text: op, pos: start });
  }
  tokens.push({ kind: 'eof', text: '<end of query>', pos: source.length });
  return tokens;
}
