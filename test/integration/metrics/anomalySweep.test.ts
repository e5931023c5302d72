// Item 4 of issue 15 over the wire: the simulated cluster's metrics reach the local Log Analytics and Azure Monitor
// metrics stand-ins through the Container Insights feed (with the hours before "start" computed, as `npm start`
// does), and the sweep's anomaly source reads them back with the real SDK clients and the managed identity. A quiet
// simulator gives no anomaly.* finding on two sweeps in a row; a cpu_spike and a memory_leak running for the last
// minutes give findings naming their service, with the score, window, baseline, observed value and a query.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { LocalAzure } from '../../../dev/standins/localAzure.js';
import { startLocalAzureWithIdentity, stopLocalAzureWithIdentity } from '../../support/localAzureIdentity.js';
import { snapshotFromSource, startContainerInsightsFeed } from '../../../dev/local/containerInsightsFeed.js';
import { createSimulatedClusterSource } from '../../../shared/simulator/cluster/simulatedClusterSource.js';
import type { Incident } from '../../../shared/simulator/incidents/incident.js';
import { simulatedIncident } from '../../support/simulatedIncident.js';
import { loadConfig, type AppConfig } from '../../../shared/config/config.js';
import { createAnomalySignalSource } from '../../../shared/metrics/anomalySignalSource.js';
import type { FindingDraft } from '../../../shared/sweep/analyzer.js';

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const MINUTE = 60_000;
const cluster: ManagedCluster = {
  location: 'westeurope',
  addonProfiles: { omsagent: { enabled: true } },
};

let local: LocalAzure;
let config: AppConfig;

const incident = (type: Incident['type'], service: Incident['service'], startMs: number) =>
  simulatedIncident(type, service, startMs, 60);

/** Starts a feed whose computed history has `incidents`, collects now, and returns a sweep of the anomaly source. */
async function feedAndSweep(incidents: Incident[]) {
  const source = createSimulatedClusterSource({
    seed: 42,
    clusterName: 'aks-sim',
    clusterId: CLUSTER_ID,
    getIncidents: () => incidents,
  });
  const feed = startContainerInsightsFeed({
    source,
    localAzure: local,
    clusterId: CLUSTER_ID,
    intervalMs: 0,
    snapshotAt: async (time) => {
      const past = createSimulatedClusterSource({
        seed: 42,
        clusterName: 'aks-sim',
        clusterId: CLUSTER_ID,
        getIncidents: () => incidents,
        now: () => time,
      });
      await past.refresh();
      return snapshotFromSource(past);
    },
  });
  await source.refresh();
  await feed.tick();
  const sweep = async () =>
    createAnomalySignalSource().collect({
      clusterId: CLUSTER_ID,
      cluster,
      config,
      abortSignal: AbortSignal.timeout(60_000),
      now: new Date(),
    });
  return { feed, source, sweep };
}

const named = (drafts: FindingDraft[], service: string) => drafts.filter((d) => d.name === service);

beforeAll(async () => {
  local = await startLocalAzureWithIdentity('.data/test-anomaly-sweep');
  config = loadConfig({ ...local.env });
});

afterAll(async () => {
  await stopLocalAzureWithIdentity(local);
});

describe('anomaly detection on the simulated cluster', () => {
  it('a quiet simulator gives no anomaly finding on two sweeps', async () => {
    const { feed, source, sweep } = await feedAndSweep([]);
    const first = await sweep();
    expect(first.errors).toEqual([]);
    expect(first.drafts).toEqual([]);
    await source.refresh();
    await feed.tick();
    const second = await sweep();
    expect(second.errors).toEqual([]);
    expect(second.drafts).toEqual([]);
    feed.stop();
  });

  it('a cpu_spike and a memory_leak running for the last minutes are reported, naming their service', async () => {
    const start = Math.floor(Date.now() / MINUTE) * MINUTE - 8 * MINUTE;
    const { feed, sweep } = await feedAndSweep([
      incident('cpu_spike', 'user-service', start),
      incident('memory_leak', 'payment-service', start),
    ]);
    const { drafts, errors } = await sweep();
    feed.stop();
    expect(errors).toEqual([]);
    const cpu = named(drafts, 'user-service').find((d) => d.check === 'anomaly.cpu-usage');
    expect(cpu).toBeDefined();
    expect(cpu?.kind).toBe('Deployment');
    expect(cpu?.message).toMatch(
      /CPU usage of Deployment \S+\/user-service is .* above its baseline of .*anomaly score 0\.\d\d/,
    );
    expect(cpu?.evidence.join('\n')).toMatch(/window: .* points from Container Insights/);
    expect(cpu?.evidence.find((e) => e.startsWith('query: '))).toMatch(/^query: Perf\n/);
    // A leaking service is OOM-killed within minutes: its working set saw-tooths, its restarts and not-ready pods
    // jump; whichever broke its baseline, the finding names the service.
    const leak = named(drafts, 'payment-service').map((d) => d.check);
    expect(
      leak.filter((c) => /^anomaly\.(memory-working-set|restarts|pods-not-ready)$/.test(c)).length,
    ).toBeGreaterThan(0);
    // Nothing names a service without an incident.
    expect(drafts.filter((d) => d.name === 'api-gateway' || d.name === 'notification-service')).toEqual([]);
  });
});
