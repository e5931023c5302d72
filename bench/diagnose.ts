// bench/diagnose: alert-to-stored-diagnosis latency and webhook intake under load (issue 5 §Quality).
//
//   node dist/bench/diagnose.js [--url http://127.0.0.1:7071] [--key KEY] [--storage CONN]   against a running app
//   node dist/bench/diagnose.js --in-process                                                 Azurite + simulated cluster
//   options: --alerts N (latency samples, default 20), --rate R (intake alerts/s, default 200), --seconds S (default 5)
//
// Latency: POST a Prometheus KubePodReadyStateLow alert for a simulated deployment, then poll
// GET /api/diagnoses/{id} until it is stored; p50/p95 over N alerts (target p95 <= 2 s under `npm start`).
// Intake: POST alerts open-loop at R/s for S seconds; p50/p99 of the 202 latency (target p99 <= 25 ms), and "none
// lost": every 202 must be in storage afterwards. In-process the worker does not run, so the queue's message count
// is compared; against an app the worker drains the queue, so intake alerts are Resolved notifications of fresh alert
// ids, which the worker records in the alert ledger (table `alertkeys`) without a diagnosis, and the ledger is counted.
// Prints figures; no assertions.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { KubeConfig } from '@kubernetes/client-node';
import { AZURITE_CONNECTION_STRING, QUEUE_NAMES, TABLE_NAMES, loadConfig } from '../shared/config/config.js';
import { alertKeyFor, diagnosisIdForAlert } from '../shared/diagnostics/normalizeAlert.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    storage: { type: 'string' },
    'in-process': { type: 'boolean', default: false },
    alerts: { type: 'string', default: '20' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '5' },
  },
});

const SAMPLES = Number(values.alerts);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const CLUSTER = 'aks-sim';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
function summary(label: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${label}: n=${s.length} p50=${fmt(percentile(s, 50))} p95=${fmt(percentile(s, 95))} p99=${fmt(percentile(s, 99))} max=${fmt(s[s.length - 1] ?? NaN)}`;
}

function alertPayload(
  condition: 'Fired' | 'Resolved',
  deployment = 'payment-service',
): { body: string; alertId: string } {
  const alertId = `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.AlertsManagement/alerts/${randomUUID()}`;
  const now = new Date().toISOString();
  const body = JSON.stringify({
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId,
        alertRule: 'KubePodReadyStateLow',
        severity: 'Sev3',
        signalType: 'Metric',
        monitorCondition: condition,
        monitoringService: 'Prometheus',
        alertTargetIDs: [
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-aiops-sim/providers/microsoft.monitor/accounts/amw-aks-sim',
        ],
        configurationItems: [CLUSTER],
        firedDateTime: now,
        resolvedDateTime: condition === 'Resolved' ? now : undefined,
        essentialsVersion: '1.0',
        alertContextVersion: '1.0',
      },
      alertContext: {
        interval: 'PT1M',
        expression:
          'sum by (cluster,namespace,deployment)(kube_deployment_status_replicas_ready) / sum by (cluster,namespace,deployment)(kube_deployment_spec_replicas) <.8',
        expressionValue: '0.5',
        for: 'PT5M',
        labels: { alertname: 'KubePodReadyStateLow', cluster: CLUSTER, namespace: 'production', deployment },
        annotations: { description: 'bench' },
      },
    },
  });
  return { body, alertId };
}

interface Target {
  postAlert(body: string): Promise<{ status: number; ms: number }>;
  isStored(id: string): Promise<boolean>;
  countIntake(alertIds: string[]): Promise<number>;
  close(): Promise<void>;
}

async function appTarget(url: string, key: string | undefined, storage: string): Promise<Target> {
  const base = url.replace(/\/$/, '');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(key ? { 'x-functions-key': key } : {}),
  };
  const ledger = TableClient.fromConnectionString(storage, TABLE_NAMES.alertKeys, { allowInsecureConnection: true });
  return {
    async postAlert(body) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/alerts`, { method: 'POST', headers, body });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - t0 };
    },
    async isStored(id) {
      const res = await fetch(`${base}/api/diagnoses/${id}`, { headers });
      await res.arrayBuffer();
      return res.status === 200;
    },
    async countIntake(alertIds) {
      // The worker drains the queue; Resolved notifications land in the ledger. Wait for it to catch up.
      const deadline = Date.now() + 120_000;
      let found = 0;
      const pending = new Set(alertIds.map((a) => alertKeyFor(a)));
      while (Date.now() < deadline && pending.size > 0) {
        for (const k of [...pending]) {
          try {
            await ledger.getEntity(k, 'alert');
            pending.delete(k);
            found++;
          } catch {
            // not yet
          }
        }
        if (pending.size > 0) await new Promise((r) => setTimeout(r, 1000));
      }
      return found;
    },
    close: async () => undefined,
  };
}

