import { describe, expect, it } from '@jest/globals';
import { deploymentAnalyzer } from '../../../shared/sweep/analyzers/deployment.js';
import { replicaSetAnalyzer } from '../../../shared/sweep/analyzers/replicaSet.js';
import { statefulSetAnalyzer } from '../../../shared/sweep/analyzers/statefulSet.js';
import { daemonSetAnalyzer } from '../../../shared/sweep/analyzers/daemonSet.js';
import { jobAnalyzer } from '../../../shared/sweep/analyzers/job.js';
import { cronJobAnalyzer, isValidKubernetesSchedule } from '../../../shared/sweep/analyzers/cronJob.js';
import type { KubeObject } from '../../../shared/kube/objects.js';
import { analyzerTable, event, workload, type Objects } from './sweepTestKit.js';

describe('deployment', () => {
  analyzerTable(deploymentAnalyzer, [
    {
      name: '3 of 3 ready',
      why: 'healthy',
      objects: {
        deployments: [workload('Deployment', { status: { replicas: 3, readyReplicas: 3, availableReplicas: 3 } })],
      },
      expect: [],
    },
    {
      name: '4 of 5 ready',
      why: "exactly 80% is at, not below, Azure's recommended threshold",
      objects: {
        deployments: [workload('Deployment', { replicas: 5, status: { readyReplicas: 4, availableReplicas: 4 } })],
      },
      expect: [],
    },
    {
      name: '1 of 3 ready',
      why: 'below 80% ready',
      objects: { deployments: [workload('Deployment', { status: { readyReplicas: 1, availableReplicas: 1 } })] },
      expect: ['deployment.replicas-not-ready'],
      severity: 'warning',
      mentions: ['1 of 3 replicas ready', '33%'],
    },
    {
      name: '0 of 3 ready',
      why: 'nothing serves: critical (zero counts are omitted from a live status)',
      objects: {
        deployments: [
          workload('Deployment', {
            status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, unavailableReplicas: 3 },
          }),
        ],
      },
      expect: ['deployment.replicas-not-ready'],
      severity: 'critical',
    },
    {
      name: 'ready but not yet available',
      why: 'readyReplicas 3 with availableReplicas absent (0): minReadySeconds not passed, nothing serves yet',
      objects: {
        deployments: [workload('Deployment', { status: { observedGeneration: 1, replicas: 3, readyReplicas: 3 } })],
      },
      expect: ['deployment.replicas-not-ready'],
      severity: 'critical',
      mentions: ['status.availableReplicas 0'],
    },
    {
      name: 'manifest without status',
      why: 'helm template / GitOps output has no live state: replica counts are not checked',
      objects: {
        deployments: [
          workload('Deployment', { status: {} }),
          { ...workload('Deployment', { name: 'api' }), status: undefined },
        ],
      },
      expect: [],
    },
    {
      name: 'scaled to zero',
      why: 'zero desired replicas is intentional',
      objects: { deployments: [workload('Deployment', { replicas: 0, status: { observedGeneration: 2 } })] },
      expect: [],
    },
    {
      name: 'progress deadline exceeded',
      why: 'the rollout is stuck even though old replicas still serve',
      objects: {
        deployments: [
          workload('Deployment', {
            status: {
              readyReplicas: 3,
              availableReplicas: 3,
              conditions: [
                {
                  type: 'Progressing',
                  status: 'False',
                  reason: 'ProgressDeadlineExceeded',
                  message: 'ReplicaSet "web-5b7c" has timed out progressing.',
                },
              ],
            },
          }),
        ],
      },
      expect: ['deployment.rollout-stuck'],
      mentions: ['timed out progressing'],
    },
  ]);
});

describe('replicaSet', () => {
  analyzerTable(replicaSetAnalyzer, [
    {
      name: 'quota exceeded',
      why: 'ReplicaFailure=True: pods cannot be created',
      objects: {
        replicasets: [
          workload('ReplicaSet', {
            name: 'web-5b7c',
            status: {
              conditions: [
                {
                  type: 'ReplicaFailure',
                  status: 'True',
                  reason: 'FailedCreate',
                  message:
                    'pods "web-5b7c-abcde" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=4, limited: cpu=4',
                },
              ],
            },
          }),
        ],
        events: [
          event({
            kind: 'ReplicaSet',
            name: 'web-5b7c',
            reason: 'FailedCreate',
            message: 'Error creating: pods "web-5b7c-abcde" is forbidden: exceeded quota: compute',
          }),
        ],
      },
      expect: ['replicaset.create-failed'],
      mentions: ['exceeded quota'],
    },
    {
      name: 'no failure condition',
      why: 'healthy',
      objects: { replicasets: [workload('ReplicaSet', { status: { readyReplicas: 3 } })] },
      expect: [],
    },
  ]);
});

