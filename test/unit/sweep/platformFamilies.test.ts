// Network policies, availability and scheduling, resources, exposure, deprecated APIs, probes and images: a passing
// and a failing object per check.
import { describe } from '@jest/globals';
import { networkPolicyAnalyzer } from '../../../shared/sweep/analyzers/networkPolicy.js';
import { schedulingAnalyzer } from '../../../shared/sweep/analyzers/scheduling.js';
import { horizontalPodAutoscalerSpecAnalyzer } from '../../../shared/sweep/analyzers/horizontalPodAutoscalerSpec.js';
import { resourceHygieneAnalyzer } from '../../../shared/sweep/analyzers/resourceHygiene.js';
import { exposureAnalyzer } from '../../../shared/sweep/analyzers/exposure.js';
import { deprecatedApiAnalyzer } from '../../../shared/sweep/analyzers/deprecatedApi.js';
import { probeHygieneAnalyzer } from '../../../shared/sweep/analyzers/probeHygiene.js';
import type { Container, KubeObject } from '../../../shared/kube/objects.js';
import { analyzerTable, appContainer, workload } from './sweepTestKit.js';

const netpol = (name: string, spec: Record<string, unknown>, ns = 'shop'): KubeObject => ({
  metadata: { name, namespace: ns },
  spec,
});
const denyAll = netpol('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });

describe('networkPolicy', () => {
  analyzerTable(networkPolicyAnalyzer, [
    {
      name: 'default deny in the namespace',
      why: 'every pod selected for both directions',
      objects: { deployments: [workload('Deployment')], networkpolicies: [denyAll] },
      expect: [],
    },
    {
      name: 'namespace without any policy',
      why: 'one finding for the namespace, not one per workload',
      objects: { deployments: [workload('Deployment'), workload('Deployment', { name: 'api' })] },
      expect: ['netpol.namespace-without-policy'],
      mentions: ['Namespace shop'],
    },
    {
      name: 'workload selected by no policy',
      why: 'the namespace has policies, none for app=api',
      objects: {
        deployments: [workload('Deployment'), workload('Deployment', { name: 'api' })],
        networkpolicies: [
          netpol('web', {
            podSelector: { matchLabels: { app: 'web' } },
            policyTypes: ['Ingress', 'Egress'],
            ingress: [{ from: [{ podSelector: {} }] }],
          }),
        ],
      },
      expect: ['netpol.pod-not-selected'],
      severity: 'warning',
    },
    {
      name: 'policy selects nothing',
      why: 'no pod template carries app=gone',
      objects: {
        deployments: [workload('Deployment')],
        networkpolicies: [denyAll, netpol('gone', { podSelector: { matchLabels: { app: 'gone' } } })],
      },
      expect: ['netpol.selects-nothing'],
    },
    {
      name: 'allow-all ingress',
      why: 'an ingress rule without from allows every peer',
      objects: {
        deployments: [workload('Deployment')],
        networkpolicies: [denyAll, netpol('open', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })],
      },
      expect: ['netpol.allow-all'],
    },
  ]);
});

describe('scheduling', () => {
  const spread = {
    topologySpreadConstraints: [
      { topologyKey: 'kubernetes.io/hostname', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
    ],
  };
  analyzerTable(schedulingAnalyzer, [
    {
      name: 'replicas spread over nodes',
      why: 'topology spread on the hostname',
      objects: { deployments: [workload('Deployment', { podSpec: spread })] },
      expect: [],
    },
    {
      name: 'preferred anti-affinity on the zone',
      why: 'counts as spreading',
      objects: {
        deployments: [
          workload('Deployment', {
            podSpec: {
              affinity: {
                podAntiAffinity: {
                  preferredDuringSchedulingIgnoredDuringExecution: [
                    { weight: 100, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone' } },
                  ],
                },
              },
            },
          }),
        ],
      },
      expect: [],
    },
    {
      name: '3 replicas, nothing spreads them',
      why: 'they may all run on one node',
      objects: { deployments: [workload('Deployment')] },
      expect: ['availability.replicas-not-spread'],
    },
    {
      name: 'PDB-protected workload without priority class',
      why: 'declared critical, may be preempted',
      objects: {
        deployments: [workload('Deployment', { podSpec: spread })],
        poddisruptionbudgets: [
          {
            metadata: { name: 'web', namespace: 'shop' },
            spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'web' } } },
          },
        ],
      },
      expect: ['availability.priority-class-missing'],
    },
    {
      name: 'DaemonSet with a priority class',
      why: 'node agents with priorityClassName are fine',
      objects: {
        daemonsets: [workload('DaemonSet', { name: 'agent', podSpec: { priorityClassName: 'system-node-critical' } })],
      },
      expect: [],
    },
  ]);
});

