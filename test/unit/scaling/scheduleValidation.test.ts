// Schedule validation: every refusal is a 400 whose problems name the field, for what the body alone shows
// (shape, overlapping rules, value kinds) and for what needs the pool's ARM facts (unknown pool, system pool to 0,
// value kind vs the pool's autoscaler mode). Each case says why it must be refused or accepted.
import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../../shared/errors.js';
import { parseSchedule, type ScalingSchedule } from '../../../shared/scaling/schedule.js';
import { scheduleProblems, type ClusterFacts } from '../../../shared/scaling/validateAgainstCluster.js';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'];

const base = {
  clusterId: CLUSTER,
  nodePool: 'user',
  timeZone: 'Europe/Berlin',
  rules: [{ days: WEEKDAYS, from: '08:00', to: '18:00', count: 3 }],
  otherwise: { count: 1 },
  mode: 'apply',
};

function problemsOf(body: unknown, name = 'business-hours'): string[] {
  try {
    parseSchedule(name, body);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).statusCode).toBe(400);
    return (err as ValidationError).problems;
  }
  return [];
}

describe('schedule shape', () => {
  it('accepts the issue example and defaults the mode to plan', () => {
    const { mode: _mode, ...withoutMode } = base;
    expect(parseSchedule('business-hours', withoutMode)).toEqual({
      name: 'business-hours',
      ...withoutMode,
      mode: 'plan',
    });
  });

  it.each<[string, unknown, string]>([
    // Each row: why it is wrong, the body, the start of the problem that must name the field.
    ['hour 25 does not exist', { ...base, rules: [{ ...base.rules[0], from: '25:00' }] }, 'rules[0].from:'],
    [
      'days are English three-letter names',
      { ...base, rules: [{ ...base.rules[0], days: ['Monday'] }] },
      'rules[0].days[0]:',
    ],
    ['a rule needs at least one day', { ...base, rules: [{ ...base.rules[0], days: [] }] }, 'rules[0].days:'],
    [
      'a day listed twice is a typo',
      { ...base, rules: [{ ...base.rules[0], days: ['Mon', 'Mon'] }] },
      'rules[0].days:',
    ],
    [
      'from = to is ambiguous (empty or whole day)',
      { ...base, rules: [{ ...base.rules[0], to: '08:00' }] },
      'rules[0].to:',
    ],
    ['24:00 only ends a day', { ...base, rules: [{ ...base.rules[0], from: '24:00', to: '06:00' }] }, 'rules[0].from:'],
    ['a time zone must be IANA', { ...base, timeZone: 'CET+1' }, 'timeZone:'],
    ['unknown fields are typos, not ignored', { ...base, rules: [{ ...base.rules[0], cnt: 3 }] }, 'rules[0]:'],
    ['counts are whole nodes', { ...base, otherwise: { count: 1.5 } }, 'otherwise.count:'],
    ['a pool has at most 1000 nodes', { ...base, otherwise: { count: 1001 } }, 'otherwise.count:'],
    ['a value of two kinds', { ...base, otherwise: { count: 1, minCount: 1, maxCount: 2 } }, 'otherwise:'],
    ['no value at all', { ...base, otherwise: {} }, 'otherwise:'],
    ['power is for cluster schedules', { ...base, otherwise: { power: 'Stopped' } }, 'otherwise.power:'],
    [
      'a cluster schedule (no nodePool) takes power only',
      { ...base, nodePool: undefined, otherwise: { power: 'Running' } },
      'rules[0]:',
    ],
    [
      'minCount above maxCount',
      {
        ...base,
        rules: [{ ...base.rules[0], count: undefined, minCount: 5, maxCount: 2 }],
        otherwise: { minCount: 1, maxCount: 2 },
      },
      'rules[0].minCount:',
    ],
    ['maxCount without minCount', { ...base, rules: [], otherwise: { maxCount: 2 } }, 'otherwise.minCount:'],
    [
      'count and min/max in one pool schedule: the autoscaler is either on or off',
      { ...base, otherwise: { minCount: 1, maxCount: 2 } },
      'rules:',
    ],
    ['a cluster id must be an ARM id', { ...base, clusterId: 'aks-sim' }, 'clusterId:'],
    ['AKS pool names are lowercase alphanumerics', { ...base, nodePool: 'User-Pool' }, 'nodePool:'],
    ['mode is apply or plan', { ...base, mode: 'dry-run' }, 'mode:'],
  ])('refuses: %s', (_why, body, field) => {
    const problems = problemsOf(body);
    expect(problems.some((p) => p.startsWith(field))).toBe(true);
  });

  it('refuses a bad schedule name', () => {
    expect(problemsOf(base, 'a/b')[0]).toMatch(/^name:/);
  });

  it('refuses overlapping rules and says where they overlap', () => {
    const problems = problemsOf({
      ...base,
      rules: [
        { days: WEEKDAYS, from: '08:00', to: '18:00', count: 3 },
        { days: ['Mon'], from: '17:00', to: '20:00', count: 5 },
      ],
    });
    expect(problems).toEqual(['rules[1]: overlaps rules[0] at Mon 17:00 (rules must not overlap)']);
  });

  it("refuses a midnight-crossing rule that runs into the next day's rule, also across the end of the week", () => {
    expect(
      problemsOf({
        ...base,
        rules: [
          { days: ['Sun'], from: '22:00', to: '02:00', count: 1 },
          { days: ['Mon'], from: '01:00', to: '03:00', count: 2 },
        ],
      }),
    ).toEqual(['rules[1]: overlaps rules[0] at Mon 01:00 (rules must not overlap)']);
  });

  it('accepts rules that touch without overlapping (to is exclusive)', () => {
    expect(
      problemsOf({
        ...base,
        rules: [
          { days: WEEKDAYS, from: '08:00', to: '12:00', count: 3 },
          { days: WEEKDAYS, from: '12:00', to: '18:00', count: 4 },
          { days: WEEKDAYS, from: '18:00', to: '08:00', count: 0 },
        ],
      }),
    ).toEqual([]);
  });
});

