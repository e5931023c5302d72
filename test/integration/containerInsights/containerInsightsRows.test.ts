// The pure mapping of the simulated Container insights feed: Kubernetes objects in, rows out, in the shapes the
// Container insights agent writes (checked against the table schemas the KQL checks use), with events and log lines
// sent once across collections.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  containerInsightsRows,
  containerLogRows,
  kubeEventRows,
  logLevelOf,
  nodeInventoryRows,
  perfRows,
  podInventoryRows,
  type ContainerInsightsContext,
  type ContainerInsightsSnapshot,
  type LogRow,
} from '../../../dev/local/containerInsightsFeed.js';
import { replicaSetPodMetadata } from '../../support/kubeObjects.js';

const CLUSTER_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop';
const T0 = new Date('2025-03-04T10:00:00Z');
const ctx = (time = T0): ContainerInsightsContext => ({ clusterId: CLUSTER_ID, time });
const MI = 2 ** 20;

// checkout: OOM-killed once, running again (the "OOMKilled in lastState while Ready" case), with a limit and metrics.
const checkout = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: replicaSetPodMetadata(
    'checkout-7d4b9c6f5-x2k8p',
    { namespace: 'shop', app: 'checkout', hash: '7d4b9c6f5', replicaSetUid: 'rs-1' },
    { uid: '2af2f43f-663a-4c40-8102-4d35519c205f', creationTimestamp: '2025-03-04T08:00:00Z' },
  ),
  spec: {
    nodeName: 'aks-user-1',
    initContainers: [{ name: 'migrate', resources: {} }],
    containers: [
      {
        name: 'checkout',
        resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      },
    ],
  },
  status: {
    phase: 'Running',
    podIP: '10.244.1.17',
    startTime: '2025-03-04T08:00:01Z',
    initContainerStatuses: [
      {
        name: 'migrate',
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: '2025-03-04T08:00:02Z',
            finishedAt: '2025-03-04T08:00:05Z',
          },
        },
        lastState: {},
        restartCount: 0,
        containerID: 'containerd://aaa111',
      },
    ],
    containerStatuses: [
      {
        name: 'checkout',
        state: { running: { startedAt: '2025-03-04T09:58:40Z' } },
        lastState: {
          terminated: {
            exitCode: 137,
            reason: 'OOMKilled',
            startedAt: '2025-03-04T09:40:00Z',
            finishedAt: '2025-03-04T09:58:30Z',
            containerID: 'containerd://old222',
          },
        },
        restartCount: 3,
        containerID: 'containerd://new333',
        ready: true,
      },
    ],
  },
};

// Pending and unschedulable: no node, no container statuses.
const pending = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'batch-0', namespace: 'shop', uid: 'c1d2', creationTimestamp: '2025-03-04T09:59:00Z', labels: {} },
  spec: { containers: [{ name: 'batch', resources: { requests: { memory: '64Gi' } } }] },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
};

const node = (name: string, ready: string, memoryPressure = 'False') => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, creationTimestamp: '2025-03-01T00:00:00Z', labels: { agentpool: 'user' } },
  spec: {
    providerID: `azure:///subscriptions/x/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/vmss/virtualMachines/0`,
  },
  status: {
    capacity: { cpu: '4', memory: '16365460Ki' },
    allocatable: { cpu: '3860m', memory: '12880276Ki' },
    conditions: [
      { type: 'MemoryPressure', status: memoryPressure },
      { type: 'Ready', status: ready, lastTransitionTime: '2025-03-04T09:30:00Z' },
    ],
    nodeInfo: {
      kubeletVersion: 'v1.30.6',
      kubeProxyVersion: 'v1.30.6',
      containerRuntimeVersion: 'containerd://1.7.22-1',
      osImage: 'Ubuntu 22.04.5 LTS',
    },
  },
});

const oomEvent = (count: number, lastTimestamp: string) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'aks-user-1.17f0a', namespace: 'default', uid: 'ev-1', creationTimestamp: '2025-03-04T09:40:00Z' },
  involvedObject: { kind: 'Node', name: 'aks-user-1', uid: 'aks-user-1' },
  reason: 'OOMKilling',
  message: 'Memory cgroup out of memory: Killed process 4000 (node)',
  source: { component: 'kernel-monitor', host: 'aks-user-1' },
  firstTimestamp: '2025-03-04T09:40:00Z',
  lastTimestamp,
  count,
  type: 'Warning',
});
const scheduledEvent = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'checkout.1', namespace: 'shop', uid: 'ev-2' },
  involvedObject: { kind: 'Pod', namespace: 'shop', name: checkout.metadata.name, uid: checkout.metadata.uid },
  reason: 'Scheduled',
  message: 'Successfully assigned',
  source: { component: 'default-scheduler' },
  firstTimestamp: '2025-03-04T08:00:00Z',
  lastTimestamp: '2025-03-04T08:00:00Z',
  count: 1,
  type: 'Normal',
};

