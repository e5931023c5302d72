// A small cluster in trouble, served by the simulated Kubernetes API server: an OOM-looping checkout pod whose
// previous log prints a password, a healthy sibling, a pod Pending on a PVC with a missing StorageClass, a NotReady
// node, events, pod metrics and storage classes.
import { KubeConfig } from '@kubernetes/client-node';
import { parseCommonAlert } from '../../../shared/diagnostics/alertSchema.js';
import type { AlertQueueMessage } from '../../../shared/diagnostics/alertWorker.js';
import type { AppConfig } from '../../../shared/config/config.js';
import { createDiagnosticsRuntime, type DiagnosticsRuntime } from '../../../shared/diagnostics/diagnosticsRuntime.js';
import type { DiagnosesRepository } from '../../../shared/diagnostics/diagnosesRepository.js';
import type { ResultRow, ResultTable, ResultsSink } from '../../../shared/results/resultsSink.js';
import { ensureLocalTls } from '../../../dev/tls.js';
import {
  createStaticKubeSource,
  startKubeApiServer,
  type KubeApiServer,
  type KubeApiServerOptions,
} from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { commonAlert, newAlertId } from '../../support/commonAlerts.js';
import { replicaSetPodMetadata } from '../../support/kubeObjects.js';

export const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim';
export const OOM_POD = 'checkout-7d4b9c6f5-x2k8p';
export const PASSWORD = 'hunter2-very-secret';

/** The checkout Deployment's current ReplicaSet, owner of both checkout pods. */
const CHECKOUT = { namespace: 'shop', app: 'checkout', hash: '7d4b9c6f5', replicaSetUid: 'rs-1' };

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

export function scenarioObjects(): Array<Record<string, unknown>> {
  const ready = (status: string, reason: string, message: string) => ({
    type: 'Ready',
    status,
    reason,
    message,
    lastHeartbeatTime: minutesAgo(1),
    lastTransitionTime: minutesAgo(30),
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'aks-nodepool1-0' },
      status: {
        conditions: [ready('True', 'KubeletReady', 'kubelet is posting ready status')],
        allocatable: { cpu: '3860m', memory: '12858692Ki', pods: '110' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'aks-nodepool1-1' },
      spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
      status: {
        conditions: [
          {
            ...ready('Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'),
            lastHeartbeatTime: minutesAgo(20),
          },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'checkout-7d4b9c6f5', namespace: 'shop' },
      spec: { replicas: 2 },
      status: { replicas: 2, readyReplicas: 1 },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: replicaSetPodMetadata(OOM_POD, CHECKOUT, { uid: '7c1e4a52-93d2-4f7b-9a51-0d4b2f6c1e01' }),
      spec: {
        nodeName: 'aks-nodepool1-0',
        containers: [
          {
            name: 'checkout',
            image: 'acr.azurecr.io/shop/checkout:2.3.1',
            resources: { limits: { memory: '256Mi' }, requests: { memory: '128Mi' } },
          },
        ],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          {
            name: 'checkout',
            image: 'acr.azurecr.io/shop/checkout:2.3.1',
            imageID: '',
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: {
              terminated: { reason: 'OOMKilled', exitCode: 137, startedAt: minutesAgo(3), finishedAt: minutesAgo(2) },
            },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: replicaSetPodMetadata('checkout-7d4b9c6f5-h4j5k', CHECKOUT),
      spec: {
        nodeName: 'aks-nodepool1-0',
        containers: [{ name: 'checkout', image: 'acr.azurecr.io/shop/checkout:2.3.1' }],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          {
            name: 'checkout',
            image: 'acr.azurecr.io/shop/checkout:2.3.1',
            imageID: '',
            ready: true,
            restartCount: 0,
            state: { running: { startedAt: minutesAgo(60) } },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'redis-0',
        namespace: 'shop',
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'redis', uid: 'ss-1', controller: true }],
      },
      spec: {
        containers: [{ name: 'redis', image: 'redis:7' }],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-redis-0' } }],
      },
      status: {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message:
              '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-redis-0', namespace: 'shop' },
      spec: {
        storageClassName: 'fast-ssd',
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '8Gi' } },
      },
      status: { phase: 'Pending' },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'managed-csi' },
      provisioner: 'disk.csi.azure.com',
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'azurefile-csi' },
      provisioner: 'file.csi.azure.com',
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'checkout.1', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: OOM_POD, namespace: 'shop' },
      reason: 'BackOff',
      message: `Back-off restarting failed container checkout in pod ${OOM_POD}_shop(7c1e4a52-93d2-4f7b-9a51-0d4b2f6c1e01)`,
      type: 'Warning',
      count: 9,
      lastTimestamp: minutesAgo(1),
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'pvc.1', namespace: 'shop' },
      involvedObject: { kind: 'PersistentVolumeClaim', name: 'data-redis-0', namespace: 'shop' },
      reason: 'ProvisioningFailed',
      message: 'storageclass.storage.k8s.io "fast-ssd" not found',
      type: 'Warning',
      count: 31,
      lastTimestamp: minutesAgo(1),
    },
    {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: OOM_POD, namespace: 'shop' },
      timestamp: minutesAgo(0),
      window: '30s',
      containers: [{ name: 'checkout', usage: { cpu: '212m', memory: '251Mi' } }],
    },
  ];
}

