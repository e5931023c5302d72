import { describe, expect, it } from '@jest/globals';
import { parseSweepMessage } from '../../../shared/sweep/scheduleSweeps.js';
import { newSweepId } from '../../../shared/sweep/summarize.js';
import { ValidationError } from '../../../shared/errors.js';
import { CLUSTER } from './sweepTestKit.js';

describe('sweep queue messages', () => {
  it('accepts what the timer sends', () => {
    const sweepId = newSweepId(new Date('2026-11-22T12:00:00Z'), CLUSTER);
    expect(sweepId).toMatch(/^20261122-120000-[0-9a-f]{8}$/);
    expect(parseSweepMessage({ clusterId: CLUSTER, sweepId, requestedAt: '2026-11-22T12:00:00Z' })).toMatchObject({
      clusterId: CLUSTER,
      sweepId,
    });
  });
  it('gives each cluster and run its own sweep id', () => {
    const t = new Date('2026-11-22T12:00:00Z');
    expect(newSweepId(t, CLUSTER)).not.toBe(newSweepId(t, CLUSTER.replace('aks-test', 'aks-other')));
    expect(newSweepId(t, CLUSTER)).not.toBe(newSweepId(new Date(t.getTime() + 1000), CLUSTER));
  });
  it('names every problem of a malformed message', () => {
    const err = (() => {
      try {
        parseSweepMessage({ clusterId: 'aks-test', sweepId: 'a/b' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems).toEqual([
      expect.stringMatching(/^clusterId: /),
      expect.stringMatching(/^sweepId: /),
    ]);
  });
});
