import { describe } from '@jest/globals';
import { nodeAnalyzer } from '../../../shared/sweep/analyzers/node.js';
import { persistentVolumeClaimAnalyzer } from '../../../shared/sweep/analyzers/persistentVolumeClaim.js';
import { horizontalPodAutoscalerAnalyzer } from '../../../shared/sweep/analyzers/horizontalPodAutoscaler.js';
import { podDisruptionBudgetAnalyzer } from '../../../shared/sweep/analyzers/podDisruptionBudget.js';
import type { KubeObject } from '../../../shared/kube/objects.js';
import { analyzerTable, ago, appContainer, event, HOUR, MIN, workload } from './sweepTestKit.js';

const healthyConditions = [
  { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory' },
  { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure' },
  { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID' },
  { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
];
const node = (conditions = healthyConditions, unschedulable?: boolean): KubeObject => ({
  metadata: { name: 'aks-nodepool1-12345678-vmss000001', labels: { agentpool: 'nodepool1' } },
  spec: { unschedulable },
  status: { conditions },
});
const withCondition = (type: string, status: string, extra: Record<string, string> = {}) =>
  healthyConditions.map((c) => (c.type === type ? { ...c, status, ...extra } : c));

describe('node', () => {
  analyzerTable(nodeAnalyzer, [
    { name: 'healthy node', why: 'Ready and no pressure', objects: { nodes: [node()] }, expect: [] },
    {
      name: 'NotReady',
      why: "Azure's recommended node NotReady alert",
      objects: {
        nodes: [
          node(
            withCondition('Ready', 'False', {
              reason: 'KubeletNotReady',
              message: 'container runtime network not ready',
              lastTransitionTime: ago(12 * MIN),
            }),
          ),
        ],
      },
      expect: ['node.not-ready'],
      severity: 'critical',
      mentions: ['for 12 min', 'container runtime network not ready'],
    },
    {
      name: 'Unknown (node stopped posting)',
      why: 'Ready=Unknown is not ready',
      objects: { nodes: [node(withCondition('Ready', 'Unknown', { reason: 'NodeStatusUnknown' }))] },
      expect: ['node.not-ready'],
    },
    {
      name: 'memory pressure',
      why: 'kubelet evicts pods',
      objects: { nodes: [node(withCondition('MemoryPressure', 'True', { reason: 'KubeletHasInsufficientMemory' }))] },
      expect: ['node.memory-pressure'],
      severity: 'warning',
    },
    {
      name: 'disk pressure',
      why: 'kubelet evicts pods',
      objects: { nodes: [node(withCondition('DiskPressure', 'True'))] },
      expect: ['node.disk-pressure'],
    },
    {
      name: 'cordoned',
      why: 'no new pods land on it',
      objects: { nodes: [node(healthyConditions, true)] },
      expect: ['node.cordoned'],
      severity: 'info',
    },
    {
      name: 'node-problem-detector condition',
      why: 'KernelDeadlock=True is a problem; False conditions are not',
      objects: {
        nodes: [
          node([
            ...healthyConditions,
            {
              type: 'KernelDeadlock',
              status: 'True',
              reason: 'DockerHung',
              message: 'task docker:7 blocked for more than 300 seconds',
            },
            { type: 'ReadonlyFilesystem', status: 'False', reason: 'FilesystemIsNotReadOnly' },
          ]),
        ],
      },
      expect: ['node.condition'],
      mentions: ['KernelDeadlock'],
    },
  ]);
});

const pvc = (phase: string, created = ago(HOUR), sc = 'managed-csi'): KubeObject => ({
  metadata: { name: 'data-db-0', namespace: 'shop', creationTimestamp: created },
  spec: { storageClassName: sc, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
  status: { phase },
});

describe('persistentVolumeClaim', () => {
  analyzerTable(persistentVolumeClaimAnalyzer, [
    { name: 'bound', why: 'healthy', objects: { persistentvolumeclaims: [pvc('Bound')] }, expect: [] },
    {
      name: 'pending with ProvisioningFailed (fixture 044 pattern)',
      why: 'the storage class does not exist',
      objects: {
        persistentvolumeclaims: [pvc('Pending', ago(HOUR), 'standard')],
        events: [
          event({
            kind: 'PersistentVolumeClaim',
            name: 'data-db-0',
            reason: 'ProvisioningFailed',
            message: 'storageclass.storage.k8s.io "standard" not found',
            count: 14,
          }),
        ],
      },
      expect: ['pvc.pending'],
      mentions: ['"standard" not found'],
    },
    {
      name: 'pending for an hour without events (fixture 048 pattern)',
      why: 'nothing binds it',
      objects: { persistentvolumeclaims: [pvc('Pending')] },
      expect: ['pvc.pending'],
    },
    {
      name: 'pending for a minute',
      why: 'provisioning takes a moment',
      objects: { persistentvolumeclaims: [pvc('Pending', ago(MIN))] },
      expect: [],
    },
    {
      name: 'waiting for first consumer',
      why: 'WaitForFirstConsumer binds when a pod uses it',
      objects: {
        persistentvolumeclaims: [pvc('Pending')],
        events: [
          event({
            kind: 'PersistentVolumeClaim',
            name: 'data-db-0',
            reason: 'ExternalProvisioning',
            message: 'waiting for first consumer to be created before binding',
          }),
        ],
      },
      expect: [],
    },
    {
      name: 'lost',
      why: 'the volume is gone',
      objects: { persistentvolumeclaims: [pvc('Lost')] },
      expect: ['pvc.lost'],
      severity: 'critical',
    },
  ]);
});

const hpa = (
  opts: { target?: string; current?: number; max?: number; conditions?: object[]; metric?: string } = {},
): KubeObject => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: opts.target ?? 'web' },
    minReplicas: 2,
    maxReplicas: opts.max ?? 10,
    metrics: [
      {
        type: 'Resource',
        resource: { name: opts.metric ?? 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ],
  },
  status: {
    currentReplicas: opts.current ?? 3,
    desiredReplicas: opts.current ?? 3,
    conditions: opts.conditions ?? [{ type: 'ScalingActive', status: 'True' }],
  },
});

describe('horizontalPodAutoscaler', () => {
  analyzerTable(horizontalPodAutoscalerAnalyzer, [
    {
      name: 'working autoscaler',
      why: 'target exists with requests, below max',
      objects: { horizontalpodautoscalers: [hpa()], deployments: [workload('Deployment')] },
      expect: [],
    },
    {
      name: 'target missing',
      why: 'scaleTargetRef points at nothing',
      objects: { horizontalpodautoscalers: [hpa({ target: 'web-old' })], deployments: [workload('Deployment')] },
      expect: ['hpa.target-missing'],
    },
    {
      name: 'at max',
      why: 'cannot scale further',
      objects: { horizontalpodautoscalers: [hpa({ current: 10 })], deployments: [workload('Deployment')] },
      expect: ['hpa.at-max-replicas'],
      mentions: ['maximum of 10'],
    },
    {
      name: 'utilisation without requests',
      why: 'CPU utilisation is undefined without CPU requests',
      objects: {
        horizontalpodautoscalers: [hpa()],
        deployments: [
          workload('Deployment', { containers: [appContainer({ resources: { limits: { memory: '1Gi' } } })] }),
        ],
      },
      expect: ['hpa.target-requests-missing'],
    },
    {
      name: 'ScalingActive False',
      why: 'metrics are unavailable',
      objects: {
        horizontalpodautoscalers: [
          hpa({
            conditions: [
              {
                type: 'ScalingActive',
                status: 'False',
                reason: 'FailedGetResourceMetric',
                message: 'unable to get metrics for resource cpu',
              },
            ],
          }),
        ],
        deployments: [workload('Deployment')],
      },
      expect: ['hpa.scaling-inactive'],
    },
  ]);
});

const pdb = (status: Record<string, number>): KubeObject => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
  status,
});

describe('podDisruptionBudget', () => {
  analyzerTable(podDisruptionBudgetAnalyzer, [
    {
      name: 'allows a disruption',
      why: '3 healthy, 2 required',
      objects: {
        poddisruptionbudgets: [pdb({ currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 })],
      },
      expect: [],
    },
    {
      name: 'blocks drains',
      why: 'minAvailable equals replicas: AKS upgrades hang',
      objects: {
        poddisruptionbudgets: [pdb({ currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0, expectedPods: 2 })],
      },
      expect: ['pdb.blocks-disruptions'],
      mentions: ['AKS upgrades'],
    },
    {
      name: 'selects nothing',
      why: 'expectedPods 0',
      objects: {
        poddisruptionbudgets: [pdb({ currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 })],
      },
      expect: ['pdb.no-pods'],
    },
  ]);
});
