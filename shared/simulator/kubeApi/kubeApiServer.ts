// A read-only Kubernetes API server over HTTPS that behaves, for the requests our code and kubectl make, like
// kube-apiserver v1.30: discovery, list/get with limit/continue, label and field selectors, pods/log, server-side
// Table printing, bearer-token authentication and `Status` error bodies. List pages are streamed as JSON text one
// item at a time, so a generated 150,000-pod cluster is never held in memory.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { stringify as toYaml } from 'yaml';
import type { KubeObjectSource } from './kubeObjectSource.js';
import {
  apiVersionOf,
  findServedResource,
  resourceKey,
  servedGroups,
  type KubeResource,
  type ServedResource,
} from './resources.js';
import {
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
  type FieldSelector,
  type LabelSelector,
} from './selectors.js';
import {
  badRequestStatus,
  expiredStatus,
  forbiddenStatus,
  kubeStatus,
  methodNotAllowedStatus,
  notFoundStatus,
  pathNotFoundStatus,
  unauthorizedStatus,
  type KubeStatus,
} from './status.js';
import { tablePrinterFor, tableRow, wantsTable } from './tables.js';
import { ChunkWriter, CursorCache, decodeContinue, encodeContinue } from './listPaging.js';
import { podLogAnswer } from './podLog.js';
import { discoveryResources, groupDoc, metaOf, redactForServing, withTypeMeta } from './servedObjects.js';

export type { KubeResource } from './resources.js';
export type { KubeObjectSource } from './kubeObjectSource.js';
export { createStaticKubeSource } from './staticSource.js';

export interface KubeApiServerOptions {
  source: KubeObjectSource;
  tls: { cert: string; key: string };
  port?: number;
  host?: string;
  /** Bearer-token check; default accepts only `token`. */
  authenticate?: (bearerToken: string | undefined) => 'ok' | 'unauthorized' | 'forbidden';
  token?: string;
  /** Awaited before each authenticated request (the simulated cluster refreshes its snapshot here, throttled). */
  beforeRequest?: () => Promise<void>;
  /** Fault injection for tests: return a response to short-circuit a request (e.g. 429 + Retry-After, 500, 410). */
  interceptor?: (req: {
    method: string;
    path: string;
    query: URLSearchParams;
  }) => { status: number; headers?: Record<string, string>; body?: unknown } | undefined;
}

export interface KubeApiServer {
  url: string;
  kubeconfig(options?: { token?: string; contextName?: string; clusterName?: string }): string;
  writeKubeconfig(filePath: string, options?: { token?: string }): Promise<void>;
  requestCount(): number;
  /**
   * Stops or resumes accepting connections on the same port: a stopped AKS cluster's API server is gone, so
   * clients get connection refused rather than an HTTP error.
   */
  setServing(on: boolean): Promise<void>;
  close(): Promise<void>;
}

/** The Kubernetes version the simulated control plane reports (an AKS-supported patch). */
export const SIMULATED_KUBERNETES_VERSION = { major: '1', minor: '30', gitVersion: 'v1.30.6' } as const;

/** The user name in 403 messages; the simulated server has no RBAC, only token classes. */
const FORBIDDEN_USER = 'system:serviceaccount:aks-aiops:restricted';

type Obj = Record<string, unknown>;

interface ListRequest {
  resource: ServedResource;
  namespace?: string;
  query: URLSearchParams;
  table: boolean;
}

class RequestHandler {
  private count = 0;
  private readonly cursors = new CursorCache(256);
  private readonly token: string;

  constructor(
    private readonly options: KubeApiServerOptions,
    token: string,
    private readonly hostPort: () => string,
  ) {
    this.token = token;
  }

  requestCount(): number {
    return this.count;
  }

  clear(): void {
    this.cursors.clear();
  }

  private revision(): string {
    return this.options.source.revision?.() ?? '1';
  }

