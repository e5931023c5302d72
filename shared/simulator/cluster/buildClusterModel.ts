// The simulated AKS cluster at one minute: a seeded healthy baseline (two node pools, the four services as
// Deployments, kube-system add-ons), usage from the metrics model, then every active incident's effect.
import { computeMetricsAt, MINUTE_MS } from '../metricsModel.js';
import { incidentEndMs, type Incident } from '../incidents/incident.js';
import { incidentContextAt } from '../incidents/incidentKind.js';
import { INCIDENT_KINDS } from '../incidents/registry.js';
import { SERVICE_NAMES, SERVICES } from '../services.js';
import {
  APP_NAMESPACE,
  type ClusterModel,
  type DeploymentModel,
  type NodeModel,
  type PodModel,
} from './clusterModel.js';
import { asUid, hashString, kubeSuffix, templateHash } from './seededRandom.js';
import {
  defaultClusterSpec,
  defaultCreatedMs,
  initialNodes,
  nodePoolSuffix,
  type SimNode,
  type SimulatedAksCluster,
} from '../aks/aksCluster.js';
import { nodeAllocatable, nodeCapacity, vmSizeOf } from '../aks/vmSizes.js';

export interface ClusterIdentity {
  seed: number;
  clusterName: string;
  clusterId: string;
  /**
   * The live AKS cluster whose agent pools this Kubernetes view renders (what the ARM stand-in serves and scales).
   * Without one, the default cluster spec as created (defaultClusterSpec), which is what alerts and benches need.
   */
  aks?: SimulatedAksCluster;
}

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

/** Cluster creation time: a few weeks back, stable for a week at a time (ages stay plausible, never negative). */
export function clusterCreatedMs(nowMs: number): number {
  return defaultCreatedMs(nowMs);
}

export function nodeResourceGroupOf(clusterId: string, clusterName: string, region = 'eastus'): string {
  const rg = /\/resourceGroups\/([^/]+)/i.exec(clusterId)?.[1] ?? 'rg-aiops-sim';
  return `MC_${rg}_${clusterName}_${region}`;
}

export { nodePoolSuffix };

