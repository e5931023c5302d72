// A learned schedule for one node pool: from weeks of the pool's hourly usage, requests and allocatable, the nodes
// each hour of the week needs, then busy windows (hours that need more than the quietest level) as rules and the
// quiet level as `otherwise` — in the exact body of PUT /api/scaling/schedules/{name}, in plan mode, so a person
// reviews it, stores it, and flips it to apply.
//
// What an hour needs: enough nodes that (a) the pods' requests fit on allocatable, and (b) the hour's peak CPU and
// memory working set fill at most `targetUtilization` of allocatable. Of all the weeks seen, the busiest occurrence
// of each hour of the week decides (one quiet week never shrinks a Monday morning). Pure: data in, proposal out.
import { MAX_POOL_NODES, parseSchedule, type ScheduleRule, type ScheduleValue } from './schedule.js';
import type { PoolFacts } from './validateAgainstCluster.js';
import { WEEKDAYS, formatClockTime, wallTimeAt, type Weekday } from './wallClock.js';
import { HOUR_MS, type PoolHour } from './usageHistory.js';

export const HOURS_PER_WEEK = 168;
/** The schedules API's limit on rules (schedule.ts). */
const MAX_RULES = 50;

export interface ScheduleRecommendationOptions {
  /** Share of allocatable the busiest hour may fill (default 0.5: a window keeps half its nodes spare). */
  targetUtilization?: number;
  /** Days of data a schedule needs at least (default 14: every hour of the week seen twice). */
  minDays?: number;
  /** Quiet gaps shorter than this many hours are kept busy: scaling in for one hour costs more than it saves. */
  minQuietHours?: number;
}

export const SCHEDULE_DEFAULTS: Required<ScheduleRecommendationOptions> = {
  targetUtilization: 0.5,
  minDays: 14,
  minQuietHours: 2,
};

export interface WindowRisk {
  /** `rules[i]` or `otherwise`. */
  window: string;
  nodes: number;
  peakCpuCores: number;
  cpuCapacityCores: number;
  peakMemoryBytes: number;
  memoryCapacityBytes: number;
  /** Peak use over the window's capacity, the larger of CPU and memory (0..). */
  utilization: number;
  level: 'low' | 'medium' | 'high';
}

export interface PoolScheduleRecommendation {
  pool: string;
  mode: string;
  /** The PUT /api/scaling/schedules/{name} body; absent when there is nothing to recommend (see `reason`). */
  schedule?: {
    clusterId: string;
    nodePool: string;
    timeZone: string;
    rules: ScheduleRule[];
    otherwise: ScheduleValue;
    mode: 'plan';
  };
  /** A name to store it under. */
  suggestedName?: string;
  /** Nodes each hour of the week needs (index 0 = Monday 00:00 local), and what ran there on average. */
  neededNodes?: number[];
  observedNodes?: number[];
  nodeHoursSavedPerWeek?: number;
  risk?: WindowRisk[];
  basis: { days: number; hours: number; from?: string; to?: string; targetUtilization: number };
  reason?: string;
}

function median(values: number[]): number {
  const s = values.filter((v) => v > 0).sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] ?? 0);
}

/** Nodes an hour needs for its requests and for its peak usage at the target utilization. */
function nodesNeeded(h: PoolHour, perNode: { cpu: number; memory: number }, target: number): number {
  if (perNode.cpu <= 0 || perNode.memory <= 0) return h.nodes;
  return Math.max(
    Math.ceil(h.cpuRequestedCores / perNode.cpu - 1e-9),
    Math.ceil(h.memoryRequestedBytes / perNode.memory - 1e-9),
    Math.ceil(h.cpuUsageCores.peak / (perNode.cpu * target) - 1e-9),
    Math.ceil(h.memoryWorkingSetBytes.peak / (perNode.memory * target) - 1e-9),
  );
}

/** Runs of busy hours (need > quiet) around the week, with short quiet gaps filled. */
function busyRuns(need: number[], quiet: number, minQuietHours: number): boolean[] {
  const busy = need.map((n) => n > quiet);
  if (!busy.some(Boolean) || busy.every(Boolean)) return busy;
  // Fill quiet gaps shorter than minQuietHours (the week wraps around: Sunday night meets Monday morning).
  const start = busy.indexOf(true);
  let i = 0;
  while (i < HOURS_PER_WEEK) {
    const at = (start + i) % HOURS_PER_WEEK;
    if (busy[at]) {
      i++;
      continue;
    }
    let len = 0;
    while (len < HOURS_PER_WEEK && !busy[(at + len) % HOURS_PER_WEEK]) len++;
    if (len < minQuietHours) for (let k = 0; k < len; k++) busy[(at + k) % HOURS_PER_WEEK] = true;
    i += len;
  }
  return busy;
}

