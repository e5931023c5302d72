// Recommendations for one cluster (issue 18, item 4): a learned schedule per user pool and KRR-style requests per
// workload, from the cluster's own Container insights history, with the ARM pool facts the schedules must fit.
// Used by GET /api/scaling/recommendations, the sweep's cost.* findings and `aks-aiops scale recommend`.
import { LogsQueryClient } from '@azure/monitor-query-logs';
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config/config.js';
import { AksAiopsError, RemoteServiceError, ValidationError, ensureErrorType } from '../errors.js';
import { getManagedIdentityCredential } from '../azure/credential.js';
import { redactSecrets } from '../observability/logger.js';
import { DEFAULT_SWEEP_SETTINGS } from '../sweep/analyzer.js';
import type { InsightsScope } from '../diagnostics/evidence/logAnalyticsEvidence.js';
import { z } from 'zod';
import { isManagedClusterId } from '../azure/arm/managedClusterId.js';
import { isKnownTimeZone } from './wallClock.js';
import { fieldPath } from './schedule.js';
import type { ClusterFacts } from './validateAgainstCluster.js';
import { readUsageHistory, type UsageHistory, type UsageHistoryOptions } from './usageHistory.js';
import { recommendPoolSchedule, SCHEDULE_DEFAULTS, type PoolScheduleRecommendation } from './recommendSchedule.js';
import {
  recommendRequests,
  RIGHTSIZING_DEFAULTS,
  type PoolRequestSaving,
  type WorkloadRecommendation,
} from './recommendRequests.js';

export interface RecommendationOptions {
  /** Time zone the proposed schedules are written in (default UTC). */
  timeZone?: string;
  /** Days of history read (default 28). */
  days?: number;
  /** Share of allocatable a busy hour may fill (default 0.5). */
  targetUtilization?: number;
}

export interface ScalingRecommendations {
  clusterId: string;
  generatedAt: string;
  window: { from: string; to: string; days: number };
  timeZone: string;
  /** What the numbers rest on, in words, for the person reading them. */
  method: string[];
  pools: PoolScheduleRecommendation[];
  workloads: WorkloadRecommendation[];
  poolRequestSavings: PoolRequestSaving[];
  /** The KQL behind every number. */
  queries: Record<string, string>;
}

export type UsageHistoryReader = (clusterId: string, options: UsageHistoryOptions) => Promise<UsageHistory>;

export interface RecommendationDeps {
  /** How to read the pools from ARM; not needed when the caller already has them (the sweep). */
  readClusterFacts?: (clusterId: string, options: { abortSignal?: AbortSignal }) => Promise<ClusterFacts>;
  readUsageHistory: UsageHistoryReader;
  now?: () => Date;
  abortSignal?: AbortSignal;
}

export const DEFAULT_HISTORY_DAYS = 28;

/** The query string of GET /api/scaling/recommendations (also the CLI's options). */
export const recommendationsQuerySchema = z.object({
  cluster: z
    .string({ error: 'required (the AKS managed cluster resource id)' })
    .refine(isManagedClusterId, 'must be an AKS managed cluster resource id')
    .describe('ARM resource id of the AKS cluster.'),
  timeZone: z
    .string()
    .refine(isKnownTimeZone, 'must be an IANA time zone name such as Europe/Berlin')
    .optional()
    .describe('Time zone the proposed schedules are written in (default UTC).'),
  days: z.coerce
    .number()
    .int()
    .min(1)
    .max(90)
    .optional()
    .describe(`Days of Container insights history to learn from (default ${DEFAULT_HISTORY_DAYS}).`),
  targetUtilization: z.coerce
    .number()
    .min(0.1)
    .max(0.95)
    .optional()
    .describe('Share of allocatable CPU and memory the busiest hour of a window may fill (default 0.5).'),
});

/** Parses the query; a ValidationError (400) names each bad field. */
export function parseRecommendationsQuery(query: Record<string, string | undefined>): {
  cluster: string;
  options: RecommendationOptions;
} {
  const present = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = recommendationsQuerySchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${fieldPath(i.path) || 'query'}: ${i.message}`);
    throw new ValidationError(`Invalid request: ${problems.join('; ')}`, { problems });
  }
  const { cluster, ...options } = parsed.data;
  return { cluster, options };
}

const METHOD = (days: number, tz: string, target: number): string[] => [
  `Learned from the last ${days} days of the cluster's Container insights data (KubeNodeInventory, KubePodInventory, Perf), folded by hour of the week in ${tz}.`,
  `Schedules: per user pool, the nodes each hour of the week needs so the pods' requests fit and the hour's peak CPU and memory fill at most ${Math.round(target * 100)}% of allocatable; the busiest occurrence of each hour decides. Busy windows become rules, the quietest level is 'otherwise'. At least ${SCHEDULE_DEFAULTS.minDays} days of data are needed.`,
  `Requests: as Robusta KRR's simple strategy — CPU request = p95 of usage (highest p95 among the workload's pods), no CPU limit; memory request = limit = peak working set + ${RIGHTSIZING_DEFAULTS.memoryBufferPercent}%. At least ${RIGHTSIZING_DEFAULTS.minSamples} samples and ${RIGHTSIZING_DEFAULTS.minDays} days are needed. AKS-managed namespaces are left out.`,
  'Savings: node-hours per week against the nodes the pool actually ran each hour; requests given back per pool, and the whole nodes that covers.',
];

