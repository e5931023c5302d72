// Local Logs Ingestion API (a data collection endpoint):
//   POST /dataCollectionRules/{dcrImmutableId}/streams/{streamName}?api-version=2023-01-01
// Bearer token for https://monitor.azure.com, JSON array body (optionally Content-Encoding: gzip), at most 1 MB
// on the wire and decoded (413 above), 204 on success. Each row is appended as one JSON line to
// <dataDir>/ingestion/<streamName>.jsonl; the DCR's output (Custom-X -> table X) is handed to `onRows`.
// Rows are shaped by the DCR's stream declaration as the service does, silently: a column the stream does not
// declare is dropped ("the columns in the incoming data must match the stream declaration; other columns are
// ignored", Logs Ingestion API overview, learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview),
// and a value that does not fit its declared type is stored as null (Kusto ingestion of invalid data,
// learn.microsoft.com/azure/data-explorer/ingest-invalid-data: "value not matching the table schema data type").
// What was dropped or nulled is counted (`shapingReport`) so tests can prove that nothing was.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { azureError, bearerToken, readBody, sendEmpty, takeFault } from './standinHttp.js';
import { isForbiddenAudience, verifyIssuedToken } from './tokenIssuer.js';

export interface IngestionFault {
  /** How many of the next requests fail; absent with a status: every request fails until cleared. */
  failNext?: number;
  status?: 429 | 500 | 503 | 413;
  retryAfterSeconds?: number;
}

/** The streams of the aks-aiops data collection rule (infra/: one Custom- stream per custom table). */
export const DEFAULT_INGESTION_STREAMS = [
  'Custom-AksAiopsFindings_CL',
  'Custom-AksAiopsSweeps_CL',
  'Custom-AksAiopsDiagnoses_CL',
  'Custom-AksAiopsScaling_CL',
];

/** The service's limit per call, compressed and uncompressed. */
export const INGESTION_MAX_BYTES = 1024 * 1024;
const MONITOR_AUDIENCE = 'https://monitor.azure.com';
const SUPPORTED_API_VERSIONS = ['2021-11-01-preview', '2023-01-01'];

export type DeclaredColumnType = 'string' | 'int' | 'long' | 'real' | 'boolean' | 'datetime' | 'dynamic';
export type StreamDeclarations = Record<string, Array<{ name: string; type: DeclaredColumnType }>>;

/** What the DCR's stream declaration did to the rows of one stream: counts per column. */
export interface ShapingReport {
  droppedColumns: Record<string, number>;
  nulledValues: Record<string, number>;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/**
 * The value a declared column stores for a JSON value, or null when it does not fit. JSON strings are parsed for
 * the typed columns (the service reads JSON text, so "5" is a valid long), and a string column takes the JSON text
 * of a number, boolean or object.
 */
export function fitDeclaredType(type: DeclaredColumnType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'dynamic':
      return value;
    case 'string':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return null;
    case 'int':
    case 'long': {
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n)) return null;
      if (type === 'int' && (n < INT32.min || n > INT32.max)) return null;
      return n;
    }
    case 'real': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : null;
    }
    case 'datetime': {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(value.trim()))
        return null;
      const t = Date.parse(value);
      return Number.isFinite(t) ? new Date(t).toISOString() : null;
    }
  }
}