interface Window {
  day: Weekday;
  from: number;
  to: number;
  nodes: number;
}

/** Busy hours as per-day windows (split at local midnight), each at the most any of its hours needs. */
function windowsOf(busy: boolean[], need: number[]): Window[] {
  const out: Window[] = [];
  for (let d = 0; d < 7; d++) {
    let h = 0;
    while (h < 24) {
      if (!busy[d * 24 + h]) {
        h++;
        continue;
      }
      const from = h;
      let nodes = 0;
      while (h < 24 && busy[d * 24 + h]) nodes = Math.max(nodes, need[d * 24 + h++] ?? 0);
      out.push({ day: WEEKDAYS[d] as Weekday, from, to: h, nodes });
    }
  }
  return out;
}

function valueFor(pool: PoolFacts, nodes: number): ScheduleValue {
  if (!pool.enableAutoScaling) return { count: nodes };
  // The autoscaler stays in charge above the floor: keep the pool's own ceiling (never below the floor).
  return { minCount: nodes, maxCount: Math.max(nodes, pool.maxCount ?? nodes, 1) };
}

/** Windows with the same hours and value on several days become one rule listing those days. */
function rulesOf(pool: PoolFacts, windows: Window[]): ScheduleRule[] {
  const groups = new Map<string, { days: Weekday[]; w: Window }>();
  for (const w of windows) {
    const key = `${w.from}|${w.to}|${w.nodes}`;
    const g = groups.get(key);
    if (g) g.days.push(w.day);
    else groups.set(key, { days: [w.day], w });
  }
  return [...groups.values()].map(({ days, w }) => ({
    days,
    from: formatClockTime(w.from * 60),
    to: formatClockTime(w.to * 60),
    ...valueFor(pool, w.nodes),
  }));
}

function riskOf(
  window: string,
  slots: number[],
  nodes: number,
  peaks: { cpu: number[]; memory: number[] },
  perNode: { cpu: number; memory: number },
): WindowRisk {
  const peakCpuCores = Math.max(0, ...slots.map((s) => peaks.cpu[s] ?? 0));
  const peakMemoryBytes = Math.max(0, ...slots.map((s) => peaks.memory[s] ?? 0));
  const cpuCapacityCores = nodes * perNode.cpu;
  const memoryCapacityBytes = nodes * perNode.memory;
  const ratio = (used: number, cap: number) => (cap > 0 ? used / cap : used > 0 ? Infinity : 0);
  const utilization = Math.max(ratio(peakCpuCores, cpuCapacityCores), ratio(peakMemoryBytes, memoryCapacityBytes));
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    window,
    nodes,
    peakCpuCores: round(peakCpuCores),
    cpuCapacityCores: round(cpuCapacityCores),
    peakMemoryBytes: Math.round(peakMemoryBytes),
    memoryCapacityBytes: Math.round(memoryCapacityBytes),
    utilization: Number.isFinite(utilization) ? round(utilization) : 999,
    level: utilization < 0.7 ? 'low' : utilization < 0.9 ? 'medium' : 'high',
  };
}