  private authenticate(req: IncomingMessage): 'ok' | 'unauthorized' | 'forbidden' {
    const header = req.headers.authorization;
    const bearer = header && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
    if (this.options.authenticate) return this.options.authenticate(bearer);
    return bearer !== undefined && bearer === this.token ? 'ok' : 'unauthorized';
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.count++;
    const url = new URL(req.url ?? '/', 'https://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    res.setHeader('Audit-Id', randomUUID());
    res.setHeader('Cache-Control', 'no-cache, private');

    // Health and version are readable anonymously (system:public-info-viewer); everything else needs a token.
    const publicPath = path === '/version' || path === '/healthz' || path === '/livez' || path === '/readyz';
    const auth = publicPath ? 'ok' : this.authenticate(req);
    if (auth === 'unauthorized') return this.sendJson(res, 401, unauthorizedStatus());
    if (!publicPath && this.options.beforeRequest) await this.options.beforeRequest();

    const injected = this.options.interceptor?.({ method, path, query: url.searchParams });
    if (injected) {
      for (const [k, v] of Object.entries(injected.headers ?? {})) res.setHeader(k, v);
      if (injected.body === undefined) {
        res.writeHead(injected.status).end();
      } else if (typeof injected.body === 'string') {
        res
          .writeHead(injected.status, { 'Content-Type': res.getHeader('Content-Type') ?? 'text/plain; charset=utf-8' })
          .end(injected.body);
      } else {
        this.sendJson(res, injected.status, injected.body);
      }
      return;
    }

    if (method !== 'GET' && method !== 'HEAD') return this.sendJson(res, 405, methodNotAllowedStatus());

    if (path === '/version') {
      return this.sendJson(res, 200, {
        ...SIMULATED_KUBERNETES_VERSION,
        gitCommit: 'b6f2f6d5a2c7f3e9a1d2c4e8f0a1b2c3d4e5f6a7',
        gitTreeState: 'clean',
        buildDate: '2024-10-22T20:26:14Z',
        goVersion: 'go1.22.8',
        compiler: 'gc',
        platform: 'linux/amd64',
      });
    }
    if (publicPath) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    }
    if (path === '/api') {
      return this.sendJson(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.hostPort() }],
      });
    }
    if (path === '/apis') {
      return this.sendJson(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: servedGroups()
          .filter((g) => g.name !== '')
          .map((g) => groupDoc(g.name, g.versions)),
      });
    }

    const parts = path
      .split('/')
      .filter((p) => p.length > 0)
      .map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts.length >= 2) {
      group = '';
      version = parts[1] ?? '';
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 2) {
      group = parts[1] ?? '';
      if (parts.length === 2) {
        const g = servedGroups().find((x) => x.name === group && group !== '');
        return g
          ? this.sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g.name, g.versions) })
          : this.sendJson(res, 404, pathNotFoundStatus());
      }
      version = parts[2] ?? '';
      rest = parts.slice(3);
    } else {
      return this.sendJson(res, 404, pathNotFoundStatus());
    }
    if (!servedGroups().some((g) => g.name === group && g.versions.includes(version))) {
      return this.sendJson(res, 404, pathNotFoundStatus());
    }
    if (rest.length === 0) {
      return this.sendJson(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group === '' ? version : `${group}/${version}`,
        resources: discoveryResources({ group, version }),
      });
    }

    // Resource paths: [plural], [plural, name, sub?], [namespaces, ns, plural, name?, sub?].
    let namespace: string | undefined;
    let plural: string;
    let name: string | undefined;
    let sub: string | undefined;
    if (rest[0] === 'namespaces' && group === '' && rest.length >= 3) {
      namespace = rest[1];
      plural = rest[2] ?? '';
      name = rest[3];
      sub = rest[4];
      if (rest.length > 5) return this.sendJson(res, 404, pathNotFoundStatus());
    } else if (rest[0] === 'namespaces' && group !== '' && rest.length >= 3) {
      namespace = rest[1];
      plural = rest[2] ?? '';
      name = rest[3];
      sub = rest[4];
      if (rest.length > 5) return this.sendJson(res, 404, pathNotFoundStatus());
    } else {
      plural = rest[0] ?? '';
      name = rest[1];
      sub = rest[2];
      if (rest.length > 3) return this.sendJson(res, 404, pathNotFoundStatus());
    }
    const resource = findServedResource(group, version, plural);
    if (!resource) return this.sendJson(res, 404, pathNotFoundStatus());
    // A namespaced object is only addressable under its namespace; a cluster-scoped one never is.
    if (name !== undefined && resource.namespaced && namespace === undefined)
      return this.sendJson(res, 404, pathNotFoundStatus());
    if (namespace !== undefined && !resource.namespaced) return this.sendJson(res, 404, pathNotFoundStatus());

    const isWatch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
    if (auth === 'forbidden') {
      const verb = name === undefined ? (isWatch ? 'watch' : 'list') : 'get';
      return this.sendJson(res, 403, forbiddenStatus(FORBIDDEN_USER, verb, resource, namespace, name));
    }

    if (name === undefined) {
      const list: ListRequest = { resource, namespace, query: url.searchParams, table: wantsTable(req.headers.accept) };
      return isWatch ? this.serveWatch(req, res, list) : this.serveList(res, list, method === 'HEAD');
    }
    if (sub === undefined || sub === 'status')
      return this.serveGet(res, resource, namespace, name, wantsTable(req.headers.accept));
    if (sub === 'log' && resource.group === '' && resource.plural === 'pods' && namespace !== undefined) {
      return this.servePodLog(res, namespace, name, url.searchParams);
    }
    return this.sendJson(res, 404, pathNotFoundStatus());
  }

  private sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
  }

  private parseSelectors(list: ListRequest): { labels?: LabelSelector; fields?: FieldSelector } | KubeStatus {
    try {
      return {
        labels: parseLabelSelector(list.query.get('labelSelector')),
        fields: parseFieldSelector(list.query.get('fieldSelector'), list.resource),
      };
    } catch (err) {
      if (err instanceof SelectorError) return badRequestStatus(err.message);
      throw err;
    }
  }

  private async serveList(res: ServerResponse, list: ListRequest, headOnly: boolean): Promise<void> {
    const { resource, namespace, query } = list;
    const selectors = this.parseSelectors(list);
    if ('kind' in selectors) return this.sendJson(res, selectors.code, selectors);
    const limitText = query.get('limit');
    const limit =
      limitText !== null && /^\d+$/.test(limitText) && Number(limitText) > 0 ? Number(limitText) : undefined;
    const rv = this.revision();
    const listKey = resourceKey(resource);

    let iterator: Iterator<Obj>;
    let offset = 0;
    let pending: Obj | undefined;
    const continueText = query.get('continue');
    if (continueText) {
      const token = decodeContinue(continueText);
      if (!token || token.r !== listKey || token.ns !== namespace) {
        return this.sendJson(
          res,
          400,
          badRequestStatus(
            'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
          ),
        );
      }
      if (token.rv !== rv) {
        // The data changed under the client, like an etcd compaction: restart from scratch (inconsistent token offered).
        this.cursors.take(continueText);
        const inconsistent = encodeContinue({ ...token, rv });
        return this.sendJson(res, 410, expiredStatus(inconsistent));
      }
      const cursor = this.cursors.take(continueText);
      if (cursor) {
        iterator = cursor.iterator;
        pending = cursor.peeked;
        offset = cursor.offset;
      } else {
        iterator = this.options.source.list(resource, namespace)[Symbol.iterator]();
        for (let i = 0; i < token.off; i++) if (iterator.next().done) break;
        offset = token.off;
      }
    } else {
      iterator = this.options.source.list(resource, namespace)[Symbol.iterator]();
    }
    const next = (): Obj | undefined => {
      if (pending) {
        const p = pending;
        pending = undefined;
        return p;
      }
      const r = iterator.next();
      return r.done ? undefined : r.value;
    };

    const table = list.table;
    const printer = table ? tablePrinterFor(resource) : undefined;
    const now = Date.now();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    if (headOnly) {
      res.end();
      return;
    }
    const out = new ChunkWriter(res);
    if (printer) {
      await out.write(
        `{"kind":"Table","apiVersion":"meta.k8s.io/v1","columnDefinitions":${JSON.stringify(printer.columns)},"rows":[`,
      );
    } else {
      await out.write(
        `{"kind":${JSON.stringify(`${resource.kind}List`)},"apiVersion":${JSON.stringify(apiVersionOf(resource))},"items":[`,
      );
    }
    let served = 0;
    let first = true;
    let continueToken: string | undefined;
    const { labels, fields } = selectors;
    for (;;) {
      const obj = next();
      if (obj === undefined) break;
      if (limit !== undefined && served >= limit) {
        // The page is full and more objects follow: hand out a token that resumes at this one.
        const m = metaOf(obj);
        continueToken = encodeContinue({
          v: 'meta.k8s.io/v1',
          rv,
          start: `${m.namespace}/${m.name}\u0000`,
          off: offset,
          r: listKey,
          ...(namespace !== undefined ? { ns: namespace } : {}),
        });
        this.cursors.put(continueToken, { iterator, peeked: obj, offset });
        break;
      }
      offset++;
      if (labels && !labels(metaOf(obj).labels)) continue;
      if (fields && !fields(obj)) continue;
      const item = redactForServing(resource, obj);
      await out.write((first ? '' : ',') + JSON.stringify(printer ? tableRow(printer, item, now) : item));
      first = false;
      served++;
    }
    const metadata: Obj = { resourceVersion: rv };
    if (continueToken) {
      metadata.continue = continueToken;
      if (!labels && !fields && this.options.source.count) {
        metadata.remainingItemCount = Math.max(0, this.options.source.count(resource, namespace) - offset);
      }
    }
    await out.write(`],"metadata":${JSON.stringify(metadata)}}`);
    await out.flush();
    res.end();
  }

  private async serveWatch(req: IncomingMessage, res: ServerResponse, list: ListRequest): Promise<void> {
    const selectors = this.parseSelectors(list);
    if ('kind' in selectors) return this.sendJson(res, selectors.code, selectors);
    // The simulated cluster changes by revision, not by events: a watch sends the current state as ADDED events
    // and stays open until timeoutSeconds, so informers and `kubectl get -w` start and then see a quiet cluster.
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    const out = new ChunkWriter(res);
    for (const obj of this.options.source.list(list.resource, list.namespace)) {
      if (selectors.labels && !selectors.labels(metaOf(obj).labels)) continue;
      if (selectors.fields && !selectors.fields(obj)) continue;
      await out.write(
        `${JSON.stringify({ type: 'ADDED', object: withTypeMeta(list.resource, redactForServing(list.resource, obj)) })}\n`,
      );
    }
    await out.flush();
    const timeoutText = list.query.get('timeoutSeconds');
    const timeoutMs = Math.min(timeoutText && /^\d+$/.test(timeoutText) ? Number(timeoutText) : 300, 1800) * 1000;
    const timer = setTimeout(() => res.end(), timeoutMs);
    timer.unref();
    req.once('close', () => clearTimeout(timer));
  }

  private findObject(resource: KubeResource, namespace: string | undefined, name: string): Obj | undefined {
    for (const obj of this.options.source.list(resource, namespace)) {
      if (metaOf(obj).name === name) return obj;
    }
    return undefined;
  }

  private serveGet(
    res: ServerResponse,
    resource: ServedResource,
    namespace: string | undefined,
    name: string,
    table: boolean,
  ): void {
    const obj = this.findObject(resource, namespace, name);
    if (!obj) return this.sendJson(res, 404, notFoundStatus(resource, name));
    const item = withTypeMeta(resource, redactForServing(resource, obj));
    if (table) {
      const printer = tablePrinterFor(resource);
      const meta = (item.metadata ?? {}) as Obj;
      return this.sendJson(res, 200, {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: { resourceVersion: meta.resourceVersion ?? this.revision() },
        columnDefinitions: printer.columns,
        rows: [tableRow(printer, item, Date.now())],
      });
    }
    return this.sendJson(res, 200, item);
  }

  private servePodLog(res: ServerResponse, namespace: string, podName: string, query: URLSearchParams): void {
    const podsResource = findServedResource('', 'v1', 'pods');
    if (!podsResource) return this.sendJson(res, 404, pathNotFoundStatus());
    const pod = this.findObject(podsResource, namespace, podName);
    if (!pod) return this.sendJson(res, 404, notFoundStatus(podsResource, podName));
    const answer = podLogAnswer(pod, podName, query, (container: string, previous: boolean) =>
      this.options.source.podLog?.(namespace, podName, container, previous),
    );
    if ('status' in answer) return this.sendJson(res, answer.status.code, answer.status);
    res
      .writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(answer.text) })
      .end(answer.text);
  }
}

