// The simulated AKS cluster at one minute: a seeded healthy baseline (two node pools, the four services as
// Deployments, kube-system add-ons), usage from the metrics model, then every active incident's effect.
import { computeMetricsAt, MINUTE_MS } from '../metricsModel.js';
import { incidentEndMs, SEVERITY_FACTOR, type Incident } from '../incidents/incident.js';
import { INCIDENT_KINDS } from '../incidents/registry.js';
import { SERVICE_NAMES, SERVICES } from '../services.js';
import {
  APP_NAMESPACE,
  type ClusterModel,
  type DeploymentModel,
  type NodeModel,
  type PodModel,
} from './clusterModel.js';
import { asUid, hashInts, hashString, kubeSuffix, templateHash } from './seededRandom.js';

export interface ClusterIdentity {
  seed: number;
  clusterName: string;
  clusterId: string;
}

const WEEK_MS = 7 * 24 * 3600_000;
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Cluster creation time: a few weeks back, stable for a week at a time (ages stay plausible, never negative). */
export function clusterCreatedMs(nowMs: number): number {
  return Math.floor(nowMs / WEEK_MS) * WEEK_MS - 3 * WEEK_MS;
}

export function nodeResourceGroupOf(clusterId: string, clusterName: string, region = 'eastus'): string {
  const rg = /\/resourceGroups\/([^/]+)/i.exec(clusterId)?.[1] ?? 'rg-aiops-sim';
  return `MC_${rg}_${clusterName}_${region}`;
}

export function nodePoolSuffix(seed: number, clusterName: string): string {
  return String(10000000 + (hashInts(seed, hashString(clusterName)) % 89999999));
}

