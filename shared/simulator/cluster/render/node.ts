// A simulated AKS node in its wire shape: the labels AKS puts on a VMSS node, conditions as the kubelet posts them
// (k8s.io/api/core/v1 NodeCondition; "Kubelet stopped posting node status." is the node lifecycle controller's
// message once heartbeats stop) and nodeInfo of the AKS Ubuntu image.
import type { ClusterModel, NodeModel } from '../clusterModel.js';
import { templateHash } from '../seededRandom.js';
import { iso, meta, type Obj } from './wire.js';

interface NodePlacement {
  vmSize: string;
  region: string;
  zone: string;
}

function placement(node: NodeModel): NodePlacement {
  const region = /^(.*)-\d+$/.exec(node.zone ?? '')?.[1] ?? 'eastus';
  return {
    vmSize: node.vmSize ?? 'Standard_D4ds_v5',
    region,
    zone: node.zone ?? `${region}-${(node.index % 3) + 1}`,
  };
}

function nodeLabels(node: NodeModel, cluster: ClusterModel, { vmSize, region, zone }: NodePlacement): Obj {
  return {
    agentpool: node.pool,
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/instance-type': vmSize,
    'beta.kubernetes.io/os': 'linux',
    'failure-domain.beta.kubernetes.io/region': region,
    'failure-domain.beta.kubernetes.io/zone': zone,
    'kubernetes.azure.com/agentpool': node.pool,
    'kubernetes.azure.com/cluster': cluster.nodeResourceGroup,
    'kubernetes.azure.com/consolidated-additional-properties': templateHash(cluster.seed, 7),
    'kubernetes.azure.com/kubelet-identity-client-id': '5b7a8f3e-2c1d-4e6f-9a0b-7c8d9e0f1a2b',
    'kubernetes.azure.com/mode': node.mode,
    'kubernetes.azure.com/node-image-version': node.nodeImageVersion ?? 'AKSUbuntu-2204gen2containerd-202410.27.0',
    'kubernetes.azure.com/nodepool-type': 'VirtualMachineScaleSets',
    'kubernetes.azure.com/os-sku': 'Ubuntu',
    'kubernetes.azure.com/role': 'agent',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': node.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': vmSize,
    'topology.disk.csi.azure.com/zone': zone === '0' ? '' : zone,
    'topology.kubernetes.io/region': region,
    'topology.kubernetes.io/zone': zone,
  };
}

function nodeConditions(node: NodeModel, cluster: ClusterModel): Obj[] {
  const cond = (type: string, status: string, reason: string, message: string, sinceMs: number) => ({
    type,
    status,
    lastHeartbeatTime: iso(node.ready.status === 'True' ? cluster.nowMs - 20_000 : node.ready.sinceMs - 40_000),
    lastTransitionTime: iso(sinceMs),
    reason,
    message,
  });
  const settled = node.createdAtMs + 60_000;
  // Once the kubelet stops reporting, the controller sets every pressure condition to Unknown with one reason.
  const pressure = (type: string, reason: string, message: string) =>
    node.ready.status === 'Unknown'
      ? cond(type, 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', node.ready.sinceMs)
      : cond(type, 'False', reason, message, settled);
  return [
    node.memoryPressure && node.ready.status !== 'Unknown'
      ? cond(
          'MemoryPressure',
          'True',
          'KubeletHasInsufficientMemory',
          'kubelet has insufficient memory available',
          node.memoryPressure.sinceMs,
        )
      : pressure('MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    pressure('DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    pressure('PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    cond('Ready', node.ready.status, node.ready.reason, node.ready.message, node.ready.sinceMs),
  ];
}

function nodeResources(cpuMillis: number, memoryKi: number, ephemeralStorage: string): Obj {
  return {
    cpu: cpuMillis % 1000 === 0 ? String(cpuMillis / 1000) : `${cpuMillis}m`,
    'ephemeral-storage': ephemeralStorage,
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: `${memoryKi}Ki`,
    pods: '110',
  };
}

export function renderNode(node: NodeModel, cluster: ClusterModel, rv: string): Obj {
  const where = placement(node);
  const suffix = node.name.split('-')[2] ?? '';
  const instance = node.instance ?? node.index;
  const capacity = node.capacity ?? { cpuMillis: 4000, memoryKi: 16365460 };
  const allocatable = node.allocatable ?? { cpuMillis: 3860, memoryKi: 12880276 };
  const subscription = /subscriptions\/([^/]+)/.exec(cluster.clusterId)?.[1] ?? '00000000-0000-0000-0000-000000000000';
  const podCidr = `10.244.${cluster.nodes.indexOf(node)}.0/24`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(node.name, undefined, node.uid, node.createdAtMs, rv, {
      labels: nodeLabels(node, cluster, where),
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    }),
    spec: {
      podCIDR: podCidr,
      podCIDRs: [podCidr],
      providerID: `azure:///subscriptions/${subscription}/resourceGroups/${cluster.nodeResourceGroup.toLowerCase()}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-${node.pool}-${suffix}-vmss/virtualMachines/${instance}`,
      ...(node.unschedulable ? { unschedulable: true } : {}),
      ...(node.taints.length > 0
        ? {
            taints: node.taints.map((t) => ({
              key: t.key,
              effect: t.effect,
              ...(t.timeAddedMs ? { timeAdded: iso(t.timeAddedMs) } : {}),
            })),
          }
        : {}),
    },
    status: {
      capacity: nodeResources(capacity.cpuMillis, capacity.memoryKi, '129886128Ki'),
      allocatable: nodeResources(allocatable.cpuMillis, allocatable.memoryKi, '119703055367'),
      conditions: nodeConditions(node, cluster),
      addresses: [
        { type: 'InternalIP', address: node.internalIP },
        { type: 'Hostname', address: node.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: templateHash(cluster.seed, 60, node.index) + templateHash(cluster.seed, 61, node.index),
        systemUUID: `${templateHash(cluster.seed, 62, node.index).slice(0, 8)}-0000-4000-8000-000000000000`,
        bootID: `${templateHash(cluster.seed, 63, node.index).slice(0, 8)}-1111-4111-8111-111111111111`,
        kernelVersion: '5.15.0-1074-azure',
        osImage: 'Ubuntu 22.04.5 LTS',
        containerRuntimeVersion: 'containerd://1.7.22-1',
        kubeletVersion: node.kubeletVersion ?? 'v1.30.6',
        kubeProxyVersion: node.kubeletVersion ?? 'v1.30.6',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