async function inProcessTarget(): Promise<Target> {
  const { startAzurite } = await import('../dev/local/azurite.js');
  const { ensureLocalTls } = await import('../dev/tls.js');
  const { startSimulatedCluster } = await import('../shared/simulator/cluster/startSimulatedCluster.js');
  const { createInMemoryIncidentStore } = await import('../shared/simulator/incidents/incidentStore.js');
  const { createDiagnosticsRuntime } = await import('../shared/diagnostics/diagnosticsRuntime.js');
  const { acceptAlert } = await import('../shared/diagnostics/intake.js');
  const { parseAlertQueueMessage, processAlertMessage } = await import('../shared/diagnostics/alertWorker.js');
  const { createQueueClient } = await import('../shared/storage/storageClients.js');

  const azurite = await startAzurite();
  const config = loadConfig({ AzureWebJobsStorage: azurite.connectionString });
  const store = createInMemoryIncidentStore();
  await store.create({
    type: 'latency_spike',
    service: 'payment-service',
    severity: 'high',
    durationMinutes: 120,
    description: 'bench',
    startedAt: new Date(Date.now() - 5 * 60_000),
  });
  const sim = await startSimulatedCluster({
    config,
    tls: await ensureLocalTls('.data'),
    incidentStore: store,
    token: 'bench-token',
  });
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig({ token: 'bench-token' }));
  const runtime = createDiagnosticsRuntime(config, {
    kubeConfigProvider: async () => kc,
    sink: { upload: async (_t, rows) => ({ uploaded: rows.length, spooled: 0 }) },
    resolveCluster: async (name) => (name === sim.clusterName ? sim.clusterId : undefined),
  });
  // Latency queue and worker loop (polling like the Functions host, 100 ms when idle). Intake uses its own queue so
  // its messages are counted, not consumed.
  const latencyQueue = createQueueClient(config, QUEUE_NAMES.alerts);
  const intakeQueue = createQueueClient(config, 'alerts-bench-intake');
  await Promise.all([latencyQueue.createIfNotExists(), intakeQueue.createIfNotExists(), runtime.store.ensure()]);
  let running = true;
  const worker = (async () => {
    while (running) {
      const got = await latencyQueue.receiveMessages({ numberOfMessages: 8, visibilityTimeout: 30 });
      if (got.receivedMessageItems.length === 0) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      await Promise.all(
        got.receivedMessageItems.map(async (m) => {
          const msg = parseAlertQueueMessage(JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')));
          await processAlertMessage(msg, runtime.workerDeps());
          await latencyQueue.deleteMessage(m.messageId, m.popReceipt);
        }),
      );
    }
  })();
  return {
    async postAlert(body) {
      const fired = body.includes('"Fired"');
      const t0 = performance.now();
      try {
        await acceptAlert(body, 'application/json', {
          queue: fired ? latencyQueue : intakeQueue,
          maxBytes: config.ALERT_MAX_BYTES,
        });
        return { status: 202, ms: performance.now() - t0 };
      } catch {
        return { status: 503, ms: performance.now() - t0 };
      }
    },
    isStored: async (id) => (await runtime.store.getDiagnosis(id)) !== undefined,
    async countIntake() {
      return (await intakeQueue.getProperties()).approximateMessagesCount ?? 0;
    },
    async close() {
      running = false;
      await worker.catch(() => undefined);
      await sim.close();
      await azurite.stop();
    },
  };
}

async function main(): Promise<void> {
  let target: Target;
  let mode: string;
  if (values['in-process']) {
    target = await inProcessTarget();
    mode = 'in-process (Azurite + simulated cluster, intake without HTTP)';
  } else {
    const url = values.url ?? 'http://127.0.0.1:7071';
    const keysFile = '.data/host-keys.json';
    const key =
      values.key ??
      (existsSync(keysFile)
        ? (JSON.parse(readFileSync(keysFile, 'utf8')) as { functionKey?: string }).functionKey
        : undefined);
    target = await appTarget(url, key, values.storage ?? AZURITE_CONNECTION_STRING);
    mode = `app at ${url}`;
  }
  console.log(`bench/diagnose — ${mode}`);
  try {
    // Warm up (first token, first connection, first table create).
    const warm = alertPayload('Fired');
    await target.postAlert(warm.body);
    for (let i = 0; i < 100 && !(await target.isStored(diagnosisIdForAlert(warm.alertId))); i++)
      await new Promise((r) => setTimeout(r, 100));

    const latencies: number[] = [];
    let timeouts = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const a = alertPayload('Fired');
      const t0 = performance.now();
      const res = await target.postAlert(a.body);
      if (res.status !== 202) {
        console.log(`  alert ${i}: HTTP ${res.status}`);
        continue;
      }
      const id = diagnosisIdForAlert(a.alertId);
      let stored = false;
      while (performance.now() - t0 < 30_000) {
        if (await target.isStored(id)) {
          stored = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      if (stored) latencies.push(performance.now() - t0);
      else timeouts++;
    }
    console.log(
      summary('alert -> stored diagnosis', latencies) +
        (timeouts ? ` (${timeouts} not stored within 30 s)` : '') +
        '   target p95 <= 2000 ms',
    );

    const total = Math.round(RATE * SECONDS);
    const intake: number[] = [];
    const ids: string[] = [];
    let accepted = 0;
    let refused = 0;
    const started = performance.now();
    const inflight: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const a = alertPayload('Resolved');
      inflight.push(
        target.postAlert(a.body).then((r) => {
          intake.push(r.ms);
          if (r.status === 202) {
            accepted++;
            ids.push(a.alertId);
          } else refused++;
        }),
      );
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      summary(`intake at ${RATE}/s for ${SECONDS} s (achieved ${(total / elapsed).toFixed(0)}/s)`, intake) +
        '   target p99 <= 25 ms',
    );
    const counted = await target.countIntake(ids);
    console.log(
      `intake: ${accepted} accepted (202), ${refused} refused, ${counted} found in storage, lost ${Math.max(0, accepted - counted)}`,
    );
  } finally {
    await target.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
