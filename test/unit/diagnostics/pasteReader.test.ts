// The paste reader on each shape people paste, from real text (each quoted with where it came from), and the
// diagnosis it leads to: evidence cites the input lines, fragments get a lower confidence and say what is missing.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseDump } from '../../../shared/diagnostics/parse/parseDump.js';
import { parseEventLine } from '../../../shared/diagnostics/parse/eventLines.js';
import { podFromRow, nodeFromRow } from '../../../shared/diagnostics/parse/getTables.js';
import { parseJsonTolerant } from '../../../shared/diagnostics/parse/fragments.js';
import { diagnosePaste } from '../../../shared/diagnostics/diagnosePaste.js';
import { ValidationError } from '../../../shared/errors.js';
import { loadCases } from './corpusSupport.js';

const NOW = new Date('2026-01-01T00:00:00Z');
const caseInput = (prefix: string) =>
  loadCases('test/fixtures/cases', NOW).find((c) => c.file.startsWith(prefix))!.input;
const paste = (file: string) => readFileSync(`test/fixtures/pastes/${file}`, 'utf8');
/** What the reader makes of a paste of these lines. */
const snapshotOfLines = (...lines: string[]) => parseDump(lines.join('\n'), { now: NOW }).snapshot;

describe('event lines of every kubectl layout', () => {
  it('describe >= 1.14 without its header, with the 1.10-era `kubelet, <node>` From (openemr-kube#8)', () => {
    const e = parseEventLine(
      '  Warning  FailedMount             9s (x8 over 1m)  kubelet, ip-10-0-140-139.ec2.internal  MountVolume.SetUp failed for volume "volume-02wck" : configmap "openemr-apache-config" not found',
      1,
    );
    expect(e).toMatchObject({
      type: 'Warning',
      reason: 'FailedMount',
      count: 8,
      source: 'kubelet, ip-10-0-140-139.ec2.internal',
      message: 'MountVolume.SetUp failed for volume "volume-02wck" : configmap "openemr-apache-config" not found',
    });
  });

  it('describe 1.3-1.13 (FirstSeen LastSeen Count From SubObjectPath ...), tab-separated (kubectl 1.5 tutorial)', () => {
    const { snapshot } = parseDump(paste('kubectl-1.5-describe-events-tabs.txt'), { now: NOW });
    expect(snapshot.events.map((e) => [e.reason, e.count, e.source, e.object.name, e.object.fieldPath])).toEqual([
      ['Scheduled', 1, 'default-scheduler', 'mysql-1ckgt', undefined],
      ['Pulling', 3, 'kubelet 127.0.0.1', 'mysql-1ckgt', 'spec.containers{mysql}'],
      ['Failed', 3, 'kubelet 127.0.0.1', 'mysql-1ckgt', 'spec.containers{mysql}'],
      ['FailedSync', 3, 'kubelet 127.0.0.1', 'mysql-1ckgt', undefined],
      ['BackOff', 4, 'kubelet 127.0.0.1', 'mysql-1ckgt', 'spec.containers{mysql}'],
    ]);
    // The pod is named by the old Scheduled message ("Successfully assigned <pod> to <node>", no namespace).
    const d = diagnosePaste(paste('kubectl-1.5-describe-events-tabs.txt'));
    expect(d).toMatchObject({
      rootCause: 'image_pull_error',
      rootCauseDetail: 'network',
      target: { pod: 'mysql-1ckgt' },
    });
  });

  it('get events <= 1.13 (LASTSEEN FIRSTSEEN COUNT NAME KIND SUBOBJECT TYPE REASON SOURCE MESSAGE) with a get pods table (OpenShift 1.3)', () => {
    const { snapshot } = parseDump(paste('openshift-1.3-get-pods-and-events.txt'), { now: NOW });
    const failed = snapshot.events.find((e) => e.reason === 'Failed');
    expect(failed).toMatchObject({
      count: 5,
      source: 'kubelet 10.3.0.56',
      object: { kind: 'Pod', name: 'ruby-ex-1-xawpm', fieldPath: 'spec.containers{ruby-ex}' },
    });
    // A kind kubectl did not know in 2016 is still read as the KIND column.
    expect(snapshot.events.find((e) => e.reason === 'SuccessfulCreate')?.object).toMatchObject({
      kind: 'ReplicationController',
      name: 'ruby-ex-1',
    });
    expect(snapshot.pods.map((p) => [p.metadata?.name, p.status?.phase])).toEqual([
      ['ruby-ex-1-build', 'Succeeded'],
      ['ruby-ex-1-deploy', 'Running'],
      ['ruby-ex-1-xawpm', undefined],
    ]);
    const d = diagnosePaste(paste('openshift-1.3-get-pods-and-events.txt'));
    expect(d).toMatchObject({ rootCause: 'image_pull_error', target: { pod: 'ruby-ex-1-xawpm' } });
    expect(d.summary).toContain('Container ruby-ex'); // named by the events' SUBOBJECT, not by the table
  });

  it('get events >= 1.14 (LAST SEEN TYPE REASON OBJECT MESSAGE) and with -A', () => {
    // Layout of kubectl's printEvent (pkg/printers/internalversion/printers.go); rows from test/fixtures/diagnostics/114.
    const snapshot = snapshotOfLines(
      'NAMESPACE   LAST SEEN   TYPE      REASON      OBJECT                              MESSAGE',
      'web         2m          Warning   BackOff     pod/frontend-7f8d9c6b5-2wq9x        Back-off restarting failed container frontend in pod frontend-7f8d9c6b5-2wq9x_web(5f9e0d1c-2b3a-4c5d-8e7f-9a0b1c2d3e4f)',
    );
    expect(snapshot.events[0]).toMatchObject({
      reason: 'BackOff',
      age: '2m',
      object: { kind: 'Pod', name: 'frontend-7f8d9c6b5-2wq9x', namespace: 'web' },
    });
  });

  it('reads `(x5 over 3m)` and `x5 over 3m` ages, and ignores prose that mentions Warning', () => {
    expect(
      parseEventLine('  Normal   BackOff  4s (x2 over 89s)     kubelet  Back-off pulling image "x"', 1)?.count,
    ).toBe(2);
    expect(
      parseEventLine('Warning  BackOff  x5 over 3m  kubelet  Back-off restarting failed container app', 1)?.count,
    ).toBe(5);
    expect(parseEventLine('This is a Warning to everyone reading', 1)).toBeUndefined();
  });
});

