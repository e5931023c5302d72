// Large-cluster mode through the real client: every page streams, counts agree with what the generator says it made.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppsV1Api, CoreV1Api, V1Pod } from '@kubernetes/client-node';
import { ensureLocalTls } from '../../../dev/tls.js';
import { startKubeApiServer, type KubeApiServer } from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { createLargeClusterSource } from '../../../shared/simulator/cluster/largeCluster.js';
import { kubeClients } from '../../support/kubeClients.js';

const source = createLargeClusterSource({ nodes: 120, pods: 4000, failingShare: 0.05, seed: 11 });
let server: KubeApiServer;
let core: CoreV1Api;
let apps: AppsV1Api;

beforeAll(async () => {
  server = await startKubeApiServer({ source, tls: await ensureLocalTls('.data') });
  ({ core, apps } = kubeClients(server.kubeconfig()));
});
afterAll(async () => {
  await server.close();
});

function classify(p: V1Pod): string | undefined {
  if (p.status?.reason === 'Evicted') return 'evicted';
  if (p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False')) return 'failed_scheduling';
  const cs = p.status?.containerStatuses?.[0];
  const waiting = cs?.state?.waiting?.reason;
  if (waiting === 'ImagePullBackOff') return 'image_pull_error';
  if (waiting === 'CreateContainerConfigError') return 'config_error';
  if (waiting === 'CrashLoopBackOff')
    return cs?.lastState?.terminated?.reason === 'OOMKilled' ? 'oom_killed' : 'crash_loop';
  if (cs && !cs.ready) return 'probe_failure';
  return undefined;
}

describe('large-cluster source', () => {
  it('serves every pod exactly once page by page, with the failures it reports', async () => {
    const expected = source.expectedCounts();
    const seen = new Set<string>();
    const found: Record<string, number> = {};
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 500, _continue: token });
      pages++;
      for (const p of page.items) {
        seen.add(`${p.metadata?.namespace}/${p.metadata?.name}`);
        const kind = classify(p);
        if (kind) found[kind] = (found[kind] ?? 0) + 1;
      }
      token = page.metadata?._continue;
      if (token) expect(page.metadata?.remainingItemCount).toBe(4000 - seen.size);
    } while (token);
    expect(pages).toBe(8);
    expect(seen.size).toBe(4000);
    expect(found).toEqual(Object.fromEntries(Object.entries(expected.failingPods).filter(([, n]) => n > 0)));
    const total = Object.values(expected.failingPods).reduce((a, b) => a + b, 0);
    // ~5% failing, every kind represented.
    expect(total).toBeGreaterThan(120);
    expect(total).toBeLessThan(300);
  });

  it('lists nodes with NotReady and MemoryPressure shares, and namespaced workloads', async () => {
    const nodes = await core.listNode();
    expect(nodes.items).toHaveLength(120);
    expect(nodes.items[0]?.metadata?.name).toMatch(/^aks-pool1-\d{8}-vmss[0-9a-z]{6}$/);
    const notReady = nodes.items.filter(
      (n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True',
    ).length;
    expect(notReady).toBe(source.expectedCounts().notReadyNodes);
    const ns = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(ns).toHaveLength(40); // 4000 pods / 5 per workload / 20 per namespace
    const deployments = await apps.listNamespacedDeployment({ namespace: 'team-0003' });
    expect(deployments.items).toHaveLength(20);
    const pods = await core.listNamespacedPod({
      namespace: 'team-0003',
      labelSelector: `app=${deployments.items[0]?.metadata?.name}`,
    });
    expect(pods.items).toHaveLength(5);
    const events = await core.listEventForAllNamespaces({ fieldSelector: 'reason=FailedScheduling' });
    expect(events.items).toHaveLength(source.expectedCounts().failingPods.failed_scheduling);
  });
});
