// Renders the cluster model into Kubernetes objects in their real wire shapes (what `kubectl get -o json` shows). One
// renderer per kind or group of kinds lives under ./render/; this file puts them together in the order the simulated
// API server has always listed them.
import { clusterCreatedMs } from './buildClusterModel.js';
import type { ClusterModel } from './clusterModel.js';
import { renderAppWorkloads } from './render/appWorkloads.js';
import { renderNode } from './render/node.js';
import { renderEvents, renderMetrics } from './render/observed.js';
import { renderAdmissionWebhook, renderNamespaces, renderPlatformObjects } from './render/platform.js';
import { renderPod } from './render/pod.js';
import { renderShopExtras } from './render/shopExtras.js';
import { renderSystemWorkloads } from './render/systemWorkloads.js';
import type { Obj, RenderContext } from './render/wire.js';

export interface RenderedCluster {
  objects: Obj[];
  /** `${ns}/${pod}/${container}` and `.../previous`. */
  logs: Map<string, string>;
}

/** All objects of the cluster, plus pod logs. `rv` is the list resourceVersion every object carries. */
export function renderCluster(cluster: ClusterModel, rv: string): RenderedCluster {
  const ctx: RenderContext = { cluster, rv, createdMs: cluster.createdAtMs ?? clusterCreatedMs(cluster.nowMs) };
  const logs = new Map<string, string>();
  for (const pod of cluster.pods) {
    if (pod.logs.current !== undefined && pod.state.kind === 'running')
      logs.set(`${pod.namespace}/${pod.name}/${pod.containerName}`, pod.logs.current);
    if (pod.logs.previous !== undefined && pod.lastTerminated)
      logs.set(`${pod.namespace}/${pod.name}/${pod.containerName}/previous`, pod.logs.previous);
  }
  const objects: Obj[] = [
    ...renderNamespaces(ctx),
    ...cluster.nodes.map((node) => renderNode(node, cluster, rv)),
    ...cluster.pods.map((pod) => renderPod(pod, rv)),
    ...renderAppWorkloads(ctx),
    ...renderPlatformObjects(ctx),
    ...renderSystemWorkloads(ctx),
    ...renderShopExtras(ctx),
    renderAdmissionWebhook(ctx),
    ...renderEvents(ctx),
    ...renderMetrics(ctx),
  ];
  return { objects, logs };
}
