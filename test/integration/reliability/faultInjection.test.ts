// Issue 10, the fault-injection test: storage (Azurite) and the Kubernetes API are frozen for a while — they accept
// connections and never answer — and then released. Meanwhile:
//   - /api/health answers (503 naming the checks) instead of hanging, and 200 again after the release;
//   - the webhook answers 202 while only Kubernetes is frozen, 503 + Retry-After while storage is frozen;
//   - every alert accepted (202) is diagnosed after the release, exactly once;
//   - no request waits for the release: each call below completes while its dependency is still frozen.
// The queue worker runs the app's own worker code (processAlertMessage with the runtime's dependencies) from a small
// poller that does what the Functions host does: receive, run, delete on success, make visible again on failure.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { startAzurite, type AzuriteInstance } from '../../support/azurite.js';
import { startFreezableProxy, type FreezableProxy } from '../../support/freezableProxy.js';
import { loadConfig, QUEUE_MAX_DEQUEUE_COUNT, resetConfigForTesting } from '../../../shared/config/config.js';
import { createDiagnosticsRuntime, type DiagnosticsRuntime } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import { parseAlertQueueMessage, processAlertMessage } from '../../../shared/diagnostics/alertWorker.js';
import { alertsWebhook } from '../../../functions/alerts.js';
import { health } from '../../../functions/health.js';
import { CLUSTER_ID, OOM_POD, startScenarioCluster, type ScenarioCluster } from '../diagnostics/scenario.js';
import { HttpRequest, InvocationContext } from '../../support/functionsRuntime.js';
import { commonAlert, newAlertId, podMetricAlertContext } from '../../support/commonAlerts.js';

const TOKEN = 'fault-injection-token';
const saved = { ...process.env };
let azurite: AzuriteInstance;
let cluster: ScenarioCluster;
let storage: FreezableProxy[];
let kubeProxy: FreezableProxy;
let runtime: DiagnosticsRuntime;
let stopping = false;
let poller: Promise<void> | undefined;

const context = () => new InvocationContext({ invocationId: 'fi', functionName: 'fi', logHandler: () => undefined });
const getHealth = () => health(new HttpRequest({ method: 'GET', url: 'http://127.0.0.1:7071/api/health' }), context());

function postAlert(alertId = newAlertId('fi')) {
  const body = commonAlert(
    {
      alertId,
      alertRule: 'KubePodCrashLooping',
      monitoringService: 'Platform',
      alertTargetIDs: [CLUSTER_ID.toLowerCase()],
    },
    podMetricAlertContext({
      metricName: 'restartingContainerCount',
      operator: 'GreaterThan',
      threshold: '0',
      metricValue: 3,
      dimensions: { 'kubernetes namespace': 'shop', podName: OOM_POD },
    }),
  );
  return alertsWebhook(
    new HttpRequest({
      method: 'POST',
      url: 'http://127.0.0.1:7071/api/alerts',
      headers: { 'content-type': 'application/json' },
      body: { string: JSON.stringify(body) },
    }),
    context(),
  );
}

