// The objects every AKS cluster has before anyone deploys: namespaces, the kube-root-ca.crt ConfigMap the root CA
// publisher puts in each namespace, CoreDNS's Corefile, the kubernetes/kube-dns/metrics-server Services, the Secrets
// of the model and AKS's admission webhook.
import { APP_NAMESPACE } from '../clusterModel.js';
import { templateHash } from '../seededRandom.js';
import { meta, type Obj, type RenderContext } from './wire.js';

const NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', APP_NAMESPACE] as const;

export function renderNamespaces({ cluster, rv, createdMs }: RenderContext): Obj[] {
  // The app namespace is created an hour after the cluster; the system ones with it.
  return NAMESPACES.map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(
      name,
      undefined,
      `${templateHash(cluster.seed, 70, name.length)}-ns-${name}`,
      createdMs + (name === APP_NAMESPACE ? 3600_000 : 0),
      rv,
      { labels: { 'kubernetes.io/metadata.name': name } },
    ),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }));
}

function renderConfigMapsAndSecrets({ cluster, rv, createdMs }: RenderContext): Obj[] {
  const objects: Obj[] = [];
  for (const name of NAMESPACES) {
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('kube-root-ca.crt', name, `${templateHash(cluster.seed, 83, name.length)}-root`, createdMs, rv, {
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      }),
      data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n(simulated)\n-----END CERTIFICATE-----\n' },
    });
  }
  objects.push({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta('coredns', 'kube-system', `${templateHash(cluster.seed, 84)}-coredns`, createdMs, rv, {
      labels: {
        'addonmanager.kubernetes.io/mode': 'Reconcile',
        'k8s-app': 'kube-dns',
        'kubernetes.io/cluster-service': 'true',
      },
    }),
    data: {
      Corefile:
        '.:53 {\n    errors\n    ready\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n    import custom/*.override\n}\nimport custom/*.server\n',
    },
  });
  for (const s of cluster.secrets) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta(
        s.name,
        s.namespace,
        `${templateHash(cluster.seed, 85, s.name.length)}-secret`,
        createdMs + 3600_000,
        rv,
      ),
      type: s.type,
      data: Object.fromEntries(s.keys.map((k) => [k, ''])),
    });
  }
  return objects;
}

function renderCoreServices({ cluster, rv, createdMs }: RenderContext): Obj[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('kubernetes', 'default', `${templateHash(cluster.seed, 86)}-k8s`, createdMs, rv, {
        labels: { component: 'apiserver', provider: 'kubernetes' },
      }),
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        ports: [{ name: 'https', port: 443, targetPort: 443, protocol: 'TCP' }],
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('kube-dns', 'kube-system', `${templateHash(cluster.seed, 87)}-dns`, createdMs, rv, {
        labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      }),
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.10',
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        ],
        selector: { 'k8s-app': 'kube-dns' },
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('metrics-server', 'kube-system', `${templateHash(cluster.seed, 88)}-ms`, createdMs, rv, {
        labels: { 'k8s-app': 'metrics-server' },
      }),
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.0.0.184',
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }],
        selector: { 'k8s-app': 'metrics-server' },
        sessionAffinity: 'None',
      },
      status: { loadBalancer: {} },
    },
  ];
}

export function renderAdmissionWebhook({ cluster, rv, createdMs }: RenderContext): Obj {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: meta(
      'aks-webhook-admission-controller',
      undefined,
      `${templateHash(cluster.seed, 101)}-mwc`,
      createdMs,
      rv,
      { labels: { 'addonmanager.kubernetes.io/mode': 'Reconcile', 'kubernetes.azure.com/managedby': 'aks' } },
    ),
    webhooks: [
      {
        name: 'aks-webhook-admission-controller.azmk8s.io',
        admissionReviewVersions: ['v1'],
        clientConfig: {
          url: `https://${cluster.clusterName}-dns.hcp.eastus.azmk8s.io:443/aks-webhook-admission-controller`,
        },
        failurePolicy: 'Ignore',
        matchPolicy: 'Equivalent',
        namespaceSelector: {
          matchExpressions: [
            { key: 'control-plane', operator: 'DoesNotExist' },
            { key: 'kubernetes.azure.com/managedby', operator: 'NotIn', values: ['aks'] },
          ],
        },
        objectSelector: {},
        reinvocationPolicy: 'Never',
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }],
        sideEffects: 'None',
        timeoutSeconds: 3,
      },
    ],
  };
}

/** The system ConfigMaps, the model's Secrets and the built-in Services. */
export function renderPlatformObjects(ctx: RenderContext): Obj[] {
  return [...renderConfigMapsAndSecrets(ctx), ...renderCoreServices(ctx)];
}
