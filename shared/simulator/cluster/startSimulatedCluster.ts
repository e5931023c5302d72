// Wires the incident store, the simulated cluster source and the Kubernetes API server together: what `npm start`
// and `aks-aiops simulate serve` run. The snapshot is refreshed every few seconds, so an incident created through
// the simulator endpoints shows up in `kubectl get pods` within one refresh.
import { clusterNameFromId } from '../../kube/vocabulary/armId.js';
import { writeFile } from 'node:fs/promises';
import type { AppConfig } from '../../config/config.js';
import { createTableIncidentStore, type IncidentStore } from '../../store/incidentStore.js';
import { startKubeApiServer, type KubeApiServer, type KubeApiServerOptions } from '../kubeApi/kubeApiServer.js';
import { createSimulatedClusterSource, type SimulatedClusterSource } from './simulatedClusterSource.js';

export interface SimulatedCluster extends KubeApiServer {
  source: SimulatedClusterSource;
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
  /** Called when reading incidents fails (the last snapshot keeps being served). */
  onRefreshError?: (err: unknown) => void;
}

/** The AKS cluster name in its ARM id (the shared vocabulary's reading). */
export function clusterNameOf(clusterId: string): string {
  return clusterNameFromId(clusterId) || 'aks-sim';
}

export async function startSimulatedCluster(options: StartSimulatedClusterOptions): Promise<SimulatedCluster> {
  const store = options.incidentStore ?? createTableIncidentStore(options.config);
  const now = options.now ?? (() => new Date());
  const clusterId = options.config.SIMULATOR_CLUSTER_ID;
  const clusterName = clusterNameOf(clusterId);
  const source = createSimulatedClusterSource({
    seed: options.config.SIMULATOR_SEED,
    clusterName,
    clusterId,
    now,
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
  // Requests also refresh (at most every 200 ms), so an incident is visible to the very next kubectl or diagnosis.
  let lastRefresh = Date.now();
  let pending: Promise<void> | undefined;
  const beforeRequest = async () => {
    if (Date.now() - lastRefresh < 200) return;
    pending ??= refresh().finally(() => {
      lastRefresh = Date.now();
      pending = undefined;
    });
    await pending;
  };
  const server = await startKubeApiServer({
    source,
    tls: options.tls,
    port: options.port,
    authenticate: options.authenticate,
    token: options.token,
    beforeRequest,
  });
  const timer = setInterval(() => void refresh(), options.refreshIntervalMs ?? 5000);
  timer.unref();
  return {
    ...server,
    source,
    clusterName,
    clusterId,
    refresh,
    kubeconfig: (o) => server.kubeconfig({ clusterName, ...o }),
    writeKubeconfig: (filePath, o) => writeFile(filePath, server.kubeconfig({ clusterName, ...o }), { mode: 0o600 }),
    close: async () => {
      clearInterval(timer);
      await server.close();
    },
  };
}
