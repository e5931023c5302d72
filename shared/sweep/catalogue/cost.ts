// Catalogue entries of the cost family: the scaling recommendations (shared/scaling/recommendations.ts) as sweep
// findings, always info — they are proposals to review, not faults.
import type { CheckEntryOf } from './entry.js';

type CheckEntry = CheckEntryOf<'cost'>;

const AKS = 'https://learn.microsoft.com/azure/aks';

export const COST_CHECKS: readonly CheckEntry[] = [
  {
    id: 'cost.pool-schedule',
    severity: 'info',
    family: 'cost',
    state: 'live',
    title: 'Node pool could follow a learned schedule',
    why: "Weeks of the pool's own usage show quiet hours in which it runs more nodes than its pods need; a schedule saves the node-hours.",
    fix: 'Review the proposed schedule (GET /api/scaling/recommendations or `aks-aiops scale recommend`) and store it with PUT /api/scaling/schedules/{name}.',
    docsUrl: `${AKS}/scale-cluster`,
  },
  {
    id: 'cost.workload-requests',
    severity: 'info',
    family: 'cost',
    state: 'live',
    title: "Requests far from the workload's usage",
    why: 'Requests well above usage hold node capacity nobody uses; requests below usage let the scheduler overpack nodes (throttling, evictions).',
    fix: 'Set the CPU request to the p95 of usage and memory request and limit to the peak working set plus 15% (KRR simple strategy).',
    docsUrl: 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
  },
];
