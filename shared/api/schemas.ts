// Response and query shapes of the non-simulator routes (health, clusters, sweeps, alerts, diagnoses), as zod
// schemas for the OpenAPI document. The query schemas are also what the handlers validate with (query.ts). The
// response schemas describe the TypeScript contracts in shared/sweep/types.ts, shared/sweep/sweepReadModel.ts,
// shared/diagnostics/types.ts and shared/health/checkHealth.ts; the unit test test/unit/api/openApiDocument.test.ts
// parses real objects of those types with them so the two cannot drift apart.
import { z } from 'zod';
import { ensureErrorType } from '../errors.js';
import { parseSince } from '../diagnostics/readQuery.js';
import { clusterIdParam, wholeNumberParam } from './query.js';

const severity = z.enum(['critical', 'warning', 'info']);
const grade = z.enum(['A', 'B', 'C', 'D', 'E', 'F']).describe('A >= 90, B >= 80, C >= 70, D >= 60, E >= 50, F below.');

export const healthReportSchema = z.object({
  status: z.enum(['healthy', 'degraded']),
  service: z.string(),
  version: z.string(),
  timestamp: z.string(),
  checks: z.record(
    z.string(),
    z.object({ status: z.enum(['pass', 'fail']), durationMs: z.number(), error: z.string().optional() }),
  ),
});

const count = z.number().int().min(0);
const severityCounts = z.object({ critical: count, warning: count, info: count, new: count, resolved: count });

export const sweepSummarySchema = z.object({
  sweepId: z.string(),
  clusterId: z.string(),
  clusterName: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  score: z.number().min(0).max(100),
  namespaceScores: z.record(z.string(), z.number()),
  counts: severityCounts,
  objectsScanned: count,
  partial: z.boolean(),
  errors: z.array(z.string()),
});

export const trackedFindingSchema = z.object({
  clusterId: z.string(),
  check: z.string().describe('Stable check id, e.g. pod.crash-loop.'),
  severity,
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  message: z.string(),
  evidence: z.array(z.string()).describe('Each fact with the kubectl command or ARM property path that shows it.'),
  remediation: z.string(),
  docsUrl: z.string().optional(),
  fingerprint: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  count,
  state: z.enum(['new', 'open', 'resolved']),
  resolvedAt: z.string().optional(),
});

export const sweptClustersSchema = z.object({
  clusters: z.array(
    z.object({
      clusterId: z.string(),
      clusterName: z.string(),
      lastSweepId: z.string(),
      lastSweepAt: z.string(),
      score: z.number(),
      partial: z.boolean(),
      grade,
      counts: severityCounts.optional().describe('Finding counts of the latest sweep.'),
      trend: z
        .array(z.object({ sweepId: z.string(), startedAt: z.string(), score: z.number() }))
        .optional()
        .describe('Scores of the latest sweeps, oldest first.'),
    }),
  ),
});

export const latestSweepQuerySchema = z.object({
  cluster: clusterIdParam.describe('AKS cluster resource id (required).'),
  severity: z
    .enum(['critical', 'warning', 'info'], {
      error: (issue) => `must be critical, warning or info, got '${String(issue.input).slice(0, 60)}'`,
    })
    .optional()
    .describe('Minimum severity: warning returns critical and warning.'),
  namespace: z.string().trim().optional().describe('Only findings in this namespace.'),
  limit: wholeNumberParam(1, 10_000).default(1000).describe('Maximum findings returned, 1-10000 (default 1000).'),
});

export const latestSweepSchema = z.object({
  summary: sweepSummarySchema,
  grade,
  totalFindings: count.describe('Open findings matching the filters, in all.'),
  findings: z.array(trackedFindingSchema).describe('The first `limit` of them, most severe first.'),
});

export const diagnosisSchema = z.object({
  id: z.string(),
  alertId: z.string().optional(),
  target: z.object({
    clusterId: z.string().optional(),
    clusterName: z.string().optional(),
    namespace: z.string().optional(),
    workload: z.string().optional(),
    workloadKind: z.string().optional(),
    pod: z.string().optional(),
    container: z.string().optional(),
    node: z.string().optional(),
    pvc: z.string().optional(),
  }),
  rootCause: z.string().describe('oom_killed, crash_loop, image_pull_error, failed_scheduling, probe_failure, ...'),
  rootCauseDetail: z.string().optional(),
  confidence: z.number().min(0).max(1),
  summary: z.string(),
  evidence: z.array(
    z.object({
      source: z.string(),
      detail: z.string(),
      reproduce: z.string().describe('A kubectl command or KQL query that shows the same fact.'),
    }),
  ),
  recommendations: z.array(z.string()),
  state: z.enum(['still_failing', 'recovered', 'transient', 'resolved', 'unknown']),
  firings: count,
  resolvedAt: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
});

/** `since`: an ISO 8601 date-time or a look-back (30m, 6h, 7d), as the start of the window. */
const sinceParam = z.string().transform((text, ctx) => {
  try {
    return parseSince(text);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: ensureErrorType(err).message });
    return z.NEVER;
  }
});

export const diagnosesQuerySchema = z.object({
  cluster: z.string().optional().describe('Only this AKS cluster resource id.'),
  since: sinceParam.optional().describe('Relative (30m, 24h, 7d) or an ISO 8601 date.'),
  pageSize: wholeNumberParam(1, 1000).default(50).describe('1-1000 (default 50).'),
  continuationToken: z.string().optional().describe('From the previous page.'),
});

export const scalingListQuerySchema = z.object({
  cluster: clusterIdParam.optional().describe('Only the schedules of this AKS cluster resource id.'),
});

export const scalingPlanQuerySchema = z.object({
  cluster: clusterIdParam.describe('AKS cluster resource id (required).'),
});

export const diagnosisPageSchema = z.object({
  items: z.array(diagnosisSchema),
  continuationToken: z.string().optional(),
  nextLink: z.string().optional(),
});

export const acceptedAlertSchema = z.object({ id: z.string().describe('The diagnosis id this alert will produce.') });

/** Error bodies differ by route group (see functions/); each has at least `error`. */
export const apiErrorSchema = z.object({
  error: z.string(),
  message: z.string().optional(),
  problems: z.array(z.string()).optional(),
});

/** The Azure Monitor common alert schema, the parts the webhook reads (the rest is accepted and ignored). */
export const commonAlertSchema = z.object({
  schemaId: z.literal('azureMonitorCommonAlertSchema'),
  data: z.object({
    essentials: z.looseObject({
      alertId: z.string(),
      alertRule: z.string().optional(),
      severity: z.string().optional(),
      monitorCondition: z.enum(['Fired', 'Resolved']),
      alertTargetIDs: z.array(z.string()).optional(),
      firedDateTime: z.string().optional(),
    }),
    alertContext: z.record(z.string(), z.unknown()).optional(),
  }),
});
