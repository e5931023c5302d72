// Table-driven tests of the pure pieces: scheduler message classes, registry pull errors, kubectl text parsing,
// quantities, log redaction, playbook lookup and the `since` parameter. Each case says why it matters.
import { describe, expect, it } from '@jest/globals';
import { classifySchedulingFailure, type SchedulingClass } from '../../../shared/diagnostics/rules/failedScheduling.js';
import { classifyImagePullError, type ImagePullClass } from '../../../shared/diagnostics/rules/imagePullError.js';
import { parseKubectlDescribe, parseProbe } from '../../../shared/diagnostics/parse/kubectlDescribe.js';
import { parseKubectlEvents } from '../../../shared/diagnostics/parse/kubectlEvents.js';
import { parseDump } from '../../../shared/diagnostics/parse/parseDump.js';
import { formatBytes, parseQuantity } from '../../../shared/diagnostics/evidence/snapshot.js';
import { boundLogTail, redactLogLine } from '../../../shared/diagnostics/evidence/kubeEvidence.js';
import { findPlaybook } from '../../../shared/diagnostics/playbooks.js';
import { parseSince } from '../../../shared/diagnostics/readQuery.js';
import { extractAksClusterId } from '../../../shared/diagnostics/normalizeAlert.js';
import { ValidationError } from '../../../shared/errors.js';

describe('classifySchedulingFailure (Robusta classes)', () => {
  it.each<[string, string, SchedulingClass, SchedulingClass[]]>([
    [
      'cpu only',
      '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      'insufficient_cpu',
      ['insufficient_cpu'],
    ],
    [
      'the larger count wins',
      '0/4 nodes are available: 1 node(s) had untolerated taint {CriticalAddonsOnly: true}, 3 Insufficient memory.',
      'insufficient_memory',
      ['insufficient_memory', 'untolerated_taint'],
    ],
    [
      'GPU is an extended resource of its own class',
      '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.',
      'insufficient_gpu',
      ['insufficient_gpu'],
    ],
    [
      'old taint wording',
      "0/2 nodes are available: 2 node(s) had taint {node-role.kubernetes.io/master: }, that the pod didn't tolerate.",
      'untolerated_taint',
      ['untolerated_taint'],
    ],
    [
      'selector',
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
      'affinity_or_selector',
      ['affinity_or_selector'],
    ],
    [
      'anti-affinity',
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
      'affinity_or_selector',
      ['affinity_or_selector'],
    ],
    [
      'cordoned',
      '0/2 nodes are available: 2 node(s) were unschedulable.',
      'unschedulable_nodes',
      ['unschedulable_nodes'],
    ],
    [
      'missing claim',
      '0/3 nodes are available: persistentvolumeclaim "data-0" not found.',
      'missing_pvc',
      ['missing_pvc'],
    ],
    [
      'unbound claim (left to volume_mount_error when the PVC shows why)',
      '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
      'unbound_pvc',
      ['unbound_pvc'],
    ],
    ['max pods', '0/5 nodes are available: 5 Too many pods.', 'too_many_pods', ['too_many_pods']],
    [
      'zone of the disk',
      '0/3 nodes are available: 3 node(s) had volume node affinity conflict.',
      'volume_node_affinity',
      ['volume_node_affinity'],
    ],
    ['no nodes at all', 'no nodes available to schedule pods', 'no_nodes', ['no_nodes']],
    ['unknown text stays unknown', 'something else entirely', 'unknown', ['unknown']],
  ])('%s', (_why, message, primary, classes) => {
    const r = classifySchedulingFailure(message);
    expect(r.primary).toBe(primary);
    expect([...r.classes].sort()).toEqual([...classes].sort());
  });
});

describe('classifyImagePullError', () => {
  it.each<[string, string, ImagePullClass]>([
    [
      'containerd NotFound',
      'rpc error: code = NotFound desc = failed to pull and unpack image "a.azurecr.io/x:1": failed to resolve reference "a.azurecr.io/x:1": a.azurecr.io/x:1: not found',
      'not_found',
    ],
    [
      'manifest unknown',
      'Error response from daemon: manifest for x:2 not found: manifest unknown: manifest unknown',
      'not_found',
    ],
    [
      'ACR 401',
      'failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized',
      'unauthorized',
    ],
    [
      'Docker Hub wording for a missing or private repo',
      "pull access denied for nginxx, repository does not exist or may require 'docker login'",
      'unauthorized',
    ],
    [
      'rate limit',
      '429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit.',
      'rate_limited',
    ],
    ['egress blocked', 'dial tcp 20.62.128.10:443: i/o timeout', 'network'],
    ['DNS', 'dial tcp: lookup myacr.azurecr.io on 10.0.0.10:53: no such host', 'network'],
    ['bad reference', 'couldn\'t parse image reference "nginx:": invalid reference format', 'invalid_name'],
  ])('%s', (_why, message, expected) => {
    expect(classifyImagePullError(message)).toBe(expected);
  });
});

