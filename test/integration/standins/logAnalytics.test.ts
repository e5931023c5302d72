// The local Log Analytics query endpoint through the real LogsQueryClient (@azure/monitor-query-logs) and the real
// ManagedIdentityCredential: the KQL subset table-driven over Container Insights-shaped rows, timespans, refusals
// of everything outside the subset, the ingestion -> query loop, auth and faults.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rm } from 'node:fs/promises';
import { ManagedIdentityCredential } from '@azure/identity';
import {
  LogsQueryClient,
  LogsQueryResultStatus,
  type LogsQueryResult,
  type LogsTable,
} from '@azure/monitor-query-logs';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startLocalAzure, type LocalAzure } from '../../../dev/standins/localAzure.js';
import { clearLocalIdentity, useLocalIdentity } from '../../support/localIdentity.js';

const NOW = Date.now();
const minutesAgo = (m: number): string => new Date(NOW - m * 60_000).toISOString();

// Pod inventory snapshots over the last 3 hours: shop/cart crash-loops, shop/web is healthy, batch/job failed.
const KubePodInventory = (
  [
    // [minutes ago, ClusterName, Namespace, Name, PodStatus, ContainerRestartCount, ContainerStatusReason, Computer]
    [170, 'aks-prod', 'shop', 'cart-7d9f', 'Running', 1, '', 'aks-system-1'],
    [90, 'aks-prod', 'shop', 'cart-7d9f', 'Running', 4, 'CrashLoopBackOff', 'aks-system-1'],
    [10, 'aks-prod', 'shop', 'cart-7d9f', 'Running', 9, 'CrashLoopBackOff', 'aks-system-1'],
    [100, 'aks-prod', 'shop', 'web-55c1', 'Running', 0, '', 'aks-user-2'],
    [12, 'aks-prod', 'shop', 'web-55c1', 'Running', 0, '', 'aks-user-2'],
    [20, 'aks-prod', 'batch', 'report-29k', 'Failed', 2, 'Error', 'aks-user-3'],
    [5, 'aks-dev', 'Shop-Dev', 'cart-1111', 'Pending', 0, '', ''],
  ] as const
).map(([minutes, ClusterName, Namespace, Name, PodStatus, ContainerRestartCount, ContainerStatusReason, Computer]) => ({
  TimeGenerated: minutesAgo(minutes),
  ClusterName,
  Namespace,
  Name,
  PodStatus,
  ContainerRestartCount,
  ContainerStatusReason,
  Computer,
}));

const ContainerLogV2 = [
  {
    TimeGenerated: minutesAgo(11),
    PodNamespace: 'shop',
    PodName: 'cart-7d9f',
    ContainerName: 'cart',
    LogLevel: 'error',
    LogMessage: { msg: 'java.lang.OutOfMemoryError: Java heap space' },
  },
  {
    TimeGenerated: minutesAgo(11),
    PodNamespace: 'shop',
    PodName: 'cart-7d9f',
    ContainerName: 'cart',
    LogLevel: 'warn',
    LogMessage: 'container OOMKilled, exit code 137',
  },
  {
    TimeGenerated: minutesAgo(9),
    PodNamespace: 'shop',
    PodName: 'cart-7d9f',
    ContainerName: 'cart',
    LogLevel: 'info',
    LogMessage: 'OOMKilledCount metric exported',
  },
  {
    TimeGenerated: minutesAgo(30),
    PodNamespace: 'shop',
    PodName: 'web-55c1',
    ContainerName: 'web',
    LogLevel: 'info',
    LogMessage: 'GET /healthz 200',
  },
];

let local: LocalAzure;
let client: LogsQueryClient;
let credential: ManagedIdentityCredential;

async function query(kql: string, duration = 'P1D'): Promise<LogsTable> {
  const result: LogsQueryResult = await client.queryWorkspace(local.workspaceId, kql, { duration });
  if (result.status !== LogsQueryResultStatus.Success) throw new Error(`query did not succeed: ${result.status}`);
  const [table] = result.tables;
  if (!table) throw new Error('no table');
  return table;
}

const columnsOf = (t: LogsTable): string[] => t.columnDescriptors.map((c) => `${c.name}:${c.type}`);

beforeAll(async () => {
  const dataDir = '.data/test-standins-query';
  await rm(dataDir, { recursive: true, force: true });
  const tls = await ensureLocalTls('.data');
  local = await startLocalAzure({
    tls,
    dataDir,
    clusters: [],
    logAnalyticsTables: { KubePodInventory, ContainerLogV2 },
  });
  useLocalIdentity(local);
  credential = new ManagedIdentityCredential();
  client = new LogsQueryClient(credential, {
    endpoint: local.logAnalyticsEndpoint,
    retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 100 },
  });
});