function snapshot(overrides: Partial<ContainerInsightsSnapshot> = {}): ContainerInsightsSnapshot {
  return {
    pods: [checkout, pending],
    nodes: [node('aks-user-1', 'True'), node('aks-user-2', 'Unknown')],
    events: [oomEvent(3, '2025-03-04T09:58:30Z'), scheduledEvent],
    services: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'checkout', namespace: 'shop' },
        spec: { selector: { app: 'checkout' } },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'other', namespace: 'web' },
        spec: { selector: { app: 'checkout' } },
      },
    ],
    podMetrics: [
      {
        metadata: { name: checkout.metadata.name, namespace: 'shop' },
        containers: [{ name: 'checkout', usage: { cpu: '125000000n', memory: '249856Ki' } }],
      },
    ],
    nodeMetrics: [{ metadata: { name: 'aks-user-1' }, usage: { cpu: '1200000000n', memory: '6000000Ki' } }],
    ...overrides,
  };
}

describe('KubePodInventory', () => {
  const rows = podInventoryRows(snapshot(), ctx());

  it('writes one row per container, init containers included, named <podUid>/<container> as the agent does', () => {
    const names = rows.filter((r) => r.Name === checkout.metadata.name).map((r) => r.ContainerName);
    expect(names.sort()).toEqual([`${checkout.metadata.uid}/checkout`, `${checkout.metadata.uid}/migrate`]);
  });

  it('records the OOM kill of a container that is running again: restart count, lastState JSON, no status reason', () => {
    const row = rows.find((r) => r.ContainerName === `${checkout.metadata.uid}/checkout`);
    expect(row).toMatchObject({
      TimeGenerated: T0.toISOString(),
      ClusterId: CLUSTER_ID,
      ClusterName: 'aks-shop',
      Computer: 'aks-user-1',
      Namespace: 'shop',
      PodUid: checkout.metadata.uid,
      PodStatus: 'Running',
      ContainerStatus: 'running',
      ContainerStatusReason: '',
      ContainerRestartCount: 3,
      PodRestartCount: 3,
      ContainerID: 'new333',
      ContainerCreationTimeStamp: '2025-03-04T09:58:40Z',
      ControllerKind: 'ReplicaSet',
      ControllerName: 'checkout-7d4b9c6f5',
      ServiceName: 'checkout', // the selector in the pod's own namespace, not the same selector in "web"
      PodIp: '10.244.1.17',
      Type: 'KubePodInventory',
      _ResourceId: CLUSTER_ID,
    });
    expect(JSON.parse(String(row?.ContainerLastStatus))).toEqual({
      lastState: 'terminated',
      reason: 'OOMKilled',
      startedAt: '2025-03-04T09:40:00Z',
      finishedAt: '2025-03-04T09:58:30Z',
    });
    expect(JSON.parse(String(row?.PodLabel))).toEqual([checkout.metadata.labels]);
  });

  it('a terminated init container keeps its reason; an empty lastState is "{}"', () => {
    const row = rows.find((r) => r.ContainerName === `${checkout.metadata.uid}/migrate`);
    expect(row).toMatchObject({
      ContainerStatus: 'terminated',
      ContainerStatusReason: 'Completed',
      ContainerLastStatus: '{}',
    });
  });

  it('an unscheduled pod still gets one row, with empty container fields and no node', () => {
    const row = rows.filter((r) => r.Name === 'batch-0');
    expect(row).toHaveLength(1);
    expect(row[0]).toMatchObject({
      Computer: '',
      PodStatus: 'Pending',
      ContainerName: '',
      PodStartTime: null,
      ServiceName: '',
    });
  });

  it('a pod being deleted is Terminating', () => {
    const deleting = { ...checkout, metadata: { ...checkout.metadata, deletionTimestamp: '2025-03-04T09:59:59Z' } };
    expect(podInventoryRows(snapshot({ pods: [deleting] }), ctx())[0]?.PodStatus).toBe('Terminating');
  });
});

describe('KubeNodeInventory', () => {
  it('Status lists the True conditions; a node whose kubelet stopped reporting has none', () => {
    const rows = nodeInventoryRows(snapshot({ nodes: [node('a', 'True', 'True'), node('b', 'Unknown')] }), ctx());
    expect(rows.map((r) => [r.Computer, r.Status])).toEqual([
      ['a', 'MemoryPressure,Ready'],
      ['b', ''],
    ]);
    expect(rows[0]).toMatchObject({
      KubeletVersion: 'v1.30.6',
      DockerVersion: 'containerd://1.7.22-1',
      KubernetesProviderID: 'azure',
      LastTransitionTimeReady: '2025-03-04T09:30:00Z',
    });
  });
});

