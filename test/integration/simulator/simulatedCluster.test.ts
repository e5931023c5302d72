// Each incident type seen through @kubernetes/client-node against the simulated cluster: the object state a sweep or
// a diagnosis (or a person with kubectl) would look at.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppsV1Api, CoreV1Api, CustomObjectsApi, V1Pod } from '@kubernetes/client-node';
import { ensureLocalTls } from '../../../dev/tls.js';
import { loadConfig } from '../../../shared/config/config.js';
import {
  startSimulatedCluster,
  type SimulatedCluster,
} from '../../../shared/simulator/cluster/startSimulatedCluster.js';
import { createInMemoryIncidentStore } from '../../../shared/simulator/incidents/incidentStore.js';
import type { IncidentType, Severity } from '../../../shared/simulator/incidents/incident.js';
import type { ServiceName } from '../../../shared/simulator/services.js';
import { kubeClients } from '../../support/kubeClients.js';

const T0 = new Date('2026-11-18T14:00:00Z');
let clock = T0;
const store = createInMemoryIncidentStore();
let cluster: SimulatedCluster;
let core: CoreV1Api;
let apps: AppsV1Api;
let custom: CustomObjectsApi;

beforeAll(async () => {
  const config = loadConfig({ SIMULATOR_SEED: '42' });
  cluster = await startSimulatedCluster({
    config,
    tls: await ensureLocalTls('.data'),
    incidentStore: store,
    now: () => clock,
    refreshIntervalMs: 60_000,
  });
  ({ core, apps, custom } = kubeClients(cluster.kubeconfig()));
});
afterAll(async () => {
  await cluster.close();
});

/** The api-gateway HorizontalPodAutoscaler (autoscaling/v2) as the API server serves it. */
async function apiGatewayHpa() {
  return (await custom.getNamespacedCustomObject({
    group: 'autoscaling',
    version: 'v2',
    namespace: 'production',
    plural: 'horizontalpodautoscalers',
    name: 'api-gateway',
  })) as { spec: { maxReplicas: number }; status: { desiredReplicas: number; currentReplicas: number } };
}

/** Starts one incident at T0 + offset and moves the clock `minutes` into it. */
async function during(
  type: IncidentType,
  service: ServiceName,
  minutes: number,
  severity: Severity = 'high',
): Promise<void> {
  for (const i of (await store.list({ limit: 100 })).items) await store.resolve(i.id, new Date(0));
  const start = new Date(T0.getTime() + 86_400_000 * (Object.keys(seen).length + 1));
  seen[type] = true;
  await store.create({ type, service, severity, durationMinutes: 60, description: type, startedAt: start });
  clock = new Date(start.getTime() + minutes * 60_000 + 30_000);
  await cluster.refresh();
}
const seen: Record<string, boolean> = {};

const appPods = async (service: ServiceName): Promise<V1Pod[]> =>
  (await core.listNamespacedPod({ namespace: 'production', labelSelector: `app=${service}` })).items;

describe('healthy baseline', () => {
  it('looks like AKS: pooled vmss node names and labels, kube-system add-ons, the four services with HPA and PDB', async () => {
    clock = T0;
    await cluster.refresh();
    const nodes = (await core.listNode()).items;
    expect(nodes.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aks-nodepool1-\d{8}-vmss000000$/),
        expect.stringMatching(/^aks-userpool-\d{8}-vmss000002$/),
      ]),
    );
    expect(nodes[0]?.metadata?.labels?.['kubernetes.azure.com/agentpool']).toBe('nodepool1');
    expect(nodes.every((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True')).toBe(true);
    const deployments = (await apps.listNamespacedDeployment({ namespace: 'production' })).items.map(
      (d) => d.metadata?.name,
    );
    expect(deployments).toEqual(['api-gateway', 'notification-service', 'payment-service', 'user-service']);
    const pods = (await core.listNamespacedPod({ namespace: 'production' })).items;
    expect(pods.every((p) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready)).toBe(true);
    const system = (await core.listNamespacedPod({ namespace: 'kube-system' })).items.map(
      (p) => p.metadata?.name ?? '',
    );
    expect(system.some((n) => n.startsWith('coredns-'))).toBe(true);
    expect(system.filter((n) => n.startsWith('kube-proxy-'))).toHaveLength(nodes.length);
    expect((await apiGatewayHpa()).spec.maxReplicas).toBe(10);
    const ep = await core.readNamespacedEndpoints({ namespace: 'production', name: 'payment-service' });
    expect(ep.subsets?.[0]?.addresses).toHaveLength(2);
    const top = (await custom.listNamespacedCustomObject({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      namespace: 'production',
      plural: 'pods',
    })) as { items: unknown[] };
    expect(top.items).toHaveLength(pods.length);
  });
});