function buildNodes(id: ClusterIdentity, createdMs: number): NodeModel[] {
  const suffix = nodePoolSuffix(id.seed, id.clusterName);
  const pools: Array<{ pool: string; mode: 'system' | 'user'; count: number }> = [
    { pool: 'nodepool1', mode: 'system', count: 2 },
    { pool: 'userpool', mode: 'user', count: 3 },
  ];
  const nodes: NodeModel[] = [];
  pools.forEach(({ pool, mode, count }, p) => {
    for (let i = 0; i < count; i++) {
      const name = `aks-${pool}-${suffix}-vmss${String(i).padStart(6, '0')}`;
      nodes.push({
        name,
        pool,
        mode,
        index: i,
        uid: asUid(`${templateHash(id.seed, 21, p, i)}-node`),
        createdAtMs: createdMs + p * 3600_000,
        internalIP: `10.224.0.${4 + p * 10 + i}`,
        memoryPressure: undefined,
        ready: {
          status: 'True',
          sinceMs: createdMs + p * 3600_000 + 60_000,
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
        unschedulable: false,
        taints: mode === 'system' ? [{ key: 'CriticalAddonsOnly', effect: 'NoSchedule' }] : [],
        usage: { cpuMillis: 0, memoryBytes: mode === 'system' ? 3.1 * GIB : 2.2 * GIB },
      });
    }
  });
  return nodes;
}

function appPods(id: ClusterIdentity, nodes: NodeModel[], deployments: DeploymentModel[]): PodModel[] {
  const userNodes = nodes.filter((n) => n.mode === 'user');
  const pods: PodModel[] = [];
  for (const d of deployments) {
    const rs = d.replicaSets[d.replicaSets.length - 1]!;
    const p = SERVICES[d.service];
    for (let k = 0; k < d.replicas; k++) {
      const name = `${rs.name}-${kubeSuffix(5, id.seed, hashString(d.service), k)}`;
      const node = userNodes[(hashString(d.service) + k) % userNodes.length]!;
      pods.push({
        name,
        namespace: APP_NAMESPACE,
        uid: asUid(`${templateHash(id.seed, hashString(name))}-${k}`),
        labels: {
          app: d.service,
          'app.kubernetes.io/name': d.service,
          'app.kubernetes.io/part-of': 'aiops-shop',
          'pod-template-hash': rs.hash,
        },
        service: d.service,
        owner: { kind: 'ReplicaSet', name: rs.name, uid: rs.uid },
        nodeName: node.name,
        createdAtMs: rs.createdAtMs + 20_000 + k * 7000,
        containerName: d.service,
        image: rs.image,
        phase: 'Running',
        ready: true,
        state: { kind: 'running', startedAtMs: rs.createdAtMs + 35_000 + k * 7000 },
        restartCount: 0,
        podIP: `10.244.${2 + userNodes.indexOf(node)}.${(hashString(name) % 200) + 20}`,
        hostIP: node.internalIP,
        requests: { cpu: p.cpuRequest, memory: p.memoryRequest },
        limits: { memory: p.memoryLimit },
        port: p.port,
        probes: true,
        envFromSecret: d.service === 'payment-service' ? 'payment-service-db' : undefined,
        configMap: `${d.service}-config`,
        usage: { cpuMillis: 0, memoryBytes: 0 },
        logs: {
          current: [
            `${new Date(rs.createdAtMs + 36_000).toISOString()} INFO ${d.service} ${rs.image.split(':')[1]} listening on :${p.port}`,
            `${new Date(rs.createdAtMs + 37_000).toISOString()} INFO connected to dependencies`,
            '',
          ].join('\n'),
        },
      });
    }
  }
  return pods;
}

function buildDeployments(id: ClusterIdentity, createdMs: number): DeploymentModel[] {
  return SERVICE_NAMES.map((service, s) => {
    const p = SERVICES[service];
    const hash = templateHash(id.seed, hashString(service), 3);
    const deployedMs = createdMs + 2 * 24 * 3600_000 + s * 600_000;
    return {
      service,
      name: service,
      namespace: APP_NAMESPACE,
      uid: asUid(`${templateHash(id.seed, 31, s)}-deploy`),
      replicas: p.replicas,
      createdAtMs: createdMs + 3600_000,
      replicaSets: [
        {
          name: `${service}-${templateHash(id.seed, hashString(service), 2)}`,
          uid: asUid(`${templateHash(id.seed, 32, s)}-rs2`),
          hash: templateHash(id.seed, hashString(service), 2),
          revision: 2,
          image: p.image.replace(/:(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string) => `:${a}.${b}.0`),
          replicas: 0,
          createdAtMs: createdMs + 3600_000,
          envFromSecret: service === 'payment-service' ? 'payment-service-db' : undefined,
        },
        {
          name: `${service}-${hash}`,
          uid: asUid(`${templateHash(id.seed, 33, s)}-rs3`),
          hash,
          revision: 3,
          image: p.image,
          replicas: p.replicas,
          createdAtMs: deployedMs,
          envFromSecret: service === 'payment-service' ? 'payment-service-db' : undefined,
        },
      ],
    };
  });
}

/** kube-system add-ons of an AKS cluster (Deployments' pods on the system pool, DaemonSets on every node). */
function systemPods(id: ClusterIdentity, createdMs: number, nodes: NodeModel[]): PodModel[] {
  const pods: PodModel[] = [];
  const systemNodes = nodes.filter((n) => n.mode === 'system');
  const mk = (
    app: string,
    owner: PodModel['owner'],
    name: string,
    node: NodeModel,
    image: string,
    req: { cpu: string; memory: string },
    limitMem: string,
    usage: [number, number],
  ): PodModel => ({
    name,
    namespace: 'kube-system',
    uid: asUid(`${templateHash(id.seed, hashString(name))}-sys`),
    labels:
      app === 'coredns'
        ? { 'k8s-app': 'kube-dns', 'kubernetes.azure.com/managedby': 'aks' }
        : { 'k8s-app': app, 'kubernetes.azure.com/managedby': 'aks' },
    owner,
    nodeName: node.name,
    createdAtMs: createdMs + 120_000,
    containerName: app,
    image,
    phase: 'Running',
    ready: true,
    state: { kind: 'running', startedAtMs: createdMs + 150_000 },
    restartCount: 0,
    podIP:
      owner.kind === 'DaemonSet' ? node.internalIP : `10.244.${nodes.indexOf(node)}.${(hashString(name) % 200) + 20}`,
    hostIP: node.internalIP,
    requests: req,
    limits: { memory: limitMem },
    probes: app === 'coredns' || app === 'metrics-server',
    priorityClassName: owner.kind === 'DaemonSet' ? 'system-node-critical' : 'system-cluster-critical',
    usage: { cpuMillis: usage[0], memoryBytes: usage[1] },
    logs: { current: `${new Date(createdMs + 150_000).toISOString()} I0000 ${app} started\n` },
  });
  const deployments: Array<[string, number, string, { cpu: string; memory: string }, string, [number, number]]> = [
    [
      'coredns',
      2,
      'mcr.microsoft.com/oss/v2/kubernetes/coredns:v1.11.3-2',
      { cpu: '100m', memory: '70Mi' },
      '500Mi',
      [4, 28 * MIB],
    ],
    [
      'metrics-server',
      2,
      'mcr.microsoft.com/oss/v2/kubernetes/metrics-server:v0.7.2-1',
      { cpu: '150m', memory: '100Mi' },
      '400Mi',
      [6, 41 * MIB],
    ],
    [
      'konnectivity-agent',
      2,
      'mcr.microsoft.com/oss/kubernetes/apiserver-network-proxy/agent:v0.30.3-hotfix.20240819',
      { cpu: '20m', memory: '20Mi' },
      '1Gi',
      [3, 19 * MIB],
    ],
  ];
  deployments.forEach(([app, replicas, image, req, lim, usage], d) => {
    const hash = templateHash(id.seed, 40, d);
    for (let k = 0; k < replicas; k++) {
      const node = systemNodes[k % systemNodes.length]!;
      pods.push(
        mk(
          app,
          { kind: 'ReplicaSet', name: `${app}-${hash}`, uid: asUid(`${hash}-rs`) },
          `${app}-${hash}-${kubeSuffix(5, id.seed, 41, d, k)}`,
          node,
          image,
          req,
          lim,
          usage,
        ),
      );
    }
  });
  const daemonSets: Array<[string, string, { cpu: string; memory: string }, string, [number, number]]> = [
    [
      'kube-proxy',
      'mcr.microsoft.com/oss/kubernetes/kube-proxy:v1.30.6',
      { cpu: '100m', memory: '64Mi' },
      '256Mi',
      [2, 22 * MIB],
    ],
    [
      'cloud-node-manager',
      'mcr.microsoft.com/oss/kubernetes/azure-cloud-node-manager:v1.30.7',
      { cpu: '50m', memory: '50Mi' },
      '512Mi',
      [1, 15 * MIB],
    ],
    [
      'csi-azuredisk-node',
      'mcr.microsoft.com/oss/kubernetes-csi/azuredisk-csi:v1.30.5',
      { cpu: '10m', memory: '20Mi' },
      '3Gi',
      [1, 30 * MIB],
    ],
    [
      'azure-ip-masq-agent',
      'mcr.microsoft.com/aks/ip-masq-agent-v2:v0.1.13',
      { cpu: '100m', memory: '50Mi' },
      '250Mi',
      [1, 9 * MIB],
    ],
  ];
  daemonSets.forEach(([app, image, req, lim, usage], d) => {
    nodes.forEach((node, k) => {
      pods.push(
        mk(
          app,
          { kind: 'DaemonSet', name: app, uid: asUid(`${templateHash(id.seed, 42, d)}-ds`) },
          `${app}-${kubeSuffix(5, id.seed, 43, d, k)}`,
          node,
          image,
          req,
          lim,
          usage,
        ),
      );
    });
  });
  return pods;
}

/** Bytes of a Kubernetes memory quantity like 512Mi or 1Gi. */
export function memoryBytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi)?$/.exec(quantity);
  if (!m) return 0;
  const unit = m[2] === 'Gi' ? GIB : m[2] === 'Mi' ? MIB : m[2] === 'Ki' ? 1024 : 1;
  return Number(m[1]) * unit;
}

