// The diagnostics' repository port: the alert ledger (exactly-once deliveries, leases) and the stored diagnoses, as
// the alert worker and the read API use them. Two implementations: Table storage (diagnosesStore.ts, deployed) and
// the in-memory twin below (unit tests). test/integration/store/diagnosesRepository.test.ts runs one contract over
// both, the ETag conditions included.
import { randomUUID } from 'node:crypto';
import { checkTableContinuationToken } from '../storage/storageClients.js';
import type { Diagnosis } from './types.js';

type Signal = { abortSignal?: AbortSignal };

export type AlertKeyStatus = 'diagnosing' | 'diagnosed' | 'resolved';

export interface AlertKeyRecord {
  alertKey: string;
  alertId: string;
  diagnosisId: string;
  status: AlertKeyStatus;
  firings: number;
  deliveries: string[];
  /** Set once a Resolved notification arrived. */
  resolvedAt?: string;
  diagnosisWritten: boolean;
  /** The worker diagnosing this alert holds the entry until this time (ISO); others wait for or reuse its result. */
  leaseUntil?: string;
  leaseOwner?: string;
  etag?: string;
}

export interface DiagnosisPage {
  items: Diagnosis[];
  continuationToken?: string;
}

export interface DiagnosisListQuery {
  clusterId?: string;
  since?: Date;
  pageSize?: number;
  continuationToken?: string;
}

export interface DiagnosesRepository {
  /** Creates what the repository needs (tables); cheap to call again. */
  ensure(): Promise<void>;
  getAlertKey(alertKey: string, options?: Signal): Promise<AlertKeyRecord | undefined>;
  /** Conditional insert: false when another delivery created the record first. */
  createAlertKey(record: AlertKeyRecord, options?: Signal): Promise<boolean>;
  /** ETag-conditional replace: false when the record changed since it was read. */
  replaceAlertKey(record: AlertKeyRecord, options?: Signal): Promise<boolean>;
  /** Writes (or rewrites) a diagnosis under its id: a retried write replaces, never duplicates. */
  saveDiagnosis(d: Diagnosis, options?: Signal): Promise<void>;
  /** Changes a stored diagnosis' firings/state (merge); false when it does not exist (yet). */
  updateDiagnosis(
    id: string,
    patch: { firings?: number; state?: Diagnosis['state']; resolvedAt?: string },
    options?: Signal,
  ): Promise<boolean>;
  getDiagnosis(id: string, options?: Signal): Promise<Diagnosis | undefined>;
  /** Diagnoses of a cluster (optional) started at or after `since` (optional), one page at a time, by id. */
  listDiagnoses(query: DiagnosisListQuery, options?: Signal): Promise<DiagnosisPage>;
}

/** Delivery keys remembered per alert (Azure retries at most 5 times; firings are rarer still). */
export const MAX_DELIVERIES = 50;
const DIAGNOSIS_ID = /^[\w.-]{1,200}$/;

/**
 * The in-memory twin. Same conditions as Table storage: insert fails on an existing key, replace fails on a stale
 * ETag, each write issues a new ETag; pages follow the row key (the diagnosis id) with the same continuation-token
 * format (base64 JSON of nextPartitionKey/nextRowKey), so a forged token is a 400 here too.
 */
export function createInMemoryDiagnosesRepository(): DiagnosesRepository {
  const ledger = new Map<string, AlertKeyRecord>();
  const diagnoses = new Map<string, Diagnosis>();
  const copy = <T>(v: T): T => structuredClone(v);
  const stamp = (r: AlertKeyRecord): AlertKeyRecord => ({
    ...copy(r),
    deliveries: r.deliveries.slice(-MAX_DELIVERIES),
    etag: `W/"${randomUUID()}"`,
  });
  return {
    async ensure() {},
    async getAlertKey(alertKey, options = {}) {
      options.abortSignal?.throwIfAborted();
      const r = ledger.get(alertKey);
      return r && copy(r);
    },
    async createAlertKey(record, options = {}) {
      options.abortSignal?.throwIfAborted();
      if (ledger.has(record.alertKey)) return false;
      ledger.set(record.alertKey, stamp(record));
      return true;
    },
    async replaceAlertKey(record, options = {}) {
      options.abortSignal?.throwIfAborted();
      const current = ledger.get(record.alertKey);
      if (!current || (record.etag !== '*' && record.etag !== current.etag)) return false;
      ledger.set(record.alertKey, stamp(record));
      return true;
    },
    async saveDiagnosis(d, options = {}) {
      options.abortSignal?.throwIfAborted();
      diagnoses.set(d.id, copy(d));
    },
    async updateDiagnosis(id, patch, options = {}) {
      options.abortSignal?.throwIfAborted();
      const d = diagnoses.get(id);
      if (!d) return false;
      if (patch.firings !== undefined) d.firings = patch.firings;
      if (patch.state !== undefined) d.state = patch.state;
      if (patch.resolvedAt !== undefined) d.resolvedAt = patch.resolvedAt;
      return true;
    },
    async getDiagnosis(id, options = {}) {
      options.abortSignal?.throwIfAborted();
      const d = DIAGNOSIS_ID.test(id) ? diagnoses.get(id) : undefined;
      return d && copy(d);
    },
    async listDiagnoses(query, options = {}) {
      options.abortSignal?.throwIfAborted();
      const pageSize = Math.min(Math.max(query.pageSize ?? 50, 1), 1000);
      const token = checkTableContinuationToken(query.continuationToken);
      const from = token
        ? ((JSON.parse(Buffer.from(token, 'base64').toString('latin1')) as { nextRowKey?: string }).nextRowKey ?? '')
        : '';
      const cluster = query.clusterId?.toLowerCase();
      const matching = [...diagnoses.values()]
        .filter((d) => d.id >= from)
        .filter((d) => cluster === undefined || (d.target.clusterId ?? '').toLowerCase() === cluster)
        .filter((d) => query.since === undefined || Date.parse(d.startedAt) >= query.since.getTime())
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const page = matching.slice(0, pageSize);
      const next = matching[pageSize];
      const items = page.map(copy).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      if (!next) return { items };
      const continuationToken = Buffer.from(
        JSON.stringify({ nextPartitionKey: 'diagnosis', nextRowKey: next.id }),
      ).toString('base64');
      return { items, continuationToken };
    },
  };
}
