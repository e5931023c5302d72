import { describe, expect, it } from '@jest/globals';
import { containerResourcesAnalyzer } from '../../../shared/sweep/analyzers/containerResources.js';
import { containerProbesAnalyzer } from '../../../shared/sweep/analyzers/containerProbes.js';
import { containerSecurityAnalyzer } from '../../../shared/sweep/analyzers/containerSecurity.js';
import { imageTagAnalyzer, imageTagOf } from '../../../shared/sweep/analyzers/imageTag.js';
import { singleReplicaWithoutPdbAnalyzer } from '../../../shared/sweep/analyzers/singleReplicaWithoutPdb.js';
import { analyzerTable, appContainer, pod, workload } from './sweepTestKit.js';

describe('containerResources', () => {
  analyzerTable(containerResourcesAnalyzer, [
    {
      name: 'requests and memory limit set',
      why: 'the good default',
      objects: { deployments: [workload('Deployment')] },
      expect: [],
    },
    {
      name: 'no resources at all',
      why: 'requests and memory limit missing',
      objects: { deployments: [workload('Deployment', { containers: [appContainer({ resources: {} })] })] },
      expect: ['bestpractice.memory-limit-missing', 'bestpractice.requests-missing'],
      mentions: ['Deployment shop/web'],
    },
    {
      name: 'ReplicaSet owned by a Deployment',
      why: 'fixed in the Deployment, reported once there',
      objects: {
        replicasets: [
          workload('ReplicaSet', {
            owner: { kind: 'Deployment', name: 'web' },
            containers: [appContainer({ resources: {} })],
          }),
        ],
      },
      expect: [],
    },
    {
      name: 'bare pod without resources',
      why: 'a pod nobody owns is the object to fix',
      objects: {
        pods: [
          pod({
            owner: null,
            containers: [appContainer({ resources: { requests: { cpu: '100m', memory: '64Mi' } } })],
          }),
        ],
      },
      expect: ['bestpractice.memory-limit-missing'],
    },
    {
      name: 'exempt AKS namespace',
      why: 'kube-system components are managed by AKS',
      objects: {
        deployments: [
          workload('Deployment', {
            namespace: 'kube-system',
            name: 'coredns',
            containers: [appContainer({ resources: {} })],
          }),
        ],
      },
      expect: [],
    },
  ]);
});

describe('containerProbes', () => {
  analyzerTable(containerProbesAnalyzer, [
    { name: 'both probes', why: 'good', objects: { deployments: [workload('Deployment')] }, expect: [] },
    {
      name: 'no probes',
      why: 'traffic before ready; hangs never restarted',
      objects: {
        statefulsets: [
          workload('StatefulSet', {
            name: 'db',
            containers: [appContainer({ readinessProbe: undefined, livenessProbe: undefined })],
          }),
        ],
      },
      expect: ['bestpractice.readiness-probe-missing', 'bestpractice.liveness-probe-missing'],
    },
    {
      name: 'CronJob without probes',
      why: 'run-to-completion workloads need no probes',
      objects: {
        cronjobs: [
          workload('CronJob', { containers: [appContainer({ readinessProbe: undefined, livenessProbe: undefined })] }),
        ],
      },
      expect: [],
    },
  ]);
});

