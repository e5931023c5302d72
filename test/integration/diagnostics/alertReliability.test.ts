// Issue 10 (points 1, 5, 7) and issue 11 (point 7) over the wire: Azurite tables and queue, the simulated Kubernetes
// API with a hang switch. Every accepted alert ends in exactly one stored diagnosis: deterministic failures become an
// `unknown` diagnosis that says why, concurrent duplicates run one diagnosis, a hung cluster is cut off by the time
// budget, and access denied is retried over the role-propagation window before the diagnosis names the missing role.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startIdentityStorage, type IdentityStorage } from '../../support/identityStorage.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { createDiagnosticsRuntime, type DiagnosticsRuntime } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import {
  DEFAULT_RETRY_POLICY,
  deferralDelaySeconds,
  processAlertMessage,
  type AlertQueueMessage,
  type AlertWorkerDeps,
} from '../../../shared/diagnostics/alertWorker.js';
import { parseCommonAlert } from '../../../shared/diagnostics/alertSchema.js';
import { extractAksClusterId } from '../../../shared/diagnostics/normalizeAlert.js';
import { isManagedClusterId } from '../../../shared/azure/arm/managedClusterId.js';
import { CLUSTER_ID, OOM_POD, RecordingSink, startScenarioCluster, type ScenarioCluster } from './scenario.js';
import { diagnosisRowsFor } from '../../support/diagnosisRows.js';
import { commonAlert, newAlertId, podMetricAlertContext } from '../../support/commonAlerts.js';

const TOKEN = 'reliability-test-token';
let storage: IdentityStorage;
let cluster: ScenarioCluster;
let config: AppConfig;
let runtime: DiagnosticsRuntime;
const sink = new RecordingSink();
/** While set, every authenticated Kubernetes request after the first `hangAfter` waits for it (a hung API server). */
let hang: Promise<void> | undefined;
let hangAfter = 0;
let served = 0;
let releaseHang: () => void = () => undefined;
let deny = false;

beforeAll(async () => {
  [storage, cluster] = await Promise.all([
    startIdentityStorage(),
    startScenarioCluster({
      token: TOKEN,
      authenticate: (t) => (deny ? 'forbidden' : t === TOKEN ? 'ok' : 'unauthorized'),
      beforeRequest: async () => {
        served++;
        if (hang && served > hangAfter) await hang;
      },
    }),
  ]);
  config = loadConfig({ ...storage.settings, DIAGNOSIS_LOG_TAIL_LINES: '20' });
  runtime = cluster.runtime(config, { sink });
});
afterAll(async () => {
  releaseHang();
  await Promise.all([storage.stop(), cluster.close()]);
});

function metricAlert(targetId: string, dims: Record<string, string>): AlertQueueMessage {
  const body = commonAlert(
    {
      alertId: newAlertId('rel'),
      alertRule: 'pod-restarts',
      monitoringService: 'Platform',
      alertTargetIDs: [targetId],
      firedDateTime: '2026-11-22T10:00:00.000Z',
    },
    podMetricAlertContext({
      metricName: 'kube_pod_status_ready',
      operator: 'LessThan',
      threshold: '1',
      metricValue: 0,
      dimensions: dims,
    }),
  );
  const alert = parseCommonAlert(JSON.stringify(body), { maxBytes: 1 << 20 });
  return { id: 'ignored', receivedAt: new Date().toISOString(), alert };
}

const oomAlert = () => metricAlert(CLUSTER_ID.toLowerCase(), { namespace: 'shop', podName: OOM_POD });

const rowsFor = (alertId: string) => diagnosisRowsFor(storage.connectionString, alertId);