describe('describe fragments', () => {
  it('a prompt line, `...` where the author cut, no Name: header, then a get po table (spark-kubernetes#2)', () => {
    const parsed = parseDump(caseInput('201-'), { now: NOW });
    expect(parsed.fragment).toBe(true);
    expect(parsed.formats.sort()).toEqual(['describe', 'events', 'table']);
    const pod = parsed.snapshot.pods.find((p) => p.metadata?.name === 'spark-master-7fcc5d88cc-24t57');
    expect(pod?.status?.phase).toBe('Pending'); // from the table row, merged into the described pod
    expect(parsed.snapshot.events[0]?.object).toMatchObject({ kind: 'Pod', name: 'spark-master-7fcc5d88cc-24t57' });
    expect(parsed.snapshot.pods).toHaveLength(3);
  });

  it('a node describe after a `root@host [ ~ ]# ./kubectl` prompt, tab-separated 2017 format (kubernetes-archived#113)', () => {
    const { snapshot } = parseDump(caseInput('210-'), { now: NOW });
    expect(snapshot.nodes).toHaveLength(1);
    expect(snapshot.nodes[0]?.status?.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['OutOfDisk', 'Unknown', 'NodeStatusUnknown'],
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown'],
      ['DiskPressure', 'Unknown', 'NodeStatusUnknown'],
      ['Ready', 'Unknown', 'NodeStatusUnknown'],
    ]);
  });

  it('only an Init Containers block (HolmesGPT 11_init_containers): an init container that cannot start', () => {
    const block = caseInput('108-').split('\n');
    const start = block.findIndex((l) => /Init Containers:/.test(l));
    const end = block.findIndex((l, i) => i > start && /^\s*Mounts:/.test(l));
    const fragment = block.slice(start, end).join('\n');
    const d = diagnosePaste(fragment);
    expect(d.rootCause).toBe('crash_loop');
    expect(d.summary).toMatch(/Init container downloader/);
    expect(d.summary).toMatch(/Not in the paste: no pod name, no namespace/);
    const full = diagnosePaste(caseInput('108-'));
    expect(d.confidence).toBeLessThan(full.confidence);
  });

  it('a container block without Ready or Restart Count stays unknown, not healthy', () => {
    const snapshot = snapshotOfLines(
      '    app:',
      '      State:          Running',
      '        Started:      Mon, 01 Jan 2024 10:00:00 +0000',
    );
    const status = snapshot.pods[0]?.status?.containerStatuses?.[0];
    expect(status?.ready).toBeUndefined();
    expect(status?.restartCount).toBeUndefined();
    expect(diagnosePaste(['    app:', '      State:          Running'].join('\n')).rootCause).not.toBe('healthy');
  });
});