describe('incidents change the cluster', () => {
  it('memory_leak: OOMKilled exit 137 in lastState, rising restarts, CrashLoopBackOff and BackOff events', async () => {
    await during('memory_leak', 'payment-service', 14);
    const pods = await appPods('payment-service');
    const cs = pods.map((p) => p.status?.containerStatuses?.[0]);
    expect(
      cs.every((c) => c?.lastState?.terminated?.reason === 'OOMKilled' && c.lastState.terminated.exitCode === 137),
    ).toBe(true);
    expect(Math.max(...cs.map((c) => c?.restartCount ?? 0))).toBeGreaterThanOrEqual(3);
    const events = (
      await core.listNamespacedEvent({
        namespace: 'production',
        fieldSelector: `involvedObject.name=${pods[0]?.metadata?.name}`,
      })
    ).items;
    expect(events.map((e) => e.reason)).toContain('BackOff');
    const log = await core.readNamespacedPodLog({
      namespace: 'production',
      name: pods[0]?.metadata?.name ?? '',
      previous: true,
    });
    expect(log).toMatch(/heap usage/);
  });

  it('pod_crash: application exit code 1 and CrashLoopBackOff, previous log with the error', async () => {
    await during('pod_crash', 'user-service', 4);
    const pods = await appPods('user-service');
    const crashing = pods.filter((p) => p.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode === 1);
    expect(crashing.length).toBeGreaterThanOrEqual(1);
    expect(crashing[0]?.status?.containerStatuses?.[0]?.lastState?.terminated?.reason).toBe('Error');
    expect(crashing.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff')).toBe(
      true,
    );
    const log = await core.readNamespacedPodLog({
      namespace: 'production',
      name: crashing[0]?.metadata?.name ?? '',
      previous: true,
    });
    expect(log).toContain('ECONNREFUSED');
  });

  it('bad_deployment: a new ReplicaSet whose pod is in ImagePullBackOff with the registry message', async () => {
    await during('bad_deployment', 'api-gateway', 5);
    const pods = await appPods('api-gateway');
    const pulling = pods.filter((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff');
    expect(pulling.length).toBeGreaterThanOrEqual(1);
    expect(pulling[0]?.spec?.containers[0]?.image).toBe('acraiopsdemo.azurecr.io/api-gateway:3.9.0');
    const events = (
      await core.listNamespacedEvent({
        namespace: 'production',
        fieldSelector: `involvedObject.name=${pulling[0]?.metadata?.name},reason=Failed`,
      })
    ).items;
    expect(events.map((e) => e.message)).toContain(
      'Failed to pull image "acraiopsdemo.azurecr.io/api-gateway:3.9.0": rpc error: code = NotFound desc = failed to pull and unpack image "acraiopsdemo.azurecr.io/api-gateway:3.9.0": failed to resolve reference "acraiopsdemo.azurecr.io/api-gateway:3.9.0": acraiopsdemo.azurecr.io/api-gateway:3.9.0: not found',
    );
    const rs = (await apps.listNamespacedReplicaSet({ namespace: 'production', labelSelector: 'app=api-gateway' }))
      .items;
    expect(rs).toHaveLength(3);
    // In its first 40 seconds the kubelet reports ErrImagePull.
    await during('bad_deployment', 'api-gateway', 0);
    clock = new Date(clock.getTime() - 20_000);
    await cluster.refresh();
    const early = await appPods('api-gateway');
    expect(early.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImagePull')).toBe(true);
  });

  it('config_error: CreateContainerConfigError naming the missing Secret', async () => {
    await during('config_error', 'payment-service', 3);
    const pods = await appPods('payment-service');
    const waiting = pods
      .map((p) => p.status?.containerStatuses?.[0]?.state?.waiting)
      .filter((w) => w?.reason === 'CreateContainerConfigError');
    expect(waiting[0]?.message).toBe('secret "payment-service-credentials" not found');
    const secrets = (await core.listNamespacedSecret({ namespace: 'production' })).items.map((s) => s.metadata?.name);
    expect(secrets).not.toContain('payment-service-credentials');
  });

  it('node_pressure: MemoryPressure, then evictions, then NotReady at high severity', async () => {
    await during('node_pressure', 'notification-service', 1);
    const pods = await appPods('notification-service');
    const nodeName = pods[0]?.spec?.nodeName ?? '';
    let node = await core.readNode({ name: nodeName });
    expect(node.status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status).toBe('True');
    expect(node.spec?.taints?.map((t) => t.key)).toContain('node.kubernetes.io/memory-pressure');

    clock = new Date(clock.getTime() + 2 * 60_000);
    await cluster.refresh();
    const evicted = (await core.listPodForAllNamespaces({ fieldSelector: 'status.phase=Failed' })).items;
    expect(evicted.length).toBeGreaterThanOrEqual(1);
    expect(evicted[0]?.status?.reason).toBe('Evicted');
    expect(evicted[0]?.status?.message).toMatch(/^The node was low on resource: memory\./);

    clock = new Date(clock.getTime() + 5 * 60_000);
    await cluster.refresh();
    node = await core.readNode({ name: nodeName });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
    const nodeEvents = (
      await core.listEventForAllNamespaces({ fieldSelector: `involvedObject.name=${nodeName}` })
    ).items.map((e) => e.reason);
    expect(nodeEvents).toEqual(
      expect.arrayContaining(['NodeHasInsufficientMemory', 'EvictionThresholdMet', 'NodeNotReady']),
    );
  });

  it('latency_spike: readiness probe failures take pods out of the Service endpoints', async () => {
    await during('latency_spike', 'user-service', 2);
    const ep = await core.readNamespacedEndpoints({ namespace: 'production', name: 'user-service' });
    expect(ep.subsets?.[0]?.notReadyAddresses?.length).toBeGreaterThanOrEqual(1);
    const unhealthy = (await core.listNamespacedEvent({ namespace: 'production', fieldSelector: 'reason=Unhealthy' }))
      .items;
    expect(unhealthy[0]?.message).toMatch(
      /^Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8080\/healthz\/ready": context deadline exceeded/,
    );
  });

  it('cpu_spike: pod CPU usage in metrics.k8s.io rises and the api-gateway HPA wants more replicas', async () => {
    await during('cpu_spike', 'api-gateway', 2, 'critical');
    const hpa = await apiGatewayHpa();
    expect(hpa.status.desiredReplicas).toBeGreaterThan(hpa.status.currentReplicas);
    const usage = (await custom.listNamespacedCustomObject({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      namespace: 'production',
      plural: 'pods',
      labelSelector: 'app=api-gateway',
    })) as { items: Array<{ containers: Array<{ usage: { cpu: string } }> }> };
    const cpuMillis = usage.items.map((i) => Number(i.containers[0]?.usage.cpu.replace(/n$/, '')) / 1e6);
    expect(Math.min(...cpuMillis)).toBeGreaterThan(800);
  });

  it('error_spike: pods stay up, their current logs show the 503s', async () => {
    await during('error_spike', 'payment-service', 2);
    const pods = await appPods('payment-service');
    expect(pods.every((p) => p.status?.containerStatuses?.[0]?.ready)).toBe(true);
    const log = await core.readNamespacedPodLog({ namespace: 'production', name: pods[0]?.metadata?.name ?? '' });
    expect(log).toMatch(/ERROR POST .* 503/);
  });

  it('changes resourceVersion when the state changes, so a list paged across it gets 410', async () => {
    const first = await core.listPodForAllNamespaces({ limit: 5 });
    clock = new Date(clock.getTime() + 60_000);
    await cluster.refresh();
    await expect(
      core.listPodForAllNamespaces({ limit: 5, _continue: first.metadata?._continue }),
    ).rejects.toMatchObject({ code: 410 });
  });
});

describe('resolving', () => {
  it('takes the incident out of the cluster at once, not at the next minute', async () => {
    await during('pod_crash', 'api-gateway', 3);
    const crashing = async () =>
      (await appPods('api-gateway')).filter((p) => !p.status?.containerStatuses?.[0]?.ready).length;
    expect(await crashing()).toBeGreaterThan(0);
    const [active] = (await store.list({ status: 'active', now: clock })).items;
    await store.resolve(active!.id, clock);
    clock = new Date(clock.getTime() + 1000); // same minute
    await cluster.refresh();
    expect(await crashing()).toBe(0);
  });
});

describe('freshness', () => {
  it('a request made right after an incident is written sees it, with no refresh in between', async () => {
    for (const i of (await store.list({ limit: 100 })).items) await store.resolve(i.id, new Date(0));
    const start = new Date(T0.getTime() + 86_400_000 * 40);
    clock = new Date(start.getTime() + 3 * 60_000);
    const waitingReasons = async () =>
      (await appPods('notification-service')).map((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason);
    // This request re-reads the (empty) incident list; the next one follows at once, as kubectl does after a POST.
    expect(await waitingReasons()).not.toContain('CreateContainerConfigError');
    await store.create({
      type: 'config_error',
      service: 'notification-service',
      severity: 'high',
      durationMinutes: 60,
      description: 'config_error',
      startedAt: start,
    });
    expect(await waitingReasons()).toContain('CreateContainerConfigError');
  });
});
