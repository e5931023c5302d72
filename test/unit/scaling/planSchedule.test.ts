// Desired vs current, and the safety refusals that need only ARM facts: a cluster not Succeeded, a pool being
// upgraded, pools of a stopped cluster. Each case says why the timer must (or may) act.
import { describe, expect, it } from '@jest/globals';
import { planSchedule } from '../../../shared/scaling/planSchedule.js';
import { parseSchedule } from '../../../shared/scaling/schedule.js';
import type { ClusterFacts } from '../../../shared/scaling/validateAgainstCluster.js';
import { berlinBusinessHours } from '../../support/schedules.js';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const NOW = new Date('2026-11-30T10:00:00Z'); // Monday 11:00 in Berlin

const facts = (over: Partial<ClusterFacts> = {}, pool: Record<string, unknown> = {}): ClusterFacts => ({
  clusterId: CLUSTER,
  provisioningState: 'Succeeded',
  powerState: 'Running',
  pools: [
    { name: 'system', mode: 'System', enableAutoScaling: false, count: 2, provisioningState: 'Succeeded' },
    {
      name: 'user',
      mode: 'User',
      enableAutoScaling: false,
      count: 3,
      provisioningState: 'Succeeded',
      orchestratorVersion: '1.32.5',
      currentOrchestratorVersion: '1.32.5',
      ...pool,
    },
  ],
  ...over,
});

// Business hours want 5 nodes; now is inside them.
const userPool = parseSchedule(
  'user',
  berlinBusinessHours({
    clusterId: CLUSTER,
    nodePool: 'user',
    during: { count: 5 },
    otherwise: { count: 1 },
    mode: 'apply',
  }),
);
const nights = parseSchedule(
  'nights',
  berlinBusinessHours({
    clusterId: CLUSTER,
    during: { power: 'Running' },
    otherwise: { power: 'Stopped' },
    mode: 'plan',
  }),
);

describe('planSchedule', () => {
  it('scales a pool that differs, with the reason and the next change', () => {
    expect(planSchedule(userPool, facts(), NOW)).toEqual({
      schedule: 'user',
      clusterId: CLUSTER,
      nodePool: 'user',
      mode: 'apply',
      desired: { count: 5 },
      because: 'rules[0] (Mon,Tue,Wed,Thu,Fri 08:00–18:00)',
      current: { count: 3 },
      action: { kind: 'scale', from: 3, to: 5 },
      nextChange: { at: '2026-11-30T17:00:00.000Z', value: { count: 1 } },
      summary: 'node pool user count 3 → 5 (rules[0] (Mon,Tue,Wed,Thu,Fri 08:00–18:00))',
    });
  });

  it('does nothing when ARM already matches, even if the cluster is busy', () => {
    // Nothing to write, so nothing to refuse: the plan says it is in sync.
    expect(planSchedule(userPool, facts({ provisioningState: 'Updating' }, { count: 5 }), NOW).action).toEqual({
      kind: 'none',
    });
  });

  it.each<[string, Partial<ClusterFacts>, Record<string, unknown>, RegExp]>([
    [
      'ARM rejects writes to a cluster mid-operation',
      { provisioningState: 'Updating' },
      {},
      /cluster provisioningState is Updating/,
    ],
    [
      'a failed cluster needs a person, not a timer',
      { provisioningState: 'Failed' },
      {},
      /provisioningState is Failed/,
    ],
    ['never scale a pool while it upgrades', {}, { provisioningState: 'Upgrading' }, /upgrading/],
    [
      'an upgrade whose version change is still rolling also counts',
      {},
      { orchestratorVersion: '1.33.1', currentOrchestratorVersion: '1.32.5' },
      /upgrading .*1\.32\.5 → 1\.33\.1/,
    ],
    ['pools of a stopped cluster cannot be scaled', { powerState: 'Stopped' }, {}, /cluster is stopped/],
    [
      'the pool turned its autoscaler on since the schedule was stored',
      {},
      { enableAutoScaling: true, minCount: 1, maxCount: 4 },
      /autoscaler on/,
    ],
  ])('skips: %s', (_why, cluster, pool, reason) => {
    const plan = planSchedule(userPool, facts(cluster, pool), NOW);
    expect(plan.action.kind).toBe('skip');
    expect(plan.action.kind === 'skip' && plan.action.reason).toMatch(reason);
  });

  it('starts and stops the cluster from power schedules', () => {
    expect(planSchedule(nights, facts({ powerState: 'Stopped' }), NOW)).toMatchObject({
      current: { power: 'Stopped' },
      action: { kind: 'start' },
      mode: 'plan',
    });
    const evening = new Date('2026-11-30T18:00:00Z');
    expect(planSchedule(nights, facts(), evening)).toMatchObject({
      action: { kind: 'stop' },
      desired: { power: 'Stopped' },
    });
    expect(planSchedule(nights, facts({ powerState: 'Stopped' }), evening).action).toEqual({ kind: 'none' });
  });
});
