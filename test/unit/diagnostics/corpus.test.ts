// Every labelled case, real (test/fixtures/cases) and grown (test/fixtures/diagnostics), through the offline path a
// paste takes (tolerant reader -> rules -> input citations): each case must give its label, except the known misses
// listed below with their reason, and no evidence may quote a fact that is not in the input. No aggregate
// percentage: a regression names its case.
import { describe, expect, it } from '@jest/globals';
import { parseDump } from '../../../shared/diagnostics/parse/parseDump.js';
import { diagnoseSnapshot } from '../../../shared/diagnostics/engine.js';
import { annotatePasteDiagnosis } from '../../../shared/diagnostics/diagnosePaste.js';
import type { StorageClass as V1StorageClass } from 'kubernetes-types/storage/v1.js';
import { isRootCause } from '../../../shared/diagnostics/types.js';
import { inventedFacts, isRight, loadCases, STANDARD_CAUSES, type LabelledCase } from './corpusSupport.js';

const NOW = new Date();

/** Cases the engine is known to get wrong, each with the reason. At most two. */
const KNOWN_MISSES: Record<string, string> = {
  '057-other-holmes-cpu-throttling.yaml':
    'CPU throttling is not in a describe: the pod is Running and Ready with 0 restarts, and only usage (metrics.k8s.io or Container insights) shows the container pinned at its 10m limit; answering cpu_throttling from a small limit alone would be a guess (case 104 has the same 10m limit and is a crash).',
};

function diagnose(c: LabelledCase) {
  const parsed = parseDump(c.input, { now: NOW });
  const { snapshot } = parsed;
  if (c.extras?.logs) snapshot.logs.push(...c.extras.logs.map((l) => ({ ...l, previous: l.previous ?? true })));
  if (c.extras?.storageClasses)
    snapshot.storageClasses = c.extras.storageClasses.map((name): V1StorageClass => ({
      provisioner: 'disk.csi.azure.com',
      metadata: { name },
    }));
  if (c.extras?.usage) snapshot.usage.push(...(c.extras.usage as never[]));
  return annotatePasteDiagnosis(diagnoseSnapshot(snapshot, { target: c.target ?? {} }), parsed);
}

const cases = [...loadCases('test/fixtures/cases', NOW), ...loadCases('test/fixtures/diagnostics', NOW)];

describe('labelled corpus', () => {
  it('has cases for every root cause', () => {
    const labels = new Set(cases.map((c) => c.expected));
    // Every cause the corpus was labelled with; `unknown` is what a case gets when no rule matches, not a label.
    for (const cause of STANDARD_CAUSES.filter((c) => c !== 'unknown')) {
      expect([cause, labels.has(cause)]).toEqual([cause, true]);
    }
  });

  it('labels every case with a RootCause (a closed union) or `other`', () => {
    for (const c of cases) expect([c.file, isRootCause(c.expected) || c.expected === 'other']).toEqual([c.file, true]);
  });

  it('lists at most two known misses, each with a reason, each a case that exists', () => {
    expect(Object.keys(KNOWN_MISSES).length).toBeLessThanOrEqual(2);
    for (const [file, reason] of Object.entries(KNOWN_MISSES)) {
      expect(cases.some((c) => c.file === file)).toBe(true);
      expect(reason.length).toBeGreaterThan(20);
    }
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s gives its label', (file, c) => {
    const d = diagnose(c);
    const got = { file, rootCause: d.rootCause, ...(c.expectedClass ? { class: d.rootCauseDetail } : {}) };
    const want = { file, rootCause: c.expected, ...(c.expectedClass ? { class: c.expectedClass } : {}) };
    if (KNOWN_MISSES[file]) {
      // A known miss that starts passing must leave the list.
      expect(isRight(c.expected, d.rootCause)).toBe(false);
      return;
    }
    if (c.expected === 'other') expect(isRight(c.expected, d.rootCause)).toBe(true);
    else expect(got).toEqual(want);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s: every evidence fact is in the input', (_file, c) => {
    const d = diagnose(c);
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(inventedFacts(d, c.haystack)).toEqual([]);
    for (const e of d.evidence) expect(e.reproduce).toMatch(/^(kubectl|az) |\n|^[A-Z]\w+\n/);
  });
});
