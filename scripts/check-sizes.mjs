#!/usr/bin/env node
// Keeps the house plan's size limits (issue 13, item 5): no source file over MAX_FILE_LINES lines and no function over
// MAX_FUNCTION_LINES lines in the code people maintain (shared/, functions/, dev/, bench/, scripts/, cli/). Functions
// are found with the TypeScript compiler's own parser, so arrow functions, methods and nested functions all count;
// a function's length is the lines from its first to its last token. Tests and fixtures are not checked: a test
// table is long because the cases are many. Exits 1 and names every offender when a limit is broken.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const MAX_FILE_LINES = 600;
export const MAX_FUNCTION_LINES = 150;
const ROOTS = ['shared', 'functions', 'dev', 'bench', 'scripts', 'cli'];
const EXTENSIONS = /\.(ts|mts|mjs|js)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'functions-core', 'fixtures']);

// Exceptions, each with its reason: `path` exempts the file's length, `path#function` one function. Remove an entry
// with the split it waits for.
const ALLOWED = new Map([]);

function* sourceFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name)) yield* sourceFiles(path);
    } else if (EXTENSIONS.test(name) && !name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

function functionName(node, source) {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name) {
    return parent.name.getText(source);
  }
  return '<anonymous>';
}

/** Every size problem in one file's text, as `path:line message` strings. */
export function sizeProblems(path, text) {
  const problems = [];
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  if (lines > MAX_FILE_LINES && !ALLOWED.has(path))
    problems.push(`${path}:1 file has ${lines} lines (limit ${MAX_FILE_LINES})`);
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const length = end - start + 1;
      if (length > MAX_FUNCTION_LINES && !ALLOWED.has(`${path}#${functionName(node, source)}`)) {
        problems.push(
          `${path}:${start + 1} function ${functionName(node, source)} has ${length} lines (limit ${MAX_FUNCTION_LINES})`,
        );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}

function main() {
  const root = join(fileURLToPath(import.meta.url), '..', '..');
  const problems = [];
  for (const top of ROOTS) {
    for (const file of sourceFiles(join(root, top))) {
      const path = relative(root, file);
      problems.push(...sizeProblems(path, readFileSync(file, 'utf8')));
    }
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`\n${problems.length} size problem(s): split the file or function (see docs/architecture or STYLE).`);
    process.exit(1);
  }
  console.log('check-sizes: every file and function is within its limit');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
