// What the cluster observes about itself: Events (names are involvedObject.name + a hex suffix, as the kubelet makes
// them) and metrics.k8s.io NodeMetrics/PodMetrics as metrics-server serves them.
import { templateHash, asUid } from '../seededRandom.js';
import { iso, meta, type Obj, type RenderContext } from './wire.js';

export function renderEvents({ cluster, rv }: RenderContext): Obj[] {
  return cluster.events.map((e, i) => {
    const name = `${e.involved.name}.${(0x17f0000000000000n + BigInt(Math.floor(e.firstMs / 1000)) * 1000n + BigInt(i)).toString(16)}`;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: meta(name, e.namespace, `${templateHash(cluster.seed, 110, i)}-ev`, e.firstMs, rv),
      involvedObject: {
        kind: e.involved.kind,
        ...(e.involved.namespace ? { namespace: e.involved.namespace } : {}),
        name: e.involved.name,
        uid: asUid(e.involved.uid),
        apiVersion: e.involved.apiVersion,
        ...(e.involved.fieldPath ? { fieldPath: e.involved.fieldPath } : {}),
      },
      reason: e.reason,
      message: e.message,
      source: { component: e.component, ...(e.host ? { host: e.host } : {}) },
      firstTimestamp: iso(e.firstMs),
      lastTimestamp: iso(Math.max(e.firstMs, e.lastMs)),
      count: e.count,
      type: e.type,
      eventTime: null,
      reportingComponent: e.component,
      reportingInstance: e.host ?? '',
    };
  });
}

export function renderMetrics({ cluster }: RenderContext): Obj[] {
  const objects: Obj[] = [];
  const window = '10.046s';
  const sampleTime = iso(cluster.nowMs - 15_000);
  for (const node of cluster.nodes) {
    if (node.ready.status !== 'True') continue; // metrics-server cannot scrape a kubelet that stopped reporting
    objects.push({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'NodeMetrics',
      metadata: {
        name: node.name,
        creationTimestamp: iso(cluster.nowMs),
        labels: { 'kubernetes.io/hostname': node.name, agentpool: node.pool },
      },
      timestamp: sampleTime,
      window,
      usage: {
        cpu: `${Math.round(node.usage.cpuMillis * 1e6)}n`,
        memory: `${Math.round(node.usage.memoryBytes / 1024)}Ki`,
      },
    });
  }
  for (const pod of cluster.pods) {
    if (pod.phase !== 'Running' || pod.state.kind !== 'running') continue;
    objects.push({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name: pod.name, namespace: pod.namespace, creationTimestamp: iso(cluster.nowMs), labels: pod.labels },
      timestamp: sampleTime,
      window,
      containers: [
        {
          name: pod.containerName,
          usage: {
            cpu: `${Math.round(pod.usage.cpuMillis * 1e6)}n`,
            memory: `${Math.round(pod.usage.memoryBytes / 1024)}Ki`,
          },
        },
      ],
    });
  }
  return objects;
}