describe('statefulSet', () => {
  const svc = (name: string, spec: Record<string, unknown> = {}): KubeObject => ({
    metadata: { name, namespace: 'shop' },
    spec: { clusterIP: 'None', selector: { app: 'db' }, ...spec },
  });
  /** StatefulSet db naming `serviceName` as its governing Service, beside `services` (by default the headless db). */
  const db = (
    serviceName: string,
    status?: Record<string, unknown>,
    services: KubeObject[] = [svc('db')],
  ): Objects => ({
    statefulsets: [workload('StatefulSet', { name: 'db', spec: { serviceName }, status })],
    services,
  });
  analyzerTable(statefulSetAnalyzer, [
    {
      name: 'healthy with its headless service',
      why: 'all ready, service exists',
      objects: db('db', { readyReplicas: 3 }),
      expect: [],
    },
    {
      name: 'governing service missing',
      why: 'spec.serviceName points at nothing (k8sgpt statefulset check)',
      objects: db('db-headless', { readyReplicas: 3 }),
      expect: ['statefulset.service-missing'],
      mentions: ['db-headless'],
    },
    {
      name: '1 of 3 ready',
      why: 'below the ready threshold',
      objects: db('db', { readyReplicas: 1 }),
      expect: ['statefulset.replicas-not-ready'],
    },
    {
      name: 'manifest without status',
      why: 'no live state: readiness is not checked, the Service wiring still is',
      objects: db('db'),
      expect: [],
    },
    {
      name: 'governing service not headless',
      why: 'a ClusterIP Service gives the pods no per-pod DNS names',
      objects: db('db', undefined, [svc('db', { clusterIP: '10.0.12.7' })]),
      expect: ['statefulset.service-not-headless'],
    },
    {
      name: 'governing service selects other pods',
      why: 'the headless Service must select the StatefulSet pods for their DNS records',
      objects: db('db', undefined, [svc('db', { selector: { app: 'cache' } })]),
      expect: ['statefulset.service-selector-mismatch'],
      mentions: ['app=cache'],
    },
  ]);
});

describe('daemonSet', () => {
  analyzerTable(daemonSetAnalyzer, [
    {
      name: 'all ready',
      why: 'healthy',
      objects: {
        daemonsets: [
          workload('DaemonSet', { status: { desiredNumberScheduled: 5, numberReady: 5, numberUnavailable: 0 } }),
        ],
      },
      expect: [],
    },
    {
      name: '2 of 5 unavailable',
      why: 'some nodes lack a working pod',
      objects: {
        daemonsets: [
          workload('DaemonSet', { status: { desiredNumberScheduled: 5, numberReady: 3, numberUnavailable: 2 } }),
        ],
      },
      expect: ['daemonset.pods-unavailable'],
      severity: 'warning',
      mentions: ['2 of 5'],
    },
    {
      name: 'misscheduled',
      why: 'pods on nodes that no longer match',
      objects: {
        daemonsets: [
          workload('DaemonSet', { status: { desiredNumberScheduled: 5, numberReady: 5, numberMisscheduled: 1 } }),
        ],
      },
      expect: ['daemonset.misscheduled'],
    },
  ]);
});

describe('job', () => {
  analyzerTable(jobAnalyzer, [
    {
      name: 'backoff limit exceeded',
      why: 'Failed=True',
      objects: {
        jobs: [
          workload('Job', {
            name: 'report-28833120',
            owner: { kind: 'CronJob', name: 'report' },
            status: {
              failed: 7,
              conditions: [
                {
                  type: 'Failed',
                  status: 'True',
                  reason: 'BackoffLimitExceeded',
                  message: 'Job has reached the specified backoff limit',
                },
              ],
            },
          }),
        ],
      },
      expect: ['job.failed'],
      mentions: ['BackoffLimitExceeded', 'from CronJob report'],
    },
    {
      name: 'complete',
      why: 'succeeded',
      objects: {
        jobs: [workload('Job', { status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } })],
      },
      expect: [],
    },
  ]);
});

describe('cronJob', () => {
  analyzerTable(cronJobAnalyzer, [
    {
      name: 'valid schedule',
      why: 'five fields',
      objects: { cronjobs: [workload('CronJob', { name: 'report' })] },
      expect: [],
    },
    {
      name: 'invalid schedule',
      why: 'six fields are not Kubernetes cron',
      objects: { cronjobs: [workload('CronJob', { name: 'report', spec: { schedule: '0 */5 * * * *' } })] },
      expect: ['cronjob.invalid-schedule'],
      severity: 'critical',
    },
    {
      name: 'suspended',
      why: 'no Jobs are created',
      objects: { cronjobs: [workload('CronJob', { name: 'report', spec: { schedule: '@hourly', suspend: true } })] },
      expect: ['cronjob.suspended'],
      severity: 'info',
    },
    {
      name: 'negative deadline',
      why: 'every run is missed',
      objects: {
        cronjobs: [
          workload('CronJob', { name: 'report', spec: { schedule: '0 3 * * *', startingDeadlineSeconds: -10 } }),
        ],
      },
      expect: ['cronjob.negative-deadline'],
    },
  ]);
  it.each([
    ['*/5 * * * *', true],
    ['@daily', true],
    ['CRON_TZ=Europe/Paris 0 3 * * 1-5', true],
    ['61 * * * *', false],
    ['every day', false],
  ])('schedule %s valid: %s', (s, ok) => {
    expect(isValidKubernetesSchedule(s)).toBe(ok);
  });
});
