// `aks-aiops scale plan|recommend --cluster ID`: the scaling plan (desired vs current per stored schedule) and the
// learned recommendations (schedules per user pool, KRR-style requests per workload), with the same engine as
// GET /api/scaling/plan and GET /api/scaling/recommendations.
import { getConfig } from '../../shared/config/config.js';
import { ValidationError } from '../../shared/errors.js';
import { formatBytes } from '../../shared/kube/vocabulary/quantity.js';
import { readClusterFacts } from '../../shared/scaling/readClusterFacts.js';
import { parseClusterQuery, planCluster, type ClusterPlan } from '../../shared/scaling/scheduleService.js';
import { TableScheduleStore } from '../../shared/scaling/scheduleStore.js';
import {
  createUsageHistoryReader,
  parseRecommendationsQuery,
  recommendScaling,
  type ScalingRecommendations,
} from '../../shared/scaling/recommendations.js';
import { describeValue } from '../../shared/scaling/schedule.js';
import { defineCommand } from './args.js';

const USAGE = `Usage: aks-aiops scale plan --cluster ID [--json]
       aks-aiops scale recommend --cluster ID [--time-zone TZ] [--days N] [--target-utilization X] [--json]

plan       Desired vs current state of every stored schedule of the cluster, the action the timer would take and
           the next change time (reads the schedules from storage and the pools from ARM).
recommend  Learns from the cluster's Container insights history: a schedule per user pool (busy windows, node-hours
           saved per week, risk per window) and CPU/memory requests per workload (KRR simple strategy).

  --cluster ID               the AKS managed cluster resource id
  --time-zone TZ             time zone of the proposed schedules (default UTC)
  --days N                   days of history to learn from (1-90, default 28)
  --target-utilization X     share of allocatable a busy hour may fill (0.1-0.95, default 0.5)
  --json                     print the result as JSON

Exit codes: 0 done, 2 bad input or a failure.`;

function planText(plan: ClusterPlan): string {
  const lines = [
    `Cluster ${plan.clusterId} (${plan.provisioningState ?? '?'}, ${plan.powerState ?? '?'}) at ${plan.at}`,
  ];
  if (plan.plans.length === 0) lines.push('  no schedules stored for this cluster');
  for (const p of plan.plans) lines.push(`  ${p.summary}`);
  return `${lines.join('\n')}\n`;
}

const cores = (c: number | undefined) => (c === undefined ? 'none' : `${Math.round(c * 1000)}m`);
const bytes = (b: number | undefined) => (b === undefined ? 'none' : formatBytes(b));

export function recommendationsText(r: ScalingRecommendations): string {
  const lines = [`Recommendations for ${r.clusterId} (${r.window.from} .. ${r.window.to}, schedules in ${r.timeZone})`];
  lines.push('', 'Node pools:');
  for (const p of r.pools) {
    if (!p.schedule) {
      lines.push(`  ${p.pool}: no schedule — ${p.reason ?? 'nothing to recommend'}`);
      continue;
    }
    lines.push(
      `  ${p.pool}: saves ~${p.nodeHoursSavedPerWeek} node-hours/week (${p.basis.days} days, ${p.basis.hours} hours of data)`,
    );
    for (const rule of p.schedule.rules)
      lines.push(`    ${rule.days.join(',')} ${rule.from}-${rule.to}: ${describeValue(rule)}`);
    lines.push(`    otherwise: ${describeValue(p.schedule.otherwise)}`);
    for (const k of p.risk ?? [])
      lines.push(`    risk ${k.window}: peak ${Math.round(k.utilization * 100)}% of ${k.nodes} node(s) (${k.level})`);
  }
  lines.push('', 'Workloads:');
  for (const w of r.workloads) {
    const id = `${w.namespace}/${w.workload} [${w.container}]`;
    if (!w.recommended) {
      lines.push(`  ${id}: no recommendation — ${w.reason ?? ''}`);
      continue;
    }
    lines.push(
      `  ${id}: cpu ${cores(w.current.cpuRequestCores)} -> ${cores(w.recommended.cpuRequestCores)} (p95 ${cores(w.usage.cpuP95Cores)}), memory ${bytes(w.current.memoryRequestBytes)} -> ${bytes(w.recommended.memoryRequestBytes)} (peak ${bytes(w.usage.memoryPeakBytes)}); ${w.basis.days} days, ${w.basis.cpuSamples} samples`,
    );
  }
  for (const s of r.poolRequestSavings)
    lines.push(
      `  pool ${s.pool}: requests given back ${cores(s.cpuCores)} CPU, ${bytes(s.memoryBytes)} memory (${s.nodesFreed} node(s))`,
    );
  return `${lines.join('\n')}\n`;
}

export const scaleCommand = defineCommand({
  name: 'scale',
  summary: 'Scaling plan of a cluster, or learned schedules and requests (scale plan|recommend --cluster ID)',
  usage: USAGE,
  subcommand: {
    names: ['plan', 'recommend'],
    problem: (given) =>
      given === undefined ? 'scale: say plan or recommend' : `scale: unknown subcommand '${given}' (plan or recommend)`,
  },
  options: {
    cluster: { type: 'string' },
    'time-zone': { type: 'string' },
    days: { type: 'string' },
    'target-utilization': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  async run({ values, subcommand: sub }, io) {
    const config = getConfig();
    const facts = (clusterId: string, o: { abortSignal?: AbortSignal }) =>
      readClusterFacts(clusterId, { config, ...o });
    if (sub === 'plan') {
      if (values['time-zone'] || values.days || values['target-utilization'])
        throw new ValidationError('scale plan: --time-zone, --days and --target-utilization belong to scale recommend');
      const cluster = parseClusterQuery(values.cluster) ?? '';
      const plan = await planCluster(cluster, {
        store: await TableScheduleStore.open(config),
        readClusterFacts: facts,
      });
      io.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : planText(plan));
      return 0;
    }
    const { cluster, options } = parseRecommendationsQuery({
      cluster: values.cluster,
      timeZone: values['time-zone'],
      days: values.days,
      targetUtilization: values['target-utilization'],
    });
    const recs = await recommendScaling(
      cluster,
      { readClusterFacts: facts, readUsageHistory: createUsageHistoryReader(config) },
      options,
    );
    io.stdout.write(values.json ? `${JSON.stringify(recs, null, 2)}\n` : recommendationsText(recs));
    return 0;
  },
});
