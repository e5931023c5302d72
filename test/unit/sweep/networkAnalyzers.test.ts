import { describe } from '@jest/globals';
import { serviceAnalyzer } from '../../../shared/sweep/analyzers/service.js';
import { ingressAnalyzer } from '../../../shared/sweep/analyzers/ingress.js';
import { webhookAnalyzer } from '../../../shared/sweep/analyzers/webhook.js';
import type { KubeObject } from '../../../shared/kube/objects.js';
import { analyzerTable, workload, type Objects } from './sweepTestKit.js';

const service = (
  name: string,
  ns = 'shop',
  spec: Record<string, unknown> = { selector: { app: name }, ports: [{ port: 80 }] },
): KubeObject => ({ metadata: { name, namespace: ns }, spec });
const endpoints = (name: string, ready: number, notReady = 0, ns = 'shop'): KubeObject => ({
  metadata: { name, namespace: ns },
  subsets:
    ready + notReady === 0
      ? undefined
      : [
          {
            addresses: Array.from({ length: ready }, (_, i) => ({ ip: `10.244.0.${i + 10}` })),
            notReadyAddresses: Array.from({ length: notReady }, (_, i) => ({ ip: `10.244.1.${i + 10}` })),
            ports: [{ port: 8080 }],
          },
        ],
});

describe('service', () => {
  analyzerTable(serviceAnalyzer, [
    {
      name: 'leader-election Endpoints',
      why: 'a client-go leader lock is an Endpoints object with no addresses, not a broken Service',
      objects: {
        services: [service('controller')],
        endpoints: [
          {
            metadata: {
              name: 'controller',
              namespace: 'shop',
              annotations: { 'control-plane.alpha.kubernetes.io/leader': '{"holderIdentity":"controller-0"}' },
            },
          },
        ],
      },
      expect: [],
    },
    {
      name: 'service with ready endpoints',
      why: 'traffic flows',
      objects: { services: [service('web')], endpoints: [endpoints('web', 2)] },
      expect: [],
    },
    {
      name: 'selector matches no pod',
      why: 'Endpoints object exists with no subsets',
      objects: { services: [service('web')], endpoints: [endpoints('web', 0)] },
      expect: ['service.no-endpoints'],
      mentions: ['app=web'],
    },
    {
      name: 'only not-ready endpoints',
      why: 'pods exist but fail readiness',
      objects: { services: [service('web')], endpoints: [endpoints('web', 0, 3)] },
      expect: ['service.no-endpoints'],
      mentions: ['3 matching pods exist but none is ready'],
    },
    {
      name: 'no Endpoints object at all',
      why: 'the endpoints controller always writes one: its absence is missing data, not an outage',
      objects: { services: [service('web')], endpoints: [] },
      expect: [],
    },
    {
      name: 'ExternalName service',
      why: 'has no endpoints by design',
      objects: { services: [service('ext', 'shop', { type: 'ExternalName', externalName: 'db.example.com' })] },
      expect: [],
    },
    {
      name: 'selector-less service',
      why: 'endpoints are managed by hand',
      objects: { services: [service('manual', 'shop', { ports: [{ port: 80 }] })] },
      expect: [],
    },
  ]);
});

const ingress = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
  metadata: { name: 'shop', namespace: 'shop', annotations },
  spec,
});
const ingressClass = (name: string, isDefault = false): KubeObject => ({
  metadata: { name, annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : undefined },
  spec: { controller: 'k8s.io/ingress-nginx' },
});
const rule = (svc: string) => ({
  host: 'shop.example.com',
  http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: svc, port: { number: 80 } } } }] },
});

/** The IngressClass of AKS's application routing add-on. */
const APP_ROUTING = 'webapprouting.kubernetes.azure.com';

/** An Ingress beside one IngressClass and the Service `web`: what the ingress cases vary is the Ingress and the class. */
const beside = (ing: KubeObject, cls: KubeObject): Objects => ({
  ingresses: [ing],
  ingressclasses: [cls],
  services: [service('web')],
});