/** The Kubernetes Node of each VMSS instance: readiness, cordon and taints follow the instance's lifecycle. */
function buildNodes(simNodes: SimNode[], nowMs: number): NodeModel[] {
  return simNodes.map((n, i) => {
    const mode = n.mode === 'System' ? 'system' : 'user';
    const ready = n.readyAtMs !== undefined && n.readyAtMs <= nowMs;
    const cordoned = n.cordonedAtMs !== undefined && n.cordonedAtMs <= nowMs;
    const size = vmSizeOf(n.vmSize);
    return {
      name: n.name,
      pool: n.pool,
      mode,
      index: i,
      instance: n.instance,
      vmSize: n.vmSize,
      zone: n.zone,
      nodeImageVersion: n.nodeImageVersion,
      kubeletVersion: `v${n.orchestratorVersion}`,
      capacity: nodeCapacity(size),
      allocatable: nodeAllocatable(size),
      uid: asUid(`${templateHash(hashString(n.name), 21, n.instance)}-node`),
      createdAtMs: n.createdAtMs,
      internalIP: `10.224.${Math.floor(i / 200)}.${4 + (i % 200)}`,
      memoryPressure: undefined,
      // A new instance's kubelet registers before the CNI is up: NotReady with the runtime's reason, then Ready.
      ready: ready
        ? {
            status: 'True',
            sinceMs: n.readyAtMs ?? n.createdAtMs,
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
          }
        : {
            status: 'False',
            sinceMs: n.createdAtMs,
            reason: 'KubeletNotReady',
            message:
              'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
          },
      unschedulable: cordoned,
      taints: [
        ...(mode === 'system' ? [{ key: 'CriticalAddonsOnly', effect: 'NoSchedule' as const }] : []),
        // The node lifecycle controller and kubectl cordon add these (k8s.io/api/core/v1 well_known_taints.go).
        ...(!ready ? [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' as const }] : []),
        ...(cordoned
          ? [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' as const, timeAddedMs: n.cordonedAtMs }]
          : []),
      ],
      usage: { cpuMillis: 0, memoryBytes: !ready ? 0.6 * GIB : mode === 'system' ? 3.1 * GIB : 2.2 * GIB },
    };
  });
}

function cpuMillis(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Number(quantity) * 1000;
}

/**
 * Where each pod runs: on its original node while that node exists and is not drained (Kubernetes never moves a
 * running pod), else the scheduler's choice among Ready, schedulable nodes whose taints it tolerates and whose
 * allocatable still fits its requests (the least requested first), else Pending with kube-scheduler's message.
 */
function placePods(
  pods: PodModel[],
  nodes: NodeModel[],
  homes: Map<PodModel, string>,
  simNodes: SimNode[],
  nowMs: number,
): void {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const drainedAt = new Map(
    simNodes.filter((n) => n.drainedAtMs !== undefined && n.drainedAtMs <= nowMs).map((n) => [n.name, n.drainedAtMs!]),
  );
  const requested = new Map(nodes.map((n) => [n.name, { cpu: 0, mem: 0 }]));
  const add = (node: string, pod: PodModel) => {
    const r = requested.get(node)!;
    r.cpu += cpuMillis(pod.requests.cpu);
    r.mem += memoryBytes(pod.requests.memory);
  };
  const moved: Array<{ pod: PodModel; sinceMs: number }> = [];
  for (const pod of pods) {
    const home = homes.get(pod) ?? pod.nodeName;
    const node = home !== undefined ? byName.get(home) : undefined;
    if (node && (pod.owner.kind === 'DaemonSet' || !drainedAt.has(node.name))) {
      pod.nodeName = node.name;
      pod.hostIP = node.internalIP;
      add(node.name, pod);
    } else {
      moved.push({ pod, sinceMs: (home !== undefined ? drainedAt.get(home) : undefined) ?? nowMs });
    }
  }
  for (const { pod, sinceMs } of moved) {
    const critical = pod.namespace === 'kube-system';
    const reasons = new Map<string, number>();
    const count = (why: string) => reasons.set(why, (reasons.get(why) ?? 0) + 1);
    const fits = nodes.filter((n) => {
      if (n.ready.status !== 'True')
        return (count('node(s) had untolerated taint {node.kubernetes.io/not-ready: }'), false);
      if (n.unschedulable) return (count('node(s) were unschedulable'), false);
      if (n.mode === 'system' && !critical)
        return (count('node(s) had untolerated taint {CriticalAddonsOnly: true}'), false);
      const r = requested.get(n.name)!;
      if (r.cpu + cpuMillis(pod.requests.cpu) > (n.allocatable?.cpuMillis ?? Infinity))
        return (count('Insufficient cpu'), false);
      if (r.mem + memoryBytes(pod.requests.memory) > (n.allocatable?.memoryKi ?? Infinity) * 1024)
        return (count('Insufficient memory'), false);
      return true;
    });
    // The replacement is a new pod of the same ReplicaSet: new name, created when the eviction happened.
    pod.name = `${pod.name.slice(0, pod.name.lastIndexOf('-'))}-${kubeSuffix(5, hashString(pod.name), sinceMs % 1_000_003)}`;
    pod.uid = asUid(`${templateHash(hashString(pod.name), sinceMs % 1_000_003)}-re`);
    pod.createdAtMs = sinceMs;
    pod.restartCount = 0;
    const target = fits.sort((a, b) => requested.get(a.name)!.cpu - requested.get(b.name)!.cpu)[0];
    if (target) {
      pod.nodeName = target.name;
      pod.hostIP = target.internalIP;
      pod.state = { kind: 'running', startedAtMs: sinceMs + 8_000 };
      add(target.name, pod);
      continue;
    }
    const total = nodes.length;
    const clauses = [...reasons.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([why, n]) => `${n} ${why}`)
      .join(', ');
    pod.nodeName = undefined;
    pod.hostIP = undefined;
    pod.podIP = undefined;
    pod.phase = 'Pending';
    pod.ready = false;
    pod.state = { kind: 'waiting', reason: 'ContainerCreating' };
    // kube-scheduler's FailedScheduling text (pkg/scheduler/framework/types.go FitError.Error).
    pod.unschedulable =
      total === 0
        ? 'no nodes available to schedule pods'
        : `0/${total} nodes are available: ${clauses}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
  }
}

function appPods(id: ClusterIdentity, homes: SimNode[], deployments: DeploymentModel[]): PodModel[] {
  const userNodes = homes.filter((n) => n.mode === 'User');
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
function systemPods(id: ClusterIdentity, createdMs: number, nodes: NodeModel[], homes: SimNode[]): PodModel[] {
  const pods: PodModel[] = [];
  const systemNodes = homes.filter((n) => n.mode === 'System');
  const mk = (
    app: string,
    owner: PodModel['owner'],
    name: string,
    node: { name: string; internalIP?: string },
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
    createdAtMs: Math.max(createdMs + 120_000, 'createdAtMs' in node ? Number(node.createdAtMs) + 20_000 : 0),
    containerName: app,
    image,
    phase: 'Running',
    ready: true,
    state: { kind: 'running', startedAtMs: createdMs + 150_000 },
    restartCount: 0,
    podIP:
      owner.kind === 'DaemonSet'
        ? node.internalIP
        : `10.244.${systemNodes.findIndex((n) => n.name === node.name)}.${(hashString(name) % 200) + 20}`,
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
    nodes.forEach((node) => {
      pods.push(
        mk(
          app,
          { kind: 'DaemonSet', name: app, uid: asUid(`${templateHash(id.seed, 42, d)}-ds`) },
          `${app}-${kubeSuffix(5, id.seed, 43, d, hashString(node.name))}`,
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
  const createdMs = id.aks?.createdAtMs ?? clusterCreatedMs(nowMs);
  const simNodes = id.aks ? id.aks.nodes() : initialNodes(defaultClusterSpec(id.clusterId), id.seed, createdMs);
  const homes = id.aks ? id.aks.homeNodes() : simNodes;
  const nodes = buildNodes(simNodes, nowMs);
  const deployments = buildDeployments(id, createdMs);
  const pods = [...systemPods(id, createdMs, nodes, homes), ...appPods(id, homes, deployments)];
  placePods(pods, nodes, new Map(), simNodes, nowMs);
  // DaemonSet pods on a node whose kubelet is not Ready yet are still being created.
  for (const pod of pods) {
    const node = nodes.find((n) => n.name === pod.nodeName);
    if (pod.owner.kind === 'DaemonSet' && node && node.ready.status !== 'True') {
      pod.phase = 'Pending';
      pod.ready = false;
      pod.state = { kind: 'waiting', reason: 'ContainerCreating' };
      pod.podIP = undefined;
    }
  }
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
    createdAtMs: createdMs,
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
    INCIDENT_KINDS[incident.type].applyCluster(cluster, incidentContextAt(incident, minute, id.seed));
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
