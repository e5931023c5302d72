// Traffic with a week in it, told the same way three times: the metrics API's request rate and CPU, the pods' usage
// in metrics.k8s.io, and the Container Insights Perf rows derived from it all have quiet nights and weekends, and
// at any minute the pods' usage is the metrics model's CPU (as a share of a core) of that service.
import { describe, expect, it } from '@jest/globals';
import { perfRows, snapshotFromSource } from '../../../dev/local/containerInsightsFeed.js';
import { computeMetricsAt, MINUTE_MS } from '../../../shared/simulator/metricsModel.js';
import { createSimulatedClusterSource } from '../../../shared/simulator/cluster/simulatedClusterSource.js';

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const SEED = 42;
// A Tuesday afternoon, the following Sunday at 03:00, and Tuesday 03:00.
const TUESDAY_PEAK = Date.parse('2026-11-24T14:00:00Z');
const SUNDAY_NIGHT = Date.parse('2026-11-29T03:00:00Z');
const TUESDAY_NIGHT = Date.parse('2026-11-24T03:00:00Z');

async function at(ms: number) {
  const source = createSimulatedClusterSource({
    seed: SEED,
    clusterName: 'aks-sim',
    clusterId: CLUSTER_ID,
    getIncidents: () => [],
    now: () => new Date(ms),
  });
  await source.refresh();
  const snapshot = snapshotFromSource(source);
  const metrics = computeMetricsAt(SEED, Math.floor(ms / MINUTE_MS), []);
  const podCpu = (service: string) =>
    snapshot.podMetrics
      .filter((m) => String((m.metadata as { name: string }).name).startsWith(`${service}-`))
      .reduce((sum, m) => {
        const c = ((m.containers as Array<{ usage: { cpu: string } }>)[0]?.usage.cpu ?? '0n').replace(/n$/, '');
        return sum + Number(c) / 1e6;
      }, 0);
  const perfCpu = (service: string) =>
    perfRows(snapshot, { clusterId: CLUSTER_ID, time: new Date(ms) })
      .filter(
        (r) =>
          r.ObjectName === 'K8SContainer' &&
          r.CounterName === 'cpuUsageNanoCores' &&
          String(r.InstanceName).endsWith(`/${service}`),
      )
      .reduce((sum, r) => sum + Number(r.CounterValue) / 1e6, 0);
  return { metrics, podCpu, perfCpu };
}

describe('seasonality across the metrics API, metrics.k8s.io and Container Insights', () => {
  it('all three are quiet at night and quieter still on a weekend night', async () => {
    const peak = await at(TUESDAY_PEAK);
    const night = await at(TUESDAY_NIGHT);
    const weekend = await at(SUNDAY_NIGHT);
    const service = 'api-gateway';
    const views = [
      (v: typeof peak) => v.metrics[service].request_rate,
      (v: typeof peak) => v.podCpu(service),
      (v: typeof peak) => v.perfCpu(service),
    ];
    for (const view of views) {
      expect(view(night)).toBeLessThan(view(peak) * 0.8);
      expect(view(weekend)).toBeLessThan(view(night));
    }
  });

  it("pods' usage is the metrics model's CPU of their service, and Perf carries the same numbers", async () => {
    for (const ms of [TUESDAY_PEAK, SUNDAY_NIGHT]) {
      const v = await at(ms);
      for (const service of ['api-gateway', 'payment-service'] as const) {
        const m = v.metrics[service];
        // cpu_usage_percent is % of one core per pod; pods jitter ±5% around it.
        const expected = m.cpu_usage_percent * 10 * m.pod_count;
        expect(v.podCpu(service)).toBeGreaterThan(expected * 0.94);
        expect(v.podCpu(service)).toBeLessThan(expected * 1.06);
        expect(v.perfCpu(service)).toBeCloseTo(v.podCpu(service), 0);
      }
    }
  });
});