describe('KubeEvents', () => {
  it('sends Warning events only, once per version: a repeat with a higher count is sent again', () => {
    const first = kubeEventRows(snapshot(), ctx(), {});
    expect(first.rows.map((r) => r.Reason)).toEqual(['OOMKilling']); // Scheduled is Normal: not collected by default
    expect(first.rows[0]).toMatchObject({
      ObjectKind: 'Node',
      Name: 'aks-user-1',
      KubeEventType: 'Warning',
      SourceComponent: 'kernel-monitor',
      Computer: 'aks-user-1',
      Count: 3,
      FirstSeen: '2025-03-04T09:40:00Z',
    });
    // Same event, unchanged (a simulated cluster bumps resourceVersion anyway): nothing new.
    expect(kubeEventRows(snapshot(), ctx(), first.cursor).rows).toHaveLength(0);
    const repeated = kubeEventRows(snapshot({ events: [oomEvent(4, '2025-03-04T10:05:00Z')] }), ctx(), first.cursor);
    expect(repeated.rows.map((r) => [r.Count, r.LastSeen])).toEqual([[4, '2025-03-04T10:05:00Z']]);
  });

  it('an event the API renumbered (new name and uid, same facts) is not sent again', () => {
    const first = kubeEventRows(snapshot(), ctx(), {});
    const renamed = {
      ...oomEvent(3, '2025-03-04T09:58:30Z'),
      metadata: { name: 'aks-user-1.17f0b', namespace: 'default', uid: 'ev-9' },
    };
    expect(kubeEventRows(snapshot({ events: [renamed] }), ctx(), first.cursor).rows).toEqual([]);
  });

  it('collects Normal events when asked (collect_all_kube_events)', () => {
    const rows = kubeEventRows(snapshot(), { ...ctx(), collectNormalEvents: true }, {}).rows;
    expect(rows.map((r) => r.Reason).sort()).toEqual(['OOMKilling', 'Scheduled']);
  });
});

describe('ContainerLogV2', () => {
  const logs: Record<string, string> = {
    'shop/checkout-7d4b9c6f5-x2k8p/checkout/previous':
      '2025-03-04T09:40:01Z INFO listening on :8080\n2025-03-04T09:58:00Z WARN heap usage 87% of limit\n',
    'shop/checkout-7d4b9c6f5-x2k8p/checkout': '2025-03-04T09:58:41Z INFO listening on :8080\n',
  };
  const withLogs = (extra: Record<string, string> = {}) =>
    snapshot({
      podLog: (ns, pod, c, previous) => ({ ...logs, ...extra })[`${ns}/${pod}/${c}${previous ? '/previous' : ''}`],
    });
  const retention = 6 * 3600_000;

  it("sends the terminated instance's log under its own ContainerId, then the running one's, with the lines' times", () => {
    const { rows } = containerLogRows(withLogs(), ctx(), {}, retention);
    expect(rows.map((r) => [r.ContainerId, r.TimeGenerated, r.LogLevel, r.LogMessage])).toEqual([
      ['old222', '2025-03-04T09:40:01.000Z', 'INFO', '2025-03-04T09:40:01Z INFO listening on :8080'],
      ['old222', '2025-03-04T09:58:00.000Z', 'WARNING', '2025-03-04T09:58:00Z WARN heap usage 87% of limit'],
      ['new333', '2025-03-04T09:58:41.000Z', 'INFO', '2025-03-04T09:58:41Z INFO listening on :8080'],
    ]);
    expect(rows[0]).toMatchObject({
      PodName: checkout.metadata.name,
      PodNamespace: 'shop',
      ContainerName: 'checkout',
      Computer: 'aks-user-1',
      LogSource: 'stdout',
    });
  });

  it('sends only lines appended since the last collection; a JSON line is stored parsed (LogMessage is dynamic)', () => {
    const first = containerLogRows(withLogs(), ctx(), {}, retention);
    const grown = withLogs({
      'shop/checkout-7d4b9c6f5-x2k8p/checkout':
        '2025-03-04T09:58:41Z INFO listening on :8080\n{"level":"error","msg":"payment declined"}\n',
    });
    const later = new Date(T0.getTime() + 30_000);
    const second = containerLogRows(grown, ctx(later), first.cursor, retention);
    expect(second.rows).toHaveLength(1);
    expect(second.rows[0]).toMatchObject({
      ContainerId: 'new333',
      LogMessage: { level: 'error', msg: 'payment declined' },
      LogLevel: 'ERROR',
      TimeGenerated: later.toISOString(), // no timestamp in the line: the collection time
    });
  });

  it('two pods whose runtimes report the same container id each get their own lines', () => {
    const twin = { ...checkout, metadata: { ...checkout.metadata, name: 'checkout-twin', uid: 'twin-uid' } };
    const snap = snapshot({
      pods: [checkout, twin],
      podLog: (_ns, pod, c, previous) => (previous || c !== 'checkout' ? undefined : `line of ${pod}\n`),
    });
    const { rows } = containerLogRows(snap, ctx(), {}, retention);
    expect(rows.map((r) => [r.PodName, r.ContainerId, r.LogMessage])).toEqual([
      [checkout.metadata.name, 'new333', `line of ${checkout.metadata.name}`],
      ['checkout-twin', 'new333', 'line of checkout-twin'],
    ]);
  });

  it('without podLog on the source there are no log rows', () => {
    expect(containerLogRows(snapshot(), ctx(), {}, retention).rows).toEqual([]);
  });

  it.each([
    ['E0304 10:00:00.000000       1 reflector.go:147] failed to list', 'ERROR'],
    ['panic: runtime error: index out of range', 'CRITICAL'],
    ['W0304 10:00:00.000000 throttling', 'WARNING'],
    ['GET /healthz 200', 'UNKNOWN'],
  ])('LogLevel of %j is %s', (line, level) => {
    expect(logLevelOf(line)).toBe(level);
  });
});

