// The schedule contract (issue 18): a schedule belongs to one cluster and either one node pool or the whole
// cluster, is written in an IANA time zone, and has rules by weekday and wall-clock window plus the value that
// holds outside every rule. This module parses and checks what can be checked without ARM; the checks that need the
// pool's facts (unknown pool, system pool to 0, value kind vs autoscaler mode) are in validateAgainstCluster.ts.
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { isManagedClusterId } from '../azure/arm/managedClusterId.js';
import {
  MINUTES_PER_DAY,
  MINUTES_PER_WEEK,
  WEEKDAYS,
  formatClockTime,
  isKnownTimeZone,
  parseClockTime,
  type Weekday,
} from './wallClock.js';

/** AKS caps a node pool at 1000 nodes (https://learn.microsoft.com/azure/aks/quotas-skus-regions). */
export const MAX_POOL_NODES = 1000;

export type PowerState = 'Running' | 'Stopped';
export type CountValue = { count: number };
export type AutoscaleValue = { minCount: number; maxCount: number };
export type PowerValue = { power: PowerState };
export type ScheduleValue = CountValue | AutoscaleValue | PowerValue;
export type ValueKind = 'count' | 'autoscale' | 'power';

export type ScheduleMode = 'apply' | 'plan';

export type ScheduleRule = { days: Weekday[]; from: string; to: string } & ScheduleValue;

export interface ScalingSchedule {
  name: string;
  clusterId: string;
  /** Absent: the schedule is for the whole cluster (power). */
  nodePool?: string;
  timeZone: string;
  rules: ScheduleRule[];
  otherwise: ScheduleValue;
  mode: ScheduleMode;
}

/** Schedule names are table row keys and URL path segments: keep them to a safe alphabet. */
export const SCHEDULE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const nodes = z.number().int().min(0).max(MAX_POOL_NODES);
const clock = z
  .string()
  .refine((s) => parseClockTime(s) !== undefined, 'must be a wall-clock time HH:MM (00:00–24:00)');

/** The value fields, flattened into a rule or given alone as `otherwise`. Exactly one kind per object. */
const valueFields = {
  count: nodes.optional(),
  minCount: nodes.optional(),
  maxCount: nodes.optional(),
  power: z.enum(['Running', 'Stopped']).optional(),
};

const ruleSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS)).min(1),
  from: clock,
  to: clock,
  ...valueFields,
});

const otherwiseSchema = z.strictObject(valueFields);

export const scheduleBodySchema = z.strictObject({
  clusterId: z.string().refine(isManagedClusterId, 'must be an AKS managed cluster resource id'),
  nodePool: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,11}$/, 'must be an AKS node pool name (lowercase letters and digits, at most 12)')
    .optional(),
  timeZone: z.string().refine(isKnownTimeZone, 'must be an IANA time zone name such as Europe/Berlin'),
  rules: z.array(ruleSchema).max(50),
  otherwise: otherwiseSchema,
  mode: z.enum(['apply', 'plan']).default('plan'),
});

type RawValue = { count?: number; minCount?: number; maxCount?: number; power?: PowerState };

/** "rules[1].from" from a zod path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out;
}

function valueKind(v: RawValue): ValueKind | 'mixed' | 'none' {
  const kinds = new Set<ValueKind>();
  if (v.count !== undefined) kinds.add('count');
  if (v.minCount !== undefined || v.maxCount !== undefined) kinds.add('autoscale');
  if (v.power !== undefined) kinds.add('power');
  if (kinds.size === 0) return 'none';
  if (kinds.size > 1) return 'mixed';
  return [...kinds][0] as ValueKind;
}

export function kindOf(value: ScheduleValue): ValueKind {
  return 'power' in value ? 'power' : 'count' in value ? 'count' : 'autoscale';
}

/** The value part of a rule (or of `otherwise`), without days/from/to. */
export function valueOf(v: RawValue): ScheduleValue {
  if (v.power !== undefined) return { power: v.power };
  if (v.count !== undefined) return { count: v.count };
  return { minCount: v.minCount ?? 0, maxCount: v.maxCount ?? 0 };
}

export function sameValue(a: ScheduleValue, b: ScheduleValue): boolean {
  return JSON.stringify(valueOf(a)) === JSON.stringify(valueOf(b));
}

export function describeValue(v: ScheduleValue): string {
  if ('power' in v) return `power ${v.power}`;
  if ('count' in v) return `count ${v.count}`;
  return `minCount ${v.minCount}, maxCount ${v.maxCount}`;
}

/** A rule's windows in minutes of the week, [start, end), split at the end of Sunday. */
export function ruleWindows(rule: Pick<ScheduleRule, 'days' | 'from' | 'to'>): Array<[number, number]> {
  const from = parseClockTime(rule.from) ?? 0;
  const to = parseClockTime(rule.to) ?? 0;
  // to <= from: the window crosses midnight and ends on the next day.
  const length = to > from ? to - from : MINUTES_PER_DAY - from + to;
  const out: Array<[number, number]> = [];
  for (const day of rule.days) {
    const start = WEEKDAYS.indexOf(day) * MINUTES_PER_DAY + from;
    const end = start + length;
    if (end <= MINUTES_PER_WEEK) out.push([start, end]);
    else out.push([start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]);
  }
  return out;
}

