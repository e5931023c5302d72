// The sweep period a moment belongs to: the latest occurrence of SWEEP_SCHEDULE at or before it. Every timer run in
// one period (an overlapping or repeated run, a run started by hand) names a cluster's sweep with the same id, so
// the worker can tell a duplicate from a new sweep (sweepClaims.ts).
import { CronExpressionParser } from 'cron-parser';
import { newSweepId } from './summarize.js';

/** Start of the period of `now` under an NCRONTAB schedule (six fields, seconds first; evaluated in UTC). */
export function periodStart(schedule: string, now: Date): Date {
  // prev() is strictly before currentDate: one millisecond later makes an occurrence at exactly `now` count.
  const cron = CronExpressionParser.parse(schedule, { currentDate: new Date(now.getTime() + 1), tz: 'UTC' });
  return cron.prev().toDate();
}

/** The idempotent sweep key of a cluster in the period of `now`. */
export function periodSweepId(schedule: string, now: Date, clusterId: string): string {
  return newSweepId(periodStart(schedule, now), clusterId);
}
