// Table storage for diagnoses and for alert idempotency. The alert key record (table `alertkeys`, one entity per
// alert id) is the exactly-once ledger: which deliveries were already applied (content keys), how many times the
// alert fired, whether its diagnosis is written. Every change goes through ETag-conditional writes, so two workers
// (or a redelivered message racing the original) can never both apply the same delivery.
import { RestError, TableClient, odata, type TableEntityResult } from '@azure/data-tables';
import type { AppConfig } from '../config/config.js';
import { TABLE_NAMES } from '../config/config.js';
import { isRootCause, type Diagnosis, type EvidenceItem } from './types.js';
import {
  MAX_DELIVERIES,
  type AlertKeyRecord,
  type AlertKeyStatus,
  type DiagnosesRepository,
  type DiagnosisListQuery,
  type DiagnosisPage,
} from './diagnosesRepository.js';
import {
  checkTableContinuationToken,
  createTableClient,
  ensureTable,
  isTableNotFound,
} from '../storage/storageClients.js';

const DIAGNOSIS_PK = 'diagnosis';
const ALERT_RK = 'alert';
/** Table storage caps a string property at 64 KiB (32K UTF-16 characters). */
const MAX_PROPERTY_CHARS = 30_000;

interface AlertKeyEntity {
  partitionKey: string;
  rowKey: string;
  alertId: string;
  diagnosisId: string;
  status: AlertKeyStatus;
  firings: number;
  deliveries: string;
  resolvedAt?: string;
  diagnosisWritten: boolean;
  leaseUntil?: string;
  leaseOwner?: string;
}

interface DiagnosisEntity {
  partitionKey: string;
  rowKey: string;
  alertId?: string;
  clusterKey: string;
  clusterId?: string;
  target: string;
  rootCause: string;
  rootCauseDetail?: string;
  confidence: number;
  summary: string;
  evidence: string;
  recommendations: string;
  /** JSON array; absent when every piece of evidence was gathered. */
  evidenceGaps?: string;
  state: string;
  firings: number;
  startedAt: Date;
  finishedAt: Date;
  resolvedAt?: string;
}

export function isConflict(err: unknown): boolean {
  return err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412);
}

function isNotFound(err: unknown): boolean {
  return err instanceof RestError && err.statusCode === 404;
}

/** A point read of one row: undefined when the row does not exist (404), any other failure thrown. */
async function readRow<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** JSON of evidence that fits a table property: drops items from the end and says so. */
function evidenceJson(evidence: EvidenceItem[]): string {
  let items = evidence;
  let text = JSON.stringify(items);
  while (text.length > MAX_PROPERTY_CHARS && items.length > 1) {
    items = items.slice(0, -1);
    text = JSON.stringify([
      ...items,
      {
        source: 'aks-aiops',
        detail: `${evidence.length - items.length} more evidence items not stored`,
        reproduce: '',
      },
    ]);
  }
  return text.length > MAX_PROPERTY_CHARS
    ? JSON.stringify([{ source: 'aks-aiops', detail: 'evidence too large to store', reproduce: '' }])
    : text;
}

function toRecord(e: TableEntityResult<AlertKeyEntity>): AlertKeyRecord {
  let deliveries: string[] = [];
  try {
    deliveries = JSON.parse(e.deliveries) as string[];
  } catch {
    deliveries = [];
  }
  return {
    alertKey: e.partitionKey,
    alertId: e.alertId,
    diagnosisId: e.diagnosisId,
    status: e.status,
    firings: e.firings,
    deliveries,
    resolvedAt: e.resolvedAt,
    diagnosisWritten: e.diagnosisWritten,
    leaseUntil: e.leaseUntil || undefined,
    leaseOwner: e.leaseOwner || undefined,
    etag: e.etag,
  };
}

function fromRecord(r: AlertKeyRecord): AlertKeyEntity {
  return {
    partitionKey: r.alertKey,
    rowKey: ALERT_RK,
    alertId: r.alertId,
    diagnosisId: r.diagnosisId,
    status: r.status,
    firings: r.firings,
    deliveries: JSON.stringify(r.deliveries.slice(-MAX_DELIVERIES)),
    resolvedAt: r.resolvedAt,
    diagnosisWritten: r.diagnosisWritten,
    // Replace writes every property: an empty string clears a lease.
    leaseUntil: r.leaseUntil ?? '',
    leaseOwner: r.leaseOwner ?? '',
  };
}

function toDiagnosis(e: TableEntityResult<DiagnosisEntity>): Diagnosis {
  const parse = <T>(s: string, dflt: T): T => {
    try {
      return JSON.parse(s) as T;
    } catch {
      return dflt;
    }
  };
  const d: Diagnosis = {
    id: e.rowKey,
    alertId: e.alertId || undefined,
    target: parse(e.target, {}),
    // A row written by another version may hold a cause this one does not know: read it as unknown.
    rootCause: isRootCause(e.rootCause) ? e.rootCause : 'unknown',
    confidence: e.confidence,
    summary: e.summary,
    evidence: parse(e.evidence, []),
    recommendations: parse(e.recommendations, []),
    state: e.state as Diagnosis['state'],
    firings: e.firings,
    startedAt: new Date(e.startedAt).toISOString(),
    finishedAt: new Date(e.finishedAt).toISOString(),
  };
  if (e.rootCauseDetail) d.rootCauseDetail = e.rootCauseDetail;
  if (e.evidenceGaps) d.evidenceGaps = parse(e.evidenceGaps, []);
  if (e.resolvedAt) d.resolvedAt = e.resolvedAt;
  return d;
}

