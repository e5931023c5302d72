// Every labelled case, real (test/fixtures/cases) and grown (test/fixtures/diagnostics), through the offline path
// (auto-detected parse -> rules): at least 95% must get the labelled root cause, and no evidence may quote a fact
// that is not in the input.
import { describe, expect, it } from '@jest/globals';
import { parseDump } from '../../../shared/diagnostics/parse/parseDump.js';
import { diagnoseSnapshot } from '../../../shared/diagnostics/engine.js';
import type { V1StorageClass } from '@kubernetes/client-node';
import { inventedFacts, isRight, loadCases, type LabelledCase } from './corpusSupport.js';

const NOW = new Date();

function diagnose(c: LabelledCase) {
  const { snapshot } = parseDump(c.input, { now: NOW });
  if (c.extras?.logs) snapshot.logs.push(...c.extras.logs.map((l) => ({ ...l, previous: l.previous ?? true })));
  if (c.extras?.storageClasses)
    snapshot.storageClasses = c.extras.storageClasses.map((name): V1StorageClass => ({
      provisioner: 'disk.csi.azure.com',
      metadata: { name },
    }));
  if (c.extras?.usage) snapshot.usage.push(...(c.extras.usage as never[]));
  return diagnoseSnapshot(snapshot, { target: c.target ?? {} });
}

const cases = [...loadCases('test/fixtures/cases', NOW), ...loadCases('test/fixtures/diagnostics', NOW)];

describe('labelled corpus', () => {
  it('has cases for every root cause', () => {
    const labels = new Set(cases.map((c) => c.expected));
    for (const cause of [
      'oom_killed',
      'crash_loop',
      'image_pull_error',
      'failed_scheduling',
      'probe_failure',
      'config_error',
      'evicted',
      'node_not_ready',
      'volume_mount_error',
      'healthy',
    ]) {
      expect([cause, labels.has(cause)]).toEqual([cause, true]);
    }
  });

  it('gets at least 95% of the cases right and reports each miss', () => {
    const results = cases.map((c) => {
      const d = diagnose(c);
      return {
        file: c.file,
        expected: c.expected,
        actual: d.rootCause,
        confidence: d.confidence,
        right: isRight(c.expected, d.rootCause),
      };
    });
    const misses = results.filter((r) => !r.right);
    const accuracy = (results.length - misses.length) / results.length;
    // Printed so a regression names the case, not only the percentage.
    if (misses.length > 0)
      console.log(
        `corpus misses (${misses.length}/${results.length}):\n${misses.map((m) => `  ${m.file}: expected ${m.expected}, got ${m.actual} (${m.confidence})`).join('\n')}`,
      );
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s: every evidence fact is in the input', (_file, c) => {
    const d = diagnose(c);
    expect(d.evidence.length).toBeGreaterThan(0);
    expect(inventedFacts(d, c.haystack)).toEqual([]);
    for (const e of d.evidence) expect(e.reproduce).toMatch(/^(kubectl|az) |\n|^[A-Z]\w+\n/);
  });
});
