// Learned pool schedules from synthetic hourly usage: each case builds weeks of PoolHour rows with a known shape and
// checks the proposal has exactly that shape, is a schedule the PUT API accepts, and refuses too little data.
import { describe, expect, it } from '@jest/globals';
import { recommendPoolSchedule } from '../../../shared/scaling/recommendSchedule.js';
import { parseSchedule } from '../../../shared/scaling/schedule.js';
import type { PoolHour } from '../../../shared/scaling/usageHistory.js';
import type { PoolFacts } from '../../../shared/scaling/validateAgainstCluster.js';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks';
const HOUR = 3600_000;
const GIB = 1024 ** 3;
// Monday 2026-11-02 00:00 UTC.
const MONDAY = Date.parse('2026-11-02T00:00:00Z');

/** `weeks` of hours on `nodes` nodes of 4 cores / 16 GiB, with CPU usage from `cores(day, hour)` (day 0 = Monday). */
function history(
  weeks: number,
  nodes: number,
  cores: (day: number, hour: number) => number,
  startMs = MONDAY,
): PoolHour[] {
  const out: PoolHour[] = [];
  for (let h = 0; h < weeks * 168; h++) {
    const t = startMs + h * HOUR;
    const d = new Date(t);
    const day = (d.getUTCDay() + 6) % 7;
    const used = cores(day, d.getUTCHours());
    out.push({
      pool: 'user',
      hourMs: t,
      nodes,
      cpuUsageCores: { avg: used * 0.9, peak: used },
      memoryWorkingSetBytes: { avg: 4 * GIB, peak: 4 * GIB },
      cpuAllocatableCores: nodes * 4,
      memoryAllocatableBytes: nodes * 16 * GIB,
      cpuRequestedCores: 1,
      memoryRequestedBytes: 2 * GIB,
    });
  }
  return out;
}

const manual: PoolFacts = { name: 'user', mode: 'User', enableAutoScaling: false, count: 4 };
const autoscaled: PoolFacts = {
  name: 'user',
  mode: 'User',
  enableAutoScaling: true,
  count: 4,
  minCount: 1,
  maxCount: 8,
};
// Busy 08-18 on weekdays: 7 cores (needs 4 nodes at 50% of 4 cores), otherwise 1.5 cores (1 node).
const officeHours = (day: number, hour: number) => (day < 5 && hour >= 8 && hour < 18 ? 7 : 1.5);

describe('recommendPoolSchedule', () => {
  it('a pool busy 08-18 on weekdays gets one rule for exactly those windows, quiet otherwise', () => {
    const rec = recommendPoolSchedule(CLUSTER, manual, history(3, 4, officeHours), 'UTC');
    expect(rec.reason).toBeUndefined();
    expect(rec.schedule?.rules).toEqual([
      { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '08:00', to: '18:00', count: 4 },
    ]);
    expect(Object.keys(rec.schedule ?? {}).sort()).toEqual([
      'clusterId',
      'mode',
      'nodePool',
      'otherwise',
      'rules',
      'timeZone',
    ]);
    expect([rec.schedule?.clusterId, rec.schedule?.nodePool, rec.schedule?.mode]).toEqual([CLUSTER, 'user', 'plan']);
    expect(rec.schedule?.otherwise).toEqual({ count: 1 });
    // 4 nodes ran all week; the schedule runs 1 node for 168 - 50 hours: 3 x 118 node-hours saved.
    expect(rec.nodeHoursSavedPerWeek).toBe(354);
    // The PUT API accepts it as it is.
    expect(() => parseSchedule(rec.suggestedName!, rec.schedule)).not.toThrow();
    expect(rec.basis).toMatchObject({ days: 21, hours: 504 });
  });

  it('writes the windows in the requested time zone (08-18 UTC is 09-19 in Berlin in November)', () => {
    const rec = recommendPoolSchedule(CLUSTER, manual, history(3, 4, officeHours), 'Europe/Berlin');
    expect(rec.schedule?.rules).toEqual([
      { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '09:00', to: '19:00', count: 4 },
    ]);
  });

  it('an autoscaled pool gets minCount floors and keeps its own maxCount', () => {
    const rec = recommendPoolSchedule(CLUSTER, autoscaled, history(3, 4, officeHours), 'UTC');
    expect(rec.schedule?.rules[0]).toMatchObject({ minCount: 4, maxCount: 8 });
    expect(rec.schedule?.otherwise).toEqual({ minCount: 1, maxCount: 8 });
  });

  it('reports the risk of each window: peak usage against the capacity the schedule leaves', () => {
    const rec = recommendPoolSchedule(CLUSTER, manual, history(3, 4, officeHours), 'UTC');
    expect(rec.risk).toEqual([
      expect.objectContaining({ window: 'rules[0]', nodes: 4, peakCpuCores: 7, cpuCapacityCores: 16, level: 'low' }),
      expect.objectContaining({ window: 'otherwise', nodes: 1, peakCpuCores: 1.5, cpuCapacityCores: 4, level: 'low' }),
    ]);
  });

  it('a one-hour lull inside the busy day does not split the window', () => {
    const lunch = (day: number, hour: number) => (hour === 12 ? 1.5 : officeHours(day, hour));
    const rec = recommendPoolSchedule(CLUSTER, manual, history(3, 4, lunch), 'UTC');
    expect(rec.schedule?.rules).toHaveLength(1);
    expect(rec.schedule?.rules[0]).toMatchObject({ from: '08:00', to: '18:00' });
  });

  it('the busiest week decides: one quiet week does not shrink a window', () => {
    const weeks = history(3, 4, officeHours);
    // The middle week was a holiday: quiet all week.
    for (const h of weeks.slice(168, 336)) h.cpuUsageCores = { avg: 1, peak: 1.5 };
    const rec = recommendPoolSchedule(CLUSTER, manual, weeks, 'UTC');
    expect(rec.schedule?.rules[0]).toMatchObject({ from: '08:00', to: '18:00', count: 4 });
  });

  it('refuses with less than 14 days of data and says how much there is', () => {
    const rec = recommendPoolSchedule(CLUSTER, manual, history(1, 4, officeHours), 'UTC');
    expect(rec.schedule).toBeUndefined();
    expect(rec.reason).toMatch(/not enough data: 7 days .* at least 14 days/);
  });

  it('refuses when some hours of the week were never seen', () => {
    const hours = history(3, 4, officeHours).filter((h) => new Date(h.hourMs).getUTCDay() !== 3);
    const rec = recommendPoolSchedule(CLUSTER, manual, hours, 'UTC');
    expect(rec.schedule).toBeUndefined();
    expect(rec.reason).toMatch(/24 of the 168 hours of the week have no samples/);
  });

  it('proposes nothing for a flat pool already at its need', () => {
    const rec = recommendPoolSchedule(
      CLUSTER,
      { ...manual, count: 1 },
      history(3, 1, () => 1.5),
      'UTC',
    );
    expect(rec.schedule).toBeUndefined();
    expect(rec.reason).toMatch(/no saving/);
  });

  it('never proposes fewer than one node for a system pool', () => {
    const rec = recommendPoolSchedule(
      CLUSTER,
      { ...manual, mode: 'System' },
      history(3, 4, (d, h) => (officeHours(d, h) > 2 ? 7 : 0)).map((h) => ({
        ...h,
        cpuRequestedCores: 0,
        memoryRequestedBytes: 0,
        memoryWorkingSetBytes: { avg: 0, peak: 0 },
      })),
      'UTC',
    );
    expect(rec.schedule?.otherwise).toEqual({ count: 1 });
  });
});
