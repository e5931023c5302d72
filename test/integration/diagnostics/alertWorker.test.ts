// The alerts worker over the wire (Azurite tables + the simulated Kubernetes API): one stored diagnosis per alert id
// whatever happens - redelivery, webhook retries, repeated firings, resolution, and a worker killed between any two
// steps and redelivered.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startIdentityStorage, type IdentityStorage } from '../../support/identityStorage.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { createDiagnosticsRuntime, type DiagnosticsRuntime } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import { processAlertMessage, type WorkerStep } from '../../../shared/diagnostics/alertWorker.js';
import {
  CLUSTER_ID,
  OOM_POD,
  prometheusAlert,
  RecordingSink,
  startScenarioCluster,
  type ScenarioCluster,
} from './scenario.js';
import { killAfterStepAndRedeliver } from '../../support/killedWorker.js';
import { diagnosisRowsFor as countDiagnosisRows } from '../../support/diagnosisRows.js';

let storage: IdentityStorage;
let cluster: ScenarioCluster;
let config: AppConfig;
let runtime: DiagnosticsRuntime;
const sink = new RecordingSink();

beforeAll(async () => {
  [storage, cluster] = await Promise.all([startIdentityStorage(), startScenarioCluster()]);
  config = loadConfig({ ...storage.settings, DIAGNOSIS_LOG_TAIL_LINES: '20' });
  runtime = cluster.runtime(config, { sink });
});
afterAll(async () => {
  await Promise.all([storage.stop(), cluster.close()]);
});

const diagnosisRowsFor = (alertId: string) => countDiagnosisRows(storage.connectionString, alertId);

