// The alert ledger's one decision, kept pure: given the ledger entry of an alert (or none) and one delivery of a
// notification, what to write and what the worker does next. alertWorker.ts performs the write with optimistic
// concurrency (a lost race re-reads and asks again) and the I/O that follows; this file has no I/O and no clock.
import type { AlertKeyRecord } from './diagnosesRepository.js';
import type { NormalizedAlert } from './normalizeAlert.js';

/** One delivery of a notification, as the worker sees it when it applies it. */
export interface Delivery {
  alert: Pick<NormalizedAlert, 'alertKey' | 'alertId' | 'diagnosisId' | 'condition' | 'resolvedAt'>;
  /** The content key of the notification (deliveryKeyOf): equal for redeliveries, new for a new firing. */
  deliveryKey: string;
  /** This attempt's lease owner id. */
  owner: string;
  nowMs: number;
  /** How long a claim lasts. */
  leaseMs: number;
}

/** What the worker does once the write (if any) succeeded. */
export type LedgerNext =
  /** Nothing changed: the notification was applied before. */
  | { kind: 'duplicate'; diagnosisId: string; note?: string }
  /** Another worker holds the lease on this notification's diagnosis: wait for it. */
  | { kind: 'wait-for-lease'; existing: AlertKeyRecord }
  /** Resolved; `closeDiagnosis` when a stored diagnosis must be marked resolved too. */
  | { kind: 'resolved'; diagnosisId: string; closeDiagnosis?: { resolvedAt: string }; note: string }
  /** A repeated firing counted; `diagnosisWritten`: the stored diagnosis must take the new count. */
  | { kind: 'counted'; diagnosisId: string; firings: number; diagnosisWritten: boolean; note: string }
  /** This worker holds the lease: diagnose with this record. */
  | { kind: 'diagnose'; record: AlertKeyRecord; note?: string };

export interface LedgerStep {
  /** create: the entry must not exist yet; replace: the entry must still have the etag it was read with. */
  write?: { op: 'create' | 'replace'; record: AlertKeyRecord };
  next: LedgerNext;
}

/** True when someone other than `owner` holds an unexpired lease on the entry. */
export function leaseHeldByOther(record: AlertKeyRecord, owner: string, nowMs: number): boolean {
  return record.leaseUntil !== undefined && record.leaseOwner !== owner && Date.parse(record.leaseUntil) > nowMs;
}

function firstDelivery(d: Delivery, lease: Pick<AlertKeyRecord, 'leaseUntil' | 'leaseOwner'>): LedgerStep {
  const { alert } = d;
  const fired = alert.condition === 'Fired';
  const record: AlertKeyRecord = {
    alertKey: alert.alertKey,
    alertId: alert.alertId,
    diagnosisId: alert.diagnosisId,
    status: fired ? 'diagnosing' : 'resolved',
    firings: fired ? 1 : 0,
    deliveries: [d.deliveryKey],
    resolvedAt: fired ? undefined : (alert.resolvedAt ?? new Date(d.nowMs).toISOString()),
    diagnosisWritten: false,
    ...(fired ? lease : {}),
  };
  return {
    write: { op: 'create', record },
    next: fired
      ? { kind: 'diagnose', record }
      : {
          kind: 'resolved',
          diagnosisId: alert.diagnosisId,
          note: 'resolved notification for an alert never diagnosed; recorded',
        },
  };
}

/** Applies one delivery to the ledger entry of its alert (undefined: the alert was never seen). */
export function applyDelivery(existing: AlertKeyRecord | undefined, d: Delivery): LedgerStep {
  const lease = { leaseUntil: new Date(d.nowMs + d.leaseMs).toISOString(), leaseOwner: d.owner };
  if (!existing) return firstDelivery(d, lease);
  const seen = existing.deliveries.includes(d.deliveryKey);
  const diagnosisId = existing.diagnosisId;
  if (d.alert.condition === 'Resolved') {
    if (seen) return { next: { kind: 'duplicate', diagnosisId } };
    const resolvedAt = d.alert.resolvedAt ?? new Date(d.nowMs).toISOString();
    return {
      write: {
        op: 'replace',
        record: { ...existing, status: 'resolved', resolvedAt, deliveries: [...existing.deliveries, d.deliveryKey] },
      },
      next: { kind: 'resolved', diagnosisId, closeDiagnosis: { resolvedAt }, note: 'alert resolved; diagnosis closed' },
    };
  }
  if (seen) {
    // Same notification again. If its diagnosis never got written (the worker died), finish it now.
    if (existing.diagnosisWritten || existing.status === 'resolved')
      return { next: { kind: 'duplicate', diagnosisId, note: 'duplicate delivery ignored' } };
    if (leaseHeldByOther(existing, d.owner, d.nowMs)) return { next: { kind: 'wait-for-lease', existing } };
    const claimed: AlertKeyRecord = { ...existing, ...lease };
    return {
      write: { op: 'replace', record: claimed },
      next: { kind: 'diagnose', record: claimed, note: 'redelivered before its diagnosis was stored; resuming' },
    };
  }
  // A new firing of a known alert: count it, and claim the diagnosis if nobody wrote or holds it.
  const takeLease = !existing.diagnosisWritten && !leaseHeldByOther(existing, d.owner, d.nowMs);
  const next: AlertKeyRecord = {
    ...existing,
    firings: existing.firings + 1,
    deliveries: [...existing.deliveries, d.deliveryKey],
    ...(takeLease ? lease : {}),
  };
  const write = { op: 'replace' as const, record: next };
  if (existing.diagnosisWritten || !takeLease) {
    // Written: the stored diagnosis takes the new count. Not written: another worker is diagnosing, and it stores
    // the ledger's firings when it finishes.
    const note = existing.diagnosisWritten
      ? 'repeated firing counted'
      : 'repeated firing counted while its diagnosis runs';
    const counted = { diagnosisId, firings: next.firings, diagnosisWritten: existing.diagnosisWritten, note };
    return { write, next: { kind: 'counted', ...counted } };
  }
  // Its earlier delivery died (the lease ran out): diagnose here (same id, same row).
  return { write, next: { kind: 'diagnose', record: { ...next, etag: undefined } } };
}
