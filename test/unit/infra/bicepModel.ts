// A small reader of the Bicep files, enough for the checks here (no Bicep CLI on these machines; where it exists,
// `az bicep build --file infra/main.bicep` and `azd provision --preview` are the full check). It strips comments
// with a tokenizer that knows Bicep strings, then reads declarations with anchored patterns.
import fs from 'node:fs';
import path from 'node:path';

export interface BicepResource {
  file: string;
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
}

export interface BicepFile {
  file: string;
  /** Source with comments removed (strings intact). */
  code: string;
}

/** Removes // and /* *\/ comments, leaving strings ('...', '''...''') untouched. */
export function stripBicepComments(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (source.startsWith("'''", i)) {
      const end = source.indexOf("'''", i + 3);
      const stop = end < 0 ? source.length : end + 3;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== "'") j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j + 1;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export function readBicepFiles(infraDir: string): BicepFile[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'terraform') walk(p);
      else if (entry.isFile() && entry.name.endsWith('.bicep')) files.push(p);
    }
  };
  walk(infraDir);
  return files.sort().map((file) => ({ file, code: stripBicepComments(fs.readFileSync(file, 'utf8')) }));
}

const RESOURCE = /^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*(existing)?\s*=/gm;

export function bicepResources(files: BicepFile[]): BicepResource[] {
  const out: BicepResource[] = [];
  for (const { file, code } of files) {
    for (const m of code.matchAll(RESOURCE)) {
      out.push({ file, symbol: m[1]!, type: m[2]!, apiVersion: m[3]!, existing: m[4] === 'existing' });
    }
  }
  return out;
}

/** The body of `<prefix> {` ... `}` (balanced braces, strings skipped), or undefined. */
export function blockAfter(code: string, prefix: RegExp): string | undefined {
  const m = prefix.exec(code);
  if (!m) return undefined;
  let i = code.indexOf('{', m.index + m[0].length - 1);
  if (i < 0) return undefined;
  const start = i + 1;
  let depth = 0;
  for (; i < code.length; i++) {
    const c = code[i];
    if (c === "'") {
      i++;
      while (i < code.length && code[i] !== "'") i += code[i] === '\\' ? 2 : 1;
    } else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return code.slice(start, i);
    }
  }
  return undefined;
}

/** Top-level keys of an object literal body (one key per line, as Bicep writes objects). */
export function objectKeys(body: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (const line of body.split('\n')) {
    const m = /^\s*(?:'([^']+)'|([A-Za-z_][A-Za-z0-9_]*))\s*:/.exec(line);
    if (depth === 0 && m) keys.push(m[1] ?? m[2]!);
    for (const ch of line.replace(/'[^']*'/g, '')) {
      if (ch === '{' || ch === '[') depth++;
      if (ch === '}' || ch === ']') depth--;
    }
  }
  return keys;
}

/** Keys of roles.json referenced as `roleIds.<key>` inside roleDefinitionId expressions. */
export function bicepRoleKeys(files: BicepFile[]): Set<string> {
  const keys = new Set<string>();
  for (const { code } of files) {
    for (const m of code.matchAll(/roleDefinitionId:[^\n]*roleIds\.(\w+)/g)) keys.add(m[1]!);
  }
  return keys;
}

export function bicepOutputs(code: string): string[] {
  return [...code.matchAll(/^output\s+(\w+)\s+\w+\s*=/gm)].map((m) => m[1]!);
}
