import { describe, expect, it } from '@jest/globals';
import { podContainerWaiting, WAITING_RULES } from '../../../shared/sweep/analyzers/podContainerWaiting.js';
import { podOomKilled } from '../../../shared/sweep/analyzers/podOomKilled.js';
import { podTerminatedWithError } from '../../../shared/sweep/analyzers/podTerminatedWithError.js';
import { podEvicted } from '../../../shared/sweep/analyzers/podEvicted.js';
import { podUnschedulable, explainSchedulingFailure } from '../../../shared/sweep/analyzers/podUnschedulable.js';
import { podProbes } from '../../../shared/sweep/analyzers/podProbes.js';
import { podRestarts } from '../../../shared/sweep/analyzers/podRestarts.js';
import type { Analyzer } from '../../../shared/sweep/analyzer.js';
import type { KubeObject } from '../../../shared/kube/objects.js';
import { ago, analyze, appContainer, checks, event, HOUR, MIN, pod, runningStatus } from './sweepTestKit.js';

interface Case {
  name: string;
  /** Why this case should (or should not) produce the finding. */
  why: string;
  pods: KubeObject[];
  events?: KubeObject[];
  expect: string[];
  severity?: string;
  mentions?: string[];
}

function table(analyzer: Analyzer, cases: Case[]) {
  it.each(cases)('$name', async (c) => {
    const findings = await analyze(analyzer, { pods: c.pods, events: c.events ?? [] });
    expect(checks(findings)).toEqual(c.expect);
    if (c.severity) expect(findings[0]?.severity).toBe(c.severity);
    for (const m of c.mentions ?? []) expect(`${findings[0]?.message} ${findings[0]?.evidence.join(' ')}`).toContain(m);
    for (const f of findings) {
      expect(f.message).toMatch(/\.$|[^ ]$/);
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.remediation.length).toBeGreaterThan(20);
      expect(f.docsUrl).toMatch(/^https:\/\//);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    }
  });
}

const waiting = (reason: string, message?: string, last?: object) =>
  pod({
    statuses: [
      runningStatus({
        ready: false,
        restartCount: 5,
        state: { waiting: { reason, message } },
        lastState: last ? { terminated: last } : undefined,
      }),
    ],
  });

describe('podContainerWaiting', () => {
  // k8sgpt's eleven waiting reasons plus runtime/hook errors each produce a finding naming the reason.
  const reasons = Object.keys(WAITING_RULES);
  it("covers k8sgpt's eleven waiting reasons and the hook/runtime ones", () => {
    for (const r of [
      'CrashLoopBackOff',
      'ImagePullBackOff',
      'ErrImagePull',
      'CreateContainerConfigError',
      'CreateContainerError',
      'InvalidImageName',
      'ErrImageNeverPull',
      'RunContainerError',
      'ContainerCannotRun',
      'PostStartHookError',
      'PreStopHookError',
      'PreCreateHookError',
      'PreStartHookError',
      'ImageInspectError',
    ]) {
      expect(reasons).toContain(r);
    }
  });
  table(
    podContainerWaiting,
    reasons.map((reason) => ({
      name: `waiting ${reason}`,
      why: `a container waiting with reason ${reason} cannot run`,
      pods: [waiting(reason, `details of ${reason}`)],
      expect: [WAITING_RULES[reason]?.check ?? ''],
      mentions: [reason],
    })),
  );
  table(podContainerWaiting, [
    {
      name: 'crash loop names the last exit code',
      why: 'the exit code tells the user where to look',
      pods: [
        waiting('CrashLoopBackOff', 'back-off 5m0s restarting failed container', {
          reason: 'Error',
          exitCode: 127,
          finishedAt: ago(2 * MIN),
        }),
      ],
      expect: ['pod.crash-loop'],
      severity: 'critical',
      mentions: ['exit code 127', 'logs web-7d9c6b8f5-x2x4k -c app --previous', 'owned by ReplicaSet web-7d9c6b8f5'],
    },
    {
      name: 'crash loop caused by OOM is an OOM finding',
      why: 'the memory limit, not the code, is what to fix',
      pods: [waiting('CrashLoopBackOff', undefined, { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(MIN) })],
      expect: ['pod.oom-killed'],
      severity: 'critical',
    },
    {
      name: 'terminated between two restarts',
      why: 'a crash-looping container shows terminated (not waiting) between back-offs',
      pods: [
        pod({
          statuses: [
            runningStatus({
              ready: false,
              restartCount: 4,
              state: { terminated: { reason: 'Error', exitCode: 1, finishedAt: ago(MIN) } },
            }),
          ],
        }),
      ],
      expect: ['pod.crash-loop'],
      mentions: ['exit code 1'],
    },
    {
      name: 'completed container that never restarted',
      why: 'a terminated container without restarts is not a loop',
      pods: [
        pod({
          statuses: [
            runningStatus({ ready: false, restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }),
          ],
        }),
      ],
      expect: [],
    },
    {
      name: 'PodInitializing is not a failure',
      why: 'containers wait for init containers normally',
      pods: [waiting('PodInitializing')],
      expect: [],
    },
    {
      name: 'ContainerCreating for long with FailedMount events',
      why: 'a volume that cannot be mounted blocks the pod',
      pods: [waiting('ContainerCreating')],
      events: [
        event({
          kind: 'Pod',
          name: 'web-7d9c6b8f5-x2x4k',
          reason: 'FailedMount',
          message: 'MountVolume.SetUp failed for volume "data": disk is attached to another node',
          count: 12,
        }),
      ],
      expect: ['pod.volume-mount-failed'],
      mentions: ['attached to another node'],
    },
    {
      name: 'ContainerCreating without mount events',
      why: 'pulling a big image takes time; no evidence of a problem',
      pods: [waiting('ContainerCreating')],
      expect: [],
    },
    {
      name: 'healthy running pod',
      why: 'nothing waits',
      pods: [pod({})],
      expect: [],
    },
    {
      name: 'two containers pulling badly in one pod',
      why: 'one finding per pod and check, naming both containers',
      pods: [
        pod({
          containers: [appContainer(), appContainer({ name: 'sidecar' })],
          statuses: [
            runningStatus({
              ready: false,
              state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
            }),
            runningStatus({
              name: 'sidecar',
              ready: false,
              state: { waiting: { reason: 'ErrImagePull', message: 'not found' } },
            }),
          ],
        }),
      ],
      expect: ['pod.image-pull-failed'],
      mentions: ['container app', 'container sidecar'],
    },
  ]);
});

describe('podOomKilled', () => {
  const oomStatus = (finishedAgo: number, ready = true) =>
    runningStatus({
      ready,
      restartCount: 4,
      state: { running: { startedAt: ago(finishedAgo - 1000) } },
      lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(finishedAgo) } },
    });
  table(podOomKilled, [
    {
      name: 'OOM-killed 10 minutes ago',
      why: 'recent OOM kill, as the restart alert would fire',
      pods: [pod({ statuses: [oomStatus(10 * MIN)] })],
      expect: ['pod.oom-killed'],
      mentions: ['memory limit 256Mi'],
    },
    {
      name: 'OOM-killed 5 days ago and ready now',
      why: 'old history of a recovered container (fixture 050 pattern)',
      pods: [pod({ statuses: [oomStatus(5 * 24 * HOUR)] })],
      expect: [],
    },
    {
      name: 'OOM-killed 2 hours ago and still not ready',
      why: 'it has not recovered since the kill',
      pods: [pod({ statuses: [oomStatus(2 * HOUR, false)] })],
      expect: ['pod.oom-killed'],
    },
    {
      name: 'terminated OOMKilled right now',
      why: 'the current state is the kill',
      pods: [
        pod({
          phase: 'Failed',
          restartPolicy: 'Never',
          statuses: [
            runningStatus({
              ready: false,
              state: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(3 * HOUR) } },
            }),
          ],
        }),
      ],
      expect: ['pod.oom-killed'],
    },
    {
      name: 'crash looping on OOM is left to the waiting analyzer',
      why: 'one finding per problem',
      pods: [
        pod({
          statuses: [
            runningStatus({
              ready: false,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: ago(MIN) } },
            }),
          ],
        }),
      ],
      expect: [],
    },
  ]);
});

