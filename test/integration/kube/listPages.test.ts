// The paged lister against the simulated Kubernetes API over HTTPS, with every fault the sweep must survive
// injected on the wire: 429 with Retry-After, 5xx, 410 on an expired continue token, 401/403, 404, a stalled server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureLocalTls } from '../../../dev/tls.js';
import {
  createStaticKubeSource,
  startKubeApiServer,
  type KubeApiServer,
} from '../../../shared/simulator/kubeApi/kubeApiServer.js';
import { ListTruncatedError, listPages } from '../../../shared/kube/listPages.js';
import { KUBE_RESOURCES } from '../../../shared/kube/resources.js';
import { KubeAccessDeniedError } from '../../../shared/kube/kubeErrors.js';
import { NotFoundError, RemoteServiceError } from '../../../shared/errors.js';
import { analyzeObjects, RBAC_READER_ROLE } from '../../../shared/sweep/analyzeObjects.js';
import { ANALYZERS } from '../../../shared/sweep/analyzers/index.js';
import { createKubeObjectSource } from '../../../shared/kube/kubeObjectSource.js';
import { DEFAULT_SWEEP_SETTINGS } from '../../../shared/sweep/analyzer.js';
import type { KubeObject } from '../../../shared/kube/objects.js';

const TOKEN = 'sweep-test-token';
const PODS = 23;

type Interceptor = NonNullable<Parameters<typeof startKubeApiServer>[0]['interceptor']>;
let intercept: Interceptor | undefined;
const seen: { path: string; query: URLSearchParams; at: number }[] = [];
let server: KubeApiServer;
let kc: KubeConfig;

