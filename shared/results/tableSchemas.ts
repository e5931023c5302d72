// The single declaration of the custom Log Analytics tables. Everything else is checked against this:
// the DCR stream declarations and table resources in infra/ (Bicep and Terraform), docs/tables.md, and the schemas
// the KQL validation test analyses queries with (test/integration/kql). Change a column here first.
import type { ResultTable } from './resultsSink.js';

/** Log Analytics column types usable in custom tables and DCR stream declarations. */
export type ColumnType = 'string' | 'int' | 'long' | 'real' | 'boolean' | 'datetime' | 'dynamic';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  description: string;
}

export interface TableSchema {
  table: ResultTable;
  /** The DCR input stream (and output stream) name the Logs Ingestion API is called with. */
  stream: `Custom-${ResultTable}`;
  description: string;
  columns: ColumnSchema[];
}

const col = (name: string, type: ColumnType, description: string): ColumnSchema => ({ name, type, description });

const timeGenerated = col('TimeGenerated', 'datetime', 'When the row was produced (sweep finish, diagnosis finish).');

export const TABLE_SCHEMAS: Record<ResultTable, TableSchema> = {
  AksAiopsFindings_CL: {
    table: 'AksAiopsFindings_CL',
    stream: 'Custom-AksAiopsFindings_CL',
    description: 'One row per finding per cluster sweep.',
    columns: [
      col('RecordId', 'string', 'sweepId/fingerprint: one finding in one sweep; repeated on a retried upload.'),
      timeGenerated,
      col('SweepId', 'string', 'The sweep that produced the finding (joins AksAiopsSweeps_CL).'),
      col('ClusterId', 'string', 'ARM resource id of the AKS cluster.'),
      col('ClusterName', 'string', 'Cluster name.'),
      col('Check', 'string', 'Stable check id, e.g. pod.crash-loop.'),
      col('Severity', 'string', 'critical, warning or info.'),
      col('Kind', 'string', 'Kubernetes kind, or ManagedCluster / AgentPool for ARM facts.'),
      col('Namespace', 'string', 'Namespace of the object (empty for cluster-scoped objects).'),
      col('Name', 'string', 'Object name.'),
      col('Message', 'string', 'A full sentence naming the object and the field.'),
      col('Evidence', 'dynamic', 'Array of facts, each reproducible with kubectl or an ARM property path.'),
      col('Remediation', 'string', 'What to do about it.'),
      col('DocsUrl', 'string', 'Link to the relevant documentation.'),
      col('Fingerprint', 'string', 'Identity of the finding across sweeps.'),
      col('State', 'string', 'new, open or resolved.'),
      col('FirstSeen', 'datetime', 'When the finding was first seen.'),
      col('Count', 'int', 'In how many sweeps it has been seen.'),
    ],
  },
  AksAiopsSweeps_CL: {
    table: 'AksAiopsSweeps_CL',
    stream: 'Custom-AksAiopsSweeps_CL',
    description: 'One row per cluster sweep: score, counts, partial/errors, duration.',
    columns: [
      col('RecordId', 'string', 'The sweep id; repeated on a retried upload.'),
      timeGenerated,
      col('SweepId', 'string', 'Sweep id.'),
      col('ClusterId', 'string', 'ARM resource id of the AKS cluster.'),
      col('ClusterName', 'string', 'Cluster name.'),
      col('Score', 'real', 'Cluster health score, 0..100.'),
      col('NamespaceScores', 'dynamic', 'Object of namespace -> score.'),
      col('Critical', 'int', 'Critical findings.'),
      col('Warning', 'int', 'Warning findings.'),
      col('Info', 'int', 'Info findings.'),
      col('New', 'int', 'Findings new in this sweep.'),
      col('Resolved', 'int', 'Findings resolved since the previous sweep.'),
      col('ObjectsScanned', 'long', 'Kubernetes and ARM objects examined.'),
      col('Partial', 'boolean', 'True when some listing failed or the time budget ran out.'),
      col('Errors', 'dynamic', 'Array of error messages of a partial sweep.'),
      col('DurationMs', 'long', 'Sweep duration in milliseconds.'),
    ],
  },
  AksAiopsDiagnoses_CL: {
    table: 'AksAiopsDiagnoses_CL',
    stream: 'Custom-AksAiopsDiagnoses_CL',
    description: 'One row per diagnosis (alert-triggered or on demand).',
    columns: [
      col('RecordId', 'string', 'The diagnosis id; repeated on a retried upload.'),
      timeGenerated,
      col('DiagnosisId', 'string', 'Diagnosis id.'),
      col('AlertId', 'string', 'Azure Monitor alert id (empty for on-demand diagnoses).'),
      col('ClusterId', 'string', 'ARM resource id of the AKS cluster.'),
      col('Namespace', 'string', 'Namespace of the target.'),
      col('Workload', 'string', 'Owning workload (Deployment, StatefulSet, ...).'),
      col('Pod', 'string', 'Pod name.'),
      col('Node', 'string', 'Node name.'),
      col('RootCause', 'string', 'oom_killed, crash_loop, image_pull_error, failed_scheduling, ... or unknown.'),
      col('Confidence', 'real', '0..1.'),
      col('Summary', 'string', 'One-paragraph explanation.'),
      col('Evidence', 'dynamic', 'Array of {source, detail, reproduce}.'),
      col('Recommendations', 'dynamic', 'Array of recommended actions.'),
      col('State', 'string', 'still_failing, recovered, transient, resolved or unknown.'),
      col('Firings', 'int', 'How many times the alert fired while the diagnosis was open.'),
      col('StartedAt', 'datetime', 'Diagnosis start.'),
      col('FinishedAt', 'datetime', 'Diagnosis end.'),
    ],
  },
  AksAiopsScaling_CL: {
    table: 'AksAiopsScaling_CL',
    stream: 'Custom-AksAiopsScaling_CL',
    description: 'One row per scaling decision: each schedule each time the scaling timer runs.',
    columns: [
      col('RecordId', 'string', 'runId/schedule: one decision of one timer run; repeated on a retried upload.'),
      timeGenerated,
      col('RunId', 'string', 'The scaling timer run that decided.'),
      col('ClusterId', 'string', 'ARM resource id of the AKS cluster.'),
      col('ClusterName', 'string', 'Cluster name.'),
      col('Schedule', 'string', 'Schedule name.'),
      col('NodePool', 'string', 'Agent pool the schedule scales (empty for a cluster power schedule).'),
      col('Mode', 'string', 'apply or plan: the schedule mode in effect (plan when scaling is not enabled).'),
      col('Decision', 'string', 'applied, planned, unchanged, skipped or failed.'),
      col('Action', 'string', 'scale, setBounds, start, stop or none.'),
      col('Reason', 'string', 'Why: the rule that holds, why it was skipped, or why the mode is plan.'),
      col('Desired', 'dynamic', 'The value the schedule wants: {count}, {minCount, maxCount} or {power}.'),
      col('Current', 'dynamic', 'The value ARM reported before the decision.'),
      col('NextChangeAt', 'datetime', 'When the desired value next changes (empty: never).'),
      col(
        'NodeHoursSaved',
        'real',
        'Estimated node-hours saved until the next change (negative: added), from the node count difference.',
      ),
      col('Error', 'string', 'The ARM error of a failed decision.'),
      col('DurationMs', 'long', 'Time taken, including waiting for the ARM long-running operation.'),
    ],
  },
};

/** `Custom-<Table>`: the stream a table's rows are uploaded to. */
export function streamNameOf(table: ResultTable): `Custom-${ResultTable}` {
  return TABLE_SCHEMAS[table].stream;
}

/** KQL schema text `(Name:type, ...)` of a table, as @kusto/language-service-next and the DCR docs write it. */
export function kqlSchemaOf(table: ResultTable): string {
  return `(${TABLE_SCHEMAS[table].columns.map((c) => `${c.name}:${c.type}`).join(', ')})`;
}