describe('podTerminatedWithError', () => {
  table(podTerminatedWithError, [
    {
      name: 'job pod exited 2',
      why: 'a failed pod that is not restarted is a final failure (fixture 055 pattern)',
      pods: [
        pod({
          phase: 'Failed',
          restartPolicy: 'Never',
          owner: { kind: 'Job', name: 'nightly-report' },
          statuses: [runningStatus({ ready: false, state: { terminated: { reason: 'Error', exitCode: 2 } } })],
        }),
      ],
      expect: ['pod.failed'],
      mentions: ['exit code 2', 'owned by Job nightly-report'],
    },
    {
      name: 'completed pod',
      why: 'exit 0 is success',
      pods: [
        pod({
          phase: 'Succeeded',
          restartPolicy: 'Never',
          statuses: [runningStatus({ ready: false, state: { terminated: { reason: 'Completed', exitCode: 0 } } })],
        }),
      ],
      expect: [],
    },
    {
      name: 'evicted pod is not double-reported here',
      why: 'podEvicted reports it',
      pods: [
        pod({
          phase: 'Failed',
          reason: 'Evicted',
          statuses: [runningStatus({ ready: false, state: { terminated: { reason: 'Error', exitCode: 137 } } })],
        }),
      ],
      expect: [],
    },
  ]);
});

