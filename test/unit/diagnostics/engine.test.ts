// The engine's choices that a user sees: which object is diagnosed, and the live state reported with the cause.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { diagnoseSnapshot, selectSubject } from '../../../shared/diagnostics/engine.js';
import { parseDump } from '../../../shared/diagnostics/parse/parseDump.js';
import { normalizeAlert } from '../../../shared/diagnostics/normalizeAlert.js';
import { parseCommonAlert } from '../../../shared/diagnostics/alertSchema.js';
import { NotFoundError } from '../../../shared/errors.js';
import { loadCases } from './corpusSupport.js';

const NOW = new Date();
const byFile = new Map(
  [...loadCases('test/fixtures/diagnostics', NOW), ...loadCases('test/fixtures/cases', NOW)].map((c) => [c.file, c]),
);
const snapshotOf = (file: string) => parseDump(byFile.get(file)!.input, { now: NOW }).snapshot;

function alertAt(firedAt: Date, condition: 'Fired' | 'Resolved' = 'Fired') {
  return normalizeAlert(
    parseCommonAlert(
      JSON.stringify({
        schemaId: 'azureMonitorCommonAlertSchema',
        data: {
          essentials: {
            alertId: '/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/e1',
            alertRule: 'KubePodCrashLooping',
            monitorCondition: condition,
            monitoringService: 'Prometheus',
            signalType: 'Metric',
            firedDateTime: firedAt.toISOString(),
            configurationItems: ['aks'],
          },
          alertContext: { expression: 'x', labels: { namespace: 'shop' } },
        },
      }),
      { maxBytes: 1 << 20 },
    ),
  );
}

describe('diagnosis state', () => {
  it('still_failing while the container loops', () => {
    expect(diagnoseSnapshot(snapshotOf('101-oom-classic-crashloop.yaml'), { target: {} }).state).toBe('still_failing');
  });
  it('recovered when the OOM kill is recent but the pod is Ready again', () => {
    const s = snapshotOf('103-oom-hard-ready-again.yaml');
    const d = diagnoseSnapshot(s, { target: { namespace: 'shop', pod: 'search-6c8d9f7b5-m4n2p' } });
    expect([d.rootCause, d.state]).toEqual(['oom_killed', 'recovered']);
    expect(d.summary).toMatch(/recovered/);
  });
  it('recovered after a recent crash', () => {
    expect(diagnoseSnapshot(snapshotOf('115-crash-recovered.yaml'), { target: {} })).toMatchObject({
      rootCause: 'crash_loop',
      state: 'recovered',
    });
  });
  it('transient when an alert fired but nothing failed', () => {
    const s = snapshotOf('191-healthy-transient.yaml');
    const d = diagnoseSnapshot(s, {
      target: { namespace: 'shop' },
      alert: alertAt(new Date(s.observedAt.getTime() + 60_000)),
    });
    expect([d.rootCause, d.state]).toEqual(['healthy', 'transient']);
  });
  it('resolved once the alert resolved', () => {
    const s = snapshotOf('101-oom-classic-crashloop.yaml');
    expect(diagnoseSnapshot(s, { target: { namespace: 'shop' }, alert: alertAt(s.observedAt, 'Resolved') }).state).toBe(
      'resolved',
    );
  });
});

describe('subject selection', () => {
  it('picks the worst pod, a named pod, or refuses a missing one', () => {
    const mixed = parseDump(
      `${byFile.get('104-oom-describe.yaml')!.input}\n---\n${readFileSync('test/fixtures/diagnostics/191-healthy-transient.yaml', 'utf8').split('objects:\n')[1]!.replace(/^- /, '').replace(/^ {2}/gm, '')}`,
    ).snapshot;
    const worst = selectSubject(mixed, {});
    expect(worst.kind === 'pod' && worst.pod.metadata?.name).toBe('report-builder-28849920-7xk2q');
    const named = selectSubject(mixed, { namespace: 'shop', pod: 'checkout-7d4b9c6f5-h4j5k' });
    expect(named.kind === 'pod' && named.pod.metadata?.name).toBe('checkout-7d4b9c6f5-h4j5k');
    expect(() => selectSubject(mixed, { namespace: 'shop', pod: 'nope' })).toThrow(NotFoundError);
  });
  it('diagnoses a sick node over healthy-looking pods, and a lone PVC', () => {
    expect(selectSubject(snapshotOf('043-node-flanksource-memory-pressure.yaml'), {}).kind).toBe('node');
    expect(selectSubject(snapshotOf('048-volume-flanksource-pvc-pending.yaml'), {}).kind).toBe('pvc');
  });
});
