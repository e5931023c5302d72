// The alert worker over the in-memory diagnoses repository: no Azurite. The evidence still comes from the simulated
// Kubernetes API over the wire (the scenario cluster); what is tested here is the worker's ledger logic: exactly one
// diagnosis per alert, counting, resolving, surviving a kill at any step, and waiting for a live lease.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import type { DiagnosticsRuntime } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import {
  createInMemoryDiagnosesRepository,
  type DiagnosesRepository,
} from '../../../shared/diagnostics/diagnosesRepository.js';
import {
  processAlertMessage,
  type AlertQueueMessage,
  type WorkerStep,
} from '../../../shared/diagnostics/alertWorker.js';
import {
  CLUSTER_ID,
  OOM_POD,
  prometheusAlert,
  RecordingSink,
  startScenarioCluster,
  type ScenarioCluster,
} from '../../integration/diagnostics/scenario.js';
import { killAfterStepAndRedeliver } from '../../support/killedWorker.js';

let cluster: ScenarioCluster;
let config: AppConfig;
beforeAll(async () => {
  cluster = await startScenarioCluster();
  // Required by the config; nothing here reaches it (repository in memory, no requeue in these cases).
  config = loadConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true', DIAGNOSIS_LOG_TAIL_LINES: '20' });
});
afterAll(async () => {
  await cluster.close();
});

function runtimeOver(store: DiagnosesRepository, sink = new RecordingSink()): DiagnosticsRuntime {
  return cluster.runtime(config, { store, sink });
}

const alertIdOf = (m: AlertQueueMessage) => m.alert.data.essentials.alertId;

async function diagnosesOf(store: DiagnosesRepository, alertId: string): Promise<number> {
  const page = await store.listDiagnoses({ pageSize: 1000 });
  return page.items.filter((d) => d.alertId === alertId).length;
}

describe('alert worker over the in-memory repository', () => {
  it('diagnoses once, counts a new firing, ignores redeliveries and closes on Resolved', async () => {
    const store = createInMemoryDiagnosesRepository();
    const sink = new RecordingSink();
    const runtime = runtimeOver(store, sink);
    const msg = prometheusAlert();
    const first = await processAlertMessage(msg, runtime.workerDeps());
    expect(first.action).toBe('diagnosed');
    const id = first.action === 'diagnosed' ? first.diagnosis.id : '';
    expect(await store.getDiagnosis(id)).toMatchObject({
      rootCause: 'oom_killed',
      firings: 1,
      target: { clusterId: CLUSTER_ID, namespace: 'shop', pod: OOM_POD },
    });
    expect((await processAlertMessage(msg, runtime.workerDeps())).action).toBe('duplicate');
    expect(sink.rows.filter((r) => r.RecordId === id)).toHaveLength(1);

    const again = prometheusAlert({ alertId: alertIdOf(msg), firedAt: '2026-11-22T10:30:00.000Z' });
    expect(await processAlertMessage(again, runtime.workerDeps())).toEqual({
      action: 'counted',
      diagnosisId: id,
      firings: 2,
    });
    const resolved = prometheusAlert({
      alertId: alertIdOf(msg),
      condition: 'Resolved',
      firedAt: '2026-11-22T10:30:00.000Z',
      resolvedAt: '2026-11-22T10:45:00.000Z',
    });
    expect((await processAlertMessage(resolved, runtime.workerDeps())).action).toBe('resolved');
    expect(await store.getDiagnosis(id)).toMatchObject({ firings: 2, state: 'resolved' });
    expect(await diagnosesOf(store, alertIdOf(msg))).toBe(1);
  });

  it.each<WorkerStep>(['claimed', 'diagnosed', 'stored', 'uploaded'])(
    'a worker killed after "%s" loses nothing and duplicates nothing on redelivery',
    async (killAt) => {
      const store = createInMemoryDiagnosesRepository();
      const runtime = runtimeOver(store);
      const msg = prometheusAlert();
      const redelivered = await killAfterStepAndRedeliver(msg, () => runtime.workerDeps(), killAt);
      expect(redelivered.action).toBe('diagnosed');
      expect(await diagnosesOf(store, alertIdOf(msg))).toBe(1);
      expect((await processAlertMessage(msg, runtime.workerDeps())).action).toBe('duplicate');
    },
  );

  it('a second worker finding a live lease defers the message instead of diagnosing twice', async () => {
    const store = createInMemoryDiagnosesRepository();
    const runtime = runtimeOver(store);
    const msg = prometheusAlert();
    const requeued: number[] = [];
    let second: Awaited<ReturnType<typeof processAlertMessage>> | undefined;
    await processAlertMessage(msg, {
      ...runtime.workerDeps(),
      // While the first worker holds the lease (right after claiming), a redelivery arrives.
      onStep: async (s) => {
        if (s !== 'claimed') return;
        second = await processAlertMessage(msg, {
          ...runtime.workerDeps(),
          requeue: async (_m, delaySeconds) => {
            requeued.push(delaySeconds);
          },
        });
      },
    });
    expect(second).toMatchObject({ action: 'deferred' });
    expect(requeued).toHaveLength(1);
    expect(await diagnosesOf(store, alertIdOf(msg))).toBe(1);
  });
});
