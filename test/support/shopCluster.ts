// The shop cluster a sweep test runs against: one Deployment of three pods (one crash-looping while the incident is
// on), served by the simulated Kubernetes API behind the local ARM and managed-identity stand-ins, and a results sink
// that collects rows. Shared by the sweep's integration test (Table storage in Azurite) and its unit test (in-memory
// repository).
import type { LocalTls } from '../../dev/tls.js';
import type { LocalAzure } from '../../dev/standins/localAzure.js';
import {
  createStaticKubeSource,
  type KubeApiServer,
  type KubeObjectSource,
} from '../../shared/simulator/kubeApi/kubeApiServer.js';
import { startKubeBehindArm } from './kubeBehindArm.js';
import { clearLocalIdentity, useLocalIdentity as pointAtLocalIdentity } from './localIdentity.js';
import type { ResultRow, ResultTable, ResultsSink } from '../../shared/results/resultsSink.js';

export const CLUSTER =
  '/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop';

export function objects(incident: boolean): Record<string, unknown>[] {
  const labels = { app: 'web' };
  const container = {
    name: 'web',
    image: 'shop/web:1.4.2',
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    securityContext: { runAsNonRoot: true, runAsUser: 1000 },
  };
  const pod = (i: number) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-6d4cf56db6-p${i}`,
      namespace: 'shop',
      labels,
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-6d4cf56db6', controller: true }],
    },
    spec: { nodeName: 'aks-system-1', containers: [container] },
    status: {
      phase: 'Running',
      containerStatuses: [
        incident && i === 0
          ? {
              name: 'web',
              ready: false,
              restartCount: 6,
              state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } },
              lastState: { terminated: { reason: 'Error', exitCode: 1 } },
            }
          : { name: 'web', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-01T00:00:00Z' } } },
      ],
    },
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'aks-system-1' },
      status: { conditions: [{ type: 'Ready', status: 'True' }] },
    },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [container] } },
      },
      status: { replicas: 3, readyReplicas: incident ? 2 : 3, availableReplicas: incident ? 2 : 3 },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
      status: { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: labels, ports: [{ port: 80 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'shop' },
      subsets: [{ addresses: [{ ip: '10.244.0.10' }, { ip: '10.244.0.11' }] }],
    },
    ...[0, 1, 2].map(pod),
  ];
}

export class CollectingSink implements ResultsSink {
  rows: { table: ResultTable; row: ResultRow }[] = [];
  async upload(table: ResultTable, rows: ResultRow[]) {
    for (const row of rows) this.rows.push({ table, row });
    return { uploaded: rows.length, spooled: 0 };
  }
}

export interface ShopStandins {
  kube: KubeApiServer;
  local: LocalAzure;
  /** Starts or ends the crash-loop incident (a new revision of the cluster's objects). */
  setIncident(on: boolean): void;
  /** Pods list answers 403 (RBAC) while set. */
  forbidPods: boolean;
  /** Pods list answers 429 with Retry-After 30 s while set. */
  throttlePods: boolean;
  close(): Promise<void>;
}

export async function startShopStandins(tls: LocalTls, dataDir: string): Promise<ShopStandins> {
  let current: KubeObjectSource = createStaticKubeSource(objects(false));
  let revision = 1;
  const flags = { forbidPods: false, throttlePods: false };
  const standins = await startKubeBehindArm({
    tls,
    dataDir,
    clusters: [
      { id: CLUSTER, location: 'westeurope', kubernetesVersion: '1.32.5', properties: { sku: { tier: 'Standard' } } },
    ],
    kube: {
      source: { list: (r, ns) => current.list(r, ns), revision: () => String(revision) },
      interceptor: (req) => {
        if (req.path === '/api/v1/pods' && flags.forbidPods)
          return { status: 403, body: { kind: 'Status', code: 403, reason: 'Forbidden' } };
        if (req.path === '/api/v1/pods' && flags.throttlePods)
          return { status: 429, headers: { 'Retry-After': '30' }, body: { kind: 'Status', code: 429 } };
        return undefined;
      },
    },
  });
  return Object.assign(flags, {
    kube: standins.kube,
    local: standins.local,
    setIncident(on: boolean) {
      current = createStaticKubeSource(objects(on));
      revision++;
    },
    close: () => standins.close(),
  });
}

/**
 * Points the managed identity credential at the local token endpoint (App Service's IDENTITY_ENDPOINT and
 * IDENTITY_HEADER); returns what undoes it.
 */
export function useLocalIdentity(local: LocalAzure): () => void {
  pointAtLocalIdentity(local);
  return clearLocalIdentity;
}