describe('kubectl text', () => {
  it('parses node describe conditions at the table columns (dates contain spaces)', () => {
    const text = [
      'Name:               aks-np-1',
      'Taints:             node.kubernetes.io/unreachable:NoExecute',
      '                    node.kubernetes.io/unreachable:NoSchedule',
      'Unschedulable:      true',
      'Conditions:',
      '  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason              Message',
      '  ----             ------  -----------------                 ------------------                ------              -------',
      '  MemoryPressure   Unknown Sun, 22 Nov 2026 09:41:10 +0000   Sun, 22 Nov 2026 09:42:30 +0000   NodeStatusUnknown   Kubelet stopped posting node status.',
      '  Ready            Unknown Sun, 22 Nov 2026 09:41:10 +0000   Sun, 22 Nov 2026 09:42:30 +0000   NodeStatusUnknown   Kubelet stopped posting node status.',
      'Allocatable:',
      '  cpu:     3860m',
      '  memory:  12858692Ki',
      'Events:  <none>',
    ].join('\n');
    const { nodes, events } = parseKubectlDescribe(text);
    expect(nodes).toHaveLength(1);
    const n = nodes[0]!;
    expect(n.spec?.unschedulable).toBe(true);
    expect(n.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    expect(n.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(n.status?.allocatable).toEqual({ cpu: '3860m', memory: '12858692Ki' });
    expect(events).toEqual([]);
  });

  it('parses probes as describe prints them', () => {
    expect(
      parseProbe('http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3'),
    ).toMatchObject({
      httpGet: { path: '/healthz', port: 8080 },
      timeoutSeconds: 1,
      periodSeconds: 10,
      failureThreshold: 3,
    });
    expect(
      parseProbe('exec [sh -c sleep 600 && exit 1] delay=5s timeout=1s period=10s #success=1 #failure=100'),
    ).toMatchObject({ exec: { command: ['sh', '-c', 'sleep', '600', '&&', 'exit', '1'] }, failureThreshold: 100 });
    expect(parseProbe('<none>')).toBeUndefined();
  });

  it('parses `kubectl get events` in the current, -A and old column layouts', () => {
    const current = parseKubectlEvents(
      'LAST SEEN   TYPE      REASON    OBJECT                MESSAGE\n2m          Warning   BackOff   pod/web-1             Back-off restarting failed container web in pod web-1_shop(uid)\n',
    );
    expect(current).toEqual([
      expect.objectContaining({
        type: 'Warning',
        reason: 'BackOff',
        object: { kind: 'Pod', name: 'web-1', namespace: undefined },
      }),
    ]);
    const all = parseKubectlEvents(
      'NAMESPACE   LAST SEEN   TYPE      REASON             OBJECT             MESSAGE\nshop        5s          Warning   FailedScheduling   pod/api-0          0/3 nodes are available: 3 Insufficient cpu.\n',
    );
    expect(all[0]).toMatchObject({
      reason: 'FailedScheduling',
      object: { kind: 'Pod', name: 'api-0', namespace: 'shop' },
    });
    const old = parseKubectlEvents(
      'LAST SEEN   FIRST SEEN   COUNT   NAME     KIND   SUBOBJECT   TYPE      REASON   SOURCE    MESSAGE\n1m          10m          12      web-1    Pod                Warning   BackOff  kubelet   Back-off restarting failed container\n',
    );
    expect(old[0]).toMatchObject({
      count: 12,
      reason: 'BackOff',
      object: { kind: 'Pod', name: 'web-1' },
      source: 'kubelet',
    });
  });

  it('reads JSON Lists, multi-document YAML and Event objects; refuses text with nothing in it', () => {
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'x' } },
        {
          apiVersion: 'v1',
          kind: 'Event',
          involvedObject: { kind: 'Pod', name: 'a', namespace: 'x' },
          reason: 'BackOff',
          message: 'm',
          type: 'Warning',
          count: 3,
        },
      ],
    });
    const parsedList = parseDump(list);
    expect(parsedList.formats).toEqual(['json']);
    expect(parsedList.snapshot.events[0]).toMatchObject({
      reason: 'BackOff',
      count: 3,
      object: { name: 'a', namespace: 'x' },
    });
    const yaml = parseDump(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n',
    );
    expect([yaml.snapshot.pods.length, yaml.snapshot.nodes.length]).toEqual([1, 1]);
    expect(() => parseDump('just some words')).toThrow(ValidationError);
  });
});

