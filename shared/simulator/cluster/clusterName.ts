// The simulated cluster's name, on its own so the simulator endpoints (in the function app) can name the cluster
// without bundling the simulated Kubernetes API server (startSimulatedCluster.ts), which only npm start and the CLI
// run. test/unit/architecture/bundleContents.test.ts checks dist/app.js for it.
import { clusterNameFromId } from '../../kube/vocabulary/armId.js';

/** The AKS cluster name in its ARM id (the shared vocabulary's reading). */
export function clusterNameOf(clusterId: string): string {
  return clusterNameFromId(clusterId) || 'aks-sim';
}
