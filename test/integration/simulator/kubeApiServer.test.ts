// The simulated Kubernetes API seen through the real @kubernetes/client-node over HTTPS (and kubectl when present):
// each case is a behaviour a sweep, a diagnosis or a person at a terminal relies on.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ApiException,
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  VersionApi,
  type V1Pod,
} from '@kubernetes/client-node';
import { ensureLocalTls } from '../../../dev/tls.js';
import {
  createStaticKubeSource,
  startKubeApiServer,
  type KubeApiServer,
  type KubeObjectSource,
} from '../../../shared/simulator/kubeApi/kubeApiServer.js';

const created = '2026-11-01T10:00:00Z';

function pod(
  ns: string,
  name: string,
  labels: Record<string, string>,
  opts: { node?: string; phase?: string; containers?: string[]; lastTerminated?: boolean; waiting?: string } = {},
) {
  const containers = opts.containers ?? ['app'];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, uid: `uid-${name}`, creationTimestamp: created, resourceVersion: '7' },
    spec: {
      nodeName: opts.node ?? 'aks-nodepool1-12345678-vmss000000',
      containers: containers.map((c) => ({ name: c, image: `example/${c}:1` })),
    },
    status: {
      phase: opts.phase ?? 'Running',
      podIP: '10.244.0.5',
      containerStatuses: containers.map((c) => ({
        name: c,
        ready: !opts.waiting,
        restartCount: opts.lastTerminated ? 4 : 0,
        image: `example/${c}:1`,
        imageID: '',
        state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: { startedAt: created } },
        ...(opts.lastTerminated
          ? { lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: created } } }
          : {}),
      })),
    },
  };
}

