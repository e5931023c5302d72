// The row mappers of the sweeps (shared/sweep/rows.ts) and diagnostics (shared/diagnostics/rows.ts) produce exactly
// the columns, with values of the types, that shared/results/tableSchemas.ts declares to Log Analytics. A column
// the DCR does not declare is silently dropped by the service; a wrong type ingests as null.
import { describe, expect, it } from '@jest/globals';
import { toFindingRow, toSweepRow } from '../../../shared/sweep/rows.js';
import { toDiagnosisRow } from '../../../shared/diagnostics/rows.js';
import { TABLE_SCHEMAS, type ColumnType } from '../../../shared/results/tableSchemas.js';
import type { ResultRow, ResultTable } from '../../../shared/results/resultsSink.js';
import type { SweepSummary, TrackedFinding } from '../../../shared/sweep/types.js';
import type { Diagnosis } from '../../../shared/diagnostics/types.js';
import { toScalingRow } from '../../../shared/scaling/scalingDecision.js';

const clusterId =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-1';

const finding: TrackedFinding = {
  clusterId,
  check: 'pod.crash-loop',
  severity: 'critical',
  kind: 'Pod',
  namespace: 'shop',
  name: 'cart-7d9',
  message:
    'Pod shop/cart-7d9 container cart is in CrashLoopBackOff (status.containerStatuses[0].state.waiting.reason).',
  evidence: ['kubectl -n shop get pod cart-7d9 -o jsonpath={.status.containerStatuses[0].state}'],
  remediation: 'Read the previous container log.',
  docsUrl: 'https://kubernetes.io/docs/tasks/debug/debug-application/debug-pods/',
  fingerprint: 'abc123',
  firstSeen: '2026-01-01T00:00:00.000Z',
  lastSeen: '2026-01-01T00:15:00.000Z',
  count: 2,
  state: 'open',
};

const summary: SweepSummary = {
  sweepId: 'sweep-1',
  clusterId,
  clusterName: 'aks-1',
  startedAt: '2026-01-01T00:15:00.000Z',
  finishedAt: '2026-01-01T00:15:04.000Z',
  durationMs: 4000,
  score: 87.5,
  namespaceScores: { shop: 80, default: 100 },
  counts: { critical: 1, warning: 2, info: 0, new: 1, resolved: 0 },
  objectsScanned: 1234,
  partial: false,
  errors: [],
};

const diagnosis: Diagnosis = {
  id: 'diag-1',
  alertId: '/subscriptions/0/providers/Microsoft.AlertsManagement/alerts/1',
  target: { clusterId, namespace: 'shop', workload: 'cart', pod: 'cart-7d9', node: 'aks-nodepool1-0' },
  rootCause: 'oom_killed',
  confidence: 0.9,
  summary: 'cart was OOM killed.',
  evidence: [
    {
      source: 'pod.status',
      detail: 'lastState.terminated.reason=OOMKilled',
      reproduce: 'kubectl -n shop get pod cart-7d9 -o yaml',
    },
  ],
  recommendations: ['Raise the memory limit.'],
  state: 'still_failing',
  firings: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:02.000Z',
};

function typeOk(type: ColumnType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'datetime':
      return typeof value === 'string' && Number.isFinite(Date.parse(value));
    case 'int':
    case 'long':
      return Number.isInteger(value);
    case 'real':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'dynamic':
      return typeof value === 'object' && value !== null;
  }
}

const cases: Array<[ResultTable, ResultRow]> = [
  [
    'AksAiopsFindings_CL',
    toFindingRow('sweep-1', finding, { clusterName: 'aks-1', timeGenerated: summary.finishedAt }),
  ],
  ['AksAiopsSweeps_CL', toSweepRow(summary)],
  ['AksAiopsDiagnoses_CL', toDiagnosisRow(diagnosis)],
  [
    'AksAiopsScaling_CL',
    toScalingRow({
      runId: 'scale-1',
      at: '2026-01-01T00:05:00.000Z',
      clusterName: 'aks-1',
      mode: 'apply',
      outcome: 'applied',
      reason: 'rules[0] (Mon 08:00–18:00)',
      nodeHoursSaved: 4,
      durationMs: 1200,
      plan: {
        schedule: 'user-nights',
        clusterId,
        nodePool: 'user',
        mode: 'apply',
        desired: { count: 1 },
        current: { count: 3 },
        because: 'otherwise',
        action: { kind: 'scale', from: 3, to: 1 },
        nextChange: { at: '2026-01-01T02:05:00.000Z', value: { count: 3 } },
        summary: 'node pool user count 3 → 1 (otherwise)',
      },
    }),
  ],
];

describe('row mappers match the declared table schemas', () => {
  it.each(cases)('%s', (table, row) => {
    const columns = TABLE_SCHEMAS[table].columns;
    expect(Object.keys(row).sort()).toEqual(columns.map((c) => c.name).sort());
    for (const c of columns)
      expect({ column: c.name, type: c.type, ok: typeOk(c.type, row[c.name]) }).toEqual({
        column: c.name,
        type: c.type,
        ok: true,
      });
  });

  it('a finding row is keyed sweepId/fingerprint, so a retried sweep message repeats the same RecordId', () => {
    expect(cases[0]![1].RecordId).toBe('sweep-1/abc123');
  });
});