describe('containerSecurity', () => {
  analyzerTable(containerSecurityAnalyzer, [
    { name: 'non-root, unprivileged', why: 'good', objects: { deployments: [workload('Deployment')] }, expect: [] },
    {
      name: 'privileged',
      why: 'full node access',
      objects: {
        daemonsets: [
          workload('DaemonSet', {
            name: 'agent',
            containers: [appContainer({ securityContext: { privileged: true, runAsNonRoot: true } })],
          }),
        ],
      },
      expect: ['bestpractice.privileged'],
      severity: 'critical',
    },
    {
      name: 'no security context',
      why: 'root by default',
      objects: {
        deployments: [workload('Deployment', { containers: [appContainer({ securityContext: undefined })] })],
      },
      expect: ['bestpractice.run-as-root'],
    },
    {
      name: 'pod-level runAsNonRoot',
      why: 'inherited by containers',
      objects: {
        deployments: [
          workload('Deployment', {
            containers: [appContainer({ securityContext: undefined })],
            podSpec: { securityContext: { runAsNonRoot: true } },
          }),
        ],
      },
      expect: [],
    },
    {
      name: 'runAsUser 0',
      why: 'explicit root',
      objects: {
        deployments: [workload('Deployment', { containers: [appContainer({ securityContext: { runAsUser: 0 } })] })],
      },
      expect: ['bestpractice.run-as-root'],
    },
    {
      name: 'pod runAsUser 0, every container runAsNonRoot',
      why: 'not a root warning: the kubelet refuses to start such containers, a critical contradiction',
      objects: {
        deployments: [
          workload('Deployment', {
            containers: [appContainer({ securityContext: { runAsNonRoot: true } })],
            podSpec: { securityContext: { runAsUser: 0 } },
          }),
        ],
      },
      expect: ['security.run-as-non-root-conflict'],
      severity: 'critical',
      mentions: ['kubelet refuses'],
    },
    {
      name: 'pod with a non-controller owner reference',
      why: 'ownerReferences with controller: false do not make another object responsible for the spec',
      objects: {
        pods: [
          (() => {
            const p = pod({ containers: [appContainer({ securityContext: undefined })] });
            p.metadata!.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'holder', controller: false }];
            return p;
          })(),
        ],
      },
      expect: ['bestpractice.run-as-root'],
    },
  ]);
});

describe('imageTag', () => {
  analyzerTable(imageTagAnalyzer, [
    { name: 'versioned tag', why: 'pinned', objects: { deployments: [workload('Deployment')] }, expect: [] },
    {
      name: ':latest',
      why: 'floating',
      objects: { deployments: [workload('Deployment', { containers: [appContainer({ image: 'nginx:latest' })] })] },
      expect: ['bestpractice.latest-tag'],
      mentions: ['app=nginx:latest'],
    },
    {
      name: 'no tag',
      why: 'means latest',
      objects: {
        deployments: [
          workload('Deployment', { containers: [appContainer({ image: 'myregistry.azurecr.io:5000/shop/web' })] }),
        ],
      },
      expect: ['bestpractice.latest-tag'],
    },
    {
      name: 'digest',
      why: 'immutable',
      objects: {
        deployments: [
          workload('Deployment', {
            containers: [
              appContainer({ image: 'nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31' }),
            ],
          }),
        ],
      },
      expect: [],
    },
  ]);
  it.each([
    ['nginx', ''],
    ['nginx:1.27', '1.27'],
    ['registry:5000/team/app', ''],
    ['registry:5000/team/app:v2', 'v2'],
    ['app@sha256:abc', '@digest'],
  ])('tag of %s is "%s"', (image, tag) => {
    expect(imageTagOf(image)).toBe(tag);
  });
});

describe('singleReplicaWithoutPdb', () => {
  const pdb = (labels: Record<string, string>) => ({
    metadata: { name: 'web', namespace: 'shop' },
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  });
  analyzerTable(singleReplicaWithoutPdbAnalyzer, [
    {
      name: 'one replica, no PDB',
      why: 'down on every drain',
      objects: { deployments: [workload('Deployment', { replicas: 1 })], poddisruptionbudgets: [] },
      expect: ['bestpractice.single-replica-no-pdb'],
    },
    {
      name: 'one replica with a matching PDB',
      why: 'protected',
      objects: { deployments: [workload('Deployment', { replicas: 1 })], poddisruptionbudgets: [pdb({ app: 'web' })] },
      expect: [],
    },
    {
      name: 'PDB for another app',
      why: 'does not select this one',
      objects: { deployments: [workload('Deployment', { replicas: 1 })], poddisruptionbudgets: [pdb({ app: 'api' })] },
      expect: ['bestpractice.single-replica-no-pdb'],
    },
    {
      name: 'three replicas',
      why: 'survives a drain',
      objects: { deployments: [workload('Deployment', { replicas: 3 })] },
      expect: [],
    },
  ]);
});