/** Proposes a schedule for `pool` from its hourly history (`hours` of that pool only). */
export function recommendPoolSchedule(
  clusterId: string,
  pool: PoolFacts,
  hours: readonly PoolHour[],
  timeZone: string,
  options: ScheduleRecommendationOptions = {},
): PoolScheduleRecommendation {
  const o = { ...SCHEDULE_DEFAULTS, ...options };
  const sorted = [...hours].sort((a, b) => a.hourMs - b.hourMs);
  const first = sorted[0]?.hourMs;
  const last = sorted[sorted.length - 1]?.hourMs;
  const days = first === undefined || last === undefined ? 0 : (last + HOUR_MS - first) / (24 * HOUR_MS);
  const basis = {
    days: Math.round(days * 10) / 10,
    hours: sorted.length,
    ...(first !== undefined ? { from: new Date(first).toISOString() } : {}),
    ...(last !== undefined ? { to: new Date(last + HOUR_MS).toISOString() } : {}),
    targetUtilization: o.targetUtilization,
  };
  const base = { pool: pool.name, mode: pool.mode, basis };
  if (days < o.minDays)
    return {
      ...base,
      reason: `not enough data: ${basis.days} days of Container insights data for pool ${pool.name}; a schedule needs at least ${o.minDays} days (every hour of the week seen twice)`,
    };

  const perNode = {
    cpu: median(sorted.map((h) => (h.nodes > 0 ? h.cpuAllocatableCores / h.nodes : 0))),
    memory: median(sorted.map((h) => (h.nodes > 0 ? h.memoryAllocatableBytes / h.nodes : 0))),
  };
  if (perNode.cpu <= 0 || perNode.memory <= 0)
    return { ...base, reason: `no allocatable CPU/memory recorded for the nodes of pool ${pool.name}` };

  const floor = pool.mode === 'System' ? 1 : 0;
  const need = new Array<number>(HOURS_PER_WEEK).fill(-1);
  const observedSum = new Array<number>(HOURS_PER_WEEK).fill(0);
  const observedCount = new Array<number>(HOURS_PER_WEEK).fill(0);
  const peaks = { cpu: new Array<number>(HOURS_PER_WEEK).fill(0), memory: new Array<number>(HOURS_PER_WEEK).fill(0) };
  for (const h of sorted) {
    const slot = Math.floor(wallTimeAt(h.hourMs, timeZone).minuteOfWeek / 60);
    const n = Math.min(MAX_POOL_NODES, Math.max(floor, nodesNeeded(h, perNode, o.targetUtilization)));
    need[slot] = Math.max(need[slot] ?? -1, n);
    observedSum[slot] = (observedSum[slot] ?? 0) + h.nodes;
    observedCount[slot] = (observedCount[slot] ?? 0) + 1;
    peaks.cpu[slot] = Math.max(peaks.cpu[slot] ?? 0, h.cpuUsageCores.peak);
    peaks.memory[slot] = Math.max(peaks.memory[slot] ?? 0, h.memoryWorkingSetBytes.peak);
  }
  const missing = need.filter((n) => n < 0).length;
  if (missing > 0)
    return {
      ...base,
      reason: `not enough data: ${missing} of the 168 hours of the week have no samples for pool ${pool.name}; a schedule needs every hour of the week`,
    };
  const observed = observedSum.map((s, i) => Math.round((s / Math.max(1, observedCount[i] ?? 0)) * 100) / 100);

  const quiet = Math.min(...need);
  const busy = busyRuns(need, quiet, o.minQuietHours);
  let windows = windowsOf(busy, need);
  // The schedules API takes at most 50 rules: a ragged week is flattened to one busy level before giving up.
  if (rulesOf(pool, windows).length > MAX_RULES) {
    const top = Math.max(...windows.map((w) => w.nodes));
    windows = windows.map((w) => ({ ...w, nodes: top }));
  }
  if (rulesOf(pool, windows).length > MAX_RULES)
    return {
      ...base,
      neededNodes: need,
      reason: `pool ${pool.name}'s busy hours are too irregular for ${MAX_RULES} weekly rules; no schedule proposed`,
    };
  const scheduled = need.map((_, slot) => {
    if (!busy[slot]) return quiet;
    const d = Math.floor(slot / 24);
    const w = windows.find((x) => x.day === WEEKDAYS[d] && slot % 24 >= x.from && slot % 24 < x.to);
    return w?.nodes ?? quiet;
  });
  const saved = observed.reduce((sum, obs, slot) => sum + Math.max(0, obs - (scheduled[slot] ?? 0)), 0);
  const savedRounded = Math.round(saved * 10) / 10;
  const rules = rulesOf(pool, windows);
  const schedule = {
    clusterId,
    nodePool: pool.name,
    timeZone,
    rules,
    otherwise: valueFor(pool, quiet),
    mode: 'plan' as const,
  };
  const suggestedName = `${pool.name}-learned`;
  // The proposal must be a schedule the API accepts: parse it as a PUT body would be.
  parseSchedule(suggestedName, schedule);
  const slotsOf = (pred: (slot: number) => boolean) => Array.from({ length: HOURS_PER_WEEK }, (_, s) => s).filter(pred);
  const risk = [
    ...rules.map((r, i) =>
      riskOf(
        `rules[${i}]`,
        slotsOf((s) => {
          const d = WEEKDAYS[Math.floor(s / 24)] as Weekday;
          const h = (s % 24) * 60;
          return r.days.includes(d) && h >= Number(r.from.slice(0, 2)) * 60 && h < Number(r.to.slice(0, 2)) * 60;
        }),
        'count' in r ? r.count : 'minCount' in r ? r.minCount : 0,
        peaks,
        perNode,
      ),
    ),
    riskOf(
      'otherwise',
      slotsOf((s) => !busy[s]),
      quiet,
      peaks,
      perNode,
    ),
  ];
  const flat = rules.length === 0 && observed.every((x) => x <= quiet);
  return {
    ...base,
    ...(flat || savedRounded <= 0
      ? {
          reason: `no saving: pool ${pool.name} needs ${Math.max(...need)} node(s) at its busiest and already runs no more than that`,
        }
      : { schedule, suggestedName, nodeHoursSavedPerWeek: savedRounded }),
    neededNodes: need,
    observedNodes: observed,
    risk,
  };
}
