// Rows the sweep writes to the results sink, matching shared/results/tableSchemas.ts (AksAiopsFindings_CL and
// AksAiopsSweeps_CL). Ids are derived from the sweep id, so a retried queue message re-sends the same ids and KQL
// de-duplicates them with `summarize arg_max(TimeGenerated, *) by RecordId`.
import type { ResultRow } from '../results/resultsSink.js';
import type { SweepSummary, TrackedFinding } from './types.js';

export function toFindingRow(
  sweepId: string,
  finding: TrackedFinding,
  context: { clusterName: string; timeGenerated: string },
): ResultRow {
  return {
    RecordId: `${sweepId}/${finding.fingerprint}`,
    TimeGenerated: context.timeGenerated,
    SweepId: sweepId,
    ClusterId: finding.clusterId,
    ClusterName: context.clusterName,
    Check: finding.check,
    Severity: finding.severity,
    Kind: finding.kind,
    Namespace: finding.namespace ?? '',
    Name: finding.name,
    Message: finding.message,
    Evidence: finding.evidence,
    Remediation: finding.remediation,
    DocsUrl: finding.docsUrl ?? '',
    Fingerprint: finding.fingerprint,
    State: finding.state,
    FirstSeen: finding.firstSeen,
    Count: finding.count,
  };
}

export function toSweepRow(summary: SweepSummary): ResultRow {
  return {
    RecordId: summary.sweepId,
    TimeGenerated: summary.finishedAt,
    SweepId: summary.sweepId,
    ClusterId: summary.clusterId,
    ClusterName: summary.clusterName,
    Score: summary.score,
    NamespaceScores: summary.namespaceScores,
    Critical: summary.counts.critical,
    Warning: summary.counts.warning,
    Info: summary.counts.info,
    New: summary.counts.new,
    Resolved: summary.counts.resolved,
    ObjectsScanned: summary.objectsScanned,
    Partial: summary.partial,
    Errors: summary.errors,
    DurationMs: summary.durationMs,
  };
}
