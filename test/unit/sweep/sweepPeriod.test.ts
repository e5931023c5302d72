// The idempotent sweep key: every moment of a SWEEP_SCHEDULE period names a cluster's sweep alike.
import { describe, expect, it } from '@jest/globals';
import { periodStart, periodSweepId } from '../../../shared/sweep/sweepPeriod.js';
import { decide } from '../../../shared/sweep/sweepClaims.js';

const ID = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a';
const EVERY_15 = '0 */15 * * * *';

describe('periodSweepId', () => {
  it('is the same anywhere in one period, different in the next, and different per cluster', () => {
    const a = periodSweepId(EVERY_15, new Date('2026-12-01T10:15:00.000Z'), ID);
    expect(periodSweepId(EVERY_15, new Date('2026-12-01T10:29:59.999Z'), ID)).toBe(a);
    expect(periodSweepId(EVERY_15, new Date('2026-12-01T10:30:00.000Z'), ID)).not.toBe(a);
    expect(periodSweepId(EVERY_15, new Date('2026-12-01T10:20:00.000Z'), `${ID}x`)).not.toBe(a);
    expect(a.startsWith('20261201-101500')).toBe(true);
    expect(periodStart(EVERY_15, new Date('2026-12-01T10:14:59Z')).toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
});

describe('decide (claim table)', () => {
  const now = new Date('2026-12-01T10:20:00Z');
  const row = (sweepId: string, state: 'running' | 'done', owner: string, leaseUntil: string) => ({
    sweepId,
    state,
    owner,
    leaseUntil,
  });
  it('claims older periods, supersedes stale messages, and honours live leases of other messages', () => {
    const mine = '20261201-101500-0000000a';
    const live = '2026-12-01T10:30:00Z';
    expect(decide(row('20261201-100000-0000000b', 'done', 'x', live), mine, 'm', now)).toBe('claimed');
    expect(decide(row('20261201-103000-0000000c', 'running', 'x', live), mine, 'm', now)).toBe('superseded');
    expect(decide(row(mine, 'done', 'x', live), mine, 'm', now)).toBe('duplicate');
    expect(decide(row(mine, 'running', 'x', live), mine, 'm', now)).toBe('held');
    expect(decide(row(mine, 'running', 'm', live), mine, 'm', now)).toBe('claimed');
    expect(decide(row(mine, 'running', 'x', '2026-12-01T10:19:59Z'), mine, 'm', now)).toBe('claimed');
  });
});
