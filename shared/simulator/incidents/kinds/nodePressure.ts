import { addEvent, podsOf, type PodModel } from '../../cluster/clusterModel.js';
import { asUid } from '../../cluster/seededRandom.js';
import type { IncidentKind } from '../incidentKind.js';

/** Minute at which the kubelet starts evicting, and (high severity and above) at which the node goes NotReady. */
const EVICT_AT = 2;
const NOT_READY_AT = 6;

/**
 * A noisy neighbour exhausts the memory of the node hosting the service: MemoryPressure, evictions of the service's
 * pods there, and at high severity the kubelet stops reporting (NotReady).
 */
export const nodePressure: IncidentKind = {
  type: 'node_pressure',
  summary: 'The node hosting the service runs out of memory: MemoryPressure, evictions, and NotReady at high severity.',
  defaultDurationMinutes: 20,
  applyMetrics(f, { elapsed, factor }) {
    f.memory += 10 * factor;
    f.ownLatency *= 1 + 0.3 * factor;
    if (elapsed === EVICT_AT) f.readyPods = Math.max(0, f.readyPods - 1);
    if (factor >= 1.5 && elapsed >= NOT_READY_AT) f.readyPods = Math.max(0, f.readyPods - 1);
    f.ownErrorRate += 0.5 * factor;
  },
  applyCluster(cluster, { incident, service, elapsed, factor }) {
    const startMs = Date.parse(incident.startedAt);
    // The node of the service's first pod by name (what `kubectl get pods` lists first).
    const target = [...podsOf(cluster, service)].sort((a, b) => (a.name < b.name ? -1 : 1))[0];
    const node = cluster.nodes.find((n) => n.name === target?.nodeName);
    if (!node || !target) return;
    node.memoryPressure = { sinceMs: startMs };
    node.taints.push({ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule', timeAddedMs: startMs });
    node.usage.memoryBytes = Math.round(node.usage.memoryBytes * 1.0 + 4 * 1024 ** 3 * Math.min(1, factor));
    const nodeRef = { kind: 'Node', name: node.name, uid: node.uid, apiVersion: 'v1' };
    addEvent(cluster, {
      namespace: 'default',
      involved: nodeRef,
      reason: 'NodeHasInsufficientMemory',
      message: `Node ${node.name} status is now: NodeHasInsufficientMemory`,
      type: 'Normal',
      component: 'kubelet',
      host: node.name,
      firstMs: startMs,
      lastMs: startMs,
      count: 1,
    });
    addEvent(cluster, {
      namespace: 'default',
      involved: nodeRef,
      reason: 'EvictionThresholdMet',
      message: 'Attempting to reclaim memory',
      type: 'Warning',
      component: 'kubelet',
      host: node.name,
      firstMs: startMs + 20_000,
      lastMs: Math.max(startMs + 20_000, cluster.nowMs - 15_000),
      count: 1 + elapsed,
    });

    if (elapsed >= EVICT_AT) {
      const evictMs = startMs + EVICT_AT * 60_000;
      const victims = cluster.pods.filter(
        (p) => p.nodeName === node.name && p.service !== undefined && p.owner.kind === 'ReplicaSet',
      );
      for (const pod of victims) {
        const replacement: PodModel = {
          ...pod,
          name: `${pod.name.slice(0, pod.name.lastIndexOf('-'))}-r${pod.name.slice(-4)}`,
          uid: asUid(`${pod.uid}-r`),
          createdAtMs: evictMs + 2000,
          nodeName: cluster.nodes.find((n) => n.mode === 'user' && n.name !== node.name)?.name,
          restartCount: 0,
          lastTerminated: undefined,
          logs: { current: pod.logs.current },
        };
        pod.phase = 'Failed';
        pod.ready = false;
        pod.reason = 'Evicted';
        pod.message = `The node was low on resource: memory. Threshold quantity: 100Mi, available: ${48000 + (elapsed % 7) * 1311}Ki. Container ${pod.containerName} was using ${Math.round(pod.usage.memoryBytes / 1024)}Ki, request is ${pod.requests.memory}, has larger consumption of memory. `;
        pod.state = {
          kind: 'terminated',
          reason: 'ContainerStatusUnknown',
          exitCode: 137,
          startedAtMs: pod.createdAtMs,
          finishedAtMs: evictMs,
          message: 'The container could not be located when the pod was terminated',
        };
        pod.usage = { cpuMillis: 0, memoryBytes: 0 };
        cluster.pods.push(replacement);
        addEvent(cluster, {
          namespace: pod.namespace,
          involved: { kind: 'Pod', name: pod.name, namespace: pod.namespace, uid: pod.uid, apiVersion: 'v1' },
          reason: 'Evicted',
          message: pod.message,
          type: 'Warning',
          component: 'kubelet',
          host: node.name,
          firstMs: evictMs,
          lastMs: evictMs,
          count: 1,
        });
      }
    }
    if (factor >= 1.5 && elapsed >= NOT_READY_AT) {
      const sinceMs = startMs + NOT_READY_AT * 60_000;
      node.ready = {
        status: 'Unknown',
        sinceMs,
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
      };
      node.taints.push(
        { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAddedMs: sinceMs },
        { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAddedMs: sinceMs },
      );
      for (const pod of cluster.pods) if (pod.nodeName === node.name && pod.phase === 'Running') pod.ready = false;
      addEvent(cluster, {
        namespace: 'default',
        involved: { kind: 'Node', name: node.name, uid: node.uid, apiVersion: 'v1' },
        reason: 'NodeNotReady',
        message: `Node ${node.name} status is now: NodeNotReady`,
        type: 'Normal',
        component: 'node-controller',
        firstMs: sinceMs,
        lastMs: sinceMs,
        count: 1,
      });
    }
  },
};
