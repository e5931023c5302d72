// README's "Architecture" section and the tree agree (issue 13, "Done when"): every file and folder the section names
// exists, and every top-level folder and every entry of shared/ is named there. Moving or adding a folder without
// saying so in the README fails here.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = process.cwd();

/** The text from `## Architecture` to the next second-level heading. */
function architectureSection(readme: string): string {
  const start = readme.indexOf('\n## Architecture\n');
  if (start < 0) throw new Error('README.md has no "## Architecture" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

const FILE_EXTENSION = /\.(ts|mts|mjs|cjs|js|json|md|bicep|yml)$/;

/**
 * The repository paths a section names: code spans that look like a path (a slash or a file extension, no spaces, not
 * an HTTP route) and relative link targets. `dist/` is the build's output, not in a checkout.
 */
function namedPaths(section: string): string[] {
  const spans = [...section.matchAll(/`([^`\s]+)`/g)].map((m) => m[1] ?? '');
  const links = [...section.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
  const paths = [
    ...spans.filter((s) => !s.startsWith('/') && (s.includes('/') || FILE_EXTENSION.test(s))),
    ...links.filter((l) => !/^[a-z]+:/.test(l) && !l.startsWith('#')),
  ];
  return [...new Set(paths)].filter((p) => !p.startsWith('dist/'));
}

/** Whether a named path exists; a `*` in the last part matches any characters in one file or folder name. */
function exists(named: string): boolean {
  const clean = named.replace(/\/$/, '');
  if (!clean.includes('*')) return existsSync(path.join(ROOT, clean));
  const dir = path.dirname(clean);
  const pattern = new RegExp(`^${path.basename(clean).split('*').map(escapeRegExp).join('.*')}$`);
  return existsSync(path.join(ROOT, dir)) && readdirSync(path.join(ROOT, dir)).some((name) => pattern.test(name));
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Folders .gitignore keeps out of the repository (generated or local): `/dist/`, `coverage/`, … */
function ignoredFolders(): Set<string> {
  const lines = readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
  return new Set(lines.map((l) => /^\/?([^/*\s]+)\/$/.exec(l.trim())?.[1]).filter((n): n is string => Boolean(n)));
}

describe('README architecture section and the layout', () => {
  const section = architectureSection(readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  const named = namedPaths(section);

  it('names files and folders at all (the extraction works)', () => {
    expect(named).toEqual(expect.arrayContaining(['functions/', 'shared/config', 'functions/http.ts']));
  });

  it('every file and folder it names exists', () => {
    expect(named.filter((p) => !exists(p))).toEqual([]);
  });

  it('names every top-level folder', () => {
    const ignored = ignoredFolders();
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !ignored.has(e.name))
      .map((e) => `${e.name}/`);
    expect(folders.length).toBeGreaterThan(5);
    expect(folders.filter((f) => !named.includes(f))).toEqual([]);
  });

  it('names every capability and platform module of shared/', () => {
    const entries = readdirSync(path.join(ROOT, 'shared')).map((name) => `shared/${name}`);
    const describes = (entry: string) => named.some((p) => p === entry || p.startsWith(`${entry}/`));
    expect(entries.filter((e) => !describes(e))).toEqual([]);
  });
});