describe('ingress', () => {
  analyzerTable(ingressAnalyzer, [
    {
      name: 'v1beta1 backends (serviceName/servicePort, spec.backend)',
      why: 'old manifests name the backend Service in serviceName; it exists, so no finding',
      objects: beside(
        {
          apiVersion: 'extensions/v1beta1',
          metadata: { name: 'legacy', namespace: 'shop' },
          spec: {
            ingressClassName: APP_ROUTING,
            backend: { serviceName: 'web', servicePort: 80 },
            rules: [{ http: { paths: [{ path: '/', backend: { serviceName: 'web', servicePort: 80 } }] } }],
          },
        },
        ingressClass(APP_ROUTING),
      ),
      expect: [],
    },
    {
      name: 'v1beta1 backend to a missing Service',
      why: 'serviceName is read, so a missing Service is still found',
      objects: beside(
        {
          apiVersion: 'networking.k8s.io/v1beta1',
          metadata: { name: 'legacy', namespace: 'shop' },
          spec: {
            ingressClassName: APP_ROUTING,
            rules: [{ http: { paths: [{ path: '/', backend: { serviceName: 'gone', servicePort: 80 } }] } }],
          },
        },
        ingressClass(APP_ROUTING),
      ),
      expect: ['ingress.backend-missing'],
      mentions: ['gone'],
    },
    {
      name: 'wired correctly',
      why: 'class and backend exist',
      objects: beside(ingress({ ingressClassName: APP_ROUTING, rules: [rule('web')] }), ingressClass(APP_ROUTING)),
      expect: [],
    },
    {
      name: 'unknown ingress class',
      why: 'no controller serves it',
      objects: beside(ingress({ ingressClassName: 'nginx', rules: [rule('web')] }), ingressClass(APP_ROUTING)),
      expect: ['ingress.class-missing'],
      mentions: ['IngressClass nginx'],
    },
    {
      name: 'no class but a default class exists',
      why: 'the default class serves it',
      objects: beside(ingress({ rules: [rule('web')] }), ingressClass('nginx', true)),
      expect: [],
    },
    {
      name: 'legacy annotation names an existing class',
      why: 'kubernetes.io/ingress.class is still honoured',
      objects: beside(
        ingress({ rules: [rule('web')] }, { 'kubernetes.io/ingress.class': 'nginx' }),
        ingressClass('nginx'),
      ),
      expect: [],
    },
    {
      name: 'backend service missing',
      why: 'requests get 503 from the controller',
      objects: beside(ingress({ ingressClassName: 'nginx', rules: [rule('web-v2')] }), ingressClass('nginx')),
      expect: ['ingress.backend-missing'],
      mentions: ['web-v2'],
    },
  ]);
});

const webhookConfig = (
  kind: 'validating' | 'mutating',
  svc: { namespace: string; name: string },
  failurePolicy?: string,
): KubeObject => ({
  metadata: { name: 'policy-webhook' },
  webhooks: [
    {
      name: 'validate.policy.example.com',
      failurePolicy,
      clientConfig: { service: svc },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
    },
  ],
});

describe('webhook', () => {
  // Every webhook here calls the Service policy/webhook; the cases vary what backs it.
  const backend = { namespace: 'policy', name: 'webhook' };
  const backendService = service('webhook', 'policy');
  /** A validating webhook and its Service, with what `backing` adds (a workload, Endpoints). */
  const validatingWith = (backing: Objects): Objects => ({
    validatingwebhookconfigurations: [webhookConfig('validating', backend)],
    services: [backendService],
    ...backing,
  });
  analyzerTable(webhookAnalyzer, [
    {
      name: 'manifest set: Service selects the webhook Deployment',
      why: 'no Endpoints (no live state): the spec shows a workload backs the Service',
      objects: validatingWith({ deployments: [workload('Deployment', { name: 'webhook', namespace: 'policy' })] }),
      expect: [],
    },
    {
      name: 'manifest set: Service exists but no workload backs it',
      why: 'without live state, a selector matching no pod template means the webhook can never answer',
      objects: validatingWith({ deployments: [workload('Deployment', { name: 'other', namespace: 'policy' })] }),
      expect: ['webhook.backend-unavailable'],
      severity: 'critical',
      mentions: ['matches no workload'],
    },
    {
      name: 'backend healthy',
      why: 'service exists with ready endpoints',
      objects: validatingWith({ endpoints: [endpoints('webhook', 1, 0, 'policy')] }),
      expect: [],
    },
    {
      name: 'service missing, failurePolicy Fail',
      why: 'every matching request is rejected',
      objects: {
        validatingwebhookconfigurations: [webhookConfig('validating', backend, 'Fail')],
        services: [],
        endpoints: [],
      },
      expect: ['webhook.backend-unavailable'],
      severity: 'critical',
      mentions: ['does not exist'],
    },
    {
      name: 'no ready endpoints, failurePolicy Ignore',
      why: 'requests pass but the policy is not enforced',
      objects: {
        mutatingwebhookconfigurations: [webhookConfig('mutating', backend, 'Ignore')],
        services: [backendService],
        endpoints: [endpoints('webhook', 0, 0, 'policy')],
      },
      expect: ['webhook.backend-unavailable'],
      severity: 'warning',
      mentions: ['no ready endpoints'],
    },
  ]);
});