/** The host's queue loop for `alerts`, around the app's worker. */
async function pollAlerts(): Promise<void> {
  while (!stopping) {
    let items;
    try {
      items = (await runtime.queue.receiveMessages({ numberOfMessages: 8, visibilityTimeout: 30 }))
        .receivedMessageItems;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    if (items.length === 0) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    await Promise.all(
      items.map(async (m) => {
        try {
          const message = parseAlertQueueMessage(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')));
          await processAlertMessage(message, runtime.workerDeps(), {
            dequeueCount: m.dequeueCount,
            maxDequeueCount: QUEUE_MAX_DEQUEUE_COUNT,
          });
          await runtime.queue.deleteMessage(m.messageId, m.popReceipt);
        } catch {
          await runtime.queue.updateMessage(m.messageId, m.popReceipt, undefined, 1).catch(() => undefined);
        }
      }),
    );
  }
}

beforeAll(async () => {
  [azurite, cluster] = await Promise.all([startAzurite(), startScenarioCluster({ token: TOKEN })]);
  storage = await Promise.all([startFreezableProxy(azurite.ports.queue), startFreezableProxy(azurite.ports.table)]);
  kubeProxy = await startFreezableProxy(Number(new URL(cluster.server.url).port));
  const connection = storage.reduce((s, p) => p.rewrite(s), azurite.connectionString);
  const env = {
    AzureWebJobsStorage: connection,
    DIAGNOSIS_TIME_BUDGET_SECONDS: '2',
    ALERT_RETRY_BASE_SECONDS: '1',
    ALERT_RETRY_MAX_DELAY_SECONDS: '2',
    RESULTS_SINK: 'console',
    LOG_LEVEL: 'error',
  };
  Object.assign(process.env, env);
  resetConfigForTesting();
  runtime = createDiagnosticsRuntime(loadConfig({ ...env }), {
    kubeConfigProvider: async () => {
      const kc = new KubeConfig();
      kc.loadFromString(kubeProxy.rewrite(cluster.server.kubeconfig({ token: TOKEN })));
      return kc;
    },
    resolveCluster: async () => CLUSTER_ID,
  });
  await runtime.store.ensure();
  await runtime.queue.createIfNotExists();
  poller = pollAlerts();
});

afterAll(async () => {
  stopping = true;
  for (const p of [...storage, kubeProxy]) p.release();
  await poller;
  process.env = saved;
  resetConfigForTesting();
  await Promise.all([...storage, kubeProxy].map((p) => p.close()));
  await Promise.all([azurite.stop(), cluster.close()]);
});

describe('fault injection: storage and the Kubernetes API freeze, then recover', () => {
  it('answers in time throughout and diagnoses every accepted alert after the release', async () => {
    // 1. Kubernetes frozen: alerts are accepted (storage answers), health is fine, diagnoses cannot finish.
    kubeProxy.freeze();
    const accepted: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postAlert();
      expect(res.status).toBe(202);
      accepted.push((res.jsonBody as { id: string }).id);
    }
    expect((await getHealth()).status).toBe(200);
    // Let the worker try them against the frozen API (each attempt ends at the 2 s budget and is deferred).
    await waitUntil(async () => (await runtime.queue.getProperties()).approximateMessagesCount === 3, 30_000);

    // 2. Storage frozen too: health answers 503 naming both checks, the webhook 503 + Retry-After.
    for (const p of storage) p.freeze();
    const refusedAlertId = `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.AlertsManagement/alerts/fi-refused-${Date.now()}`;
    const [frozenHealth, refused] = await Promise.all([getHealth(), postAlert(refusedAlertId)]);
    expect(frozenHealth.status).toBe(503);
    const checks = (frozenHealth.jsonBody as { checks: Record<string, { status: string }> }).checks;
    expect(Object.values(checks).map((c) => c.status)).toEqual(['fail', 'fail']);
    expect(refused.status).toBe(503);
    expect((refused.headers as Record<string, string>)['Retry-After']).toMatch(/^\d+$/);

    // 3. Release: health recovers; the refused notification is sent again, as the action group retries a 503. (The
    // frozen send may still land after the release: the retry is the same alert id, so it is one diagnosis.)
    for (const p of [...storage, kubeProxy]) p.release();
    await waitUntil(async () => (await getHealth()).status === 200, 30_000);
    const retried = await postAlert(refusedAlertId);
    expect(retried.status).toBe(202);
    accepted.push((retried.jsonBody as { id: string }).id);

    // 4. Every accepted alert ends in exactly one stored diagnosis, with the cause found.
    await waitUntil(
      async () =>
        (await Promise.all(accepted.map((id) => runtime.store.getDiagnosis(id)))).every((d) => d !== undefined),
      90_000,
    );
    for (const id of accepted) {
      const d = await runtime.store.getDiagnosis(id);
      expect([id, d?.rootCause]).toEqual([id, 'oom_killed']);
    }
    const page = await runtime.store.listDiagnoses({ pageSize: 100 });
    expect(page.items.map((d) => d.id).sort()).toEqual([...accepted].sort());
  }, 180_000);
});

/** Polls a condition (an explicit signal, not a timed assertion); fails after `ms`. */
async function waitUntil(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await condition().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