/** The Table storage DiagnosesRepository (the deployed one). */
export class DiagnosesStore implements DiagnosesRepository {
  private readonly diagnoses: TableClient;
  private readonly alertKeys: TableClient;

  constructor(config: Pick<AppConfig, 'storage'>) {
    this.diagnoses = createTableClient(config, TABLE_NAMES.diagnoses);
    this.alertKeys = createTableClient(config, TABLE_NAMES.alertKeys);
  }

  async ensure(): Promise<void> {
    await Promise.all([ensureTable(this.diagnoses), ensureTable(this.alertKeys)]);
  }

  // ---- alert idempotency ledger ----

  async getAlertKey(
    alertKey: string,
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<AlertKeyRecord | undefined> {
    const row = await readRow(() =>
      this.alertKeys.getEntity<AlertKeyEntity>(alertKey, ALERT_RK, { abortSignal: options.abortSignal }),
    );
    return row && toRecord(row);
  }

  /** Conditional insert: returns false when another delivery created the record first. */
  async createAlertKey(record: AlertKeyRecord, options: { abortSignal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.alertKeys.createEntity(fromRecord(record), { abortSignal: options.abortSignal });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  /** ETag-conditional replace: returns false when the record changed since it was read. */
  async replaceAlertKey(record: AlertKeyRecord, options: { abortSignal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.alertKeys.updateEntity(fromRecord(record), 'Replace', {
        etag: record.etag,
        abortSignal: options.abortSignal,
      });
      return true;
    } catch (err) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  // ---- diagnoses ----

  /** Writes (or rewrites) a diagnosis under its id: a retried write replaces, never duplicates. */
  async saveDiagnosis(d: Diagnosis, options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    const entity: DiagnosisEntity = {
      partitionKey: DIAGNOSIS_PK,
      rowKey: d.id,
      alertId: d.alertId ?? '',
      clusterKey: (d.target.clusterId ?? '').toLowerCase(),
      clusterId: d.target.clusterId,
      target: JSON.stringify(d.target),
      rootCause: d.rootCause,
      rootCauseDetail: d.rootCauseDetail,
      confidence: d.confidence,
      summary: d.summary.slice(0, MAX_PROPERTY_CHARS),
      evidence: evidenceJson(d.evidence),
      recommendations: JSON.stringify(d.recommendations).slice(0, MAX_PROPERTY_CHARS),
      ...(d.evidenceGaps?.length ? { evidenceGaps: JSON.stringify(d.evidenceGaps).slice(0, MAX_PROPERTY_CHARS) } : {}),
      state: d.state,
      firings: d.firings,
      startedAt: new Date(d.startedAt),
      finishedAt: new Date(d.finishedAt),
      resolvedAt: d.resolvedAt,
    };
    await this.diagnoses.upsertEntity(entity, 'Replace', { abortSignal: options.abortSignal });
  }

  /** Changes a stored diagnosis' firings/state (merge); false when it does not exist (yet). */
  async updateDiagnosis(
    id: string,
    patch: { firings?: number; state?: Diagnosis['state']; resolvedAt?: string },
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<boolean> {
    try {
      const entity: Record<string, unknown> = { partitionKey: DIAGNOSIS_PK, rowKey: id };
      if (patch.firings !== undefined) entity.firings = patch.firings;
      if (patch.state !== undefined) entity.state = patch.state;
      if (patch.resolvedAt !== undefined) entity.resolvedAt = patch.resolvedAt;
      await this.diagnoses.updateEntity(entity as { partitionKey: string; rowKey: string }, 'Merge', {
        etag: '*',
        abortSignal: options.abortSignal,
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async getDiagnosis(id: string, options: { abortSignal?: AbortSignal } = {}): Promise<Diagnosis | undefined> {
    if (!/^[\w.-]{1,200}$/.test(id)) return undefined;
    const row = await readRow(() =>
      this.diagnoses.getEntity<DiagnosisEntity>(DIAGNOSIS_PK, id, { abortSignal: options.abortSignal }),
    );
    return row && toDiagnosis(row);
  }

  /** Diagnoses of a cluster (optional) started at or after `since` (optional), one page at a time. */
  async listDiagnoses(query: DiagnosisListQuery, options: { abortSignal?: AbortSignal } = {}): Promise<DiagnosisPage> {
    const pageSize = Math.min(Math.max(query.pageSize ?? 50, 1), 1000);
    let filter = odata`PartitionKey eq ${DIAGNOSIS_PK}`;
    if (query.clusterId) filter += ` and ${odata`clusterKey eq ${query.clusterId.toLowerCase()}`}`;
    if (query.since) filter += ` and ${odata`startedAt ge ${query.since}`}`;
    const token = checkTableContinuationToken(query.continuationToken);
    const pages = this.diagnoses
      .listEntities<DiagnosisEntity>({ queryOptions: { filter }, abortSignal: options.abortSignal })
      .byPage({ maxPageSize: pageSize, continuationToken: token });
    let first;
    try {
      first = await pages.next();
    } catch (err) {
      // A fresh deployment has no diagnoses table until the first alert is processed: that is an empty list.
      if (isTableNotFound(err)) return { items: [] };
      throw err;
    }
    if (first.done) return { items: [] };
    const page = first.value;
    const items = page.map((e) => toDiagnosis(e)).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return { items, continuationToken: page.continuationToken };
  }
}