describe('quantities, redaction and small parsers', () => {
  it.each<[string, number]>([
    ['100Mi', 100 * 2 ** 20],
    ['250m', 0.25],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['2', 2],
    ['12858692Ki', 12858692 * 1024],
    ['1e3', 1000],
  ])('parseQuantity(%s)', (q, n) => {
    expect(parseQuantity(q)).toBeCloseTo(n);
  });
  it('formats bytes as the next binary quantity', () => {
    expect(formatBytes(384 * 2 ** 20)).toBe('384Mi');
    expect(formatBytes(2 * 2 ** 30)).toBe('2Gi');
    expect(formatBytes(267386880)).toBe('255Mi');
  });
  it.each<[string, string, string]>([
    ['key=value password', 'connecting with password=hunter2 to db', 'hunter2'],
    ['JSON secret', '{"client_secret": "abc123def"}', 'abc123def'],
    ['bearer token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl', 'c2lnbmF0dXJl'],
    ['storage key', 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0a2V5;', 'c2VjcmV0a2V5'],
    ['SAS', 'GET https://x.blob.core.windows.net/c?sv=2022&sig=AbCdEf%3D', 'AbCdEf'],
  ])('redacts a %s', (_why, line, secret) => {
    expect(redactLogLine(line)).not.toContain(secret);
  });
  it('bounds a log tail to the last N lines', () => {
    expect(boundLogTail('a\nb\nc\nd\n', 2)).toEqual(['c', 'd']);
  });
  it('finds playbooks by exact and contained names', () => {
    expect(findPlaybook(['KubePodCrashLooping']).id).toBe('pod-crash-looping');
    expect(findPlaybook(['prod - KubeDeploymentReplicasMismatch (shop)']).id).toBe('workload-replicas-mismatch');
    expect(findPlaybook(['x', 'oomKilledContainerCount']).id).toBe('oom-killed');
    expect(findPlaybook(['My custom rule']).id).toBe('default');
  });
  it('parses since as a date-time or a look-back, and refuses anything else', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    expect(parseSince('6h', now)?.toISOString()).toBe('2026-11-22T06:00:00.000Z');
    expect(parseSince('2026-11-01T00:00:00Z', now)?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseSince(undefined, now)).toBeUndefined();
    for (const bad of ['yesterday', '6 hours', '2026-13-45', "1' or 1 eq 1"])
      expect(() => parseSince(bad, now)).toThrow(ValidationError);
  });
  it('extracts AKS ids from resource ids in canonical casing, and nothing from other resources', () => {
    const sub = '00000000-0000-0000-0000-000000000001';
    expect(
      extractAksClusterId(
        `/subscriptions/${sub}/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks1/agentPools/np1`,
      ),
    ).toBe(`/subscriptions/${sub}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1`);
    // Issue 10 point 1: intake used to accept a non-GUID subscription ('s') that the worker's parser then rejected,
    // so the alert was retried into the poison queue. One grammar now: such an id is not a cluster id at intake.
    expect(
      extractAksClusterId(
        '/subscriptions/s/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks1/agentPools/np1',
      ),
    ).toBeUndefined();
    expect(
      extractAksClusterId('/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/virtualmachines/vm'),
    ).toBeUndefined();
  });
});

describe('kubectl describe input bounds (issue 10)', () => {
  it('parses deeply indented input (the shape that was cubic) and refuses input above the cap with 413', async () => {
    const { MAX_DESCRIBE_CHARS, parseKubectlDescribe } =
      await import('../../../shared/diagnostics/parse/kubectlDescribe.js');
    const lines = ['Name:         deep-0', 'Namespace:    default', 'Containers:'];
    for (let i = 0; i < 1500; i++) lines.push(`${' '.repeat(i + 2)}k${i}:`);
    expect(parseKubectlDescribe(lines.join('\n')).pods).toHaveLength(1);
    const err = (() => {
      try {
        parseKubectlDescribe(`Name: x\nNamespace: y\n${'a'.repeat(MAX_DESCRIBE_CHARS)}`);
      } catch (e) {
        return e as { statusCode?: number };
      }
      return undefined;
    })();
    expect(err?.statusCode).toBe(413);
  });
});
