import { describe, expect, it } from '@jest/globals';
import { gradeOf, scoreFindings } from '../../../shared/sweep/score.js';
import { mergeLifecycle, type StoredFinding } from '../../../shared/sweep/lifecycle.js';
import { finalizeFindings } from '../../../shared/sweep/analyzeObjects.js';
import type { Finding } from '../../../shared/sweep/types.js';
import { CLUSTER } from './sweepTestKit.js';

const f = (
  severity: Finding['severity'],
  namespace: string | undefined,
  name: string,
  check = 'pod.crash-loop',
): Finding =>
  finalizeFindings(CLUSTER, [
    {
      check,
      severity,
      kind: 'Pod',
      namespace,
      name,
      message: `${name} is broken.`,
      evidence: ['e'],
      remediation: 'fix it',
    },
  ])[0] as Finding;

describe('scoreFindings', () => {
  it('scores each namespace by the share of healthy objects, an object counting by its worst finding', () => {
    const objects = new Map([
      ['shop', 10],
      ['cart', 4],
      ['', 6],
    ]);
    const { score, namespaceScores } = scoreFindings(
      [
        f('critical', 'shop', 'a'),
        f('warning', 'shop', 'a', 'pod.restarts'),
        f('warning', 'shop', 'b'),
        f('info', 'cart', 'c'),
      ],
      objects,
    );
    // shop: a counts 1 (its worst), b 0.5 → 100 × (1 − 1.5/10) = 85; cart: info costs nothing.
    expect(namespaceScores).toEqual({ cart: 100, shop: 85 });
    // cluster: 1.5 penalty over 20 objects → 92.5 → 93 (rounded)
    expect(score).toBe(93);
    expect(gradeOf(score)).toBe('A');
  });
  it('tells objects apart by namespace, kind and name, and counts objects with findings the caller did not', () => {
    const pod = f('warning', 'shop', 'web');
    const sameNameDeployment = { ...pod, kind: 'Deployment' };
    const worseLater = f('critical', 'shop', 'web', 'pod.restarts');
    const clusterScoped = f('critical', undefined, 'web');
    // No objects counted: the four distinct objects with findings are the floor (penalties 1 + 0.5 + 1 + 0 = 2.5).
    const { score, namespaceScores } = scoreFindings(
      [pod, sameNameDeployment, worseLater, clusterScoped, f('info', 'cart', 'web')],
      new Map(),
    );
    expect(score).toBe(38); // 100 × (1 − 2.5/4) = 37.5, rounded
    expect(namespaceScores).toEqual({ cart: 100, shop: 0 });
  });
  it('never goes below zero and scores an empty cluster 100', () => {
    expect(scoreFindings([f('critical', 'x', 'a'), f('critical', 'x', 'b')], new Map([['x', 1]])).score).toBe(0);
    expect(scoreFindings([], new Map()).score).toBe(100);
    expect([95, 85, 75, 65, 55, 10].map(gradeOf)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });
});

describe('mergeLifecycle', () => {
  const a = f('critical', 'shop', 'a');
  const b = f('warning', 'shop', 'b');
  const t1 = '2026-11-22T10:00:00.000Z';
  const t2 = '2026-11-22T10:15:00.000Z';
  const t3 = '2026-11-22T10:30:00.000Z';

  it('reports a finding new once, then open with a growing count, then resolved when a complete sweep no longer sees it', () => {
    const s1 = mergeLifecycle([], [a, b], { sweepId: 's1', now: t1, partial: false });
    expect(s1.current.map((x) => x.state)).toEqual(['new', 'new']);
    const s2 = mergeLifecycle(s1.changed, [a], { sweepId: 's2', now: t2, partial: false });
    expect(s2.current).toMatchObject([
      { fingerprint: a.fingerprint, state: 'open', count: 2, firstSeen: t1, lastSeen: t2 },
    ]);
    expect(s2.resolved).toMatchObject([{ fingerprint: b.fingerprint, state: 'resolved', resolvedAt: t2 }]);
    const stored = new Map<string, StoredFinding>([...s1.changed, ...s2.changed].map((x) => [x.fingerprint, x]));
    const s3 = mergeLifecycle([...stored.values()], [a, b], { sweepId: 's3', now: t3, partial: false });
    // b came back: new again (a regression), its count continues.
    expect(s3.current.find((x) => x.fingerprint === b.fingerprint)).toMatchObject({
      state: 'new',
      count: 2,
      firstSeen: t3,
    });
    expect(s3.current.find((x) => x.fingerprint === a.fingerprint)).toMatchObject({ state: 'open', count: 3 });
  });

  it('a partial sweep resolves nothing', () => {
    const s1 = mergeLifecycle([], [a, b], { sweepId: 's1', now: t1, partial: false });
    const s2 = mergeLifecycle(s1.changed, [a], { sweepId: 's2', now: t2, partial: true });
    expect(s2.resolved).toEqual([]);
    expect(s2.changed.map((x) => x.fingerprint)).toEqual([a.fingerprint]);
  });

  it('applying the same sweep twice (a retried message) changes no count or state', () => {
    const s1 = mergeLifecycle([], [a, b], { sweepId: 's1', now: t1, partial: false });
    const s2 = mergeLifecycle(s1.changed, [a], { sweepId: 's2', now: t2, partial: false });
    const afterS2 = new Map<string, StoredFinding>([...s1.changed, ...s2.changed].map((x) => [x.fingerprint, x]));
    const retry = mergeLifecycle([...afterS2.values()], [a], { sweepId: 's2', now: t3, partial: false });
    expect(retry.current).toMatchObject([{ state: 'open', count: 2, lastSeen: t2 }]);
    expect(retry.resolved).toMatchObject([{ fingerprint: b.fingerprint, resolvedAt: t2 }]);
  });
});