describe('alerts worker, exactly once', () => {
  it('diagnoses a fired Prometheus alert, resolving the cluster name, and stores and uploads it once', async () => {
    const msg = prometheusAlert();
    const outcome = await processAlertMessage(msg, runtime.workerDeps());
    expect(outcome.action).toBe('diagnosed');
    const id = outcome.action === 'diagnosed' ? outcome.diagnosis.id : '';
    const stored = await runtime.store.getDiagnosis(id);
    expect(stored).toMatchObject({
      rootCause: 'oom_killed',
      state: 'still_failing',
      firings: 1,
      alertId: msg.alert.data.essentials.alertId,
      target: { clusterId: CLUSTER_ID, namespace: 'shop', pod: OOM_POD },
    });
    expect(stored?.evidence.some((e) => e.source === 'alert' && e.detail.includes('expressionValue=1'))).toBe(true);
    expect(sink.rows.filter((r) => r.RecordId === id)).toHaveLength(1);
    expect(sink.rows.find((r) => r.RecordId === id)).toMatchObject({
      RootCause: 'oom_killed',
      ClusterId: CLUSTER_ID,
      Pod: OOM_POD,
      Firings: 1,
    });

    // The same message again (queue redelivery or a webhook retry): nothing new.
    expect((await processAlertMessage(msg, runtime.workerDeps())).action).toBe('duplicate');
    expect(await diagnosisRowsFor(msg.alert.data.essentials.alertId)).toBe(1);
    expect(sink.rows.filter((r) => r.RecordId === id)).toHaveLength(1);

    // A repeated firing of the same alert counts; a later Resolved closes the diagnosis.
    const again = prometheusAlert({ alertId: msg.alert.data.essentials.alertId, firedAt: '2026-11-22T10:30:00.000Z' });
    expect(await processAlertMessage(again, runtime.workerDeps())).toEqual({
      action: 'counted',
      diagnosisId: id,
      firings: 2,
    });
    expect((await processAlertMessage(again, runtime.workerDeps())).action).toBe('duplicate');
    const resolved = prometheusAlert({
      alertId: msg.alert.data.essentials.alertId,
      condition: 'Resolved',
      firedAt: '2026-11-22T10:30:00.000Z',
      resolvedAt: '2026-11-22T10:45:00.000Z',
    });
    expect((await processAlertMessage(resolved, runtime.workerDeps())).action).toBe('resolved');
    expect(await runtime.store.getDiagnosis(id)).toMatchObject({
      firings: 2,
      state: 'resolved',
      resolvedAt: '2026-11-22T10:45:00.000Z',
    });
    expect(await diagnosisRowsFor(msg.alert.data.essentials.alertId)).toBe(1);
  });

  it.each<WorkerStep>(['claimed', 'diagnosed', 'stored', 'uploaded'])(
    'a worker killed after "%s" loses nothing and duplicates nothing on redelivery',
    async (killAt) => {
      const msg = prometheusAlert();
      const alertId = msg.alert.data.essentials.alertId;
      const redelivered = await killAfterStepAndRedeliver(msg, () => runtime.workerDeps(), killAt);
      expect(redelivered.action).toBe('diagnosed');
      expect(await diagnosisRowsFor(alertId)).toBe(1);
      const id = redelivered.action === 'diagnosed' ? redelivered.diagnosis.id : '';
      expect(await runtime.store.getDiagnosis(id)).toMatchObject({ rootCause: 'oom_killed', firings: 1 });
      // The sink may see the row twice after a kill between upload and ledger; it carries the same RecordId (KQL dedupes).
      expect(new Set(sink.rows.filter((r) => r.AlertId === alertId).map((r) => r.RecordId))).toEqual(new Set([id]));
      expect((await processAlertMessage(msg, runtime.workerDeps())).action).toBe('duplicate');
    },
  );

  it('two workers racing on the same message write one diagnosis', async () => {
    const msg = prometheusAlert();
    const outcomes = await Promise.all([
      processAlertMessage(msg, runtime.workerDeps()),
      processAlertMessage(msg, runtime.workerDeps()),
      processAlertMessage(msg, runtime.workerDeps()),
    ]);
    expect(outcomes.filter((o) => o.action === 'diagnosed').length).toBeGreaterThanOrEqual(1);
    expect(await diagnosisRowsFor(msg.alert.data.essentials.alertId)).toBe(1);
  });

  it('an identity the cluster refuses (401/403) yields a diagnosis naming the missing access, not a poison message', async () => {
    const denied = createDiagnosticsRuntime(config, {
      kubeConfigProvider: async () => {
        const kc = cluster.kubeConfig();
        kc.loadFromString(cluster.server.kubeconfig({ token: 'not-a-valid-token' }));
        return kc;
      },
      sink,
      resolveCluster: async () => CLUSTER_ID,
    });
    // Access denied is deferred first (a role assignment takes 5-30 min to apply: alertReliability.test.ts); once
    // deferring is over (here: no queue to defer with, last attempt) the diagnosis names the missing access.
    const outcome = await processAlertMessage(
      prometheusAlert(),
      { ...denied.workerDeps(), requeue: undefined },
      { dequeueCount: 5, maxDequeueCount: 5 },
    );
    expect(outcome.action).toBe('diagnosed');
    if (outcome.action !== 'diagnosed') return;
    expect(outcome.diagnosis).toMatchObject({ rootCause: 'unknown', state: 'unknown' });
    expect(outcome.diagnosis.summary).toMatch(/could not be read: .*401/);
    expect(outcome.diagnosis.recommendations.join(' ')).toMatch(/Azure Kubernetes Service RBAC Reader/);
  });

  it('lists diagnoses of a cluster since a time, page by page', async () => {
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await runtime.store.listDiagnoses({
        clusterId: CLUSTER_ID,
        since: new Date(Date.now() - 3600_000),
        pageSize: 2,
        continuationToken: token,
      });
      expect(page.items.length).toBeLessThanOrEqual(2);
      all.push(...page.items.map((d) => d.id));
      token = page.continuationToken;
    } while (token);
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(new Set(all).size).toBe(all.length);
    expect(
      (await runtime.store.listDiagnoses({ clusterId: CLUSTER_ID, since: new Date(Date.now() + 3600_000) })).items,
    ).toEqual([]);
    expect(
      (
        await runtime.store.listDiagnoses({
          clusterId: '/subscriptions/x/resourceGroups/y/providers/Microsoft.ContainerService/managedClusters/other',
        })
      ).items,
    ).toEqual([]);
  });
});