describe('every accepted alert ends in exactly one diagnosis', () => {
  it('intake and worker share one cluster id grammar: an id the parser rejects is never taken as a cluster', () => {
    const bad = [
      '/subscriptions/not-a-guid/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks-1',
      "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks'1",
    ];
    for (const id of bad) expect(extractAksClusterId(id)).toBeUndefined();
    const sub = `${CLUSTER_ID.toLowerCase()}/agentpools/nodepool1`;
    const found = extractAksClusterId(sub);
    expect(found).toBe(CLUSTER_ID);
    expect(isManagedClusterId(found ?? '')).toBe(true);
  });

  it('an alert whose target is not a valid AKS id is diagnosed as unknown at once, not retried into the poison queue', async () => {
    const msg = metricAlert(
      '/subscriptions/not-a-guid/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks-1',
      { namespace: 'shop', podName: OOM_POD },
    );
    // The app's own kube access (ARM + parser), as deployed: before the fix this threw "Not an AKS cluster resource id".
    const real = createDiagnosticsRuntime(config, { sink, resolveCluster: async () => undefined });
    const outcome = await processAlertMessage(msg, real.workerDeps(), { dequeueCount: 1, maxDequeueCount: 5 });
    expect(outcome.action).toBe('diagnosed');
    if (outcome.action !== 'diagnosed') return;
    expect(outcome.diagnosis).toMatchObject({ rootCause: 'unknown', state: 'unknown' });
    expect(outcome.diagnosis.summary).toMatch(/names no AKS cluster/);
    expect(await rowsFor(msg.alert.data.essentials.alertId)).toBe(1);
  });

  it('a deterministic failure of the diagnosis (ValidationError) is stored as unknown with the reason', async () => {
    const msg = oomAlert();
    const deps: AlertWorkerDeps = {
      ...runtime.workerDeps(),
      diagnose: async () => {
        throw new (await import('../../../shared/errors.js')).ValidationError('Not an AKS cluster resource id: x');
      },
    };
    const outcome = await processAlertMessage(msg, deps, { dequeueCount: 1, maxDequeueCount: 5 });
    expect(outcome.action).toBe('diagnosed');
    if (outcome.action !== 'diagnosed') return;
    expect(outcome.diagnosis.summary).toBe('The alert could not be diagnosed: Not an AKS cluster resource id: x');
  });

  it('our own failure is retried by the host, and on the last attempt the alert still gets its diagnosis', async () => {
    const msg = oomAlert();
    const deps: AlertWorkerDeps = {
      ...runtime.workerDeps(),
      diagnose: async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'status')");
      },
    };
    await expect(processAlertMessage(msg, deps, { dequeueCount: 1, maxDequeueCount: 5 })).rejects.toThrow(TypeError);
    expect(await rowsFor(msg.alert.data.essentials.alertId)).toBe(0);
    const last = await processAlertMessage(msg, deps, { dequeueCount: 5, maxDequeueCount: 5 });
    expect(last.action).toBe('diagnosed');
    if (last.action !== 'diagnosed') return;
    expect(last.diagnosis.summary).toMatch(/failed on every attempt/);
    expect(await rowsFor(msg.alert.data.essentials.alertId)).toBe(1);
  });

  it('20 concurrent identical deliveries run one diagnosis and write one row; the others wait and then reuse it', async () => {
    const msg = oomAlert();
    const alertId = msg.alert.data.essentials.alertId;
    let diagnoses = 0;
    const requeued: AlertQueueMessage[] = [];
    const base = runtime.workerDeps();
    const deps: AlertWorkerDeps = {
      ...base,
      diagnose: async (alert, options) => {
        diagnoses++;
        return base.diagnose(alert, options);
      },
      requeue: async (m) => {
        requeued.push(m);
      },
    };
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => processAlertMessage(msg, deps)));
    expect(outcomes.filter((o) => o.action === 'diagnosed')).toHaveLength(1);
    expect(diagnoses).toBe(1);
    expect(await rowsFor(alertId)).toBe(1);
    expect(sink.rows.filter((r) => r.AlertId === alertId)).toHaveLength(1);
    // The waiting deliveries come back after the lease: the diagnosis exists, so they are duplicates.
    for (const m of requeued.splice(0)) expect((await processAlertMessage(m, deps)).action).toBe('duplicate');
    expect(diagnoses).toBe(1);
  });

  it('a hung Kubernetes API is cut off by the time budget; with evidence gathered the diagnosis names the gap', async () => {
    const msg = oomAlert();
    const requeued: AlertQueueMessage[] = [];
    const deps: AlertWorkerDeps = {
      ...runtime.workerDeps(),
      budgetMs: 2000,
      requeue: async (m, delay) => {
        expect(delay).toBe(DEFAULT_RETRY_POLICY.baseSeconds);
        requeued.push(m);
      },
    };
    // The whole API hangs: nothing is gathered, so the alert is deferred (transient), not stored empty.
    hangAfter = served;
    hang = new Promise<void>((r) => (releaseHang = r));
    const first = await processAlertMessage(msg, deps);
    releaseHang();
    expect(first).toMatchObject({ action: 'deferred', reason: expect.stringMatching(/did not answer within 2000 ms/) });
    expect(requeued).toHaveLength(1);
    expect(requeued[0]?.deferrals).toBe(1);

    // The redelivery: the pod read answers, every detail read hangs. Stored with what was gathered, the gap named.
    hangAfter = served + 1;
    hang = new Promise<void>((r) => (releaseHang = r));
    try {
      const second = await processAlertMessage(requeued[0]!, deps);
      expect(second.action).toBe('diagnosed');
      if (second.action !== 'diagnosed') return;
      expect(second.diagnosis.target.pod).toBe(OOM_POD);
      // The gap is named in evidenceGaps (never in the recommendations, which are for the user's fix).
      expect((second.diagnosis.evidenceGaps ?? []).join(' ')).toMatch(/time budget/i);
      expect(await rowsFor(msg.alert.data.essentials.alertId)).toBe(1);
    } finally {
      releaseHang();
      hang = undefined;
    }
  });

  it('access denied is deferred with a growing delay over the propagation window, then names the missing role', async () => {
    const msg = oomAlert();
    const requeued: Array<{ m: AlertQueueMessage; delay: number }> = [];
    let clock = Date.parse(msg.receivedAt);
    const deps: AlertWorkerDeps = {
      ...runtime.workerDeps(),
      now: () => new Date(clock),
      requeue: async (m, delay) => {
        requeued.push({ m, delay });
      },
    };
    deny = true;
    try {
      let current = msg;
      for (;;) {
        const outcome = await processAlertMessage(current, deps);
        if (outcome.action !== 'deferred') {
          expect(outcome.action).toBe('diagnosed');
          if (outcome.action !== 'diagnosed') return;
          expect(outcome.diagnosis.summary).toMatch(/could not be read: .*403/);
          expect(outcome.diagnosis.recommendations.join(' ')).toMatch(
            /Azure Kubernetes Service RBAC Reader.*5-30 minutes/,
          );
          break;
        }
        const last = requeued[requeued.length - 1]!;
        clock += last.delay * 1000;
        current = last.m;
      }
    } finally {
      deny = false;
    }
    // 30 s, 1, 2, 4, 8, 16 min, then what is left of the hour: outlasts a 5-30 min role propagation.
    expect(requeued.map((r) => r.delay)).toEqual([30, 60, 120, 240, 480, 960, 1710]);
    expect(await rowsFor(msg.alert.data.essentials.alertId)).toBe(1);
  });

  it('deferral delays grow from the base, are capped, and never run past the window', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => deferralDelaySeconds(p, n, 3600_000))).toEqual([
      30, 60, 120, 240, 480, 960, 1800, 1800,
    ]);
    expect(deferralDelaySeconds(p, 6, 90_000)).toBe(90);
  });
});
