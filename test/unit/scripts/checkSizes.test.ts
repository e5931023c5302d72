// scripts/check-sizes.mjs, the size limits CI enforces: what counts as a function's length, which names it reports,
// and where the limits sit (a function of exactly the limit passes, one line more fails).
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error a plain .mjs script without type declarations
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, sizeProblems } from '../../../scripts/check-sizes.mjs';

const problems = sizeProblems as (path: string, text: string) => string[];
const body = (lines: number) => Array.from({ length: lines }, (_, i) => `  const v${i} = ${i};`).join('\n');
/** A function declaration spanning exactly `lines` lines (signature and closing brace included). */
const fn = (name: string, lines: number) => `function ${name}() {\n${body(lines - 2)}\n}\n`;

describe('check-sizes', () => {
  it('passes a function of exactly the limit and names one a line longer', () => {
    expect(problems('a.ts', fn('fits', MAX_FUNCTION_LINES))).toEqual([]);
    expect(problems('a.ts', fn('tooLong', MAX_FUNCTION_LINES + 1))).toEqual([
      `a.ts:1 function tooLong has ${MAX_FUNCTION_LINES + 1} lines (limit ${MAX_FUNCTION_LINES})`,
    ]);
  });

  it('measures arrow functions and methods too, named after what holds them', () => {
    const arrow = `export const handler = () => {\n${body(MAX_FUNCTION_LINES)}\n};\n`;
    const method = `class C {\n  run() {\n${body(MAX_FUNCTION_LINES)}\n  }\n}\n`;
    expect(problems('b.ts', arrow)).toEqual([expect.stringContaining('function handler has')]);
    expect(problems('c.ts', method)).toEqual([expect.stringContaining('function run has')]);
  });

  it('reports a file over the line limit, and a nested long function once with its own name', () => {
    const long = `${'// x\n'.repeat(MAX_FILE_LINES)}export const y = 1;\n`;
    expect(problems('d.ts', long)).toEqual([`d.ts:1 file has ${MAX_FILE_LINES + 1} lines (limit ${MAX_FILE_LINES})`]);
    const nested = `function outer() {\n${fn('inner', MAX_FUNCTION_LINES + 1)}}\n`;
    expect(problems('e.ts', nested).map((p) => p.split(' ')[2])).toEqual(['outer', 'inner']);
  });
});
