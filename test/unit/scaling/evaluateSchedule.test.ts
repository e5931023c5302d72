// Schedule evaluation in wall time: time zones (including 30/45-minute offsets), both DST transitions, windows
// crossing midnight and the end of the week, and the next change time. Instants are written in UTC with the local
// time beside them, so each expectation can be checked against a tz table by hand.
import { describe, expect, it } from '@jest/globals';
import { desiredStateAt, evaluateSchedule } from '../../../shared/scaling/evaluateSchedule.js';
import { parseSchedule, type ScalingSchedule } from '../../../shared/scaling/schedule.js';
import { wallTimeAt } from '../../../shared/scaling/wallClock.js';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';

function schedule(body: Record<string, unknown>): ScalingSchedule {
  return parseSchedule('s', { clusterId: CLUSTER, nodePool: 'user', mode: 'apply', ...body });
}
/** A schedule of one window, [day, from, to] in `timeZone`, wanting `count` nodes, and `otherwise` nodes outside it. */
const oneWindow = (timeZone: string, [day, from, to]: [string, string, string], count: number, otherwise: number) =>
  schedule({ timeZone, rules: [{ days: [day], from, to, count }], otherwise: { count: otherwise } });
const at = (iso: string) => new Date(iso);
const valueAt = (s: ScalingSchedule, iso: string) => desiredStateAt(s, at(iso)).value;

describe('wall clock', () => {
  it('reads weekday, time and offset in the zone', () => {
    // 2026-11-30 is a Monday; Berlin is on CET (+60) in winter.
    expect(wallTimeAt(Date.parse('2026-11-30T07:30:00Z'), 'Europe/Berlin')).toEqual({
      weekday: 0,
      minuteOfDay: 8 * 60 + 30,
      minuteOfWeek: 8 * 60 + 30,
      offsetMinutes: 60,
    });
    // Sunday 23:30 in UTC is already Monday 05:15 in Kathmandu (+05:45).
    expect(wallTimeAt(Date.parse('2026-11-29T23:30:00Z'), 'Asia/Kathmandu')).toMatchObject({
      weekday: 0,
      minuteOfDay: 5 * 60 + 15,
      offsetMinutes: 345,
    });
  });
});

describe('business hours in Europe/Berlin', () => {
  const s = schedule({
    timeZone: 'Europe/Berlin',
    rules: [{ days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '08:00', to: '18:00', count: 5 }],
    otherwise: { count: 1 },
  });

  it('holds the rule inside the window and otherwise outside it', () => {
    expect(valueAt(s, '2026-11-30T06:59:00Z')).toEqual({ count: 1 }); // Mon 07:59 CET
    expect(valueAt(s, '2026-11-30T07:00:00Z')).toEqual({ count: 5 }); // Mon 08:00 CET: from is inclusive
    expect(valueAt(s, '2026-11-30T16:59:00Z')).toEqual({ count: 5 }); // Mon 17:59 CET
    expect(valueAt(s, '2026-11-30T17:00:00Z')).toEqual({ count: 1 }); // Mon 18:00 CET: to is exclusive
    expect(valueAt(s, '2026-12-05T10:00:00Z')).toEqual({ count: 1 }); // Saturday
    expect(desiredStateAt(s, at('2026-11-30T10:00:00Z'))).toMatchObject({ ruleIndex: 0 });
    expect(desiredStateAt(s, at('2026-12-05T10:00:00Z')).because).toBe('otherwise');
  });

  it('gives the next change: end of today, and Friday evening to Monday morning', () => {
    expect(evaluateSchedule(s, at('2026-11-30T10:00:00Z')).nextChange).toEqual({
      at: '2026-11-30T17:00:00.000Z',
      value: { count: 1 },
    });
    expect(evaluateSchedule(s, at('2026-12-04T17:00:00Z')).nextChange).toEqual({
      at: '2026-12-07T07:00:00.000Z',
      value: { count: 5 },
    });
  });

  it('keeps the wall-clock time across a DST change between now and the next change', () => {
    // Friday 27 March 2026 19:00 CET; Berlin springs forward on Sunday 29 March, so Monday 08:00 is CEST (+120).
    expect(evaluateSchedule(s, at('2026-03-27T18:00:00Z')).nextChange?.at).toBe('2026-03-30T06:00:00.000Z');
    // And back: Friday 23 October 2026 CEST, fall back on Sunday 25 October, Monday 08:00 is CET (+60).
    expect(evaluateSchedule(s, at('2026-10-23T17:00:00Z')).nextChange?.at).toBe('2026-10-26T07:00:00.000Z');
  });
});

