// The closed loop: simulated incidents -> the simulator's common-schema alert -> intake (validation, queue) ->
// worker (normalise, resolve the cluster name, live evidence from the simulated cluster, rules) -> stored diagnosis
// with the root cause the incident produces.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startIdentityStorage, type IdentityStorage } from '../../support/identityStorage.js';
import { ensureLocalTls } from '../../../dev/tls.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { createDiagnosticsRuntime, type DiagnosticsRuntime } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import { acceptAlert } from '../../../shared/diagnostics/intake.js';
import { parseAlertQueueMessage, processAlertMessage } from '../../../shared/diagnostics/alertWorker.js';
import { buildIncidentAlert } from '../../../shared/simulator/alerts/incidentAlert.js';
import {
  startSimulatedCluster,
  type SimulatedCluster,
} from '../../../shared/simulator/cluster/startSimulatedCluster.js';
import { createInMemoryIncidentStore, type IncidentStore } from '../../../shared/simulator/incidents/incidentStore.js';
import type { Incident, IncidentType } from '../../../shared/simulator/incidents/incident.js';
import type { ServiceName } from '../../../shared/simulator/services.js';
import { OBJECT_INCIDENT_DIAGNOSES } from '../../support/incidentDiagnoses.js';
import { kubeConfigFrom } from '../../support/kubeClients.js';

let storage: IdentityStorage;
let sim: SimulatedCluster;
let config: AppConfig;
let runtime: DiagnosticsRuntime;
let store: IncidentStore;

beforeAll(async () => {
  storage = await startIdentityStorage();
  config = loadConfig(storage.settings);
  store = createInMemoryIncidentStore();
  sim = await startSimulatedCluster({
    config,
    tls: await ensureLocalTls('.data'),
    incidentStore: store,
    token: 'closed-loop-token',
    refreshIntervalMs: 60_000,
  });
  const kc = kubeConfigFrom(sim.kubeconfig({ token: 'closed-loop-token' }));
  runtime = createDiagnosticsRuntime(config, {
    kubeConfigProvider: async () => kc,
    sink: { upload: async (_t, rows) => ({ uploaded: rows.length, spooled: 0 }) },
    resolveCluster: async (name) => (name === sim.clusterName ? sim.clusterId : undefined),
  });
});
afterAll(async () => {
  await Promise.all([sim.close(), storage.stop()]);
});

async function alertFor(incident: Incident) {
  const payload = buildIncidentAlert(incident, {
    seed: config.SIMULATOR_SEED,
    clusterName: sim.clusterName,
    clusterId: sim.clusterId,
  });
  const accepted = await acceptAlert(JSON.stringify(payload), 'application/json', {
    queue: runtime.queue,
    maxBytes: config.ALERT_MAX_BYTES,
  });
  const got = await runtime.queue.receiveMessages({ numberOfMessages: 1 });
  const item = got.receivedMessageItems[0]!;
  await runtime.queue.deleteMessage(item.messageId, item.popReceipt);
  const message = parseAlertQueueMessage(JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')));
  expect(message.id).toBe(accepted.id);
  const outcome = await processAlertMessage(message, runtime.workerDeps());
  if (outcome.action !== 'diagnosed') throw new Error(`expected a diagnosis, got ${outcome.action}`);
  return outcome.diagnosis;
}

const start = new Date(Date.now() - 8 * 60_000);
const newIncident = (type: IncidentType, service: ServiceName) =>
  store.create({
    type,
    service,
    severity: 'high',
    durationMinutes: 60,
    description: `closed loop ${type}`,
    startedAt: start,
  });

describe('closed loop: incident -> alert -> diagnosis', () => {
  it.each(OBJECT_INCIDENT_DIAGNOSES)('%s on %s is diagnosed as %s', async (type, service, expected) => {
    const incident = await newIncident(type, service);
    await sim.refresh();
    const d = await alertFor(incident);
    expect([d.rootCause, d.summary]).toEqual([expected, expect.any(String)]);
    expect(d.state).toBe('still_failing');
    expect(d.target.clusterId?.toLowerCase()).toBe(sim.clusterId.toLowerCase());
    expect(d.evidence.length).toBeGreaterThan(1);
    expect(await runtime.store.getDiagnosis(d.id)).toMatchObject({ rootCause: expected });
  });

  it('node_pressure is diagnosed on the node', async () => {
    const incident = await newIncident('node_pressure', 'payment-service');
    await sim.refresh();
    const d = await alertFor(incident);
    expect(d.target.node).toBeDefined();
    expect(d.rootCause).toBe('node_not_ready');
  });
});
