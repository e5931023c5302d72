// Loads the labelled failure cases (test/fixtures/cases: real recorded cases; test/fixtures/diagnostics: the grown
// corpus) and checks that evidence quotes only facts present in the input.
import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { STANDARD_ROOT_CAUSES, type Diagnosis } from '../../../shared/diagnostics/types.js';

export interface LabelledCase {
  file: string;
  expected: string;
  /** The failed-scheduling or image-pull class the case is labelled with (`expected_class`), if any. */
  expectedClass?: string;
  detail: string;
  input: string;
  haystack: string;
  target?: { namespace?: string; pod?: string; node?: string };
  /** Snapshot extras only a live cluster would have (logs, usage, storage classes), for the grown corpus. */
  extras?: {
    logs?: Array<{ namespace: string; pod: string; container: string; previous?: boolean; lines: string[] }>;
    storageClasses?: string[];
    usage?: Array<Record<string, unknown>>;
  };
}

/**
 * The causes the corpus was labelled with. Its `other` cases may be any cause the rules gained after (the metric causes
 * read a live metric series, which no paste carries).
 */
export const STANDARD_CAUSES: readonly string[] = STANDARD_ROOT_CAUSES;

/** The fixture authors wrote relative times as `@now-5d`; resolve them against the test's clock. */
export function resolveRelativeTimes(text: string, now: Date): string {
  const unit: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return text.replace(
    /@now(?:([+-])(\d+)([smhd]))?/g,
    (_all, sign: string | undefined, n: string | undefined, u: string | undefined) => {
      const delta = sign && n && u ? Number(n) * (unit[u] ?? 0) * (sign === '-' ? -1 : 1) : 0;
      return new Date(now.getTime() + delta).toISOString().replace('.000Z', 'Z');
    },
  );
}

export function loadCases(dir: string, now: Date): LabelledCase[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const doc = parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
        expected_root_cause: string;
        expected_detail?: string;
        expected_class?: string;
        objects?: unknown[];
        raw_describe?: string;
        raw_text?: string;
        target?: LabelledCase['target'];
        extras?: LabelledCase['extras'];
      };
      const parts: string[] = [];
      if (doc.objects && doc.objects.length > 0) parts.push(doc.objects.map((o) => stringify(o)).join('---\n'));
      if (doc.raw_describe) parts.push(doc.raw_describe);
      if (doc.raw_text) parts.push(doc.raw_text);
      return {
        file,
        expected: doc.expected_root_cause,
        expectedClass: doc.expected_class,
        detail: doc.expected_detail ?? '',
        input: resolveRelativeTimes(parts.join('\n---\n'), now),
        // What a live cluster adds (logs, usage, storage classes) is input too, for the no-invented-facts check.
        haystack: resolveRelativeTimes(parts.join('\n---\n'), now) + (doc.extras ? `\n${stringify(doc.extras)}` : ''),
        target: doc.target,
        extras: doc.extras,
      };
    });
}

export function isRight(expected: string, actual: string): boolean {
  // `other`: a real failure none of the standard causes describes; any added, specific cause is right.
  if (expected === 'other') return !STANDARD_CAUSES.includes(actual);
  return expected === actual;
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').replace(/['"]/g, '');

/** Every `key=value` value and every "quoted" text of the evidence details, which must be found in the input. */
export function quotedFacts(d: Diagnosis): string[] {
  const facts: string[] = [];
  for (const e of d.evidence) {
    if (e.source === 'alert' || e.source === 'storageclasses') continue;
    const quoted = [...e.detail.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '');
    facts.push(...quoted);
    const rest = e.detail.replace(/"((?:[^"\\]|\\.)*)"/g, '');
    const colon = rest.indexOf(': ');
    if (colon < 0) continue;
    for (const part of rest.slice(colon + 2).split(/, (?=[\w.#-]+=)/)) {
      const eq = part.indexOf('=');
      if (eq > 0) facts.push(part.slice(eq + 1).replace(/ \([^)]*\)$/, ''));
    }
  }
  return facts.filter((f) => f.trim() !== '');
}

/** Facts not found in the input (verbatim, or word by word for composite values such as a probe command). */
export function inventedFacts(d: Diagnosis, input: string): string[] {
  const hay = norm(input);
  return quotedFacts(d).filter((f) => {
    const n = norm(f);
    if (hay.includes(n)) return false;
    return !n.split(' ').every((w) => hay.includes(w));
  });
}