/** Starts the server on loopback (a free port unless `port` is given). */
export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  let address = '';
  const handler = new RequestHandler(options, token, () => address);
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handler.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        const text = JSON.stringify(
          kubeStatus(
            500,
            'InternalError',
            `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
          ),
        );
        res.writeHead(500, { 'Content-Type': 'application/json' }).end(text);
      } else {
        res.destroy(err instanceof Error ? err : undefined);
      }
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  let serving: Promise<void> = Promise.resolve();
  address = `${host}:${port}`;
  const url = `https://${host}:${port}`;

  const kubeconfig = (opts: { token?: string; contextName?: string; clusterName?: string } = {}): string => {
    const clusterName = opts.clusterName ?? 'aks-sim';
    const contextName = opts.contextName ?? clusterName;
    const userName = `clusterUser_${clusterName}`;
    return toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: clusterName,
          cluster: { server: url, 'certificate-authority-data': Buffer.from(options.tls.cert).toString('base64') },
        },
      ],
      contexts: [{ name: contextName, context: { cluster: clusterName, user: userName, namespace: 'default' } }],
      'current-context': contextName,
      users: [{ name: userName, user: { token: opts.token ?? token } }],
      preferences: {},
    });
  };

  return {
    url,
    kubeconfig,
    async writeKubeconfig(filePath, opts = {}) {
      await writeFile(filePath, kubeconfig(opts), { mode: 0o600 });
    },
    requestCount: () => handler.requestCount(),
    setServing(on) {
      // Serialised, so a quick stop/start pair cannot interleave close and listen.
      serving = serving.then(async () => {
        if (on === server.listening) return;
        if (on) return listen(port);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      });
      return serving;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        handler.clear();
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