describe('podEvicted', () => {
  table(podEvicted, [
    {
      name: 'evicted for memory',
      why: 'status.reason Evicted',
      pods: [
        pod({
          phase: 'Failed',
          reason: 'Evicted',
          message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 90Mi.',
          statuses: [],
        }),
      ],
      expect: ['pod.evicted'],
      mentions: ['low on resource: memory', 'aks-nodepool1-12345678-vmss000000'],
    },
    {
      name: 'failed but not evicted',
      why: 'other failures have their own check',
      pods: [pod({ phase: 'Failed', statuses: [] })],
      expect: [],
    },
  ]);
});

describe('podUnschedulable', () => {
  const pending = (message: string) =>
    pod({
      phase: 'Pending',
      statuses: [],
      conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }],
    });
  table(podUnschedulable, [
    {
      name: 'insufficient cpu',
      why: 'the scheduler cannot place it',
      pods: [
        pending(
          '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
        ),
      ],
      expect: ['pod.unschedulable'],
      severity: 'critical',
      mentions: ['enough free CPU', '3 Insufficient cpu'],
    },
    {
      name: 'GPU request (fixture 020 pattern)',
      why: 'extended resources are a different fix',
      pods: [pending('0/1 nodes are available: 1 Insufficient nvidia.com/gpu.')],
      expect: ['pod.unschedulable'],
      mentions: ['extended resource'],
    },
    {
      name: 'scheduled pending pod',
      why: 'pulling images: PodScheduled is True',
      pods: [pod({ phase: 'Pending', statuses: [], conditions: [{ type: 'PodScheduled', status: 'True' }] })],
      expect: [],
    },
  ]);
  it.each([
    ["0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.", 'nodeSelector'],
    ['0/2 nodes are available: 2 node(s) had untolerated taint {sku: gpu}.', 'taint'],
    ['0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.', 'PersistentVolumeClaim'],
  ])('classifies %s', (message, word) => {
    expect(explainSchedulingFailure(message).cause).toContain(word);
  });
});

describe('podProbes', () => {
  const notReady = (runningFor: number, container = appContainer()) =>
    pod({
      containers: [container],
      statuses: [runningStatus({ ready: false, state: { running: { startedAt: ago(runningFor) } } })],
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
    });
  table(podProbes, [
    {
      name: 'not ready for 10 minutes with a readiness probe',
      why: 'the probe has had many chances to pass',
      pods: [notReady(10 * MIN)],
      events: [
        event({
          kind: 'Pod',
          name: 'web-7d9c6b8f5-x2x4k',
          reason: 'Unhealthy',
          message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
          count: 40,
        }),
      ],
      expect: ['pod.readiness-probe-failing'],
      mentions: ['HTTP GET /ready', 'statuscode: 503'],
    },
    {
      name: 'just started',
      why: 'within initialDelay + period × failureThreshold (and one minute)',
      pods: [notReady(20_000)],
      expect: [],
    },
    {
      name: 'not ready without a readiness probe',
      why: 'nothing says the probe fails',
      pods: [notReady(10 * MIN, appContainer({ readinessProbe: undefined }))],
      expect: [],
    },
    {
      name: 'liveness probe failures',
      why: 'the kubelet restarts the container',
      pods: [pod({})],
      events: [
        event({
          kind: 'Pod',
          name: 'web-7d9c6b8f5-x2x4k',
          reason: 'Unhealthy',
          message: 'Liveness probe failed: Get "http://10.244.0.9:8080/healthz": context deadline exceeded',
          count: 7,
        }),
      ],
      expect: ['pod.liveness-probe-failing'],
      mentions: ['7 Unhealthy events'],
    },
  ]);
});

describe('podRestarts', () => {
  const restarting = (count: number, lastAgo: number, reason = 'Error') =>
    pod({
      statuses: [
        runningStatus({
          restartCount: count,
          lastState: { terminated: { reason, exitCode: 1, finishedAt: ago(lastAgo) } },
        }),
      ],
    });
  table(podRestarts, [
    {
      name: '5 restarts, last 10 minutes ago',
      why: 'above the threshold of 3 and still happening',
      pods: [restarting(5, 10 * MIN)],
      expect: ['pod.restarts'],
      mentions: ['restarted 5 times'],
    },
    { name: '3 restarts', why: 'at, not above, the threshold', pods: [restarting(3, 10 * MIN)], expect: [] },
    {
      name: '257 restarts, last one months ago (fixture 051 pattern)',
      why: 'history, the pod runs fine',
      pods: [restarting(257, 90 * 24 * HOUR)],
      expect: [],
    },
    {
      name: 'restarts from OOM kills',
      why: 'podOomKilled reports those',
      pods: [restarting(9, 10 * MIN, 'OOMKilled')],
      expect: [],
    },
  ]);
  it('honours the configured threshold', async () => {
    const findings = await analyze(podRestarts, { pods: [restarting(5, 10 * MIN)] }, { restartThreshold: 10 });
    expect(findings).toEqual([]);
  });
});
