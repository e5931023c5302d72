// The recommendations as cost.* sweep findings (info): one per user pool with a schedule that saves node-hours, one
// per workload whose requests are far from its usage. Pure; the evidence cites the KQL behind each number.
import type { FindingDraft } from '../sweep/analyzer.js';
import { parseManagedClusterId } from '../azure/arm/managedClusterId.js';
import { formatBytes } from '../kube/vocabulary/quantity.js';
import { describeValue } from './schedule.js';
import type { ScalingRecommendations } from './recommendations.js';
import type { WorkloadRecommendation } from './recommendRequests.js';
import type { WindowRisk } from './recommendSchedule.js';

/** A request is "far" from the recommendation when they differ by at least this share of the current request. */
export const REQUEST_CHANGE_THRESHOLD = 0.2;

const cores = (c: number) => `${Math.round(c * 1000)}m`;

function far(current: number | undefined, recommended: number): boolean {
  if (current === undefined || current <= 0) return true;
  return Math.abs(recommended - current) / current >= REQUEST_CHANGE_THRESHOLD;
}

function workloadFinding(w: WorkloadRecommendation, recs: ScalingRecommendations): FindingDraft | undefined {
  const r = w.recommended;
  if (!r || !w.saving) return undefined;
  const cpuFar = far(w.current.cpuRequestCores, r.cpuRequestCores);
  const memFar = far(w.current.memoryRequestBytes, r.memoryRequestBytes);
  if (!cpuFar && !memFar) return undefined;
  const now = (v: number | undefined, f: (x: number) => string) => (v === undefined ? 'none' : f(v));
  const parts = [
    `CPU request ${now(w.current.cpuRequestCores, cores)} -> ${cores(r.cpuRequestCores)} (p95 usage ${cores(w.usage.cpuP95Cores)})`,
    `memory request ${now(w.current.memoryRequestBytes, formatBytes)} -> ${formatBytes(r.memoryRequestBytes)} (peak working set ${formatBytes(w.usage.memoryPeakBytes)} + 15%)`,
  ];
  const given = w.saving.cpuCores >= 0 ? 'gives back' : 'asks for';
  return {
    check: 'cost.workload-requests',
    severity: 'info',
    kind: w.workloadKind,
    namespace: w.namespace,
    name: w.workload,
    message: `${w.workloadKind} ${w.namespace}/${w.workload} container ${w.container}: ${parts.join('; ')}. Across its ${w.pods} pod(s) this ${given} ${cores(Math.abs(w.saving.cpuCores))} CPU and ${formatBytes(Math.abs(w.saving.memoryBytes))} of memory requests.`,
    evidence: [
      `Container insights over ${w.basis.days} days: ${w.basis.cpuSamples} CPU and ${w.basis.memorySamples} memory samples from ${w.basis.podsSeen} pod(s)`,
      recs.queries.containerUsage ?? '',
    ].filter((e) => e !== ''),
    remediation: `Set resources.requests.cpu=${cores(r.cpuRequestCores)}, no CPU limit, and memory request and limit ${formatBytes(r.memoryRequestBytes)} on container ${w.container}.`,
    docsUrl: 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/',
  };
}

const clusterNameOf = (clusterId: string) => parseManagedClusterId(clusterId).name;

export function recommendationFindings(recs: ScalingRecommendations): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const p of recs.pools) {
    if (!p.schedule || !p.nodeHoursSavedPerWeek) continue;
    const busiest = p.risk?.reduce<WindowRisk | undefined>(
      (a, b) => (a === undefined || b.utilization > a.utilization ? b : a),
      undefined,
    );
    out.push({
      check: 'cost.pool-schedule',
      severity: 'info',
      kind: 'AgentPool',
      // Pool findings are named <cluster>/<pool>, as the ARM pool findings are (shared/azure/armFacts.ts).
      name: `${clusterNameOf(recs.clusterId)}/${p.pool}`,
      message: `Node pool ${p.pool} could follow a learned schedule (${p.schedule.rules.length} busy rule(s) in ${p.schedule.timeZone}, otherwise ${describeValue(p.schedule.otherwise)}) and save about ${p.nodeHoursSavedPerWeek} node-hours a week.`,
      evidence: [
        `Container insights over ${p.basis.days} days (${p.basis.hours} hourly aggregates), target utilization ${p.basis.targetUtilization}`,
        ...p.schedule.rules.map((r, i) => `rules[${i}]: ${r.days.join(',')} ${r.from}-${r.to} -> ${describeValue(r)}`),
        ...(busiest
          ? [
              `highest risk: ${busiest.window} peaks at ${Math.round(busiest.utilization * 100)}% of its capacity (${busiest.level})`,
            ]
          : []),
        recs.queries.poolHours ?? '',
      ].filter((e) => e !== ''),
      remediation: `Review it and store it: PUT /api/scaling/schedules/${p.suggestedName ?? `${p.pool}-learned`} with the schedule from GET /api/scaling/recommendations (plan mode first).`,
      docsUrl: 'https://learn.microsoft.com/azure/aks/scale-cluster',
    });
  }
  for (const w of recs.workloads) {
    const f = workloadFinding(w, recs);
    if (f) out.push(f);
  }
  return out;
}