/** The cluster at `nowMs`, with the incidents active at that minute applied. */
export function buildClusterModel(id: ClusterIdentity, nowMs: number, incidents: readonly Incident[]): ClusterModel {
  const minute = Math.floor(nowMs / MINUTE_MS);
  const createdMs = clusterCreatedMs(nowMs);
  const nodes = buildNodes(id, createdMs);
  const deployments = buildDeployments(id, createdMs);
  const pods = [...systemPods(id, createdMs, nodes), ...appPods(id, nodes, deployments)];
  // Active at this instant (not the minute's start): a resolved incident leaves the cluster at once.
  const active = incidents.filter((i) => Date.parse(i.startedAt) <= nowMs && nowMs < incidentEndMs(i));
  const metrics = computeMetricsAt(id.seed, minute, active);

  // Usage from the metrics model: CPU % of one core per pod, memory % of the container limit.
  for (const pod of pods) {
    if (!pod.service) continue;
    const m = metrics[pod.service];
    const jitter = 0.95 + 0.1 * ((hashString(pod.name) % 100) / 100);
    pod.usage = {
      cpuMillis: Math.round(m.cpu_usage_percent * 10 * jitter),
      memoryBytes: Math.round((m.memory_usage_percent / 100) * memoryBytes(pod.limits.memory) * jitter),
    };
  }
  const gateway = metrics['api-gateway'];
  const cluster: ClusterModel = {
    seed: id.seed,
    clusterName: id.clusterName,
    clusterId: id.clusterId,
    nodeResourceGroup: nodeResourceGroupOf(id.clusterId, id.clusterName),
    nowMs,
    minute,
    nodes,
    pods,
    deployments,
    events: [],
    hpa: {
      currentCpuUtilization: Math.round((gateway.cpu_usage_percent * 1000) / 250),
      desiredReplicas: SERVICES['api-gateway'].replicas,
      currentReplicas: SERVICES['api-gateway'].replicas,
    },
    secrets: [
      { namespace: APP_NAMESPACE, name: 'payment-service-db', type: 'Opaque', keys: ['DB_HOST', 'DB_PASSWORD'] },
      {
        namespace: APP_NAMESPACE,
        name: 'acr-pull',
        type: 'kubernetes.io/dockerconfigjson',
        keys: ['.dockerconfigjson'],
      },
      { namespace: APP_NAMESPACE, name: 'shop-tls', type: 'kubernetes.io/tls', keys: ['tls.crt', 'tls.key'] },
      {
        namespace: 'kube-system',
        name: 'konnectivity-certs',
        type: 'Opaque',
        keys: ['ca.crt', 'client.crt', 'client.key'],
      },
    ],
  };
  for (const incident of active) {
    const elapsed = minute - Math.floor(Date.parse(incident.startedAt) / MINUTE_MS);
    INCIDENT_KINDS[incident.type].applyCluster(cluster, {
      incident,
      service: incident.service,
      elapsed,
      factor: SEVERITY_FACTOR[incident.severity],
      seed: id.seed,
    });
  }
  for (const node of nodes) {
    node.usage.cpuMillis +=
      pods.filter((p) => p.nodeName === node.name && p.phase === 'Running').reduce((n, p) => n + p.usage.cpuMillis, 0) +
      180;
    node.usage.memoryBytes += pods
      .filter((p) => p.nodeName === node.name && p.phase === 'Running')
      .reduce((n, p) => n + p.usage.memoryBytes, 0);
  }
  return cluster;
}
