// The simulated cluster's Container insights history: deterministic, one sample per hour at the half hour, ending
// where the live feed begins, following the simulator's daily shape; and the wrapper that keeps it in front of the
// live feed's rows in the local Log Analytics, whether the history is ready before or after the feed's first tick.
import { describe, expect, it } from '@jest/globals';
import {
  generateContainerInsightsHistory,
  withContainerInsightsHistory,
  type ContainerInsightsHistory,
} from '../../../dev/local/containerInsightsHistory.js';

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
const HOUR = 3600_000;
const TO = Date.parse('2026-11-25T00:00:00Z'); // a Wednesday
const options = {
  seed: 42,
  clusterId: CLUSTER,
  clusterName: 'aks-sim',
  toMs: TO,
  days: 1,
  createdAtMs: TO - 30 * 24 * HOUR,
};

describe('generateContainerInsightsHistory', () => {
  it('is deterministic and samples every hour at the half hour, up to where the live feed starts', async () => {
    const a = await generateContainerInsightsHistory(options);
    const b = await generateContainerInsightsHistory(options);
    expect(a).toEqual(b);
    const times = [...new Set(a.KubeNodeInventory.map((r) => String(r.TimeGenerated)))];
    expect(times).toHaveLength(24);
    expect(times[0]).toBe('2026-11-24T00:30:00.000Z');
    expect(times[23]).toBe('2026-11-24T23:30:00.000Z');
    expect(a.Perf.every((r) => r._ResourceId === CLUSTER)).toBe(true);
  });

  it("follows the simulator's day: the user pool's CPU at 14:30 is well above 02:30", async () => {
    const h = await generateContainerInsightsHistory(options);
    const userCpu = (time: string) =>
      h.Perf.filter(
        (r) =>
          r.ObjectName === 'K8SNode' &&
          r.CounterName === 'cpuUsageNanoCores' &&
          String(r.Computer).includes('userpool') &&
          r.TimeGenerated === time,
      ).reduce((sum, r) => sum + Number(r.CounterValue), 0);
    expect(userCpu('2026-11-24T14:30:00.000Z')).toBeGreaterThan(1.4 * userCpu('2026-11-24T02:30:00.000Z'));
  });

  it('starts no earlier than three days after the cluster was created (its workloads exist by then)', async () => {
    const h = await generateContainerInsightsHistory({ ...options, days: 28, createdAtMs: TO - 4 * 24 * HOUR });
    expect(new Set(h.KubeNodeInventory.map((r) => String(r.TimeGenerated))).size).toBe(24);
  });
});

describe('withContainerInsightsHistory', () => {
  const history: ContainerInsightsHistory = {
    KubePodInventory: [{ n: 'old-pod' }],
    KubeNodeInventory: [],
    Perf: [{ n: 'old-perf' }],
  };

  it('puts the history before the live rows, and republishes when the history arrives after a tick', async () => {
    const published = new Map<string, unknown[]>();
    let resolve!: (h: ContainerInsightsHistory) => void;
    const ready = new Promise<ContainerInsightsHistory>((r) => (resolve = r));
    const sink = withContainerInsightsHistory({ setLogAnalyticsRows: (t, rows) => published.set(t, rows) }, ready);
    sink.setLogAnalyticsRows('Perf', [{ n: 'live-1' }]);
    expect(published.get('Perf')).toEqual([{ n: 'live-1' }]);
    resolve(history);
    await ready;
    await Promise.resolve();
    expect(published.get('Perf')).toEqual([{ n: 'old-perf' }, { n: 'live-1' }]);
    expect(published.get('KubePodInventory')).toEqual([{ n: 'old-pod' }]);
    sink.setLogAnalyticsRows('Perf', [{ n: 'live-2' }]);
    expect(published.get('Perf')).toEqual([{ n: 'old-perf' }, { n: 'live-2' }]);
    sink.setLogAnalyticsRows('KubeEvents', [{ n: 'event' }]);
    expect(published.get('KubeEvents')).toEqual([{ n: 'event' }]);
  });

  it('reports a failed generation and keeps passing the live rows through', async () => {
    const errors: unknown[] = [];
    const published = new Map<string, unknown[]>();
    const failed = Promise.reject(new Error('boom'));
    const sink = withContainerInsightsHistory(
      { setLogAnalyticsRows: (t, rows) => published.set(t, rows) },
      failed,
      (e) => errors.push(e),
    );
    await failed.catch(() => undefined);
    await Promise.resolve();
    sink.setLogAnalyticsRows('Perf', [{ n: 'live' }]);
    expect(published.get('Perf')).toEqual([{ n: 'live' }]);
    expect(errors).toHaveLength(1);
  });
});
