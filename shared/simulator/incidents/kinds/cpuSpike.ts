import { podsOf } from '../../cluster/clusterModel.js';
import type { IncidentKind } from '../incidentKind.js';

/** A hot loop or a traffic mix change: CPU jumps towards the limit; the HPA reacts by scaling api-gateway. */
export const cpuSpike: IncidentKind = {
  type: 'cpu_spike',
  summary: 'CPU jumps towards the container limit; latency rises with utilisation; the HPA scales out.',
  defaultDurationMinutes: 20,
  applyMetrics(f, { factor }) {
    f.cpu = Math.min(97, f.cpu + 32 * factor);
  },
  applyCluster(cluster, { service, factor }) {
    for (const pod of podsOf(cluster, service)) pod.usage.cpuMillis = Math.round(pod.usage.cpuMillis + 320 * factor);
    if (service === 'api-gateway') {
      cluster.hpa.currentCpuUtilization = Math.min(199, Math.round(cluster.hpa.currentCpuUtilization + 60 * factor));
      cluster.hpa.desiredReplicas = Math.min(
        10,
        Math.ceil((cluster.hpa.currentReplicas * cluster.hpa.currentCpuUtilization) / 70),
      );
    }
  },
};