/** One row through a stream declaration: undeclared columns dropped, mismatched values nulled (counted in `report`). */
export function shapeRow(
  row: Record<string, unknown>,
  columns: StreamDeclarations[string],
  report: ShapingReport,
): Record<string, unknown> {
  const declared = new Map(columns.map((c) => [c.name, c.type]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const type = declared.get(name);
    if (!type) {
      report.droppedColumns[name] = (report.droppedColumns[name] ?? 0) + 1;
      continue;
    }
    const fitted = fitDeclaredType(type, value);
    if (fitted === null && value !== null && value !== undefined) {
      report.nulledValues[name] = (report.nulledValues[name] ?? 0) + 1;
    }
    out[name] = fitted;
  }
  return out;
}

export interface LogsIngestionEndpointOptions {
  dataDir: string;
  dcrImmutableId: string;
  streams: string[];
  /** Column declarations per stream (the DCR's streamDeclarations); a stream without one keeps every column. */
  streamDeclarations: StreamDeclarations;
  /** Filled per stream as rows are shaped. */
  shaping: Map<string, ShapingReport>;
  faults: () => IngestionFault | undefined;
  forbiddenAudiences: () => string[] | undefined;
  onRows: (stream: string, rows: Array<Record<string, unknown>>) => void;
}

const FAULT_CODES: Record<number, [string, string]> = {
  413: ['ContentLengthLimitExceeded', 'Maximum allowed content length: 1048576 bytes (1 MB) (injected fault).'],
  429: ['TooManyRequests', 'Rate limit of requests per minute for the data collection rule exceeded (injected fault).'],
  500: ['InternalServerError', 'An internal error occurred while ingesting the data (injected fault).'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable (injected fault).'],
};

export function ingestionFile(dataDir: string, stream: string): string {
  // Stream names are validated against the DCR before use, so they are safe as file names.
  return path.join(dataDir, 'ingestion', `${stream}.jsonl`);
}

export async function readIngestedRows(dataDir: string, stream: string): Promise<Array<Record<string, unknown>>> {
  let text: string;
  try {
    text = await readFile(ingestionFile(dataDir, stream), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function createLogsIngestionHandler(options: LogsIngestionEndpointOptions) {
  // Appends are serialised per stream so concurrent chunks never interleave inside a line.
  const writes = new Map<string, Promise<void>>();
  const append = (stream: string, text: string): Promise<void> => {
    const previous = writes.get(stream) ?? Promise.resolve();
    const next = previous.then(async () => {
      await mkdir(path.join(options.dataDir, 'ingestion'), { recursive: true });
      await appendFile(ingestionFile(options.dataDir, stream), text);
    });
    writes.set(
      stream,
      next.catch(() => undefined),
    );
    return next;
  };

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const match = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)$/i.exec(url.pathname);
    if (!match) throw azureError(404, 'NotFound', `No such route: ${req.method ?? ''} ${url.pathname}`);
    if (req.method !== 'POST') throw azureError(405, 'MethodNotAllowed', 'Only POST is supported.');
    const dcr = decodeURIComponent(match[1] ?? '');
    const stream = decodeURIComponent(match[2] ?? '');

    const verdict = verifyIssuedToken(bearerToken(req), MONITOR_AUDIENCE);
    if (!verdict.ok) {
      const message =
        verdict.reason === 'missing'
          ? 'Authorization header is missing.'
          : verdict.reason === 'audience'
            ? `The access token audience '${verdict.claims?.aud ?? ''}' is invalid; expected '${MONITOR_AUDIENCE}'.`
            : verdict.reason === 'expired'
              ? 'The access token has expired.'
              : 'The access token is invalid.';
      throw azureError(401, 'InvalidToken', message);
    }
    if (isForbiddenAudience([MONITOR_AUDIENCE], options.forbiddenAudiences())) {
      throw azureError(
        403,
        'OperationFailed',
        `The authentication token provided does not have access to ingest data for the data collection rule with immutable RecordId '${dcr}'.`,
      );
    }

    const apiVersion = url.searchParams.get('api-version');
    if (!apiVersion || !SUPPORTED_API_VERSIONS.includes(apiVersion)) {
      throw azureError(
        400,
        'InvalidApiVersion',
        `The api-version '${apiVersion ?? ''}' is not supported. Supported versions: ${SUPPORTED_API_VERSIONS.join(', ')}.`,
      );
    }
    if (dcr !== options.dcrImmutableId) {
      throw azureError(404, 'NotFound', `Data collection rule with immutable RecordId '${dcr}' not found.`);
    }
    if (!options.streams.includes(stream)) {
      throw azureError(
        404,
        'InvalidStream',
        `Stream '${stream}' is not declared in data collection rule '${dcr}'. Declared streams: ${options.streams.join(', ')}.`,
      );
    }

    const body = await readBody(req, {
      maxBytes: INGESTION_MAX_BYTES,
      tooLarge: (bytes) =>
        azureError(
          413,
          'ContentLengthLimitExceeded',
          `Maximum allowed content length: ${INGESTION_MAX_BYTES} bytes (1 MB). Provided content length: ${bytes} bytes.`,
        ),
      badEncoding: (message) => azureError(400, 'InvalidContentEncoding', message),
    });

    // Faults apply after the body is read, as a throttled or failing service still receives the request.
    const fault = takeFault(options.faults());
    if (fault) {
      const [code, message] = FAULT_CODES[fault.status] ?? ['InternalServerError', `Injected fault ${fault.status}.`];
      throw azureError(
        fault.status,
        code,
        message,
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
    }

    let rows: unknown;
    try {
      rows = JSON.parse(body.toString('utf8'));
    } catch (err) {
      throw azureError(400, 'InvalidPayload', `The request body is not valid JSON: ${(err as Error).message}`);
    }
    if (!Array.isArray(rows))
      throw azureError(400, 'InvalidPayload', 'The request body must be a JSON array of objects.');
    const bad = rows.findIndex((r) => typeof r !== 'object' || r === null || Array.isArray(r));
    if (bad >= 0) throw azureError(400, 'InvalidPayload', `Item ${bad} of the request body is not a JSON object.`);
    const columns = options.streamDeclarations[stream];
    let report = options.shaping.get(stream);
    if (!report) {
      report = { droppedColumns: {}, nulledValues: {} };
      options.shaping.set(stream, report);
    }
    const shapingReport = report;
    const objects = columns
      ? (rows as Array<Record<string, unknown>>).map((r) => shapeRow(r, columns, shapingReport))
      : (rows as Array<Record<string, unknown>>);
    if (objects.length > 0) {
      await append(stream, objects.map((r) => JSON.stringify(r)).join('\n') + '\n');
      options.onRows(stream, objects);
    }
    sendEmpty(res, 204);
  };
}