export function scenarioLogs(): Record<string, string> {
  return {
    [`shop/${OOM_POD}/checkout/previous`]: [
      'INFO starting checkout 2.3.1',
      `INFO connecting with password=${PASSWORD} to db`,
      'INFO warming cache: 180000 items',
      'ERROR java.lang.OutOfMemoryError: Java heap space',
    ].join('\n'),
  };
}

export interface ScenarioCluster {
  server: KubeApiServer;
  kubeConfig(): KubeConfig;
  /** The app's diagnostics runtime over this cluster: what ARM would give it (the kubeconfig, the cluster id of the
   * alert's cluster name aks-sim) comes from the cluster directly. */
  runtime(config: AppConfig, deps: { sink: ResultsSink; store?: DiagnosesRepository }): DiagnosticsRuntime;
  close(): Promise<void>;
}

/** Serves the scenario to clients holding `token` (kubeConfig() carries it); an `authenticate` rule replaces that
 * check, and `beforeRequest` runs before every authenticated request (a test's hang switch). */
export async function startScenarioCluster(
  server: Pick<KubeApiServerOptions, 'token' | 'authenticate' | 'beforeRequest'> = {},
): Promise<ScenarioCluster> {
  const tls = await ensureLocalTls('.data');
  const token = server.token ?? 'diagnostics-test-token';
  const api = await startKubeApiServer({
    source: createStaticKubeSource(scenarioObjects(), { logs: scenarioLogs() }),
    tls,
    ...server,
    token,
  });
  const kubeConfig = () => {
    const kc = new KubeConfig();
    kc.loadFromString(api.kubeconfig({ token }));
    return kc;
  };
  return {
    server: api,
    kubeConfig,
    runtime: (config, deps) =>
      createDiagnosticsRuntime(config, {
        ...deps,
        kubeConfigProvider: async () => kubeConfig(),
        resolveCluster: async (name) => (name === 'aks-sim' ? CLUSTER_ID : undefined),
      }),
    close: () => api.close(),
  };
}

/** A common-schema Prometheus alert (KubePodCrashLooping on OOM_POD), as Azure Monitor posts it to the webhook. */
export function prometheusAlertBody(
  overrides: { alertId?: string; condition?: 'Fired' | 'Resolved'; firedAt?: string; resolvedAt?: string } = {},
): ReturnType<typeof commonAlert> {
  return commonAlert(
    {
      alertId: overrides.alertId ?? newAlertId('scenario'),
      alertRule: 'KubePodCrashLooping',
      severity: 'Sev3',
      monitorCondition: overrides.condition ?? 'Fired',
      monitoringService: 'Prometheus',
      alertTargetIDs: [
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-aiops-sim/providers/microsoft.monitor/accounts/amw-sim',
      ],
      configurationItems: ['aks-sim'],
      firedDateTime: overrides.firedAt ?? '2026-11-22T10:00:00.000Z',
      resolvedDateTime: overrides.resolvedAt,
    },
    {
      interval: 'PT1M',
      expression: 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1',
      expressionValue: '1',
      for: 'PT15M',
      labels: {
        alertname: 'KubePodCrashLooping',
        cluster: 'aks-sim',
        namespace: 'shop',
        pod: OOM_POD,
        container: 'checkout',
      },
      annotations: { summary: 'Pod is crash looping.' },
    },
  );
}

/** The same alert as the webhook enqueues it for the worker. */
export function prometheusAlert(overrides: Parameters<typeof prometheusAlertBody>[0] = {}): AlertQueueMessage {
  const alert = parseCommonAlert(JSON.stringify(prometheusAlertBody(overrides)), { maxBytes: 1 << 20 });
  return { id: 'ignored-by-worker', receivedAt: new Date().toISOString(), alert };
}

/** Records uploads (the sink is our own interface; its Log Analytics implementation is tested by its owner). */
export class RecordingSink implements ResultsSink {
  rows: ResultRow[] = [];
  async upload(_table: ResultTable, rows: ResultRow[]) {
    this.rows.push(...rows);
    return { uploaded: rows.length, spooled: 0 };
  }
}