describe('kubectl get tables', () => {
  it.each([
    // STATUS values as kubectl's printPod writes them (kubernetes/pkg/printers/internalversion/printers.go).
    ['Init:0/1', { phase: 'Pending' }],
    [
      'Init:CrashLoopBackOff',
      {
        phase: 'Pending',
        initContainerStatuses: [expect.objectContaining({ state: { waiting: { reason: 'CrashLoopBackOff' } } })],
      },
    ],
    [
      'Init:Error',
      {
        initContainerStatuses: [
          expect.objectContaining({ state: { terminated: expect.objectContaining({ reason: 'Error' }) } }),
        ],
      },
    ],
    [
      'PodInitializing',
      {
        phase: 'Pending',
        containerStatuses: [expect.objectContaining({ state: { waiting: { reason: 'PodInitializing' } } })],
      },
    ],
    ['ContainerCreating', { phase: 'Pending' }],
    ['Evicted', { phase: 'Failed', reason: 'Evicted' }],
    [
      'OOMKilled',
      {
        containerStatuses: [
          expect.objectContaining({
            state: { terminated: expect.objectContaining({ reason: 'OOMKilled', exitCode: 137 }) },
          }),
        ],
      },
    ],
    ['Completed', { phase: 'Succeeded' }],
    [
      'ErrImagePull',
      { containerStatuses: [expect.objectContaining({ state: { waiting: { reason: 'ErrImagePull' } } })] },
    ],
    [
      'ImagePullBackOff',
      { containerStatuses: [expect.objectContaining({ state: { waiting: { reason: 'ImagePullBackOff' } } })] },
    ],
    [
      'CreateContainerConfigError',
      {
        containerStatuses: [expect.objectContaining({ state: { waiting: { reason: 'CreateContainerConfigError' } } })],
      },
    ],
    ['NotReady', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }],
  ])('pod STATUS %s', (status, expected) => {
    const pod = podFromRow({ NAME: 'web-1', READY: '0/1', STATUS: status, RESTARTS: '3 (2m ago)', AGE: '5m' });
    expect(pod.status).toMatchObject(expected);
  });

  it('Terminating sets deletionTimestamp; a restart count `5 (2m ago)` is read', () => {
    expect(podFromRow({ NAME: 'a', STATUS: 'Terminating' }).metadata?.deletionTimestamp).toBeDefined();
    const p = podFromRow({ NAME: 'a', READY: '0/1', STATUS: 'CrashLoopBackOff', RESTARTS: '5 (2m ago)' });
    expect(p.status?.containerStatuses?.[0]?.restartCount).toBe(5);
  });

  it('node STATUS incl. NotReady,SchedulingDisabled (printNode); a `kubectl get nodes` table of kubectl 1.6', () => {
    expect(nodeFromRow({ NAME: 'n', STATUS: 'NotReady,SchedulingDisabled' })).toMatchObject({
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'False' }] },
    });
    // A 2017 blog post's terminal (kubectl 1.6, no ROLES column).
    const snapshot = snapshotOfLines(
      'root@master:~# kubectl get nodes',
      'NAME      STATUS    AGE       VERSION',
      'master    Ready     7d        v1.6.1',
      'minion1   NotReady  7d        v1.6.1',
    );
    expect(snapshot.nodes.map((n) => [n.metadata?.name, n.status?.conditions?.[0]?.status])).toEqual([
      ['master', 'True'],
      ['minion1', 'False'],
    ]);
  });

  it('a PVC table', () => {
    const snapshot = snapshotOfLines(
      'NAME        STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   AGE',
      'redis-data  Pending                                      premium-ssd    5m',
    );
    expect(snapshot.pvcs[0]).toMatchObject({
      metadata: { name: 'redis-data' },
      spec: { storageClassName: 'premium-ssd' },
      status: { phase: 'Pending' },
    });
  });
});

