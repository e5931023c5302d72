// Wires the incident store, the simulated cluster source and the Kubernetes API server together: what `npm start`
// and `aks-aiops simulate serve` run. Each authenticated request re-reads the incidents first, so an incident created
// through the simulator endpoints shows up in the very next `kubectl get pods`; the timer only keeps the snapshot's
// clock moving for watchers of the source itself.
import { clusterNameOf } from './clusterName.js';
import { writeFile } from 'node:fs/promises';
import type { AppConfig } from '../../config/config.js';
import { createTableIncidentStore, type IncidentStore } from '../incidents/incidentStore.js';
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from '../kubeApi/kubeApiServer.js';
import { createSimulatedClusterSource, type SimulatedClusterSource } from './simulatedClusterSource.js';
import { apiServerAnswers, defaultClusterSpec, SimulatedAksCluster } from '../aks/aksCluster.js';

export interface SimulatedCluster extends KubeApiServer {
  source: SimulatedClusterSource;
  /** The AKS cluster behind both views: hand it to the ARM stand-in so ARM writes change what kubectl sees. */
  aks: SimulatedAksCluster;
  clusterName: string;
  clusterId: string;
  /** Re-reads incidents now (also done every `refreshIntervalMs`). */
  refresh(): Promise<void>;
}

export interface StartSimulatedClusterOptions {
  config: AppConfig;
  tls: { cert: string; key: string };
  port?: number;
  authenticate?: KubeApiServerOptions['authenticate'];
  token?: string;
  /** Defaults to the Table storage store of `config`. */
  incidentStore?: IncidentStore;
  refreshIntervalMs?: number;
  now?: () => Date;
  /** The AKS model to serve; default: defaultClusterSpec(SIMULATOR_CLUSTER_ID) on the same clock. */
  aks?: SimulatedAksCluster;
  /** Called when reading incidents fails (the last snapshot keeps being served). */
  onRefreshError?: (err: unknown) => void;
}

export async function startSimulatedCluster(options: StartSimulatedClusterOptions): Promise<SimulatedCluster> {
  const store = options.incidentStore ?? createTableIncidentStore(options.config);
  const now = options.now ?? (() => new Date());
  const clusterId = options.config.SIMULATOR_CLUSTER_ID;
  const clusterName = clusterNameOf(clusterId);
  const aks =
    options.aks ??
    new SimulatedAksCluster(defaultClusterSpec(clusterId), {
      seed: options.config.SIMULATOR_SEED,
      now: () => now().getTime(),
    });
  const source = createSimulatedClusterSource({
    seed: options.config.SIMULATOR_SEED,
    clusterName,
    clusterId,
    now,
    aks,
    getIncidents: () => store.overlapping(new Date(now().getTime() - 3600_000), now()),
  });
  const refresh = async () => {
    try {
      await source.refresh();
    } catch (err) {
      options.onRefreshError?.(err);
    }
  };
  await refresh();
  // Every request sees every incident written before it arrived (what kubectl right after `POST /incidents/simulate`
  // expects). Concurrent requests share one re-read, but a re-read already running may have queried the store before
  // this request's incident was written, so a request that finds one in flight waits for the next one after it.
  let inFlight: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const beforeRequest = (): Promise<void> => {
    if (!inFlight) {
      inFlight = refresh().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    }
    next ??= inFlight.then(() => {
      next = undefined;
      return beforeRequest();
    });
    return next;
  };
  const server = await startKubeApiServer({
    source,
    tls: options.tls,
    port: options.port,
    authenticate: options.authenticate,
    token: options.token,
    beforeRequest,
  });
  // A stopped cluster's API server is gone (connection refused); it comes back as soon as a start is under way.
  // The model settles lazily on reads (ARM polls, this timer), and tells us whenever its state moved.
  const followPower = (up: boolean) =>
    void server.setServing(up).catch((err: unknown) => options.onRefreshError?.(err));
  const unsubscribe = aks.onChange((view) => followPower(apiServerAnswers(view)));
  followPower(aks.apiServerUp());
  const timer = setInterval(() => {
    aks.revision();
    void refresh();
  }, options.refreshIntervalMs ?? 5000);
  timer.unref();
  return {
    ...server,
    source,
    aks,
    clusterName,
    clusterId,
    refresh,
    kubeconfig: (o) => server.kubeconfig({ clusterName, ...o }),
    writeKubeconfig: (filePath, o) => writeFile(filePath, server.kubeconfig({ clusterName, ...o }), { mode: 0o600 }),
    close: async () => {
      clearInterval(timer);
      unsubscribe();
      await server.close();
    },
  };
}
