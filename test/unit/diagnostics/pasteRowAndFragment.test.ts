// A `kubectl get pods` row pasted with a nameless `kubectl describe pod` fragment is one pod, and a crash loop whose
// last termination was an OOM kill is diagnosed oom_killed: the back-off is the symptom, the last state its cause
// (kubectl describe prints both; k8sgpt and the kubelet read the back-off the same way). The texts are laid out
// exactly as kubectl prints them (printPod columns; the describe container block of describe.go).
import { describe, expect, it } from '@jest/globals';
import { parseDump } from '../../../shared/diagnostics/parse/parseDump.js';
import { diagnosePaste } from '../../../shared/diagnostics/diagnosePaste.js';

const NOW = new Date('2026-12-01T00:00:00Z');

const HEADER = 'NAME                          READY   STATUS             RESTARTS      AGE';
const CRASHING = 'api-7d9f8b6c5d-x2k4p          0/1     CrashLoopBackOff   7 (2m ago)    14m';
const RUNNING = [
  'web-5c6d7f8b9-abcde           1/1     Running            0             3d',
  'worker-6b7c8d9e0f-k2j4h       1/1     Running            0             3d',
];
const OOM_LAST_STATE = [
  '    Last State:     Terminated',
  '      Reason:       OOMKilled',
  '      Exit Code:    137',
  '      Started:      Mon, 30 Nov 2026 23:40:02 +0000',
  '      Finished:     Mon, 30 Nov 2026 23:40:09 +0000',
];

describe('a get pods row and a nameless describe fragment', () => {
  it('a CrashLoopBackOff row and `Last State: Terminated / OOMKilled / 137` are one pod, diagnosed oom_killed', () => {
    const text = [HEADER, CRASHING, '', ...OOM_LAST_STATE].join('\n');
    const { snapshot } = parseDump(text, { now: NOW });
    expect(snapshot.pods).toHaveLength(1);
    const status = snapshot.pods[0]?.status?.containerStatuses?.[0];
    expect(snapshot.pods[0]?.metadata?.name).toBe('api-7d9f8b6c5d-x2k4p');
    expect(status).toMatchObject({
      restartCount: 7,
      ready: false,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
    });
    const d = diagnosePaste(text, { now: () => NOW });
    expect(d).toMatchObject({ rootCause: 'oom_killed', target: { pod: 'api-7d9f8b6c5d-x2k4p' } });
    expect(d.summary).toMatch(/was OOMKilled; it is now CrashLoopBackOff/);
  });

  it('with several rows, the fragment is the only row that restarted', () => {
    const text = [HEADER, ...RUNNING, CRASHING, '', ...OOM_LAST_STATE].join('\n');
    const { snapshot } = parseDump(text, { now: NOW });
    expect(snapshot.pods.map((p) => p.metadata?.name).sort()).toEqual([
      'api-7d9f8b6c5d-x2k4p',
      'web-5c6d7f8b9-abcde',
      'worker-6b7c8d9e0f-k2j4h',
    ]);
    const d = diagnosePaste(text, { now: () => NOW });
    expect(d).toMatchObject({ rootCause: 'oom_killed', target: { pod: 'api-7d9f8b6c5d-x2k4p' } });
  });

  it('a container block with its own state and restart count joins the row it agrees with', () => {
    const block = [
      'Containers:',
      '  api:',
      '    Image:          myregistry.azurecr.io/api:1.4.2',
      '    State:          Waiting',
      '      Reason:       CrashLoopBackOff',
      ...OOM_LAST_STATE,
      '    Ready:          False',
      '    Restart Count:  7',
      '    Limits:',
      '      memory:  256Mi',
    ];
    const other = 'api-7d9f8b6c5d-q8w7e          0/1     CrashLoopBackOff   3 (1m ago)    14m';
    const { snapshot } = parseDump([HEADER, other, CRASHING, '', ...block].join('\n'), { now: NOW });
    expect(snapshot.pods).toHaveLength(2);
    const described = snapshot.pods.find((p) => p.status?.containerStatuses?.[0]?.name === 'api');
    expect(described?.metadata?.name).toBe('api-7d9f8b6c5d-x2k4p');
  });

  it('stays a pod of its own when two rows could be it', () => {
    const other = 'api-7d9f8b6c5d-q8w7e          0/1     CrashLoopBackOff   3 (1m ago)    14m';
    const { snapshot } = parseDump([HEADER, other, CRASHING, '', ...OOM_LAST_STATE].join('\n'), { now: NOW });
    expect(snapshot.pods.map((p) => p.metadata?.name).sort()).toEqual([
      '<pod>',
      'api-7d9f8b6c5d-q8w7e',
      'api-7d9f8b6c5d-x2k4p',
    ]);
  });
});

describe('a crash loop whose last termination was the OOM killer', () => {
  it('exit 137 recorded as Error, with a termination message that says out of memory, is oom_killed', () => {
    const text = [
      HEADER,
      CRASHING,
      '',
      '    State:          Waiting',
      '      Reason:       CrashLoopBackOff',
      '    Last State:     Terminated',
      '      Reason:       Error',
      '      Message:      Memory cgroup out of memory: Killed process 4127 (java)',
      '      Exit Code:    137',
      '    Ready:          False',
      '    Restart Count:  7',
    ].join('\n');
    const d = diagnosePaste(text, { now: () => NOW });
    expect(d.rootCause).toBe('oom_killed');
    expect(d.summary).toMatch(/killed by the OOM killer \(exit code 137, reason Error\)/);
  });

  it('exit 137 with nothing that names the OOM killer stays a crash loop (a liveness kill ends the same way)', () => {
    const text = [
      HEADER,
      CRASHING,
      '',
      '    Last State:     Terminated',
      '      Reason:       Error',
      '      Exit Code:    137',
    ].join('\n');
    expect(diagnosePaste(text, { now: () => NOW }).rootCause).toBe('crash_loop');
  });
});
