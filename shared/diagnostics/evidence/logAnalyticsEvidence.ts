// Container insights history through @azure/monitor-query-logs: restart history (KubePodInventory), peak memory
// working set against the limit (Perf), and the container's recent error lines (ContainerLogV2). Each query that
// fails becomes a gap in the snapshot rather than failing the diagnosis.
//
// Queries are resource-centric on the cluster's ARM id by default (POST /v1/{resourceId}/query, LogsQueryClient
// queryResource): Log Analytics runs them over every workspace the cluster sends to and returns only rows whose
// _ResourceId is the cluster, and reading them needs only read access on the cluster (the Reader role the identity
// has), not a role on each workspace. A workspace id is still accepted (CONTAINER_INSIGHTS_QUERY=workspace).
import { OUTBOUND_TIMEOUT_MS, withTimeout } from '../../outbound/timeouts.js';
import { LogsQueryResultStatus, type LogsQueryClient, type LogsTable } from '@azure/monitor-query-logs';
import type { Pod as V1Pod } from 'kubernetes-types/core/v1.js';
import { redactSecrets } from '../../observability/logger.js';
import { evidenceGap } from './gaps.js';
import { formatBytes, type HistoryFact } from './snapshot.js';
import { KQL_QUERIES } from './kqlQueries.js';
import { ERROR_LINE } from '../rules/podFacts.js';

export interface HistoryOptions {
  abortSignal?: AbortSignal;
  /** Look-back, hours (default 6). */
  hours?: number;
  maxErrorLines?: number;
}

export function rowsOf(table: LogsTable | undefined): Array<Record<string, unknown>> {
  if (!table) return [];
  return table.rows.map((row) =>
    Object.fromEntries(table.columnDescriptors.map((c, i) => [c.name ?? String(i), row[i]])),
  );
}

/** Where the queries run: the cluster resource (every workspace it sends to) or one workspace (customer id). */
export type InsightsScope = { resourceId: string } | { workspaceId: string };

/** Runs one query on the scope with the outbound timeout; rows as objects (a partial result's first table). */
export async function runInsightsQuery(
  client: LogsQueryClient,
  scope: InsightsScope,
  query: string,
  hours: number,
  abortSignal?: AbortSignal,
): Promise<Array<Record<string, unknown>>> {
  const timespan = { duration: `PT${hours}H` };
  const result = await withTimeout('Log Analytics query', OUTBOUND_TIMEOUT_MS.logAnalytics, abortSignal, (signal) =>
    'resourceId' in scope
      ? client.queryResource(scope.resourceId, query, timespan, { abortSignal: signal })
      : client.queryWorkspace(scope.workspaceId, query, timespan, { abortSignal: signal }),
  );
  if (result.status === LogsQueryResultStatus.Success) return rowsOf(result.tables[0]);
  if (result.status === LogsQueryResultStatus.PartialFailure) return rowsOf(result.partialTables[0]);
  throw new Error('query failed');
}

const num = (v: unknown) =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined;

function logText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return JSON.stringify(v);
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** Queries Container insights for one pod. Returns the facts found and what could not be read. */
export async function gatherContainerInsightsHistory(
  client: LogsQueryClient,
  scope: InsightsScope,
  target: { clusterId: string; pod: V1Pod },
  options: HistoryOptions = {},
): Promise<{ history: HistoryFact[]; gaps: string[] }> {
  const hours = options.hours ?? 6;
  const namespace = target.pod.metadata?.namespace ?? 'default';
  const pod = target.pod.metadata?.name ?? '';
  const uid = target.pod.metadata?.uid;
  const containers = (target.pod.spec?.containers ?? []).map((c) => c.name);
  const history: HistoryFact[] = [];
  const gaps: string[] = [];
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (err) {
      if (options.abortSignal?.aborted) throw err;
      gaps.push(evidenceGap(`Container insights ${what}`, err));
    }
  };

  const restartQuery = KQL_QUERIES.restartHistory({ clusterId: target.clusterId, namespace, pod, hours });
  const tasks: Array<Promise<void>> = [
    attempt('restart history', async () => {
      for (const r of await runInsightsQuery(client, scope, restartQuery, hours, options.abortSignal)) {
        const restarts = num(r.ContainerRestartCount);
        const container = logText(r.ContainerName).split('/').pop() ?? '';
        history.push({
          kind: 'restarts',
          namespace,
          pod,
          container,
          restarts,
          detail: `KubePodInventory ${namespace}/${pod} container ${container}: ContainerRestartCount=${restarts ?? ''}, ContainerLastStatus=${logText(r.ContainerLastStatus)}, ContainerStatusReason=${logText(r.ContainerStatusReason)}`,
          reproduce: restartQuery,
        });
      }
    }),
  ];
  for (const container of containers) {
    if (uid) {
      const memQuery = KQL_QUERIES.memoryWorkingSet({ clusterId: target.clusterId, podUid: uid, container, hours });
      tasks.push(
        attempt('memory working set', async () => {
          const row = (await runInsightsQuery(client, scope, memQuery, hours, options.abortSignal))[0];
          const peak = num(row?.max_CounterValue);
          if (peak !== undefined && Number.isFinite(peak)) {
            history.push({
              kind: 'memory',
              namespace,
              pod,
              container,
              memoryBytes: peak,
              detail: `Perf memoryWorkingSetBytes ${namespace}/${pod} container ${container}: max_CounterValue=${peak} (${formatBytes(peak)})`,
              reproduce: memQuery,
            });
          }
        }),
      );
    }
    const logQuery = KQL_QUERIES.recentLogs({ clusterId: target.clusterId, namespace, pod, container, hours: 1 });
    tasks.push(
      attempt('container logs', async () => {
        const lines = (await runInsightsQuery(client, scope, logQuery, 1, options.abortSignal)).map((r) =>
          redactSecrets(logText(r.LogMessage)),
        );
        for (const line of lines.filter((l) => ERROR_LINE.test(l)).slice(0, options.maxErrorLines ?? 3)) {
          history.push({
            kind: 'errorLogs',
            namespace,
            pod,
            container,
            detail: `ContainerLogV2 ${namespace}/${pod} container ${container}: "${line.slice(0, 500)}"`,
            reproduce: logQuery,
          });
        }
      }),
    );
  }
  await Promise.all(tasks);
  return { history, gaps };
}