/** An event the kubelet reported about pod shop/`pod` (core/v1 Event; its name is `<pod>.<suffix>` as in a cluster). */
function kubeletPodEvent(pod: string, suffix: string, type: 'Normal' | 'Warning', reason: string, message: string) {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${pod}.${suffix}`, namespace: 'shop', creationTimestamp: created },
    involvedObject: { kind: 'Pod', name: pod, namespace: 'shop' },
    reason,
    type,
    message,
    source: { component: 'kubelet' },
    lastTimestamp: created,
  };
}

const objects: Array<Record<string, unknown>> = [
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'default', creationTimestamp: created },
    status: { phase: 'Active' },
  },
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'kube-system', creationTimestamp: created },
    status: { phase: 'Active' },
  },
  {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop', creationTimestamp: created },
    status: { phase: 'Active' },
  },
  ...['vmss000000', 'vmss000001'].map((suffix, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `aks-nodepool1-12345678-${suffix}`,
      labels: { 'kubernetes.azure.com/agentpool': 'nodepool1', 'kubernetes.io/os': 'linux' },
      creationTimestamp: created,
    },
    status: {
      conditions: [{ type: 'Ready', status: i === 0 ? 'True' : 'False' }],
      nodeInfo: { kubeletVersion: 'v1.30.6' },
    },
  })),
  pod('shop', 'api-gateway-7d9f8-a1', { app: 'api-gateway', tier: 'front' }),
  pod(
    'shop',
    'api-gateway-7d9f8-b2',
    { app: 'api-gateway', tier: 'front' },
    { node: 'aks-nodepool1-12345678-vmss000001' },
  ),
  pod(
    'shop',
    'payment-service-5c6d-c3',
    { app: 'payment-service', tier: 'back' },
    { lastTerminated: true, waiting: 'CrashLoopBackOff' },
  ),
  pod(
    'shop',
    'user-service-84b2-d4',
    { app: 'user-service', tier: 'back', canary: 'true' },
    { containers: ['app', 'istio-proxy'] },
  ),
  pod(
    'shop',
    'notification-service-6f-e5',
    { app: 'notification-service' },
    { phase: 'Pending', waiting: 'ImagePullBackOff' },
  ),
  pod('kube-system', 'coredns-6f8d7-x1', { 'k8s-app': 'kube-dns' }),
  pod('default', 'batch-once-z9', { app: 'batch' }, { phase: 'Succeeded' }),
  kubeletPodEvent(
    'payment-service-5c6d-c3',
    '17f1',
    'Warning',
    'BackOff',
    'Back-off restarting failed container app in pod payment-service-5c6d-c3_shop(uid)',
  ),
  kubeletPodEvent('api-gateway-7d9f8-a1', '17f2', 'Normal', 'Pulled', 'Container image already present on machine'),
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'payment-db', namespace: 'shop', creationTimestamp: created },
    type: 'Opaque',
    data: { password: 'c2VjcmV0' },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api-gateway', namespace: 'shop', creationTimestamp: created },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'api-gateway' } },
      template: {
        metadata: { labels: { app: 'api-gateway' } },
        spec: { containers: [{ name: 'app', image: 'example/app:1' }] },
      },
    },
    status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 },
  },
  {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name: 'api-gateway-7d9f8-a1', namespace: 'shop', creationTimestamp: created },
    timestamp: created,
    window: '30s',
    containers: [{ name: 'app', usage: { cpu: '120m', memory: '210Mi' } }],
  },
];

const logs = {
  'shop/payment-service-5c6d-c3/app': 'starting\nlistening on :8080\n',
  'shop/payment-service-5c6d-c3/app/previous': 'line 1\nline 2\nline 3\nfatal error: runtime: out of memory\n',
  'shop/user-service-84b2-d4/app': 'user-service ready\n',
};

/** A source whose revision the test can bump, to play "the cluster changed between two pages". */
function mutableRevision(inner: KubeObjectSource): KubeObjectSource & { bump(): void } {
  let rev = 100;
  return {
    list: (r, ns) => inner.list(r, ns),
    count: inner.count ? (r, ns) => inner.count!(r, ns) : undefined,
    podLog: inner.podLog ? (...a) => inner.podLog!(...a) : undefined,
    revision: () => String(rev),
    bump: () => {
      rev++;
    },
  };
}

const TOKEN = 'test-token-abc';
const source = mutableRevision(createStaticKubeSource(objects, { logs }));
let server: KubeApiServer;
let kc: KubeConfig;
let core: CoreV1Api;

function clientFor(token: string): CoreV1Api {
  const k = new KubeConfig();
  k.loadFromString(server.kubeconfig({ token }));
  return k.makeApiClient(CoreV1Api);
}

async function apiError(p: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiException) {
      const raw = err.body as unknown;
      const body =
        typeof raw === 'string'
          ? (JSON.parse(raw) as Record<string, unknown>)
          : ((raw ?? {}) as Record<string, unknown>);
      return { code: err.code, body };
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  let throttleNext = false;
  server = await startKubeApiServer({
    source,
    tls,
    token: TOKEN,
    authenticate: (t) => (t === TOKEN ? 'ok' : t === 'reader-without-rights' ? 'forbidden' : 'unauthorized'),
    interceptor: ({ path: p }) => {
      if (p === '/api/v1/namespaces/throttle/configmaps') {
        throttleNext = !throttleNext;
        if (throttleNext)
          return {
            status: 429,
            headers: { 'Retry-After': '1' },
            body: {
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Failure',
              message: 'Too many requests, please try again later.',
              reason: 'TooManyRequests',
              code: 429,
            },
          };
      }
      return undefined;
    },
  });
  kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  core = kc.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await server.close();
});

describe('discovery', () => {
  it('answers /version, /api, /apis and resource lists as kube-apiserver does', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'autoscaling',
        'policy',
        'networking.k8s.io',
        'storage.k8s.io',
        'admissionregistration.k8s.io',
        'metrics.k8s.io',
      ]),
    );
    const coreResources = await core.getAPIResources();
    expect(coreResources.groupVersion).toBe('v1');
    const byName = new Map(coreResources.resources.map((r) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({ kind: 'Pod', namespaced: true, shortNames: ['po'] });
    expect(byName.get('nodes')?.namespaced).toBe(false);
    expect(byName.get('pods/log')?.verbs).toEqual(['get']);
    const apps = await kc.makeApiClient(AppsV1Api).getAPIResources();
    expect(apps.resources.map((r) => r.name)).toEqual(
      expect.arrayContaining(['deployments', 'replicasets', 'statefulsets', 'daemonsets']),
    );
  });
});

describe('list and get', () => {
  it('lists cluster-wide and per namespace in namespace/name order with a resourceVersion', async () => {
    const all = await core.listPodForAllNamespaces();
    expect(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([
      'default/batch-once-z9',
      'kube-system/coredns-6f8d7-x1',
      'shop/api-gateway-7d9f8-a1',
      'shop/api-gateway-7d9f8-b2',
      'shop/notification-service-6f-e5',
      'shop/payment-service-5c6d-c3',
      'shop/user-service-84b2-d4',
    ]);
    expect(all.metadata?.resourceVersion).toBe('100');
    const shop = await core.listNamespacedPod({ namespace: 'shop' });
    expect(shop.items).toHaveLength(5);
    // A namespace with nothing in it is an empty list, not an error.
    expect((await core.listNamespacedPod({ namespace: 'nowhere' })).items).toEqual([]);
  });

  it('gets one object by name and answers 404 with a NotFound Status for a missing one', async () => {
    const p: V1Pod = await core.readNamespacedPod({ namespace: 'shop', name: 'payment-service-5c6d-c3' });
    expect(p.status?.containerStatuses?.[0]?.lastState?.terminated?.reason).toBe('OOMKilled');
    const node = await core.readNode({ name: 'aks-nodepool1-12345678-vmss000001' });
    expect(node.status?.conditions?.[0]?.status).toBe('False');
    const missing = await apiError(core.readNamespacedPod({ namespace: 'shop', name: 'ghost' }));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'NotFound',
      message: 'pods "ghost" not found',
      details: { name: 'ghost', kind: 'pods' },
      code: 404,
    });
    const deploy = await apiError(
      kc.makeApiClient(AppsV1Api).readNamespacedDeployment({ namespace: 'shop', name: 'nope' }),
    );
    expect(deploy.body.message).toBe('deployments.apps "nope" not found');
  });

  it('never serves Secret data, in lists or by name', async () => {
    const list = await core.listNamespacedSecret({ namespace: 'shop' });
    expect(list.items.map((s) => s.metadata?.name)).toEqual(['payment-db']);
    expect(list.items[0]?.data).toBeUndefined();
    const one = await core.readNamespacedSecret({ namespace: 'shop', name: 'payment-db' });
    expect(one.data).toBeUndefined();
    expect(one.type).toBe('Opaque');
  });

  it('serves metrics.k8s.io pod usage as kubectl top reads it', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const m = (await custom.listNamespacedCustomObject({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      namespace: 'shop',
      plural: 'pods',
    })) as { kind: string; items: Array<{ containers: Array<{ usage: { memory: string } }> }> };
    expect(m.kind).toBe('PodMetricsList');
    expect(m.items[0]?.containers[0]?.usage.memory).toBe('210Mi');
  });
});

describe('pagination', () => {
  it('pages with limit/continue and remainingItemCount, covering every object exactly once', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    const remaining: Array<number | undefined> = [];
    do {
      const page = await core.listPodForAllNamespaces({ limit: 3, _continue: token });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((p) => p.metadata?.name ?? ''));
      token = page.metadata?._continue;
      remaining.push(page.metadata?.remainingItemCount);
    } while (token);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(remaining).toEqual([4, 1, undefined]);
  });

  it('resumes correctly from a token even when the server no longer holds its cursor (token reused)', async () => {
    const first = await core.listNamespacedPod({ namespace: 'shop', limit: 2 });
    const token = first.metadata?._continue;
    expect(token).toBeDefined();
    const a = await core.listNamespacedPod({ namespace: 'shop', limit: 2, _continue: token });
    const b = await core.listNamespacedPod({ namespace: 'shop', limit: 2, _continue: token });
    expect(b.items.map((p) => p.metadata?.name)).toEqual(a.items.map((p) => p.metadata?.name));
    expect(a.items.map((p) => p.metadata?.name)).toEqual(['notification-service-6f-e5', 'payment-service-5c6d-c3']);
  });

  it('answers 410 Expired with an inconsistent continue token when the data changed since the first page', async () => {
    const first = await core.listPodForAllNamespaces({ limit: 2 });
    source.bump();
    const err = await apiError(core.listPodForAllNamespaces({ limit: 2, _continue: first.metadata?._continue }));
    expect(err.code).toBe(410);
    expect(err.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(typeof (err.body.metadata as { continue?: string }).continue).toBe('string');
    // A fresh list works again.
    expect((await core.listPodForAllNamespaces({ limit: 2 })).items).toHaveLength(2);
  });

  it('rejects a token from another list with 400', async () => {
    const first = await core.listPodForAllNamespaces({ limit: 2 });
    const err = await apiError(
      core.listNamespacedEvent({ namespace: 'shop', limit: 2, _continue: first.metadata?._continue }),
    );
    expect(err.code).toBe(400);
    expect(err.body.reason).toBe('BadRequest');
  });

  it('pages through a selective label selector without losing matches', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 1, labelSelector: 'tier=back', _continue: token });
      seen.push(...page.items.map((p) => p.metadata?.name ?? ''));
      expect(page.metadata?.remainingItemCount).toBeUndefined();
      token = page.metadata?._continue;
    } while (token);
    expect(seen).toEqual(['payment-service-5c6d-c3', 'user-service-84b2-d4']);
  });
});

describe('selectors', () => {
  const names = async (opts: { labelSelector?: string; fieldSelector?: string; namespace?: string }) => {
    const list = opts.namespace
      ? await core.listNamespacedPod({
          namespace: opts.namespace,
          labelSelector: opts.labelSelector,
          fieldSelector: opts.fieldSelector,
        })
      : await core.listPodForAllNamespaces({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector });
    return list.items.map((p) => p.metadata?.name);
  };

  it.each([
    ['app=api-gateway', ['api-gateway-7d9f8-a1', 'api-gateway-7d9f8-b2']],
    ['app==user-service', ['user-service-84b2-d4']],
    // != also matches pods without the label at all, as in Kubernetes.
    [
      'tier!=front',
      [
        'batch-once-z9',
        'coredns-6f8d7-x1',
        'notification-service-6f-e5',
        'payment-service-5c6d-c3',
        'user-service-84b2-d4',
      ],
    ],
    ['app in (payment-service, user-service)', ['payment-service-5c6d-c3', 'user-service-84b2-d4']],
    [
      'tier notin (front),app',
      ['batch-once-z9', 'notification-service-6f-e5', 'payment-service-5c6d-c3', 'user-service-84b2-d4'],
    ],
    ['canary', ['user-service-84b2-d4']],
    ['!app', ['coredns-6f8d7-x1']],
    ['tier=back,!canary', ['payment-service-5c6d-c3']],
  ])('labelSelector %s', async (selector, expected) => {
    expect(await names({ labelSelector: selector })).toEqual(expected);
  });

  it.each([
    ['spec.nodeName=aks-nodepool1-12345678-vmss000001', ['api-gateway-7d9f8-b2']],
    ['status.phase=Pending', ['notification-service-6f-e5']],
    ['status.phase!=Running', ['batch-once-z9', 'notification-service-6f-e5']],
    ['metadata.name=coredns-6f8d7-x1', ['coredns-6f8d7-x1']],
    ['metadata.namespace=default', ['batch-once-z9']],
    [
      'status.phase=Running,spec.nodeName!=aks-nodepool1-12345678-vmss000001',
      ['coredns-6f8d7-x1', 'api-gateway-7d9f8-a1', 'payment-service-5c6d-c3', 'user-service-84b2-d4'],
    ],
  ])('fieldSelector %s', async (selector, expected) => {
    expect(await names({ fieldSelector: selector })).toEqual(expected);
  });

  it('selects events by involvedObject fields, as diagnostics do', async () => {
    const ev = await core.listNamespacedEvent({
      namespace: 'shop',
      fieldSelector: 'involvedObject.name=payment-service-5c6d-c3,involvedObject.kind=Pod',
    });
    expect(ev.items.map((e) => e.reason)).toEqual(['BackOff']);
    const warnings = await core.listEventForAllNamespaces({ fieldSelector: 'type!=Normal' });
    expect(warnings.items.map((e) => e.reason)).toEqual(['BackOff']);
  });

  it('answers 400 for an unsupported field or a malformed label selector', async () => {
    const field = await apiError(core.listPodForAllNamespaces({ fieldSelector: 'spec.priority=3' }));
    expect(field.code).toBe(400);
    expect(field.body).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'field label not supported: spec.priority',
    });
    const label = await apiError(core.listPodForAllNamespaces({ labelSelector: 'app in (a b' }));
    expect(label.code).toBe(400);
    expect(String(label.body.message)).toMatch(/unable to parse requirement/);
  });
});

describe('authentication and faults', () => {
  it('answers 401 Unauthorized for a wrong or missing token', async () => {
    const err = await apiError(clientFor('wrong').listNamespacedPod({ namespace: 'shop' }));
    expect(err.code).toBe(401);
    // client-node drops 401 bodies; the raw response carries the Status kube-apiserver sends.
    const res = await fetch(`${server.url}/api/v1/pods`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  it('answers 403 Forbidden naming the verb, resource and scope', async () => {
    const err = await apiError(clientFor('reader-without-rights').listNamespacedSecret({ namespace: 'shop' }));
    expect(err.code).toBe(403);
    expect(err.body).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403, details: { kind: 'secrets' } });
    expect(String(err.body.message)).toContain(
      'cannot list resource "secrets" in API group "" in the namespace "shop"',
    );
  });

  it('lets tests inject throttling (429 + Retry-After) and counts requests', async () => {
    const before = server.requestCount();
    const err = await apiError(core.listNamespacedConfigMap({ namespace: 'throttle' }));
    expect(err.code).toBe(429);
    expect(err.body.reason).toBe('TooManyRequests');
    expect((await core.listNamespacedConfigMap({ namespace: 'throttle' })).items).toEqual([]);
    expect(server.requestCount()).toBe(before + 2);
  });

  it('answers 405 for writes: the simulated cluster is read-only', async () => {
    const res = await fetch(`${server.url}/api/v1/namespaces/shop/pods`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
      body: '{}',
    });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { reason: string }).reason).toBe('MethodNotAllowed');
  });
});

describe('pods/log', () => {
  it('returns the current and the previous container log, with tailLines', async () => {
    expect(await core.readNamespacedPodLog({ namespace: 'shop', name: 'payment-service-5c6d-c3' })).toBe(
      'starting\nlistening on :8080\n',
    );
    const prev = await core.readNamespacedPodLog({
      namespace: 'shop',
      name: 'payment-service-5c6d-c3',
      container: 'app',
      previous: true,
      tailLines: 2,
    });
    expect(prev).toBe('line 3\nfatal error: runtime: out of memory\n');
  });

  it('asks for a container name when the pod has several, and rejects an unknown one', async () => {
    const err = await apiError(core.readNamespacedPodLog({ namespace: 'shop', name: 'user-service-84b2-d4' }));
    expect(err.code).toBe(400);
    expect(String(err.body.message)).toBe(
      'a container name must be specified for pod user-service-84b2-d4, choose one of: [app istio-proxy]',
    );
    expect(await core.readNamespacedPodLog({ namespace: 'shop', name: 'user-service-84b2-d4', container: 'app' })).toBe(
      'user-service ready\n',
    );
    const bad = await apiError(
      core.readNamespacedPodLog({ namespace: 'shop', name: 'user-service-84b2-d4', container: 'nginx' }),
    );
    expect(bad.body.message).toBe('container nginx is not valid for pod user-service-84b2-d4');
  });

  it('answers like the kubelet when there is no previous container or the container never started', async () => {
    const noPrev = await apiError(
      core.readNamespacedPodLog({ namespace: 'shop', name: 'api-gateway-7d9f8-a1', previous: true }),
    );
    expect(noPrev.code).toBe(400);
    expect(noPrev.body.message).toBe('previous terminated container "app" in pod "api-gateway-7d9f8-a1" not found');
    const waiting = await apiError(
      core.readNamespacedPodLog({ namespace: 'shop', name: 'notification-service-6f-e5' }),
    );
    expect(waiting.body.message).toBe(
      'container "app" in pod "notification-service-6f-e5" is waiting to start: trying and failing to pull image',
    );
    const missing = await apiError(core.readNamespacedPodLog({ namespace: 'shop', name: 'ghost' }));
    expect(missing.code).toBe(404);
  });
});

describe('server-side printing and kubectl', () => {
  it('returns a meta.k8s.io Table when asked, with the kubectl pod STATUS column', async () => {
    const res = await fetch(`${server.url}/api/v1/namespaces/shop/pods?limit=500`, {
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
      },
    });
    const table = (await res.json()) as {
      kind: string;
      columnDefinitions: Array<{ name: string }>;
      rows: Array<{ cells: unknown[] }>;
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name).slice(0, 5)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
    ]);
    const payment = table.rows.find((r) => r.cells[0] === 'payment-service-5c6d-c3');
    expect(payment?.cells[2]).toBe('CrashLoopBackOff');
    expect(String(payment?.cells[3])).toMatch(/^4 \(.+ ago\)$/);
  });

  const kubectl = (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((d) => d !== '' && existsSync(path.join(d, 'kubectl')));

  (kubectl ? it : it.skip)('works with kubectl get and kubectl top through a written kubeconfig', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kubeapi-'));
    try {
      const file = path.join(dir, 'kubeconfig');
      await server.writeKubeconfig(file);
      const run = promisify(execFile);
      const env = { ...process.env, HOME: dir, KUBECACHEDIR: path.join(dir, 'cache') };
      const pods = await run('kubectl', ['--kubeconfig', file, 'get', 'pods', '-n', 'shop'], { env });
      expect(pods.stdout).toMatch(/payment-service-5c6d-c3\s+0\/1\s+CrashLoopBackOff/);
      expect(pods.stdout).toMatch(/notification-service-6f-e5\s+0\/1\s+ImagePullBackOff/);
      const nodes = await run('kubectl', ['--kubeconfig', file, 'get', 'nodes'], { env });
      expect(nodes.stdout).toMatch(/aks-nodepool1-12345678-vmss000001\s+NotReady/);
      const top = await run('kubectl', ['--kubeconfig', file, 'top', 'pods', '-n', 'shop'], { env });
      expect(top.stdout).toMatch(/api-gateway-7d9f8-a1\s+120m\s+210Mi/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
