// Nodes of the simulated large cluster (largeCluster.ts), generated from their index: AKS VMSS names, agent-pool
// labels, and the Ready / MemoryPressure conditions of the seeded unhealthy share.
import { asUid } from './seededRandom.js';

export const CREATED = '2026-10-01T08:00:00Z';

/** What a node object is made from: the cluster's seed and naming, and which state node i is in. */
export interface LargeClusterNodes {
  seed: number;
  nodeSuffix: string;
  nodesPerPool: number;
  nodeName(i: number): string;
  nodeState(i: number): 'ready' | 'memory_pressure' | 'not_ready';
}

export function largeClusterNode(i: number, c: LargeClusterNodes): Record<string, unknown> {
  const { seed, nodeSuffix, nodesPerPool } = c;
  const state = c.nodeState(i);
  const name = c.nodeName(i);
  const pool = `pool${Math.floor(i / nodesPerPool) + 1}`;
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: CREATED,
    lastTransitionTime: CREATED,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: asUid(`node-${seed}-${i}`),
      resourceVersion: '1',
      creationTimestamp: CREATED,
      labels: {
        agentpool: pool,
        'kubernetes.azure.com/agentpool': pool,
        'kubernetes.azure.com/mode': i < nodesPerPool ? 'system' : 'user',
        'kubernetes.azure.com/role': 'agent',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node.kubernetes.io/instance-type': 'Standard_D8ds_v5',
        'topology.kubernetes.io/zone': `eastus-${(i % 3) + 1}`,
      },
    },
    spec: {
      providerID: `azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_rg_large_eastus/providers/Microsoft.Compute/virtualMachineScaleSets/aks-${pool}-${nodeSuffix}-vmss/virtualMachines/${i % nodesPerPool}`,
      ...(state === 'not_ready'
        ? { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: CREATED }] }
        : state === 'memory_pressure'
          ? { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule', timeAdded: CREATED }] }
          : {}),
    },
    status: {
      capacity: { cpu: '8', memory: '32863040Ki', pods: '110', 'ephemeral-storage': '304681132Ki' },
      allocatable: { cpu: '7820m', memory: '28362560Ki', pods: '110', 'ephemeral-storage': '280792441917' },
      conditions: [
        state === 'memory_pressure'
          ? cond('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available')
          : cond(
              'MemoryPressure',
              state === 'not_ready' ? 'Unknown' : 'False',
              state === 'not_ready' ? 'NodeStatusUnknown' : 'KubeletHasSufficientMemory',
              state === 'not_ready'
                ? 'Kubelet stopped posting node status.'
                : 'kubelet has sufficient memory available',
            ),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        state === 'not_ready'
          ? cond('Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.')
          : cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: `10.${224 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}` },
        { type: 'Hostname', address: name },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.30.6',
        kubeProxyVersion: 'v1.30.6',
        osImage: 'Ubuntu 22.04.5 LTS',
        kernelVersion: '5.15.0-1074-azure',
        containerRuntimeVersion: 'containerd://1.7.22-1',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