describe('DST transitions inside a window', () => {
  it('spring forward: a window starting in the skipped hour begins at the jump', () => {
    // Berlin, Sunday 29 March 2026: 02:00 CET (01:00Z) becomes 03:00 CEST.
    const s = oneWindow('Europe/Berlin', ['Sun', '02:30', '04:00'], 4, 2);
    expect(valueAt(s, '2026-03-29T00:59:00Z')).toEqual({ count: 2 }); // 01:59 CET
    expect(valueAt(s, '2026-03-29T01:00:00Z')).toEqual({ count: 4 }); // 03:00 CEST, past 02:30 in wall time
    expect(valueAt(s, '2026-03-29T02:00:00Z')).toEqual({ count: 2 }); // 04:00 CEST
    expect(evaluateSchedule(s, at('2026-03-29T00:30:00Z')).nextChange?.at).toBe('2026-03-29T01:00:00.000Z');
    expect(evaluateSchedule(s, at('2026-03-29T01:10:00Z')).nextChange?.at).toBe('2026-03-29T02:00:00.000Z');
  });

  it('spring forward: a window wholly inside the skipped hour does not happen that day', () => {
    const s = oneWindow('Europe/Berlin', ['Sun', '02:15', '02:45'], 4, 2);
    // From Saturday the next change is the following Sunday 02:15 CEST (00:15Z), not 29 March.
    expect(evaluateSchedule(s, at('2026-03-28T12:00:00Z')).nextChange?.at).toBe('2026-04-05T00:15:00.000Z');
  });

  it('fall back: a window inside the repeated hour holds in both passes', () => {
    // Berlin, Sunday 25 October 2026: 03:00 CEST (01:00Z) becomes 02:00 CET; 02:00–03:00 happens twice.
    const s = oneWindow('Europe/Berlin', ['Sun', '02:15', '02:45'], 4, 2);
    expect(valueAt(s, '2026-10-25T00:30:00Z')).toEqual({ count: 4 }); // 02:30 CEST
    expect(valueAt(s, '2026-10-25T00:50:00Z')).toEqual({ count: 2 }); // 02:50 CEST
    expect(valueAt(s, '2026-10-25T01:00:00Z')).toEqual({ count: 2 }); // 02:00 CET
    expect(valueAt(s, '2026-10-25T01:30:00Z')).toEqual({ count: 4 }); // 02:30 CET
    expect(evaluateSchedule(s, at('2026-10-25T00:50:00Z')).nextChange?.at).toBe('2026-10-25T01:15:00.000Z');
  });

  it('fall back at the end of a window: the change lands on the transition instant', () => {
    // New York, Sunday 1 November 2026: 02:00 EDT (06:00Z) becomes 01:00 EST. A 01:00–01:30 window holds
    // 05:00–05:30Z and again 06:00–06:30Z; from 05:40Z the next change is the transition itself.
    const s = oneWindow('America/New_York', ['Sun', '01:00', '01:30'], 3, 0);
    expect(valueAt(s, '2026-11-01T05:10:00Z')).toEqual({ count: 3 });
    expect(valueAt(s, '2026-11-01T05:40:00Z')).toEqual({ count: 0 });
    expect(evaluateSchedule(s, at('2026-11-01T05:40:00Z')).nextChange).toEqual({
      at: '2026-11-01T06:00:00.000Z',
      value: { count: 3 },
    });
    expect(evaluateSchedule(s, at('2026-11-01T06:10:00Z')).nextChange?.at).toBe('2026-11-01T06:30:00.000Z');
  });
});

