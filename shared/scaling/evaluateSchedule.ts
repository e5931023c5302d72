// What a schedule wants at an instant, and when that next changes. Rules are matched on the zone's wall clock
// (see wallClock.ts), which fixes the DST behaviour:
// - spring forward (the clock skips e.g. 02:00–03:00): a window starting in the skipped hour begins at the jump,
//   one ending in it ends at the jump; a window wholly inside the skipped hour does not happen that day;
// - fall back (the clock repeats e.g. 02:00–03:00): a window inside the repeated hour holds during both passes.
// The next change is found by walking boundary to boundary in wall time and, where the zone's offset changes on
// the way, stopping at the transition instant, so it is exact to the minute without scanning every minute.
import {
  describeValue,
  ruleWindows,
  sameValue,
  valueOf,
  type ScalingSchedule,
  type ScheduleValue,
} from './schedule.js';
import { MINUTES_PER_WEEK, wallTimeAt } from './wallClock.js';

const MINUTE_MS = 60_000;
/** A weekly schedule that has not changed in 8 days (a week plus any DST shift) never will. */
const HORIZON_MS = 8 * 24 * 60 * MINUTE_MS;

export interface DesiredState {
  value: ScheduleValue;
  /** Index of the rule that holds, or undefined when `otherwise` does. */
  ruleIndex?: number;
  /** Human-readable reason: "rules[0] (Mon–Fri 08:00–18:00)" or "otherwise". */
  because: string;
}

export interface DesiredStateWithNext extends DesiredState {
  /** The next instant the desired value differs, and what it becomes; absent when it never changes. */
  nextChange?: { at: string; value: ScheduleValue };
}

type Compiled = { windows: Array<Array<[number, number]>>; boundaries: number[] };

function compile(schedule: Pick<ScalingSchedule, 'rules'>): Compiled {
  const windows = schedule.rules.map((r) => ruleWindows(r));
  const boundaries = new Set<number>();
  for (const ws of windows)
    for (const [s, e] of ws) {
      boundaries.add(s % MINUTES_PER_WEEK);
      boundaries.add(e % MINUTES_PER_WEEK);
    }
  return { windows, boundaries: [...boundaries].sort((a, b) => a - b) };
}

function ruleAt(compiled: Compiled, minuteOfWeek: number): number | undefined {
  for (let i = 0; i < compiled.windows.length; i++)
    if ((compiled.windows[i] ?? []).some(([s, e]) => minuteOfWeek >= s && minuteOfWeek < e)) return i;
  return undefined;
}

function stateAt(schedule: ScalingSchedule, compiled: Compiled, instantMs: number): DesiredState {
  const i = ruleAt(compiled, wallTimeAt(instantMs, schedule.timeZone).minuteOfWeek);
  if (i === undefined) return { value: valueOf(schedule.otherwise), because: 'otherwise' };
  const r = schedule.rules[i];
  return {
    value: valueOf(r ?? schedule.otherwise),
    ruleIndex: i,
    because: r ? `rules[${i}] (${r.days.join(',')} ${r.from}–${r.to})` : 'otherwise',
  };
}

/** Minutes of wall time from `minuteOfWeek` to the next boundary strictly after it. */
function minutesToNextBoundary(compiled: Compiled, minuteOfWeek: number): number | undefined {
  let best: number | undefined;
  for (const b of compiled.boundaries) {
    let d = (b - minuteOfWeek + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
    if (d === 0) d = MINUTES_PER_WEEK;
    if (best === undefined || d < best) best = d;
  }
  return best;
}

/** The desired value of `schedule` at `at`. */
export function desiredStateAt(schedule: ScalingSchedule, at: Date): DesiredState {
  return stateAt(schedule, compile(schedule), at.getTime());
}

/** The desired value at `at` and the next instant it changes. */
export function evaluateSchedule(schedule: ScalingSchedule, at: Date): DesiredStateWithNext {
  const compiled = compile(schedule);
  const start = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
  const now = stateAt(schedule, compiled, at.getTime());
  const offsetAt = (t: number) => wallTimeAt(t, schedule.timeZone).offsetMinutes;
  let t = start;
  while (t - start <= HORIZON_MS) {
    const wall = wallTimeAt(t, schedule.timeZone);
    const step = minutesToNextBoundary(compiled, wall.minuteOfWeek);
    if (step === undefined) return now; // no rules: `otherwise` holds for ever
    let next = t + step * MINUTE_MS;
    if (offsetAt(next) !== wall.offsetMinutes) {
      // The clock jumps between t and next: find the first minute on the new offset; the wall clock is
      // continuous up to there, so nothing changes before it.
      let lo = t;
      let hi = next;
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
        if (offsetAt(mid) === wall.offsetMinutes) lo = mid;
        else hi = mid;
      }
      next = hi;
    }
    const then = stateAt(schedule, compiled, next);
    if (!sameValue(then.value, now.value))
      return { ...now, nextChange: { at: new Date(next).toISOString(), value: then.value } };
    t = next;
  }
  return now;
}

export function describeDesired(state: DesiredState): string {
  return `${describeValue(state.value)} (${state.because})`;
}
