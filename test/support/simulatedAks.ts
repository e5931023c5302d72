// One simulated AKS cluster wired as `npm start` wires it (dev/start.ts): the same cluster model served by the
// simulated Kubernetes API and by the local ARM, where agent pool writes and stop/start are long-running operations
// that take simulated time. Time is a clock the test moves: nothing waits for a simulated delay in real time.
import { ensureLocalTls, type LocalTls } from '../../dev/tls.js';
import { AKS_SERVER_APP_ID, startLocalAzure, type LocalAzure } from '../../dev/standins/localAzure.js';
import { loadConfig } from '../../shared/config/config.js';
import { defaultClusterSpec, SimulatedAksCluster } from '../../shared/simulator/aks/aksCluster.js';
import type { AksTimings } from '../../shared/simulator/aks/aksSpec.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../shared/simulator/cluster/startSimulatedCluster.js';
import { createInMemoryIncidentStore } from '../../shared/simulator/incidents/incidentStore.js';

/** Phase lengths of the model's operations: a node needs a minute to become Ready, a drain 20 s, a stop 30 s. */
export const AKS_TIMINGS: AksTimings = { nodeReadyMs: 60_000, drainMs: 20_000, updateMs: 10_000, stopMs: 30_000 };

/** The time the model and the API server see; only the test moves it. */
export class TestClock {
  constructor(private ms: number) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }

  /**
   * Awaits a call whose operation needs simulated time to pass: moves the clock a step each time the event loop has
   * had a turn, so the SDK's own poller (10 ms interval) sees the operation progress and finish.
   */
  async passWhile<T>(call: Promise<T>, stepMs = 5_000): Promise<T> {
    let done = false;
    const tracked = call.finally(() => {
      done = true;
    });
    tracked.catch(() => undefined); // the caller sees the rejection; this only stops it counting as unhandled meanwhile
    while (!done) {
      this.advance(stepMs);
      await new Promise((r) => setTimeout(r, 5));
    }
    return tracked;
  }
}

export interface SimulatedAks {
  aks: SimulatedAksCluster;
  cluster: SimulatedCluster;
  local: LocalAzure;
  tls: LocalTls;
  close(): Promise<void>;
}

/**
 * Serves `clusterId` (the default cluster spec, seed 42) on `clock`. The Kubernetes API accepts `kubeToken`, for the
 * test's own client, and the AKS Entra tokens the local managed identity issues, for the app's reads through ARM.
 */
export async function startSimulatedAks(options: {
  clusterId: string;
  clock: TestClock;
  dataDir: string;
  kubeToken: string;
}): Promise<SimulatedAks> {
  const { clusterId, clock, kubeToken } = options;
  const tls = await ensureLocalTls('.data');
  const aks = new SimulatedAksCluster(defaultClusterSpec(clusterId), {
    seed: 42,
    now: clock.now,
    timings: AKS_TIMINGS,
  });
  let verify: (token: string | undefined) => 'ok' | 'unauthorized' | 'forbidden' = () => 'unauthorized';
  const cluster = await startSimulatedCluster({
    config: loadConfig({ SIMULATOR_SEED: '42', SIMULATOR_CLUSTER_ID: clusterId }),
    tls,
    authenticate: (t) => (t === kubeToken ? 'ok' : verify(t)),
    aks,
    incidentStore: createInMemoryIncidentStore(),
    now: () => new Date(clock.now()),
    refreshIntervalMs: 60_000,
  });
  const { location, kubernetesVersion } = aks.view().spec;
  const local = await startLocalAzure({
    tls,
    dataDir: options.dataDir,
    clusters: [{ id: clusterId, location, kubernetesVersion, kubeApiUrl: cluster.url, caPem: tls.cert, aks }],
  });
  verify = (t) => local.verifyToken(t, AKS_SERVER_APP_ID);
  return {
    aks,
    cluster,
    local,
    tls,
    close: async () => {
      await local.close();
      await cluster.close();
    },
  };
}
