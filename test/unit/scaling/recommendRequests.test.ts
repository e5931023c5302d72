// KRR-style request recommendations (robusta-dev/krr simple strategy): CPU request = p95 of usage and no CPU limit,
// memory request = limit = peak working set + 15%, nothing from fewer than 100 samples or 7 days.
import { describe, expect, it } from '@jest/globals';
import { recommendRequests } from '../../../shared/scaling/recommendRequests.js';
import type { ContainerUsage } from '../../../shared/scaling/usageHistory.js';

const DAY = 24 * 3600_000;
const MIB = 1024 ** 2;
const END = Date.parse('2026-11-30T12:00:00Z');

function pod(name: string, over: Partial<ContainerUsage> = {}, days = 14, samples = 14 * 24): ContainerUsage {
  return {
    namespace: 'shop',
    pod: name,
    podUid: `uid-${name}`,
    container: 'web',
    workloadKind: 'Deployment',
    workload: 'web',
    node: 'aks-user-1',
    cpuUsageCores: { p95: 0.1, peak: 0.15, samples, firstMs: END - days * DAY, lastMs: END, latest: 0.08 },
    memoryWorkingSetBytes: {
      p95: 180 * MIB,
      peak: 200 * MIB,
      samples,
      firstMs: END - days * DAY,
      lastMs: END,
      latest: 190 * MIB,
    },
    cpuRequestCores: 1,
    memoryRequestBytes: 1024 * MIB,
    cpuLimitCores: 3.86,
    memoryLimitBytes: 2048 * MIB,
    ...over,
  };
}

const context = {
  poolOf: (node: string) => (node.startsWith('aks-user') ? 'user' : undefined),
  perNodeAllocatable: () => ({ cpu: 3.86, memory: 12 * 1024 * MIB }),
};

describe('recommendRequests', () => {
  it('a workload using 10% of its CPU request gets a lower request, no CPU limit, memory at peak + 15%', () => {
    const { workloads, pools } = recommendRequests([pod('web-1'), pod('web-2')], context);
    expect(workloads).toHaveLength(1);
    const w = workloads[0]!;
    expect(w.recommended).toEqual({
      cpuRequestCores: 0.1,
      cpuLimitCores: null,
      memoryRequestBytes: 230 * MIB,
      memoryLimitBytes: 230 * MIB,
    });
    // The CPU "limit" Container insights reported is the node's allocatable: no limit is set.
    expect(w.current).toMatchObject({ cpuRequestCores: 1, cpuLimitCores: null, memoryLimitBytes: 2048 * MIB });
    expect(w.pods).toBe(2);
    expect(w.saving).toEqual({ cpuCores: 1.8, memoryBytes: 2 * (1024 - 230) * MIB });
    expect(w.basis).toEqual({ days: 14, cpuSamples: 672, memorySamples: 672, podsSeen: 2 });
    // 1.8 cores are less than one 3.86-core node: no whole node freed.
    expect(pools).toEqual([{ pool: 'user', cpuCores: 1.8, memoryBytes: 2 * (1024 - 230) * MIB, nodesFreed: 0 }]);
  });

  it('takes the highest p95 and the highest peak among the pods', () => {
    const busy = pod('web-2', {
      cpuUsageCores: { p95: 0.4, peak: 0.5, samples: 336, firstMs: END - 14 * DAY, lastMs: END, latest: 0.3 },
    });
    const w = recommendRequests([pod('web-1'), busy], context).workloads[0]!;
    expect(w.recommended?.cpuRequestCores).toBe(0.4);
    expect(w.usage).toMatchObject({ cpuP95Cores: 0.4, cpuPeakCores: 0.5 });
  });

  it('a workload using more than it requests is told to ask for more (a negative saving)', () => {
    const w = recommendRequests([pod('web-1', { cpuRequestCores: 0.05, memoryRequestBytes: 128 * MIB })], context)
      .workloads[0]!;
    expect(w.saving!.cpuCores).toBeCloseTo(-0.05, 6);
    expect(w.saving!.memoryBytes).toBe((128 - 230) * MIB);
  });

  it('too little data: no recommendation, and the reason names what is missing and the minimum', () => {
    const w = recommendRequests([pod('web-1', {}, 2, 48)], context).workloads[0]!;
    expect(w.recommended).toBeUndefined();
    expect(w.reason).toBe(
      'not enough data: 48 CPU samples, 48 memory samples, 2 days; a recommendation needs at least 100 samples of each and 7 days',
    );
  });

  it('never goes below 10 millicores and 100 MB (KRR --cpu-min / --mem-min)', () => {
    const idle = pod('web-1', {
      cpuUsageCores: { p95: 0.001, peak: 0.002, samples: 336, firstMs: END - 14 * DAY, lastMs: END, latest: 0 },
      memoryWorkingSetBytes: {
        p95: MIB,
        peak: 2 * MIB,
        samples: 336,
        firstMs: END - 14 * DAY,
        lastMs: END,
        latest: MIB,
      },
    });
    expect(recommendRequests([idle], context).workloads[0]?.recommended).toMatchObject({
      cpuRequestCores: 0.01,
      memoryRequestBytes: 100e6,
    });
  });

  it('counts only pods still running at the end of the window, and skips AKS-managed namespaces', () => {
    const gone = pod('web-old', {
      cpuUsageCores: {
        p95: 0.1,
        peak: 0.1,
        samples: 200,
        firstMs: END - 20 * DAY,
        lastMs: END - 10 * DAY,
        latest: 0.1,
      },
      memoryWorkingSetBytes: {
        p95: MIB,
        peak: MIB,
        samples: 200,
        firstMs: END - 20 * DAY,
        lastMs: END - 10 * DAY,
        latest: MIB,
      },
    });
    const system = pod('coredns-1', { namespace: 'kube-system', workload: 'coredns' });
    const { workloads } = recommendRequests([pod('web-1'), gone, system], context, {
      skipNamespaces: new Set(['kube-system']),
    });
    expect(workloads.map((w) => [w.namespace, w.workload, w.pods, w.basis.podsSeen])).toEqual([['shop', 'web', 1, 2]]);
  });

  it('frees whole nodes only when both CPU and memory given back cover a node', () => {
    const many = Array.from({ length: 10 }, (_, i) => pod(`web-${i}`, { memoryRequestBytes: 2048 * MIB }));
    const { pools } = recommendRequests(many, context);
    // 9 cores and 10 x 1818 MiB (17.8 GiB) back: 2 nodes by CPU (3.86 each), 1 by memory (12 GiB): 1.
    expect(pools[0]).toMatchObject({ pool: 'user', nodesFreed: 1 });
  });
});
