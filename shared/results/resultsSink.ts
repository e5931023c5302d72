// Where results go. The Log Analytics implementation uses @azure/monitor-ingestion; `file` writes JSON-lines per
// table locally; `console` prints for the CLI. Writers pass rows with a stable `RecordId` so a retried upload can be
// de-duplicated in KQL with `summarize arg_max(TimeGenerated, *) by RecordId`.
export const RESULT_TABLES = [
  'AksAiopsFindings_CL',
  'AksAiopsSweeps_CL',
  'AksAiopsDiagnoses_CL',
  'AksAiopsScaling_CL',
] as const;
export type ResultTable = (typeof RESULT_TABLES)[number];

export interface ResultRow {
  RecordId: string;
  TimeGenerated: string;
  [column: string]: unknown;
}

export interface UploadOutcome {
  uploaded: number;
  /** Rows that could not be sent now and were spooled for a later retry (never dropped). */
  spooled: number;
  /** Upload calls made (Log Analytics: one per <= 1 MB chunk). */
  calls?: number;
  /** Rows with at least one field cut to the 64 KB limit (marked in the value). */
  truncatedRows?: number;
}

export interface UploadOptions {
  abortSignal?: AbortSignal;
}

export interface ResultsSink {
  upload(table: ResultTable, rows: ResultRow[], options?: UploadOptions): Promise<UploadOutcome>;
}