const hpa = (spec: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    ...spec,
  },
});
describe('horizontalPodAutoscalerSpec', () => {
  analyzerTable(horizontalPodAutoscalerSpecAnalyzer, [
    {
      name: 'min 2, max 10',
      why: 'can scale both ways',
      objects: { horizontalpodautoscalers: [hpa({})], deployments: [workload('Deployment')] },
      expect: [],
    },
    {
      name: 'targets a DaemonSet',
      why: 'no scale subresource: silently never scales',
      objects: { horizontalpodautoscalers: [hpa({ scaleTargetRef: { kind: 'DaemonSet', name: 'agent' } })] },
      expect: ['hpa.target-kind-unsupported'],
    },
    {
      name: 'min = max',
      why: 'cannot scale',
      objects: { horizontalpodautoscalers: [hpa({ minReplicas: 4, maxReplicas: 4 })] },
      expect: ['hpa.min-equals-max'],
    },
    {
      name: 'minReplicas unset',
      why: 'defaults to 1',
      objects: { horizontalpodautoscalers: [hpa({ minReplicas: undefined })] },
      expect: ['hpa.min-replicas-one'],
    },
    {
      name: 'PDB minAvailable ≥ HPA minReplicas',
      why: 'at the minimum no eviction is allowed',
      objects: {
        horizontalpodautoscalers: [hpa({})],
        deployments: [workload('Deployment')],
        poddisruptionbudgets: [
          {
            metadata: { name: 'web', namespace: 'shop' },
            spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
          },
        ],
      },
      expect: ['availability.pdb-hpa-conflict'],
    },
  ]);
});

const withResources = (resources: Container['resources']) =>
  workload('Deployment', { containers: [appContainer({ resources })] });
