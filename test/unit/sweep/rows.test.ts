// The sweep's result rows must have exactly the columns the Log Analytics tables declare (shared/results).
import { describe, expect, it } from '@jest/globals';
import { TABLE_SCHEMAS } from '../../../shared/results/tableSchemas.js';
import { toFindingRow, toSweepRow } from '../../../shared/sweep/rows.js';
import { finalizeFindings } from '../../../shared/sweep/analyzeObjects.js';
import { plainFinding } from '../../../shared/sweep/compactFinding.js';
import type { SweepSummary, TrackedFinding } from '../../../shared/sweep/types.js';
import { CLUSTER } from './sweepTestKit.js';
import { sweepSummary } from '../../support/sweepSummary.js';

const finding: TrackedFinding = {
  ...plainFinding(
    finalizeFindings(CLUSTER, [
      {
        check: 'node.not-ready',
        severity: 'critical',
        kind: 'Node',
        name: 'n1',
        message: 'Node n1 is not ready.',
        evidence: ['kubectl get node n1'],
        remediation: 'Reimage it.',
      },
    ])[0]!,
  ),
  firstSeen: '2026-11-22T10:00:00.000Z',
  lastSeen: '2026-11-22T10:15:00.000Z',
  count: 2,
  state: 'open',
};

const summary: SweepSummary = sweepSummary({
  sweepId: 's-0001',
  clusterId: CLUSTER,
  clusterName: 'aks-test',
  startedAt: '2026-11-22T10:15:00.000Z',
  finishedAt: '2026-11-22T10:15:05.000Z',
  durationMs: 5000,
  score: 90,
  counts: { critical: 1, warning: 0, info: 0, new: 0, resolved: 0 },
});

describe('result rows', () => {
  it('a finding row has exactly the AksAiopsFindings_CL columns, keyed by sweep and fingerprint', () => {
    const row = toFindingRow('s-0001', finding, { clusterName: 'aks-test', timeGenerated: summary.finishedAt });
    expect(Object.keys(row).sort()).toEqual(TABLE_SCHEMAS.AksAiopsFindings_CL.columns.map((c) => c.name).sort());
    expect(row).toMatchObject({
      RecordId: `s-0001/${finding.fingerprint}`,
      Namespace: '',
      DocsUrl: '',
      State: 'open',
      Count: 2,
    });
  });
  it('a sweep row has exactly the AksAiopsSweeps_CL columns, keyed by sweep id', () => {
    const row = toSweepRow(summary);
    expect(Object.keys(row).sort()).toEqual(TABLE_SCHEMAS.AksAiopsSweeps_CL.columns.map((c) => c.name).sort());
    expect(row).toMatchObject({ RecordId: 's-0001', TimeGenerated: summary.finishedAt, Score: 90, Critical: 1 });
  });
});