describe('windows crossing midnight and the end of the week', () => {
  it('a Friday-night window runs into Saturday morning', () => {
    const s = oneWindow('UTC', ['Fri', '20:00', '06:00'], 0, 2);
    expect(valueAt(s, '2026-12-04T19:59:00Z')).toEqual({ count: 2 });
    expect(valueAt(s, '2026-12-04T20:00:00Z')).toEqual({ count: 0 });
    expect(valueAt(s, '2026-12-05T05:59:00Z')).toEqual({ count: 0 }); // Saturday, before 06:00
    expect(valueAt(s, '2026-12-05T06:00:00Z')).toEqual({ count: 2 });
    // Thursday night is not covered: the window belongs to the day it starts on.
    expect(valueAt(s, '2026-12-04T02:00:00Z')).toEqual({ count: 2 });
  });

  it('a Sunday-night window wraps into Monday of the next week', () => {
    const s = schedule({
      timeZone: 'Asia/Kolkata', // +05:30, no DST
      rules: [{ days: ['Sun'], from: '22:00', to: '02:00', count: 1 }],
      otherwise: { count: 3 },
    });
    // Sunday 6 December 2026 22:00 IST = 16:30Z; Monday 02:00 IST = 20:30Z.
    expect(valueAt(s, '2026-12-06T16:29:00Z')).toEqual({ count: 3 });
    expect(valueAt(s, '2026-12-06T16:30:00Z')).toEqual({ count: 1 });
    expect(valueAt(s, '2026-12-06T20:29:00Z')).toEqual({ count: 1 }); // Monday 01:59 IST
    expect(evaluateSchedule(s, at('2026-12-06T12:00:00Z')).nextChange?.at).toBe('2026-12-06T16:30:00.000Z');
    expect(evaluateSchedule(s, at('2026-12-06T18:00:00Z')).nextChange?.at).toBe('2026-12-06T20:30:00.000Z');
  });

  it('a whole day is 00:00–24:00, and adjacent whole days join without a change between them', () => {
    const s = schedule({
      timeZone: 'Europe/Berlin',
      rules: [{ days: ['Sat', 'Sun'], from: '00:00', to: '24:00', count: 0 }],
      otherwise: { count: 2 },
    });
    expect(valueAt(s, '2026-12-05T23:30:00Z')).toEqual({ count: 0 }); // Sun 00:30 CET
    // From Saturday noon the next change is Monday 00:00 CET, not Sunday midnight.
    expect(evaluateSchedule(s, at('2026-12-05T11:00:00Z')).nextChange).toEqual({
      at: '2026-12-06T23:00:00.000Z',
      value: { count: 2 },
    });
  });
});

describe('next change', () => {
  it('skips boundaries where the value stays the same', () => {
    const s = schedule({
      timeZone: 'UTC',
      rules: [
        { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '08:00', to: '18:00', count: 3 },
        { days: ['Sat'], from: '00:00', to: '24:00', count: 1 },
      ],
      otherwise: { count: 1 },
    });
    expect(evaluateSchedule(s, at('2026-12-04T19:00:00Z')).nextChange?.at).toBe('2026-12-07T08:00:00.000Z');
  });

  it('is absent when nothing ever changes', () => {
    const none = schedule({ timeZone: 'UTC', rules: [], otherwise: { count: 2 } });
    expect(evaluateSchedule(none, at('2026-12-04T19:00:00Z'))).toEqual({ value: { count: 2 }, because: 'otherwise' });
    const same = oneWindow('UTC', ['Mon', '08:00', '09:00'], 2, 2);
    expect(evaluateSchedule(same, at('2026-12-04T19:00:00Z')).nextChange).toBeUndefined();
  });

  it('works for cluster power schedules and autoscaler bounds alike', () => {
    const power = parseSchedule('dev-nights', {
      clusterId: CLUSTER,
      timeZone: 'Europe/London',
      rules: [{ days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '19:00', to: '07:00', power: 'Stopped' }],
      otherwise: { power: 'Running' },
    });
    expect(valueAt(power, '2026-12-01T20:00:00Z')).toEqual({ power: 'Stopped' });
    expect(evaluateSchedule(power, at('2026-12-01T20:00:00Z')).nextChange).toEqual({
      at: '2026-12-02T07:00:00.000Z',
      value: { power: 'Running' },
    });
    const bounds = schedule({
      timeZone: 'UTC',
      rules: [{ days: ['Mon'], from: '08:00', to: '18:00', minCount: 3, maxCount: 10 }],
      otherwise: { minCount: 0, maxCount: 2 },
    });
    expect(valueAt(bounds, '2026-11-30T09:00:00Z')).toEqual({ minCount: 3, maxCount: 10 });
  });
});