describe('schedule against the cluster (ARM pool facts)', () => {
  const cluster: ClusterFacts = {
    clusterId: CLUSTER,
    provisioningState: 'Succeeded',
    powerState: 'Running',
    pools: [
      { name: 'system', mode: 'System', enableAutoScaling: false, count: 2 },
      { name: 'user', mode: 'User', enableAutoScaling: false, count: 3 },
      { name: 'burst', mode: 'User', enableAutoScaling: true, count: 2, minCount: 1, maxCount: 5 },
    ],
  };
  const sched = (body: Record<string, unknown>): ScalingSchedule => parseSchedule('s', { ...base, ...body });

  it('accepts a user pool going to 0 nodes', () => {
    expect(scheduleProblems(sched({ otherwise: { count: 0 } }), cluster)).toEqual([]);
  });

  it('refuses an unknown pool and lists the pools there are', () => {
    expect(scheduleProblems(sched({ nodePool: 'gpu' }), cluster)).toEqual([
      "nodePool: the cluster has no node pool 'gpu' (it has system, user, burst)",
    ]);
  });

  it('refuses a system pool to 0, with count or with minCount', () => {
    expect(scheduleProblems(sched({ nodePool: 'system', otherwise: { count: 0 } }), cluster)).toEqual([
      "otherwise.count: 'system' is a System node pool and never goes below 1 node",
    ]);
    const autoscaled = { ...cluster, pools: [{ name: 'system', mode: 'System', enableAutoScaling: true }] };
    expect(
      scheduleProblems(
        sched({
          nodePool: 'system',
          rules: [{ days: ['Sat'], from: '00:00', to: '24:00', minCount: 0, maxCount: 3 }],
          otherwise: { minCount: 1, maxCount: 3 },
        }),
        autoscaled,
      ),
    ).toEqual(["rules[0].minCount: 'system' is a System node pool and never goes below 1 node"]);
  });

  it('refuses count for an autoscaled pool and minCount/maxCount for a manual one', () => {
    expect(scheduleProblems(sched({ nodePool: 'burst' }), cluster)).toEqual([
      "rules[0].count: node pool 'burst' has the cluster autoscaler on; give minCount and maxCount instead",
      "otherwise.count: node pool 'burst' has the cluster autoscaler on; give minCount and maxCount instead",
    ]);
    expect(scheduleProblems(sched({ rules: [], otherwise: { minCount: 1, maxCount: 4 } }), cluster)).toEqual([
      "otherwise.minCount: node pool 'user' has the cluster autoscaler off; give count instead",
    ]);
  });

  it('has nothing to check for a cluster power schedule', () => {
    expect(
      scheduleProblems(
        parseSchedule('s', { ...base, nodePool: undefined, rules: [], otherwise: { power: 'Stopped' } }),
        cluster,
      ),
    ).toEqual([]);
  });
});