describe('JSON and YAML fragments', () => {
  // neowu/core-ng-project#27: the maintainer pasted the containerStatuses member of a pod, cut at "conta...".
  const containerStatuses = `"containerStatuses": [
      {
        "name": "cache",
        "state": { "running": { "startedAt": "2020-11-12T16:21:21Z" } },
        "lastState": {
          "terminated": {
            "exitCode": 137,
            "reason": "OOMKilled",
            "startedAt": "2020-11-12T16:13:11Z",
            "finishedAt": "2020-11-12T16:21:10Z",
            "containerID": "docker://03f0f2e8402ebd0b8811a2256db456a008a73c5d171884358b4b02a9ff3ea686"
          }
        },
        "ready": true,
        "restartCount": 2,
        "image": "redis:6",
        "imageID": "docker-pullable://redis@sha256:a0494b60a0bc6de161d26dc2d2f9d2f1c5435e86a9e5d48862a161131affa6bd",
        "conta`;

  it('a containerStatuses member without braces, cut mid-key, is repaired and read as a pod', () => {
    expect(parseJsonTolerant(containerStatuses)?.repaired).toBe(true);
    const parsed = parseDump(containerStatuses, { now: NOW });
    expect(parsed.fragment).toBe(true);
    expect(parsed.snapshot.pods[0]?.status?.containerStatuses?.[0]).toMatchObject({ name: 'cache', restartCount: 2 });
    const d = diagnosePaste(containerStatuses);
    expect(d.rootCause).toBe('oom_killed');
    expect(d.evidence.some((e) => e.source === 'input' && e.lines?.some((l) => /OOMKilled/.test(l.text)))).toBe(true);
  });

  it('a bare YAML status block (flanksource is-healthy crashloopbackoff.yaml, without apiVersion/kind/metadata)', () => {
    const status = [
      'status:',
      '  phase: Running',
      '  containerStatuses:',
      '  - name: nginx',
      '    ready: false',
      '    restartCount: 5',
      '    lastState:',
      '      terminated:',
      '        exitCode: 1',
      '        reason: Error',
      '    state:',
      '      waiting:',
      '        message: back-off 2m40s restarting failed container=nginx pod=nginx-6799fc88d8-bw8h6_default(4a9ab0d9-4f1c-4f5c-9c5c-3f1a0c0b2d8e)',
      '        reason: CrashLoopBackOff',
    ].join('\n');
    const d = diagnosePaste(status);
    expect(d.rootCause).toBe('crash_loop');
    expect(d.evidence[0]?.lines?.map((l) => l.text)).toContain('reason: CrashLoopBackOff');
  });

  it('Event objects of old API versions: core v1 and events.k8s.io/v1beta1 (deprecatedCount, note, regarding)', () => {
    // Field names from the events.k8s.io/v1beta1 Event API reference; message from kubelet's pull error.
    const yaml = [
      'apiVersion: events.k8s.io/v1beta1',
      'kind: Event',
      'metadata: {name: web-1.17a, namespace: shop}',
      'regarding: {kind: Pod, name: web-1, namespace: shop}',
      'reason: Failed',
      'type: Warning',
      'note: \'Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found\'',
      'deprecatedCount: 4',
      'deprecatedSource: {component: kubelet}',
      '---',
      'apiVersion: v1',
      'kind: Event',
      'metadata: {name: web-1.17b, namespace: shop}',
      'involvedObject: {kind: Pod, name: web-1, namespace: shop}',
      'reason: BackOff',
      'type: Normal',
      'message: Back-off pulling image "nginx:1.99"',
      'count: 9',
    ].join('\n');
    const { snapshot } = parseDump(yaml, { now: NOW });
    expect(snapshot.events.map((e) => [e.reason, e.count, e.source])).toEqual([
      ['Failed', 4, 'kubelet'],
      ['BackOff', 9, undefined],
    ]);
    expect(diagnosePaste(yaml)).toMatchObject({ rootCause: 'image_pull_error', rootCauseDetail: 'not_found' });
  });
});

describe('refusal and confidence', () => {
  it('events about a controller only: no cause claimed, the warning cited, not refused (OpenShift 3 `oc get event`)', () => {
    // From an OpenShift performance-test README (stored code corpus): old layout, a ReplicationController's FailedCreate.
    const text = [
      '# oc get event',
      'LASTSEEN   FIRSTSEEN   COUNT     NAME           KIND                    SUBOBJECT   TYPE      REASON         SOURCE                   MESSAGE',
      '1m         5m          17        uperf-sender   ReplicationController               Warning   FailedCreate   replication-controller   Error creating: pods "" is forbidden: pod node label selector conflicts with its project node label selector',
    ].join('\n');
    const d = diagnosePaste(text);
    expect(d).toMatchObject({ rootCause: 'unknown', state: 'unknown' });
    expect(d.summary).toMatch(/only events about ReplicationController uperf-sender/);
    expect(d.evidence[0]).toMatchObject({ source: 'input', lines: [expect.objectContaining({ line: 3 })] });
  });

  it('refuses only text with no Kubernetes signal, with the same message as before', () => {
    expect(() => parseDump('Hi team, the checkout page is slow since this morning. Any idea?')).toThrow(
      ValidationError,
    );
    expect(() => parseDump('Hi team, the checkout page is slow since this morning. Any idea?')).toThrow(
      /Found no Kubernetes objects in the input/,
    );
  });

  it('a fragment answers with less confidence than the full describe it was cut from, and says what is missing', () => {
    const full = caseInput('105-');
    const events = full
      .split('\n')
      .filter((l) => /^\s*(Warning|Normal)\s/.test(l))
      .join('\n');
    const fromFull = diagnosePaste(full);
    const fromEvents = diagnosePaste(events);
    expect(fromFull.rootCause).toBe('oom_killed');
    expect(fromEvents.confidence).toBeLessThan(fromFull.confidence);
    expect(fromEvents.summary).toMatch(/Not in the paste: .*no container status/);
  });
});