function podObject(i: number): Record<string, unknown> {
  const name = `web-${String(i).padStart(3, '0')}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: i % 2 ? 'shop' : 'cart',
      uid: `uid-${i}`,
      labels: { app: 'web' },
      creationTimestamp: '2026-11-01T10:00:00Z',
    },
    spec: { nodeName: 'aks-nodepool1-12345678-vmss000000', containers: [{ name: 'app', image: 'shop/web:1' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        i === 7
          ? {
              name: 'app',
              ready: false,
              restartCount: 9,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { reason: 'Error', exitCode: 1 } },
            }
          : { name: 'app', ready: true, restartCount: 0, state: { running: { startedAt: '2026-11-01T10:00:00Z' } } },
      ],
    },
  };
}

beforeAll(async () => {
  const tls = await ensureLocalTls('.data');
  server = await startKubeApiServer({
    source: createStaticKubeSource([
      ...Array.from({ length: PODS }, (_, i) => podObject(i)),
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'aks-nodepool1-12345678-vmss000000' },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
    ]),
    tls,
    token: TOKEN,
    interceptor: (req) => {
      seen.push({ path: req.path, query: req.query, at: Date.now() });
      return intercept?.(req);
    },
  });
  kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig({ token: TOKEN }));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  intercept = undefined;
  seen.length = 0;
});

async function collect(iter: AsyncIterable<KubeObject[]>): Promise<{ pages: number; names: string[] }> {
  let pages = 0;
  const names: string[] = [];
  for await (const page of iter) {
    pages++;
    for (const o of page) names.push(`${o.metadata?.namespace}/${o.metadata?.name}`);
  }
  return { pages, names };
}

const fast = { baseDelayMs: 20 };

/** Answers `code` with a Kubernetes Status to the `nth` (from 0) list request that carries a continue token. */
function failContinuedList(
  nth: number,
  code: number,
  status: Record<string, unknown>,
  headers?: Record<string, string>,
): Interceptor {
  let continued = 0;
  return (req) =>
    req.query.get('continue') && continued++ === nth
      ? { status: code, headers, body: { kind: 'Status', code, ...status } }
      : undefined;
}

describe('listPages over HTTPS', () => {
  it('lists every object once, page by page with limit/continue, using the kubeconfig token and CA', async () => {
    const { pages, names } = await collect(listPages(kc, KUBE_RESOURCES.pods, { limit: 5 }));
    expect(pages).toBe(5);
    expect(names).toHaveLength(PODS);
    expect(new Set(names).size).toBe(PODS);
    expect(seen.filter((s) => s.query.has('continue'))).toHaveLength(4);
    expect(seen.every((s) => s.query.get('limit') === '5')).toBe(true);
  });

  it('lists one namespace and passes selectors through', async () => {
    const { names } = await collect(
      listPages(kc, KUBE_RESOURCES.pods, {
        namespace: 'shop',
        limit: 100,
        fieldSelector: 'status.phase=Running',
        labelSelector: 'app=web',
      }),
    );
    expect(names).toHaveLength(11);
    expect(names.every((n) => n.startsWith('shop/'))).toBe(true);
    expect(seen[0]?.path).toBe('/api/v1/namespaces/shop/pods');
    expect(seen[0]?.query.get('labelSelector')).toBe('app=web');
  });

  it('stops a continue token that never ends at a bound, keeping the pages listed and saying the list is partial', async () => {
    const page = (token: string) => ({
      status: 200,
      body: { kind: 'PodList', apiVersion: 'v1', metadata: { continue: token }, items: [podObject(0)] },
    });
    // The same token again and again: stopped at the first repeat.
    intercept = () => page('forever');
    let pages = 0;
    const repeated = await (async () => {
      for await (const p of listPages(kc, KUBE_RESOURCES.pods, { limit: 1 })) pages += p.length > 0 ? 1 : 0;
    })().catch((e: unknown) => e);
    expect(repeated).toBeInstanceOf(ListTruncatedError);
    expect(String(repeated)).toMatch(/pods: listing stopped after 2 pages: the server repeated a continue token/);
    expect(pages).toBe(2);
    // A fresh token every time: stopped after maxPages.
    let n = 0;
    intercept = () => page(`t${n++}`);
    const endless = await collect(listPages(kc, KUBE_RESOURCES.pods, { limit: 1, maxPages: 7 })).catch(
      (e: unknown) => e,
    );
    expect(String(endless)).toMatch(/listing stopped after 7 pages: the server still had more after 7 pages/);
  });

  it('retries 429 after the Retry-After the server asked for', async () => {
    intercept = failContinuedList(0, 429, { reason: 'TooManyRequests' }, { 'Retry-After': '1' });
    const { names } = await collect(listPages(kc, KUBE_RESOURCES.pods, { limit: 10, ...fast }));
    expect(names).toHaveLength(PODS);
    const i = seen.findIndex((s) => s.query.has('continue'));
    const retry = seen[i + 1];
    expect(retry?.query.get('continue')).toBe(seen[i]?.query.get('continue'));
    expect((retry?.at ?? 0) - (seen[i]?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('retries 5xx with backoff and gives up with the status after maxRetries', async () => {
    let failures = 0;
    intercept = () =>
      failures++ < 2 ? { status: 503, body: { kind: 'Status', code: 503, message: 'etcd leader changed' } } : undefined;
    const { names } = await collect(listPages(kc, KUBE_RESOURCES.pods, { limit: 50, ...fast }));
    expect(names).toHaveLength(PODS);
    seen.length = 0;
    intercept = () => ({ status: 500, body: { kind: 'Status', code: 500, message: 'internal error' } });
    const err = await collect(listPages(kc, KUBE_RESOURCES.pods, { limit: 50, maxRetries: 2, ...fast })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RemoteServiceError);
    expect((err as RemoteServiceError).statusCode).toBe(500);
    expect(seen.length).toBe(3);
  });

  it('restarts the list on 410 Gone for an expired continue token, without handing over an object twice', async () => {
    intercept = failContinuedList(1, 410, {
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Expired',
      message: 'The provided continue parameter is too old to display a consistent list result.',
    });
    const { names } = await collect(listPages(kc, KUBE_RESOURCES.pods, { limit: 5 }));
    expect(names).toHaveLength(PODS);
    expect(new Set(names).size).toBe(PODS);
    expect(seen.filter((s) => !s.query.has('continue'))).toHaveLength(2);
  });

  it.each([401, 403])('turns %i into KubeAccessDeniedError without retrying', async (status) => {
    intercept = () => ({
      status,
      body: { kind: 'Status', code: status, reason: status === 401 ? 'Unauthorized' : 'Forbidden' },
    });
    const err = await collect(listPages(kc, KUBE_RESOURCES.nodes, fast)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeAccessDeniedError);
    expect((err as KubeAccessDeniedError).statusCode).toBe(status);
    expect((err as KubeAccessDeniedError).resource.key).toBe('nodes');
    expect(seen).toHaveLength(1);
  });

  it('rejects a wrong token with 401 from the server itself', async () => {
    const bad = new KubeConfig();
    bad.loadFromString(server.kubeconfig({ token: 'not-the-token' }));
    await expect(collect(listPages(bad, KUBE_RESOURCES.pods))).rejects.toBeInstanceOf(KubeAccessDeniedError);
  });

  it('reports 404 (an API the cluster does not serve) as NotFoundError', async () => {
    intercept = () => ({ status: 404, body: { kind: 'Status', code: 404, reason: 'NotFound' } });
    await expect(collect(listPages(kc, KUBE_RESOURCES.horizontalpodautoscalers))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('stops at the time budget while the server keeps throttling', async () => {
    // Retry-After is an hour: the listing can only end (before the test times out) if the abort cuts the wait short.
    intercept = () => ({ status: 429, headers: { 'Retry-After': '3600' }, body: { kind: 'Status', code: 429 } });
    await expect(
      collect(listPages(kc, KUBE_RESOURCES.pods, { abortSignal: AbortSignal.timeout(300), maxDelayMs: 3_600_000 })),
    ).rejects.toThrow();
    expect(seen).toHaveLength(1);
  });
});

describe('the sweep engine over the wire', () => {
  const settings = { ...DEFAULT_SWEEP_SETTINGS, now: new Date('2026-11-22T12:00:00Z') };
  /** One sweep of the served objects, listed through the paged Kubernetes source with these options. */
  const sweep = (options: Parameters<typeof createKubeObjectSource>[1]) =>
    analyzeObjects(createKubeObjectSource(kc, options), { clusterId: 'local', analyzers: ANALYZERS, settings });
  /** Answers 403 to every list whose path `denied` matches, as AKS does to an identity without the data action. */
  const forbid = (denied: (path: string) => boolean, message: string) => (req: { path: string }) =>
    denied(req.path) ? { status: 403, body: { kind: 'Status', code: 403, reason: 'Forbidden', message } } : undefined;

  it('finds the crash-looping pod through paged lists', async () => {
    const result = await sweep({ limit: 4 });
    expect(result.partial).toBe(false);
    expect(result.errors).toEqual([]);
    expect(result.findings.filter((f) => f.check === 'pod.crash-loop').map((f) => f.name)).toEqual(['web-007']);
    expect(result.objectsScanned).toBe(PODS + 1);
    // A sweep never lists (let alone reads) Secrets.
    expect(seen.some((s) => s.path.includes('secrets'))).toBe(false);
    expect(new Set(seen.map((s) => s.path)).size).toBeGreaterThanOrEqual(17);
  });

  it('a 403 on nodes becomes a finding naming the missing role and data action, and the sweep is partial', async () => {
    intercept = forbid((path) => path === '/api/v1/nodes', 'nodes is forbidden');
    const result = await sweep(fast);
    expect(result.partial).toBe(true);
    const denied = result.findings.find((f) => f.check === 'cluster.kube-access-denied');
    expect(denied?.message).toContain(RBAC_READER_ROLE);
    expect(denied?.message).toContain('Microsoft.ContainerService/managedClusters/nodes/read');
    expect(result.findings.some((f) => f.check === 'pod.crash-loop')).toBe(true);
  });

  it('without RBAC-object access (RBAC Reader alone) the gap is reported once, naming the custom role and data actions', async () => {
    // What AKS returns to an identity holding only RBAC Reader: every rbac.authorization.k8s.io list is forbidden.
    intercept = forbid((path) => path.startsWith('/apis/rbac.authorization.k8s.io/'), 'forbidden');
    const result = await sweep(fast);
    expect(result.partial).toBe(true);
    const denied = result.findings.filter((f) => f.check === 'cluster.kube-access-denied');
    expect(denied).toHaveLength(1);
    expect(denied[0]?.message).toContain('aks-aiops Kubernetes cluster reader');
    for (const r of ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'])
      expect(denied[0]?.message).toContain(
        `Microsoft.ContainerService/managedClusters/rbac.authorization.k8s.io/${r}/read`,
      );
    // The RBAC checks' cross-object part is skipped rather than guessed; the other analyzers carry on.
    expect(result.errors.some((e) => e.includes('analyzer rbac: skipped'))).toBe(true);
    expect(result.findings.some((f) => f.check === 'rbac.role-unused')).toBe(false);
    expect(result.findings.some((f) => f.check === 'pod.crash-loop')).toBe(true);
  });

  it('a resource failing with 500 is an error in errors[], other resources are still analysed', async () => {
    intercept = (req) =>
      req.path === '/api/v1/endpoints'
        ? { status: 500, body: { kind: 'Status', code: 500, message: 'boom' } }
        : undefined;
    const result = await sweep({ ...fast, maxRetries: 1 });
    expect(result.partial).toBe(true);
    expect(result.errors.some((e) => e.startsWith('endpoints:'))).toBe(true);
    expect(result.errors.some((e) => e.includes('analyzer service: skipped'))).toBe(true);
    expect(result.findings.some((f) => f.check === 'service.no-endpoints')).toBe(false);
    expect(result.findings.some((f) => f.check === 'pod.crash-loop')).toBe(true);
  });
});