afterAll(async () => {
  clearLocalIdentity();
  await local.close();
});

describe('KQL subset through LogsQueryClient', () => {
  // Each case: a query a diagnosis, workbook or test would run, and the rows Kusto would answer.
  const cases: Array<{ why: string; kql: string; rows: unknown[][]; columns?: string[] }> = [
    {
      why: '== is case-sensitive, project keeps the listed columns in order, order by asc',
      kql: 'KubePodInventory | where Namespace == "shop" and TimeGenerated > ago(15m) | project Name, PodStatus | order by Name asc',
      rows: [
        ['cart-7d9f', 'Running'],
        ['web-55c1', 'Running'],
      ],
      columns: ['Name:string', 'PodStatus:string'],
    },
    {
      why: '=~ is case-insensitive equality',
      kql: 'KubePodInventory | where Namespace =~ "SHOP-dev" | project Name',
      rows: [['cart-1111']],
    },
    {
      why: '!= and or: everything not Running',
      kql: 'KubePodInventory | where PodStatus != "Running" or ContainerStatusReason == "CrashLoopBackOff" | summarize by Name | order by Name asc',
      rows: [['cart-1111'], ['cart-7d9f'], ['report-29k']],
    },
    {
      why: 'has matches whole terms only (OOMKilledCount is not the term OOMKilled), case-insensitively',
      kql: 'ContainerLogV2 | where LogMessage has "oomkilled" | project PodName, LogLevel',
      rows: [['cart-7d9f', 'warn']],
    },
    {
      why: 'contains matches substrings, also inside dynamic values',
      kql: 'ContainerLogV2 | where LogMessage contains "outofmemory" or LogMessage contains "OOMKilledCount" | project LogLevel',
      rows: [['error'], ['info']],
    },
    {
      why: 'startswith / !startswith',
      kql: 'KubePodInventory | where Computer startswith "aks-user" and Name !startswith "web" | project Name',
      rows: [['report-29k']],
    },
    {
      why: 'in (...), !in (...) and in~',
      kql: 'KubePodInventory | where PodStatus in ("Failed", "Pending") and Namespace !in ("batch") and ClusterName in~ ("AKS-DEV") | project Name',
      rows: [['cart-1111']],
    },
    {
      why: 'between a time window (inclusive)',
      kql: 'KubePodInventory | where TimeGenerated between (ago(2h) .. ago(30m)) | project Name, ContainerRestartCount | order by ContainerRestartCount desc',
      rows: [
        ['cart-7d9f', 4],
        ['web-55c1', 0],
      ],
    },
    {
      why: 'between numbers',
      kql: 'KubePodInventory | where ContainerRestartCount between (2 .. 4) | project ContainerRestartCount | order by ContainerRestartCount asc',
      rows: [[2], [4]],
    },
    {
      why: 'extend with arithmetic, integer division on longs',
      kql: 'KubePodInventory | where Name == "cart-7d9f" | extend Half = ContainerRestartCount / 2, Label = strcat(Namespace, "/", Name) | top 1 by TimeGenerated | project Label, Half',
      rows: [['shop/cart-7d9f', 4]],
      columns: ['Label:string', 'Half:long'],
    },
    {
      why: 'summarize count() by c names the column count_',
      kql: 'KubePodInventory | summarize count() by Namespace | order by Namespace asc',
      rows: [
        ['Shop-Dev', 1],
        ['batch', 1],
        ['shop', 5],
      ],
      columns: ['Namespace:string', 'count_:long'],
    },
    {
      why: 'max/avg names follow Kusto and avg is real',
      kql: 'KubePodInventory | where Namespace == "shop" | summarize max(ContainerRestartCount), avg(ContainerRestartCount), Samples = count() by Name | order by Name asc',
      rows: [
        ['cart-7d9f', 9, 14 / 3, 3],
        ['web-55c1', 0, 0, 2],
      ],
      // ContainerRestartCount is an int column (the table's fixed schema), and max() keeps its argument's type.
      columns: ['Name:string', 'max_ContainerRestartCount:int', 'avg_ContainerRestartCount:real', 'Samples:long'],
    },
    {
      why: 'arg_max(TimeGenerated, *) keeps the latest row per pod (how duplicates from retries are removed)',
      kql: 'KubePodInventory | where Namespace == "shop" | summarize arg_max(TimeGenerated, *) by Name | project Name, ContainerRestartCount, ContainerStatusReason | order by Name asc',
      rows: [
        ['cart-7d9f', 9, 'CrashLoopBackOff'],
        ['web-55c1', 0, ''],
      ],
    },
    {
      why: 'countif and dcount',
      kql: 'KubePodInventory | summarize Crashing = countif(ContainerStatusReason == "CrashLoopBackOff"), Pods = dcount(Name)',
      rows: [[2, 4]],
    },
    {
      why: 'top n by c is descending by default',
      kql: 'KubePodInventory | top 2 by ContainerRestartCount | project ContainerRestartCount',
      rows: [[9], [4]],
    },
    {
      why: 'sort by defaults to descending',
      kql: 'KubePodInventory | distinct Namespace | sort by Namespace',
      rows: [['shop'], ['batch'], ['Shop-Dev']],
    },
    {
      why: 'take / limit',
      kql: 'KubePodInventory | where Namespace == "shop" | order by TimeGenerated asc | take 2 | project ContainerRestartCount',
      rows: [[1], [0]],
    },
    {
      why: 'count operator',
      kql: 'ContainerLogV2 | where PodName == "cart-7d9f" | count',
      rows: [[3]],
      columns: ['Count:long'],
    },
    {
      why: 'dynamic member access',
      kql: 'ContainerLogV2 | where isnotempty(tostring(LogMessage.msg)) | project Msg = tostring(LogMessage.msg)',
      rows: [['java.lang.OutOfMemoryError: Java heap space']],
    },
    {
      why: 'summarize by bin(TimeGenerated, 1h) groups samples into hour buckets',
      kql: 'KubePodInventory | where Name == "cart-7d9f" | summarize Restarts = max(ContainerRestartCount) by bin(TimeGenerated, 1h) | summarize Buckets = count(), Peak = max(Restarts)',
      rows: [[3, 9]],
    },
  ];

  it.each(cases)('$why', async ({ kql, rows, columns }) => {
    const table = await query(kql);
    if (columns) expect(columnsOf(table)).toEqual(columns);
    expect(table.rows).toEqual(rows);
  });

  it('names a bin() bucket after its column and keeps it a datetime', async () => {
    const table = await query(
      'KubePodInventory | summarize Restarts = max(ContainerRestartCount) by bin(TimeGenerated, 1h) | take 1',
    );
    expect(columnsOf(table)).toEqual(['TimeGenerated:datetime', 'Restarts:int']);
    expect((table.rows[0]?.[0] as Date).getTime() % 3_600_000).toBe(0);
  });

  it('a Container Insights table with no rows yet resolves its columns from its fixed schema and returns nothing', async () => {
    // Was "Failed to resolve scalar expression named 'TimeGenerated'" when columns came only from rows.
    const table = await query('KubeEvents | where TimeGenerated > ago(1h) | project TimeGenerated, Reason, Count');
    expect(columnsOf(table)).toEqual(['TimeGenerated:datetime', 'Reason:string', 'Count:real']);
    expect(table.rows).toEqual([]);
  });

  it('returns datetime columns as Date and dynamic columns as objects through the SDK', async () => {
    const table = await query('ContainerLogV2 | where LogLevel == "error" | project TimeGenerated, LogMessage');
    expect(columnsOf(table)).toEqual(['TimeGenerated:datetime', 'LogMessage:dynamic']);
    expect(table.rows[0]?.[0]).toBeInstanceOf(Date);
    expect((table.rows[0]?.[0] as Date).toISOString()).toBe(minutesAgo(11));
    expect(table.rows[0]?.[1]).toEqual({ msg: 'java.lang.OutOfMemoryError: Java heap space' });
  });

  it('applies the request timespan to TimeGenerated (duration and start/end)', async () => {
    expect((await query('KubePodInventory | count', 'PT1H')).rows).toEqual([[4]]);
    expect((await query('KubePodInventory | count', 'PT15M')).rows).toEqual([[3]]);
    const result = await client.queryWorkspace(local.workspaceId, 'KubePodInventory | project Name', {
      startTime: new Date(NOW - 95 * 60_000),
      endTime: new Date(NOW - 80 * 60_000),
    });
    expect(result.status === LogsQueryResultStatus.Success && result.tables[0]?.rows).toEqual([['cart-7d9f']]);
  });

  it.each([
    [
      'an unsupported operator',
      'KubePodInventory | join (ContainerLogV2) on $left.Name == $right.PodName',
      /join.*outside the KQL subset/,
    ],
    ['let statements', 'let x = 1; KubePodInventory', /'let' statements/],
    ['mv-expand', 'KubePodInventory | mv-expand Name', /mv-expand/],
    [
      'an unknown function',
      'KubePodInventory | extend x = series_decompose(ContainerRestartCount)',
      /series_decompose/,
    ],
    [
      'an unknown column, even on a filtered-out table',
      'KubePodInventory | where 1 == 2 | project NoSuchColumn',
      /NoSuchColumn/,
    ],
    // KubeEvents would resolve (a Container Insights table exists, empty, before any event), as in Log Analytics.
    ['an unknown table', 'NoSuchTable_CL | take 1', /NoSuchTable_CL/],
    ['a syntax error', 'KubePodInventory | where Name ==', /Expected an expression/],
    ['an aggregation outside summarize', 'KubePodInventory | where count() > 1', /only be used in summarize/],
    ['comparing a string with a number', 'KubePodInventory | where Name > 3', /Cannot compare/],
    [
      'comparing a string with a number on an empty result',
      'KubePodInventory | where 1 == 2 | where Name == 3',
      /Cannot compare/,
    ],
  ])('refuses %s with 400 BadArgumentError naming it', async (_what, kql, message) => {
    const error = await client.queryWorkspace(local.workspaceId, kql, { duration: 'P1D' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'BadArgumentError' });
    expect((error as Error).message).toMatch(message);
  });

  it('rows ingested through the Logs Ingestion endpoint are queryable (Custom-X stream -> X table)', async () => {
    const ingestion = new LogsIngestionClient(local.logsIngestionEndpoint, credential);
    const finding = { Cluster: 'aks-prod', Check: 'pod.crashloop', Severity: 'critical', Fingerprint: 'fp-1' };
    await ingestion.upload(local.dcrImmutableId, 'Custom-AksAiopsFindings_CL', [
      { ...finding, TimeGenerated: minutesAgo(3), Count: 1 },
      // The same finding re-sent after a retry: arg_max() keeps one row.
      { ...finding, TimeGenerated: minutesAgo(2), Count: 2 },
    ]);
    const table = await query(
      'AksAiopsFindings_CL | summarize arg_max(TimeGenerated, *) by Fingerprint | project Fingerprint, Count, Severity',
    );
    expect(table.rows).toEqual([['fp-1', 2, 'critical']]);
  });

  it('setLogAnalyticsRows replaces a table at runtime', async () => {
    local.setLogAnalyticsRows('KubeNodeInventory', [
      { TimeGenerated: minutesAgo(1), Computer: 'aks-user-2', Status: 'NotReady' },
    ]);
    expect((await query('KubeNodeInventory | where Status == "NotReady" | project Computer')).rows).toEqual([
      ['aks-user-2'],
    ]);
  });

  it('requires a Log Analytics token and a known workspace', async () => {
    const armToken = (await credential.getToken('https://management.azure.com/.default')).token;
    const url = `${local.logAnalyticsEndpoint}/workspaces/${local.workspaceId}/query`;
    const body = JSON.stringify({ query: 'KubePodInventory | count' });
    const anonymous = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${armToken}` },
    });
    expect(wrong.status).toBe(401);
    await expect(
      client.queryWorkspace('00000000-0000-0000-0000-000000000000', 'KubePodInventory | count', { duration: 'P1D' }),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
    local.faults.forbiddenAudiences = ['https://api.loganalytics.io'];
    try {
      await expect(query('KubePodInventory | count')).rejects.toMatchObject({
        statusCode: 403,
        code: 'InsufficientAccessError',
      });
    } finally {
      delete local.faults.forbiddenAudiences;
    }
  });

  it('503 and 429 faults are retried by the client; a sustained 500 surfaces after its retries', async () => {
    local.faults.logAnalytics = { failNext: 1, status: 503, retryAfterSeconds: 0 };
    expect((await query('KubePodInventory | count')).rows).toEqual([[7]]);
    local.faults.logAnalytics = { failNext: 1, status: 429, retryAfterSeconds: 0 };
    expect((await query('KubePodInventory | count')).rows).toEqual([[7]]);
    local.faults.logAnalytics = { failNext: 10, status: 500 };
    await expect(query('KubePodInventory | count')).rejects.toMatchObject({ statusCode: 500 });
    expect(local.faults.logAnalytics.failNext).toBe(6);
    delete local.faults.logAnalytics;
  });
});
