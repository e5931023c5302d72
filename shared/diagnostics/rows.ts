// One AksAiopsDiagnoses_CL row per diagnosis (columns in shared/results/tableSchemas.ts and docs/diagnostics.md).
// `RecordId` is the diagnosis id, so re-uploads after a retry or a later firing count are de-duplicated in KQL with
// `summarize arg_max(TimeGenerated, *) by RecordId`.
import type { ResultRow } from '../results/resultsSink.js';
import type { Diagnosis } from './types.js';

export function toDiagnosisRow(d: Diagnosis, now: Date = new Date()): ResultRow {
  return {
    RecordId: d.id,
    TimeGenerated: now.toISOString(),
    DiagnosisId: d.id,
    AlertId: d.alertId ?? '',
    ClusterId: d.target.clusterId ?? '',
    Namespace: d.target.namespace ?? '',
    Workload: d.target.workload ?? '',
    Pod: d.target.pod ?? '',
    Node: d.target.node ?? '',
    RootCause: d.rootCause,
    Confidence: d.confidence,
    Summary: d.summary,
    Evidence: d.evidence,
    Recommendations: d.recommendations,
    State: d.state,
    Firings: d.firings,
    StartedAt: d.startedAt,
    FinishedAt: d.finishedAt,
  };
}