/** Recommendations for `clusterId`. ARM and Log Analytics failures surface as the caller's or a dependency's error. */
export async function recommendScaling(
  clusterId: string,
  deps: RecommendationDeps,
  options: RecommendationOptions = {},
  facts?: ClusterFacts,
): Promise<ScalingRecommendations> {
  const now = deps.now?.() ?? new Date();
  const days = options.days ?? DEFAULT_HISTORY_DAYS;
  const timeZone = options.timeZone ?? 'UTC';
  const target = options.targetUtilization ?? SCHEDULE_DEFAULTS.targetUtilization;
  let cluster = facts;
  if (!cluster) {
    if (!deps.readClusterFacts) throw new AksAiopsError('recommendScaling: no ARM facts and no way to read them');
    cluster = await deps.readClusterFacts(clusterId, { abortSignal: deps.abortSignal });
  }
  const history = await deps.readUsageHistory(clusterId, { days, now, abortSignal: deps.abortSignal });

  const poolOfNode = new Map(history.nodes.map((n) => [n.node, n.pool]));
  const perNode = new Map<string, { cpu: number; memory: number }>();
  for (const h of history.poolHours)
    if (h.nodes > 0)
      perNode.set(h.pool, { cpu: h.cpuAllocatableCores / h.nodes, memory: h.memoryAllocatableBytes / h.nodes });

  const pools = cluster.pools
    .filter((p) => p.mode !== 'System')
    .map((p) =>
      recommendPoolSchedule(
        clusterId,
        p,
        history.poolHours.filter((h) => h.pool === p.name),
        timeZone,
        { targetUtilization: target },
      ),
    );
  const requests = recommendRequests(
    history.containers,
    { poolOf: (node) => poolOfNode.get(node), perNodeAllocatable: (pool) => perNode.get(pool) },
    { skipNamespaces: DEFAULT_SWEEP_SETTINGS.exemptNamespaces },
  );
  return {
    clusterId,
    generatedAt: now.toISOString(),
    window: { from: history.from.toISOString(), to: history.to.toISOString(), days },
    timeZone,
    method: METHOD(days, timeZone, target),
    pools,
    workloads: requests.workloads,
    poolRequestSavings: requests.pools,
    queries: Object.fromEntries(Object.entries(history.queries).filter(([, q]) => q !== '')),
  };
}

type QueryConfig = Pick<
  AppConfig,
  'LOG_ANALYTICS_ENDPOINT' | 'LOG_ANALYTICS_WORKSPACE_ID' | 'CONTAINER_INSIGHTS_QUERY' | 'AZURE_CLIENT_ID'
>;

/**
 * The usage reader the app uses: the same LogsQueryClient setup and scope choice as the diagnostics' evidence
 * (resource-centric on the cluster by default). Query failures become a 503 dependency error.
 */
export function createUsageHistoryReader(config: QueryConfig, credential?: TokenCredential): UsageHistoryReader {
  let client: LogsQueryClient | undefined;
  return async (clusterId, options) => {
    let scope: InsightsScope;
    if (config.CONTAINER_INSIGHTS_QUERY === 'workspace') {
      if (!config.LOG_ANALYTICS_WORKSPACE_ID)
        throw new AksAiopsError(
          'CONTAINER_INSIGHTS_QUERY=workspace needs LOG_ANALYTICS_WORKSPACE_ID (the Container insights workspace)',
        );
      scope = { workspaceId: config.LOG_ANALYTICS_WORKSPACE_ID };
    } else scope = { resourceId: clusterId };
    client ??= new LogsQueryClient(credential ?? getManagedIdentityCredential(config), {
      endpoint: config.LOG_ANALYTICS_ENDPOINT,
    });
    try {
      return await readUsageHistory(client, scope, clusterId, options);
    } catch (err) {
      if (options.abortSignal?.aborted) throw err;
      if (err instanceof RemoteServiceError) throw err;
      throw new RemoteServiceError(
        `Reading Container insights usage failed: ${redactSecrets(ensureErrorType(err).message)}`,
        { statusCode: 503, retryAfterMs: 30_000, cause: err },
      );
    }
  };
}
