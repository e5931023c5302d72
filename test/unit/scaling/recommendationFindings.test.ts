// The recommendations as cost.* findings: info severity, one per pool schedule that saves node-hours, one per
// workload whose requests are at least 20% away from the recommendation; small differences and refusals are quiet.
import { describe, expect, it } from '@jest/globals';
import { recommendationFindings } from '../../../shared/scaling/recommendationFindings.js';
import type { ScalingRecommendations } from '../../../shared/scaling/recommendations.js';
import type { WorkloadRecommendation } from '../../../shared/scaling/recommendRequests.js';
import { checkEntry } from '../../../shared/sweep/catalogue.js';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks';
const MIB = 1024 ** 2;

function workload(name: string, cpuRequest: number, recommendedCpu: number): WorkloadRecommendation {
  return {
    namespace: 'shop',
    workloadKind: 'Deployment',
    workload: name,
    container: name,
    pods: 2,
    pool: 'user',
    current: { cpuRequestCores: cpuRequest, cpuLimitCores: null, memoryRequestBytes: 256 * MIB },
    usage: { cpuP95Cores: recommendedCpu, cpuPeakCores: recommendedCpu, memoryPeakBytes: 200 * MIB },
    recommended: {
      cpuRequestCores: recommendedCpu,
      cpuLimitCores: null,
      memoryRequestBytes: 230 * MIB,
      memoryLimitBytes: 230 * MIB,
    },
    saving: { cpuCores: (cpuRequest - recommendedCpu) * 2, memoryBytes: 52 * MIB },
    basis: { days: 21, cpuSamples: 1000, memorySamples: 1000, podsSeen: 2 },
  };
}

const recs: ScalingRecommendations = {
  clusterId: CLUSTER,
  generatedAt: '2026-11-30T12:00:00.000Z',
  window: { from: '2026-11-02T12:00:00.000Z', to: '2026-11-30T12:00:00.000Z', days: 28 },
  timeZone: 'UTC',
  method: [],
  pools: [
    {
      pool: 'user',
      mode: 'User',
      schedule: {
        rules: [{ days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '07:00', to: '19:00', minCount: 4, maxCount: 8 }],
        otherwise: { minCount: 1, maxCount: 8 },
        timeZone: 'Europe/Berlin',
        clusterId: CLUSTER,
        nodePool: 'user',
        mode: 'plan',
      },
      suggestedName: 'user-learned',
      nodeHoursSavedPerWeek: 354,
      risk: [],
      basis: { days: 21, hours: 504, targetUtilization: 0.5 },
    },
    { pool: 'batch', mode: 'User', reason: 'not enough data', basis: { days: 3, hours: 72, targetUtilization: 0.5 } },
  ],
  workloads: [
    workload('web', 1, 0.1), // 90% lower: reported
    workload('api', 0.2, 0.6), // three times its request: reported (asks for more)
    workload('cart', 0.5, 0.45), // 10% lower, and memory within 20%: quiet
    { ...workload('new', 1, 0.1), recommended: undefined, saving: undefined, reason: 'not enough data' },
  ],
  poolRequestSavings: [],
  queries: { poolHours: 'Perf | take 1', containerUsage: 'Perf | take 2' },
};

describe('recommendationFindings', () => {
  const findings = recommendationFindings(recs);

  it('reports the schedule and the far-off workloads only, all info and in the catalogue', () => {
    expect(findings.map((f) => [f.check, f.name])).toEqual([
      ['cost.pool-schedule', 'aks/user'],
      ['cost.workload-requests', 'web'],
      ['cost.workload-requests', 'api'],
    ]);
    for (const f of findings) {
      expect(f.severity).toBe('info');
      expect(checkEntry(f.check)?.family).toBe('cost');
    }
  });

  it('says what the schedule saves and what each workload should request, citing the query', () => {
    expect(findings[0]?.message).toBe(
      'Node pool user could follow a learned schedule (1 busy rule(s) in Europe/Berlin, otherwise minCount 1, maxCount 8) and save about 354 node-hours a week.',
    );
    expect(findings[0]?.evidence).toContain('rules[0]: Mon,Tue,Wed,Thu,Fri 07:00-19:00 -> minCount 4, maxCount 8');
    expect(findings[1]?.message).toContain('CPU request 1000m -> 100m (p95 usage 100m)');
    expect(findings[1]?.message).toContain('gives back 1800m CPU');
    expect(findings[2]?.message).toContain('asks for 800m CPU');
    expect(findings[1]?.evidence).toEqual([
      'Container insights over 21 days: 1000 CPU and 1000 memory samples from 2 pod(s)',
      'Perf | take 2',
    ]);
  });
});