function describeMinuteOfWeek(m: number): string {
  return `${WEEKDAYS[Math.floor(m / MINUTES_PER_DAY) % 7]} ${formatClockTime(m % MINUTES_PER_DAY)}`;
}

/** Checks that need no ARM facts; every problem names its field. */
function checkShape(body: z.infer<typeof scheduleBodySchema>): string[] {
  const problems: string[] = [];
  const values: Array<{ field: string; value: RawValue }> = [
    ...body.rules.map((r, i) => ({ field: `rules[${i}]`, value: r })),
    { field: 'otherwise', value: body.otherwise },
  ];
  const expected = body.nodePool === undefined ? 'power' : undefined;
  const kinds = new Set<ValueKind>();
  for (const { field, value } of values) {
    const kind = valueKind(value);
    if (kind === 'none')
      problems.push(`${field}: needs a value: count, minCount and maxCount, or power (cluster schedules)`);
    else if (kind === 'mixed')
      problems.push(`${field}: give exactly one kind of value (count, minCount/maxCount or power)`);
    else {
      kinds.add(kind);
      if (expected === 'power' && kind !== 'power')
        problems.push(
          `${field}: a schedule without nodePool is for the whole cluster and takes {"power": "Running" | "Stopped"}`,
        );
      if (body.nodePool !== undefined && kind === 'power')
        problems.push(
          `${field}.power: power applies to the whole cluster; a node pool schedule takes count or minCount/maxCount`,
        );
      if (kind === 'autoscale') {
        if (value.minCount === undefined) problems.push(`${field}.minCount: required with maxCount`);
        if (value.maxCount === undefined) problems.push(`${field}.maxCount: required with minCount`);
        if (value.minCount !== undefined && value.maxCount !== undefined) {
          if (value.maxCount < 1)
            problems.push(`${field}.maxCount: must be at least 1 (the cluster autoscaler needs room to scale)`);
          if (value.minCount > value.maxCount) problems.push(`${field}.minCount: must not exceed maxCount`);
        }
      }
    }
  }
  if (body.nodePool !== undefined && kinds.has('count') && kinds.has('autoscale'))
    problems.push(
      "rules: every value of a node pool schedule is of one kind, count or minCount/maxCount, as the pool's autoscaler is either off or on",
    );

  body.rules.forEach((rule, i) => {
    if (rule.from === rule.to)
      problems.push(`rules[${i}].to: equals from; a whole day is "from": "00:00", "to": "24:00"`);
    if (rule.from === '24:00') problems.push(`rules[${i}].from: 24:00 is only valid as an end time`);
    const seen = new Set<string>();
    for (const d of rule.days) {
      if (seen.has(d)) problems.push(`rules[${i}].days: ${d} is listed twice`);
      seen.add(d);
    }
  });
  if (problems.length > 0) return problems;

  // Overlapping rules are refused rather than ordered: with two values for one instant neither the person reading
  // the schedule nor the timer could tell which one holds.
  const windows = body.rules.map((r) => ruleWindows(r));
  for (let i = 0; i < windows.length; i++)
    for (let j = i + 1; j < windows.length; j++) {
      const clash = firstOverlap(windows[i] ?? [], windows[j] ?? []);
      if (clash !== undefined)
        problems.push(`rules[${j}]: overlaps rules[${i}] at ${describeMinuteOfWeek(clash)} (rules must not overlap)`);
    }
  return problems;
}

function firstOverlap(a: Array<[number, number]>, b: Array<[number, number]>): number | undefined {
  let first: number | undefined;
  for (const [s1, e1] of a)
    for (const [s2, e2] of b) {
      const s = Math.max(s1, s2);
      if (s < Math.min(e1, e2) && (first === undefined || s < first)) first = s;
    }
  return first;
}

/**
 * Parses a PUT body for schedule `name`. Throws {@link ValidationError} (400) whose problems each start with the
 * field they concern, e.g. `rules[1].from: must be a wall-clock time HH:MM`.
 */
export function parseSchedule(name: string, body: unknown): ScalingSchedule {
  if (!SCHEDULE_NAME.test(name))
    throw new ValidationError(`Invalid schedule name '${name}'`, {
      problems: ['name: letters, digits, ".", "_" and "-", starting with a letter or digit, at most 63 characters'],
    });
  const parsed = scheduleBodySchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${fieldPath(i.path) || 'body'}: ${i.message}`);
    throw new ValidationError(`Invalid schedule: ${problems.join('; ')}`, { problems });
  }
  const problems = checkShape(parsed.data);
  if (problems.length > 0) throw new ValidationError(`Invalid schedule: ${problems.join('; ')}`, { problems });
  const b = parsed.data;
  const schedule: ScalingSchedule = {
    name,
    clusterId: b.clusterId,
    timeZone: b.timeZone,
    rules: b.rules.map((r) => ({ days: r.days, from: r.from, to: r.to, ...valueOf(r) })),
    otherwise: valueOf(b.otherwise),
    mode: b.mode,
  };
  if (b.nodePool !== undefined) schedule.nodePool = b.nodePool;
  return schedule;
}
