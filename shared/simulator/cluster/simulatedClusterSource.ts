// The simulated AKS cluster as a KubeObjectSource. The cluster is a function of (seed, minute, incidents, AKS model):
// refresh() reads the incidents and rebuilds the snapshot when the minute, the incidents or the AKS model changed. The revision changes with
// the snapshot, so a list paged across a change gets 410 Expired, as it would after an etcd compaction.
import { createStaticKubeSource } from '../kubeApi/staticSource.js';
import type { KubeObjectSource } from '../kubeApi/kubeObjectSource.js';
import type { Incident } from '../incidents/incident.js';
import { incidentEndMs } from '../incidents/incident.js';
import { MINUTE_MS } from '../metricsModel.js';
import { buildClusterModel } from './buildClusterModel.js';
import { renderCluster } from './clusterObjects.js';
import { hashString } from './seededRandom.js';
import type { SimulatedAksCluster } from '../aks/aksCluster.js';

export interface SimulatedClusterOptions {
  seed: number;
  clusterName: string;
  clusterId: string;
  getIncidents: () => Promise<Incident[]> | Incident[];
  now?: () => Date;
  /** The AKS cluster whose pools and nodes this serves (see buildClusterModel); default: the default spec as created. */
  aks?: SimulatedAksCluster;
}

export interface SimulatedClusterSource extends KubeObjectSource {
  /**
   * Re-reads the incidents and rebuilds the snapshot if the minute or the incidents changed. Call it before serving
   * (startSimulatedCluster does, every few seconds and before each request burst); until the first call the source
   * serves the healthy baseline.
   */
  refresh(): Promise<void>;
  /** Minute-aligned time of the snapshot being served. */
  snapshotTime(): Date;
}

export function createSimulatedClusterSource(options: SimulatedClusterOptions): SimulatedClusterSource {
  const now = options.now ?? (() => new Date());
  const id = { seed: options.seed, clusterName: options.clusterName, clusterId: options.clusterId, aks: options.aks };
  let key = '';
  // resourceVersions look like a real cluster's: large, increasing with every change.
  let revision = 4_200_000 + (hashString(`${options.seed}/${options.clusterName}`) % 100_000);
  let snapshotMs = 0;
  let inner: KubeObjectSource = createStaticKubeSource([]);

  const rebuild = (incidents: readonly Incident[]) => {
    const nowMs = now().getTime();
    const minute = Math.floor(nowMs / MINUTE_MS);
    // Only incidents that can matter at this minute are part of the key (events linger for an hour).
    const relevant = incidents.filter((i) => Date.parse(i.startedAt) <= nowMs && incidentEndMs(i) > nowMs - 3600_000);
    // A scale or a node turning Ready changes the model's revision, so the snapshot rebuilds within the minute.
    const nextKey = `${minute}|${options.aks?.revision() ?? 0}|${relevant
      .map((i) => `${i.id}:${i.resolvedAt ?? ''}:${incidentEndMs(i) > nowMs ? 'on' : 'off'}`)
      .sort()
      .join(',')}`;
    if (nextKey === key) return;
    key = nextKey;
    revision += 1;
    snapshotMs = minute * MINUTE_MS + (nowMs % MINUTE_MS);
    const model = buildClusterModel(id, nowMs, incidents);
    const rendered = renderCluster(model, String(revision));
    inner = createStaticKubeSource(rendered.objects, { logs: Object.fromEntries(rendered.logs) });
  };
  rebuild([]);

  return {
    list: (resource, namespace) => inner.list(resource, namespace),
    count: (resource, namespace) => inner.count?.(resource, namespace) ?? 0,
    podLog: (namespace, pod, container, previous) => inner.podLog?.(namespace, pod, container, previous),
    revision: () => String(revision),
    async refresh() {
      rebuild(await options.getIncidents());
    },
    snapshotTime: () => new Date(snapshotMs),
  };
}