describe('Perf', () => {
  const rows = perfRows(snapshot(), ctx());
  const counter = (instance: string, name: string) =>
    rows.filter((r) => r.InstanceName === instance && r.CounterName === name).map((r) => r.CounterValue);
  const instance = `${CLUSTER_ID}/${checkout.metadata.uid}/checkout`;

  it('container working set and CPU from metrics.k8s.io, against the limit from the spec', () => {
    expect(counter(instance, 'memoryWorkingSetBytes')).toEqual([249856 * 1024]);
    expect(counter(instance, 'memoryLimitBytes')).toEqual([256 * MI]);
    expect(counter(instance, 'memoryRequestBytes')).toEqual([128 * MI]);
    expect(counter(instance, 'cpuUsageNanoCores')).toEqual([125_000_000]);
    expect(counter(instance, 'cpuRequestNanoCores')).toEqual([250_000_000]);
    expect(rows.find((r) => r.InstanceName === instance)).toMatchObject({
      ObjectName: 'K8SContainer',
      Computer: 'aks-user-1',
    });
  });

  it("a container without a CPU limit is measured against its node's allocatable CPU", () => {
    expect(counter(instance, 'cpuLimitNanoCores')).toEqual([3_860_000_000]);
  });

  it('nodes: allocatable, capacity and usage; a node without metrics has no usage rows; unscheduled pods none', () => {
    expect(counter(`${CLUSTER_ID}/aks-user-1`, 'memoryWorkingSetBytes')).toEqual([6_000_000 * 1024]);
    expect(counter(`${CLUSTER_ID}/aks-user-2`, 'memoryWorkingSetBytes')).toEqual([]);
    expect(counter(`${CLUSTER_ID}/aks-user-2`, 'memoryAllocatableBytes')).toEqual([12880276 * 1024]);
    expect(rows.some((r) => String(r.InstanceName).includes('/c1d2/'))).toBe(false);
  });
});

describe('schemas', () => {
  const schemas = (
    JSON.parse(readFileSync('test/fixtures/kql/azureMonitorTables.json', 'utf8')) as {
      tables: Record<string, Record<string, string>>;
    }
  ).tables;
  const { rows } = containerInsightsRows(
    snapshot({ podLog: (_ns, _pod, _c, previous) => (previous ? 'old line\n' : '{"msg":"x"}\n') }),
    { ...ctx(), collectNormalEvents: true },
  );
  const fits = (type: string, v: unknown): boolean => {
    if (v === null) return type === 'datetime' || type === 'dynamic';
    if (type === 'datetime') return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    if (type === 'string') return typeof v === 'string';
    if (type === 'int' || type === 'long') return Number.isInteger(v);
    if (type === 'real') return typeof v === 'number';
    if (type === 'dynamic') return true;
    return false;
  };

  it.each(Object.entries(rows))(
    '%s: every column is in the documented schema with a value of its type',
    (table, tableRows: LogRow[]) => {
      const schema = schemas[table];
      expect(schema).toBeDefined();
      expect(tableRows.length).toBeGreaterThan(0);
      const wrong: string[] = [];
      for (const row of tableRows) {
        for (const [column, value] of Object.entries(row)) {
          const type = schema?.[column];
          if (type === undefined || !fits(type, value))
            wrong.push(`${column}=${JSON.stringify(value)} (${type ?? 'no such column'})`);
        }
      }
      expect([...new Set(wrong)]).toEqual([]);
    },
  );
});