const full = {
  requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '1Gi' },
  limits: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '1Gi' },
};
const optIns = {
  checks: {
    'resources.cpu-limit-missing': { enabled: true },
    'resources.requests-not-equal-limits': { enabled: true },
  },
  exemptions: [],
};
describe('resourceHygiene', () => {
  analyzerTable(resourceHygieneAnalyzer, [
    {
      name: 'everything declared, Guaranteed',
      why: 'passes even with the opt-in checks on',
      objects: { deployments: [withResources(full)] },
      policy: optIns,
      expect: [],
    },
    {
      name: 'no ephemeral storage',
      why: 'disk use unaccounted',
      objects: {
        deployments: [
          withResources({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '100m', memory: '128Mi' } }),
        ],
      },
      expect: ['resources.ephemeral-storage-missing'],
    },
    {
      name: 'Burstable, no CPU limit, opt-in checks off',
      why: 'the CPU-limit and QoS checks are opt-in: off by default',
      objects: { deployments: [withResources({ ...full, limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' } })] },
      expect: [],
    },
    {
      name: 'Burstable, no CPU limit, opt-in checks on',
      why: 'enabled in the policy',
      objects: { deployments: [withResources({ ...full, limits: { memory: '256Mi', 'ephemeral-storage': '1Gi' } })] },
      policy: optIns,
      expect: ['resources.cpu-limit-missing', 'resources.requests-not-equal-limits'],
    },
  ]);
});

const service = (name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  metadata: { name, namespace: 'shop', annotations },
  spec,
});
describe('exposure', () => {
  analyzerTable(exposureAnalyzer, [
    {
      name: 'ClusterIP, internal LB, restricted LB, TLS ingress',
      why: 'nothing open to everyone',
      objects: {
        services: [
          service('web', { type: 'ClusterIP' }),
          service(
            'int',
            { type: 'LoadBalancer' },
            { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' },
          ),
          service('pub', { type: 'LoadBalancer', loadBalancerSourceRanges: ['203.0.113.0/24'] }),
        ],
        ingresses: [
          {
            metadata: { name: 'web', namespace: 'shop' },
            spec: { tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }] },
          },
        ],
      },
      expect: [],
    },
    {
      name: 'public LoadBalancer',
      why: 'open to the internet',
      objects: { services: [service('pub', { type: 'LoadBalancer' })] },
      expect: ['exposure.load-balancer-unrestricted'],
    },
    {
      name: 'NodePort',
      why: 'every node listens',
      objects: { services: [service('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })] },
      expect: ['exposure.node-port'],
      mentions: ['30080'],
    },
    {
      name: 'ExternalName',
      why: 'redirectable alias',
      objects: { services: [service('ext', { type: 'ExternalName', externalName: 'db.example.com' })] },
      expect: ['exposure.external-name-service'],
    },
    {
      name: 'Ingress without TLS',
      why: 'plain HTTP',
      objects: {
        ingresses: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { rules: [{ host: 'shop.example.com' }] } }],
      },
      expect: ['exposure.ingress-without-tls'],
      mentions: ['shop.example.com'],
    },
  ]);
});

describe('deprecatedApi', () => {
  const cron = (apiVersion: string): KubeObject => ({ ...workload('CronJob'), apiVersion, kind: 'CronJob' });
  analyzerTable(deprecatedApiAnalyzer, [
    { name: 'current apiVersion', why: 'batch/v1 is served', objects: { cronjobs: [cron('batch/v1')] }, expect: [] },
    {
      name: 'batch/v1beta1 on 1.24',
      why: 'deprecated in 1.21, removed in 1.25: still applies but breaks on upgrade',
      objects: { cronjobs: [cron('batch/v1beta1')] },
      settings: { kubernetesVersion: '1.24.9' },
      expect: ['api.deprecated'],
      severity: 'warning',
    },
    {
      name: 'batch/v1beta1 on 1.30',
      why: 'removed: apply fails',
      objects: { cronjobs: [cron('batch/v1beta1')] },
      settings: { kubernetesVersion: '1.30.3' },
      expect: ['api.removed'],
      severity: 'critical',
      mentions: ['batch/v1'],
    },
  ]);
});

describe('probeHygiene', () => {
  const c = (over: Record<string, unknown>) =>
    ({ ...appContainer(), ports: [{ name: 'http', containerPort: 8080 }], ...over }) as Container;
  analyzerTable(probeHygieneAnalyzer, [
    {
      name: 'distinct probes on a declared port, pinned image',
      why: 'good',
      objects: { deployments: [workload('Deployment', { containers: [c({})] })] },
      expect: [],
    },
    {
      name: 'liveness identical to readiness',
      why: 'restart storms on a slow dependency',
      objects: {
        deployments: [
          workload('Deployment', {
            containers: [
              c({
                livenessProbe: { httpGet: { path: '/ready', port: 8080 } },
                readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              }),
            ],
          }),
        ],
      },
      expect: ['probes.liveness-equals-readiness'],
    },
    {
      name: 'probe on an undeclared named port',
      why: 'the kubelet cannot resolve it',
      objects: {
        deployments: [
          workload('Deployment', {
            containers: [c({ livenessProbe: { httpGet: { path: '/healthz', port: 'metrics' } } })],
          }),
        ],
      },
      expect: ['probes.port-not-exposed'],
      mentions: ['metrics'],
    },
    {
      name: ':latest with IfNotPresent',
      why: 'nodes keep the first pulled version',
      objects: {
        deployments: [
          workload('Deployment', { containers: [c({ image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' })] }),
        ],
      },
      expect: ['image.pull-policy-stale-latest'],
    },
  ]);
});
