// applyDelivery: the alert ledger's decision for one delivery, table-driven. Each case says which delivery meets
// which ledger entry, what must be written and what the worker does next.
import { describe, expect, it } from '@jest/globals';
import { applyDelivery, leaseHeldByOther, type Delivery } from '../../../shared/diagnostics/alertLedger.js';
import type { AlertKeyRecord } from '../../../shared/diagnostics/diagnosesRepository.js';

const NOW = Date.parse('2026-11-30T10:00:00Z');
const LEASE_MS = 180_000;
const iso = (ms: number) => new Date(ms).toISOString();

function delivery(over: Partial<Delivery['alert']> = {}, deliveryKey = 'k-fired-1', owner = 'me'): Delivery {
  return {
    alert: { alertKey: 'ak', alertId: 'alert-1', diagnosisId: 'diag-1', condition: 'Fired', ...over },
    deliveryKey,
    owner,
    nowMs: NOW,
    leaseMs: LEASE_MS,
  };
}

function entry(over: Partial<AlertKeyRecord> = {}): AlertKeyRecord {
  return {
    alertKey: 'ak',
    alertId: 'alert-1',
    diagnosisId: 'diag-1',
    status: 'diagnosing',
    firings: 1,
    deliveries: ['k-fired-1'],
    diagnosisWritten: false,
    etag: 'W/"1"',
    ...over,
  };
}

const myLease = { leaseUntil: iso(NOW + LEASE_MS), leaseOwner: 'me' };

describe('applyDelivery', () => {
  it('first firing: creates the entry with one firing and this worker leasing it, then diagnoses', () => {
    const step = applyDelivery(undefined, delivery());
    expect(step.write?.op).toBe('create');
    expect(step.write?.record).toMatchObject({
      status: 'diagnosing',
      firings: 1,
      deliveries: ['k-fired-1'],
      ...myLease,
    });
    expect(step.next).toEqual({ kind: 'diagnose', record: step.write?.record });
  });

  it('first notification is Resolved: records it resolved at its time, nothing to diagnose or close', () => {
    const step = applyDelivery(
      undefined,
      delivery({ condition: 'Resolved', resolvedAt: '2026-11-30T09:59:00Z' }, 'k-res'),
    );
    expect(step.write).toEqual({
      op: 'create',
      record: expect.objectContaining({ status: 'resolved', firings: 0, resolvedAt: '2026-11-30T09:59:00Z' }),
    });
    expect(step.write?.record.leaseOwner).toBeUndefined();
    expect(step.next).toMatchObject({ kind: 'resolved', diagnosisId: 'diag-1' });
    expect(step.next).not.toHaveProperty('closeDiagnosis');
  });

  it('Resolved without a resolved time takes the delivery time', () => {
    const step = applyDelivery(undefined, delivery({ condition: 'Resolved' }, 'k-res'));
    expect(step.write?.record.resolvedAt).toBe(iso(NOW));
  });

  it('Resolved for a known alert: marks the entry resolved and closes the stored diagnosis', () => {
    const step = applyDelivery(
      entry({ diagnosisWritten: true, status: 'diagnosed' }),
      delivery({ condition: 'Resolved', resolvedAt: iso(NOW) }, 'k-res'),
    );
    expect(step.write?.op).toBe('replace');
    expect(step.write?.record).toMatchObject({ status: 'resolved', deliveries: ['k-fired-1', 'k-res'], etag: 'W/"1"' });
    expect(step.next).toMatchObject({ kind: 'resolved', closeDiagnosis: { resolvedAt: iso(NOW) } });
  });

  it('the same Resolved notification again is a duplicate and writes nothing', () => {
    const step = applyDelivery(
      entry({ status: 'resolved', deliveries: ['k-fired-1', 'k-res'] }),
      delivery({ condition: 'Resolved' }, 'k-res'),
    );
    expect(step).toEqual({ next: { kind: 'duplicate', diagnosisId: 'diag-1' } });
  });

  it('a redelivery of a diagnosed firing is a duplicate', () => {
    const step = applyDelivery(entry({ diagnosisWritten: true, status: 'diagnosed' }), delivery());
    expect(step.write).toBeUndefined();
    expect(step.next.kind).toBe('duplicate');
  });

  it('a redelivery while another worker holds an unexpired lease waits for it', () => {
    const held = entry({ leaseUntil: iso(NOW + 60_000), leaseOwner: 'other' });
    expect(applyDelivery(held, delivery())).toEqual({ next: { kind: 'wait-for-lease', existing: held } });
  });

  it('a redelivery after the other worker died (lease expired) claims the entry and resumes', () => {
    const step = applyDelivery(entry({ leaseUntil: iso(NOW - 1), leaseOwner: 'other' }), delivery());
    expect(step.write?.record).toMatchObject({ ...myLease, firings: 1 });
    expect(step.next).toMatchObject({ kind: 'diagnose', note: expect.stringContaining('resuming') });
  });

  it('a redelivery of a resolved, never diagnosed alert is a duplicate (nothing left to diagnose)', () => {
    const step = applyDelivery(entry({ status: 'resolved' }), delivery());
    expect(step.next.kind).toBe('duplicate');
  });

  it('a new firing of a diagnosed alert counts it and updates the stored diagnosis, without a lease', () => {
    const step = applyDelivery(entry({ diagnosisWritten: true, status: 'diagnosed' }), delivery({}, 'k-fired-2'));
    expect(step.write?.record).toMatchObject({ firings: 2, deliveries: ['k-fired-1', 'k-fired-2'] });
    expect(step.write?.record.leaseOwner).toBeUndefined();
    expect(step.next).toMatchObject({ kind: 'counted', firings: 2, diagnosisWritten: true });
  });

  it('a new firing while another worker diagnoses counts it and leaves the lease alone', () => {
    const held = entry({ leaseUntil: iso(NOW + 60_000), leaseOwner: 'other' });
    const step = applyDelivery(held, delivery({}, 'k-fired-2'));
    expect(step.write?.record).toMatchObject({ firings: 2, leaseOwner: 'other' });
    expect(step.next).toMatchObject({ kind: 'counted', firings: 2, diagnosisWritten: false });
  });

  it('a new firing after the diagnosing worker died takes the lease and diagnoses (etag dropped from the record)', () => {
    const step = applyDelivery(entry({ leaseUntil: iso(NOW - 1), leaseOwner: 'other' }), delivery({}, 'k-fired-2'));
    expect(step.write?.record).toMatchObject({ firings: 2, ...myLease, etag: 'W/"1"' });
    expect(step.next.kind).toBe('diagnose');
    if (step.next.kind === 'diagnose') expect(step.next.record.etag).toBeUndefined();
  });
});

describe('leaseHeldByOther', () => {
  it.each([
    ['no lease', {}, false],
    ['own lease', { leaseUntil: iso(NOW + 1000), leaseOwner: 'me' }, false],
    ["someone else's live lease", { leaseUntil: iso(NOW + 1000), leaseOwner: 'other' }, true],
    ["someone else's lease ending now", { leaseUntil: iso(NOW), leaseOwner: 'other' }, false],
  ])('%s', (_why, lease, held) => {
    expect(leaseHeldByOther(entry(lease), 'me', NOW)).toBe(held);
  });
});
