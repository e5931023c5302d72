// Local Azure Resource Manager for what aks-aiops reads: subscriptions and Microsoft.ContainerService managed
// clusters, agent pools, upgrade profiles, the location's Kubernetes versions and the user kubeconfig. Bearer tokens
// for the ARM audience are required; errors, paging (nextLink with $skipToken) and throttling (429 + Retry-After)
// follow ARM's conventions so the real SDK clients and their retry policies run unchanged.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  agentPoolResource,
  agentPoolUpgradeProfile,
  buildClusterView,
  clusterSpecOf,
  clusterUpgradeProfile,
  kubernetesVersionsForLocation,
  parseClusterId,
  userKubeconfig,
  type ClusterView,
  type LocalCluster,
  type ParsedClusterId,
} from './armResources.js';
import { bearerToken, readBody, sendEmpty, sendJson } from './standinHttp.js';
import {
  AksRequestError,
  SimulatedAksCluster,
  type AksOperation,
  type AksTimings,
  type PoolUpdate,
} from '../../shared/simulator/aks/aksCluster.js';
import { normalizeAudience, verifyIssuedToken, type TokenClaims } from './tokenIssuer.js';
import { ArmThrottle, type ArmRateLimit } from './armThrottle.js';
import { serveOtherProviders } from './armOtherProviders.js';
import { armError, type LocalSubscription, type LocalWebApp } from './armShared.js';
export { armError, type LocalSubscription, type LocalWebApp } from './armShared.js';

export interface ArmFaults {
  /** Subscriptions whose managedClusters list answers 500 InternalServerError (every time, until removed). */
  failSubscriptions?: string[];
  /** Subscriptions the identity has no role on: every request under them answers 403 AuthorizationFailed. */
  forbidSubscriptions?: string[];
  /** The next N ARM requests answer 429 TooManyRequests with Retry-After. */
  throttleNext?: number;
  retryAfterSeconds?: number;
  /**
   * ARM's token-bucket throttling of reads per subscription (and tenant), with the remaining-reads headers on every
   * answer (armThrottle.ts). Undefined: unlimited, and no headers.
   */
  rateLimit?: ArmRateLimit;
  /**
   * Clusters (resource ids) whose listClusterUserCredential answers 403: the identity can read the cluster but has
   * no "Azure Kubernetes Service Cluster User Role" on it, a common fleet misconfiguration.
   */
  forbidClusterCredentials?: string[];
}

export interface ArmEndpointOptions {
  baseUrl: () => string;
  tenantId: string;
  pageSize: number;
  clusters: () => LocalCluster[];
  subscriptions: () => LocalSubscription[];
  faults: () => ArmFaults | undefined;
  forbiddenAudiences: () => string[] | undefined;
  webApps: () => LocalWebApp[];
  /** Action groups by lower-cased resource id; PUT replaces, as ActionGroups_CreateOrUpdate does. */
  actionGroups: Map<string, Record<string, unknown>>;
  /** Phase lengths of the operations on clusters the stand-in models itself (those given no `aks`). */
  aksTimings?: Partial<AksTimings>;
  /** Clock of those models (tests inject one). */
  now?: () => number;
  /** Retry-After (seconds) on LRO responses; omitted by default so the SDK's own poll interval applies. */
  lroRetryAfterSeconds?: number;
  /** Shared so the caller can read how many requests were throttled; default: one over `faults().rateLimit`. */
  throttle?: ArmThrottle;
}

/** Audiences ARM accepts (the resource as written with and without the trailing slash, old and new host). */
const ARM_AUDIENCES = ['https://management.azure.com', 'https://management.core.windows.net'];

function authenticate(req: IncomingMessage, options: ArmEndpointOptions): TokenClaims {
  const token = bearerToken(req);
  const challenge = (description: string): Record<string, string> => ({
    'www-authenticate': `Bearer authorization_uri="https://login.windows.net/${options.tenantId}", error="invalid_token", error_description="${description}"`,
  });
  if (!token) {
    throw armError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header is missing.",
      challenge("The authentication failed because of missing 'Authorization' header."),
    );
  }
  let verdict = verifyIssuedToken(token, ARM_AUDIENCES[0] ?? '');
  if (!verdict.ok && verdict.reason === 'audience') verdict = verifyIssuedToken(token, ARM_AUDIENCES[1] ?? '');
  if (verdict.ok) {
    const forbidden = options.forbiddenAudiences()?.map(normalizeAudience) ?? [];
    if (ARM_AUDIENCES.some((a) => forbidden.includes(normalizeAudience(a)))) {
      throw armError(
        403,
        'AuthorizationFailed',
        `The client '${verdict.claims.oid}' with object id '${verdict.claims.oid}' does not have authorization to perform action over any scope (injected fault).`,
      );
    }
    return verdict.claims;
  }
  switch (verdict.reason) {
    case 'expired': {
      const expiry = new Date((verdict.claims?.exp ?? 0) * 1000).toISOString();
      throw armError(
        401,
        'ExpiredAuthenticationToken',
        `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${new Date().toISOString()}'.`,
        challenge('The access token has expired.'),
      );
    }
    case 'audience':
      throw armError(
        401,
        'InvalidAuthenticationTokenAudience',
        `The access token has been obtained for wrong audience or resource '${verdict.claims?.aud ?? ''}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.`,
        challenge('The access token audience is invalid.'),
      );
    default:
      throw armError(
        401,
        'InvalidAuthenticationToken',
        'The access token is invalid.',
        challenge('The access token is invalid.'),
      );
  }
}

function requireApiVersion(url: URL): string {
  const apiVersion = url.searchParams.get('api-version');
  if (!apiVersion) {
    throw armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(apiVersion)) {
    throw armError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are 'yyyy-mm-dd' or 'yyyy-mm-dd-preview'.`,
    );
  }
  return apiVersion;
}

/** ARM-style paging: `$skipToken` is the offset of the next page; nextLink is absolute and keeps api-version. */
function page<T>(items: T[], url: URL, options: ArmEndpointOptions): { value: T[]; nextLink?: string } {
  const skip = Number(url.searchParams.get('$skipToken') ?? '0');
  if (!Number.isInteger(skip) || skip < 0) throw armError(400, 'InvalidSkipToken', 'The $skipToken is not valid.');
  const value = items.slice(skip, skip + options.pageSize);
  if (skip + options.pageSize >= items.length) return { value };
  const next = new URL(url.pathname, options.baseUrl());
  for (const [k, v] of url.searchParams) if (k !== '$skipToken') next.searchParams.set(k, v);
  next.searchParams.set('$skipToken', String(skip + options.pageSize));
  return { value, nextLink: next.toString() };
}

const eq = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function createArmHandler(options: ArmEndpointOptions) {
  const subscriptionResource = (s: LocalSubscription): Record<string, unknown> => ({
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: s.subscriptionId,
    tenantId: options.tenantId,
    displayName: s.displayName,
    state: 'Enabled',
    subscriptionPolicies: {
      locationPlacementId: 'Public_2014-09-01',
      quotaId: 'PayAsYouGo_2014-09-01',
      spendingLimit: 'Off',
    },
  });

  const findSubscription = (subscriptionId: string): LocalSubscription => {
    const found = options.subscriptions().find((s) => eq(s.subscriptionId, subscriptionId));
    if (!found) throw armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    const faults = options.faults();
    if (faults?.forbidSubscriptions?.some((s) => eq(s, subscriptionId))) {
      throw armError(
        403,
        'AuthorizationFailed',
        `The client does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/${subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    }
    return found;
  };

  // Clusters given no AKS model get one on their first write, built from their static pools; reads before that are
  // the static view unchanged.
  const models = new WeakMap<LocalCluster, SimulatedAksCluster>();
  const modelOf = (view: ClusterView): SimulatedAksCluster => {
    const given = view.cluster.aks ?? models.get(view.cluster);
    if (given) return given;
    const created = new SimulatedAksCluster(clusterSpecOf(view), {
      seed: 1,
      now: options.now,
      timings: options.aksTimings,
      powerState:
        (view.properties.powerState as { code?: string } | undefined)?.code === 'Stopped' ? 'Stopped' : 'Running',
    });
    models.set(view.cluster, created);
    return created;
  };
  // Operation id -> the model that runs it, for the operation status URLs (which name only location and id).
  const operationOwners = new Map<string, { model: SimulatedAksCluster; subscriptionId: string }>();
  // Bounded: a long `npm start` keeps the latest operations pollable, like ARM keeps them for a while.
  const remember = (op: AksOperation, model: SimulatedAksCluster, view: ClusterView) => {
    operationOwners.set(op.id, { model, subscriptionId: view.parsed.subscriptionId });
    if (operationOwners.size > 1000) operationOwners.delete(operationOwners.keys().next().value as string);
  };
  // Views are built only for the clusters a request names: building all of them per request made a fleet of 1,000
  // clusters quadratic (every sweep's ARM reads built 1,000 views).
  const clusterViews = (keep: (id: ParsedClusterId) => boolean): ClusterView[] =>
    options
      .clusters()
      .filter((c) => keep(parseClusterId(c.id)))
      .map((c) => buildClusterView(c, options.tenantId, c.aks ?? models.get(c)));

  const findCluster = (subscriptionId: string, resourceGroup: string, name: string): ClusterView => {
    findSubscription(subscriptionId);
    const view = clusterViews(
      (p) => eq(p.subscriptionId, subscriptionId) && eq(p.resourceGroup, resourceGroup) && eq(p.name, name),
    )[0];
    if (!view) {
      throw armError(
        404,
        'ResourceNotFound',
        `The Resource 'Microsoft.ContainerService/managedClusters/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      );
    }
    return view;
  };

  const findPool = (view: ClusterView, poolName: string): Record<string, unknown> => {
    const pool = view.agentPools.find((p) => eq(String(p.name), poolName));
    if (!pool) {
      throw armError(404, 'NotFound', `Agent pool '${poolName}' not found in managed cluster '${view.parsed.name}'.`);
    }
    return pool;
  };

  const retryAfter = (): Record<string, string> =>
    options.lroRetryAfterSeconds !== undefined ? { 'retry-after': String(options.lroRetryAfterSeconds) } : {};

  /** Azure-AsyncOperation (and for POST actions Location) of an operation, on ARM's own host. */
  const lroHeaders = (op: AksOperation, view: ClusterView, withLocation: boolean): Record<string, string> => {
    const base = `${options.baseUrl()}/subscriptions/${view.parsed.subscriptionId}/providers/Microsoft.ContainerService/locations/${view.cluster.location}`;
    return {
      'azure-asyncoperation': `${base}/operations/${op.id}?api-version=2026-04-01`,
      ...(withLocation ? { location: `${base}/operationresults/${op.id}?api-version=2026-04-01` } : {}),
      ...retryAfter(),
    };
  };

  const findOperation = (subscriptionId: string, id: string): { op: AksOperation } => {
    findSubscription(subscriptionId);
    const owner = operationOwners.get(id);
    const op = owner && eq(owner.subscriptionId, subscriptionId) ? owner.model.operation(id) : undefined;
    if (!op) throw armError(404, 'NotFound', `Operation '${id}' was not found.`);
    return { op };
  };

  const throttle = options.throttle ?? new ArmThrottle(() => options.faults()?.rateLimit, options.now);

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    authenticate(req, options);
    const faults = options.faults();
    const scopeMatch = /^\/subscriptions\/([^/?]+)/i.exec(url.pathname);
    const verdict = throttle.take({ subscriptionId: scopeMatch?.[1] });
    // Set before routing so every answer (success or error) carries the remaining-reads header, as ARM's do.
    for (const [k, v] of Object.entries(verdict.headers)) res.setHeader(k, v);
    if (verdict.retryAfterSeconds !== undefined) {
      throw armError(
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type - Read.',
        { 'retry-after': String(verdict.retryAfterSeconds) },
      );
    }
    if (faults?.throttleNext && faults.throttleNext > 0) {
      faults.throttleNext -= 1;
      const retryAfter = String(faults.retryAfterSeconds ?? 1);
      throw armError(
        429,
        'TooManyRequests',
        'The request is being throttled as the limit has been reached for operation type - Read.',
        {
          'retry-after': retryAfter,
          'x-ms-ratelimit-remaining-subscription-reads': '0',
        },
      );
    }
    requireApiVersion(url);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const lower = segments.map((s) => s.toLowerCase());
    const method = req.method ?? 'GET';
    const route = (pattern: string, verb = 'GET'): boolean => {
      const parts = pattern.split('/').filter(Boolean);
      return method === verb && parts.length === lower.length && parts.every((p, i) => p === '*' || p === lower[i]);
    };
    const sub = segments[1] ?? '';
    const rg = segments[3] ?? '';
    const name = segments[7] ?? '';

    if (route('subscriptions')) {
      return sendJson(res, 200, {
        ...page(options.subscriptions().map(subscriptionResource), url, options),
        count: { type: 'Total', value: options.subscriptions().length },
      });
    }
    if (route('subscriptions/*')) {
      return sendJson(res, 200, subscriptionResource(findSubscription(sub)));
    }
    if (route('subscriptions/*/providers/microsoft.containerservice/managedclusters')) {
      findSubscription(sub);
      if (faults?.failSubscriptions?.some((s) => eq(s, sub))) {
        throw armError(
          500,
          'InternalServerError',
          `Encountered internal server error listing managed clusters in subscription '${sub}' (injected fault).`,
        );
      }
      const items = clusterViews((p) => eq(p.subscriptionId, sub)).map((v) => v.resource);
      return sendJson(res, 200, page(items, url, options));
    }
    if (route('subscriptions/*/providers/microsoft.containerservice/locations/*/kubernetesversions')) {
      findSubscription(sub);
      return sendJson(res, 200, kubernetesVersionsForLocation());
    }
    if (route('subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters')) {
      findSubscription(sub);
      const inSubscription = clusterViews((p) => eq(p.subscriptionId, sub));
      // Only resource groups that hold a cluster exist locally; ARM answers 404 for a missing group.
      if (!inSubscription.some((v) => eq(v.parsed.resourceGroup, rg))) {
        throw armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
      }
      const items = inSubscription.filter((v) => eq(v.parsed.resourceGroup, rg)).map((v) => v.resource);
      return sendJson(res, 200, page(items, url, options));
    }
    if (route('subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters/*')) {
      return sendJson(res, 200, findCluster(sub, rg, name).resource);
    }
    if (
      route(
        'subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters/*/listclusterusercredential',
        'POST',
      )
    ) {
      const view = findCluster(sub, rg, name);
      if (faults?.forbidClusterCredentials?.some((c) => eq(c, view.cluster.id))) {
        throw armError(
          403,
          'AuthorizationFailed',
          `The client does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action' over scope '${view.cluster.id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
      }
      const format = (url.searchParams.get('format') ?? 'exec').toLowerCase();
      if (format !== 'exec' && format !== 'azure') {
        throw armError(
          400,
          'InvalidParameter',
          `The value '${format}' of parameter 'format' is invalid. Allowed values are 'azure' and 'exec'.`,
        );
      }
      const kubeconfig = userKubeconfig(view, options.tenantId, format);
      return sendJson(res, 200, {
        kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(kubeconfig).toString('base64') }],
      });
    }
    if (
      route(
        'subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters/*/upgradeprofiles/default',
      )
    ) {
      return sendJson(res, 200, clusterUpgradeProfile(findCluster(sub, rg, name)));
    }
    if (route('subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters/*/agentpools')) {
      const view = findCluster(sub, rg, name);
      return sendJson(
        res,
        200,
        page(
          view.agentPools.map((p) => agentPoolResource(view, p)),
          url,
          options,
        ),
      );
    }
    if (route('subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters/*/agentpools/*')) {
      const view = findCluster(sub, rg, name);
      return sendJson(res, 200, agentPoolResource(view, findPool(view, segments[9] ?? '')));
    }
    if (
      route(
        'subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters/*/agentpools/*/upgradeprofiles/default',
      )
    ) {
      const view = findCluster(sub, rg, name);
      return sendJson(res, 200, agentPoolUpgradeProfile(view, findPool(view, segments[9] ?? '')));
    }
    if (await serveOtherProviders(req, res, { route, segments, method, findSubscription, options })) return;
    if (
      route(
        'subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters/*/agentpools/*',
        'PUT',
      )
    ) {
      const view = findCluster(sub, rg, name);
      const poolName = segments[9] ?? '';
      const update = parsePoolUpdate(await readJsonBody(req));
      const model = modelOf(view);
      if (!model.view().pools.some((p) => eq(p.name, poolName))) {
        throw armError(
          400,
          'InvalidParameter',
          `The local ARM does not create agent pools; '${poolName}' is not a pool of managed cluster '${name}'.`,
        );
      }
      const op = runOperation(() => model.updatePool(poolName, update));
      remember(op, model, view);
      const after = buildClusterView(view.cluster, options.tenantId, model);
      // AgentPools_CreateOrUpdate: 200 (update) / 201 (create) with the resource in its new provisioningState and
      // the Azure-AsyncOperation header to poll (x-ms-long-running-operation-options: final-state-via
      // azure-async-operation); see AgentPoolsCreate_Update.json / AgentPools_Update.json in the REST spec examples.
      return sendJson(res, 200, agentPoolResource(after, findPool(after, poolName)), lroHeaders(op, view, false));
    }
    for (const action of ['stop', 'start'] as const) {
      if (
        route(
          `subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters/*/${action}`,
          'POST',
        )
      ) {
        const view = findCluster(sub, rg, name);
        const model = modelOf(view);
        const op = runOperation(() => (action === 'stop' ? model.stop() : model.start()));
        remember(op, model, view);
        // ManagedClusters_Stop / ManagedClusters_Start: 202 Accepted, no body, Location and Azure-AsyncOperation
        // (ManagedClustersStop.json / ManagedClustersStart.json; final-state-via location).
        return sendEmpty(res, 202, lroHeaders(op, view, true));
      }
    }
    if (route('subscriptions/*/providers/microsoft.containerservice/locations/*/operations/*')) {
      const { op } = findOperation(sub, segments[7] ?? '');
      // The ARM async operation status body (Azure Resource Manager RPC, "Azure-AsyncOperation" resource format):
      // status InProgress until Succeeded / Failed, with error {code, message} when it failed.
      return sendJson(res, 200, {
        id: `/subscriptions/${sub}/providers/Microsoft.ContainerService/locations/${segments[5] ?? ''}/operations/${op.id}`,
        name: op.id,
        status: op.status,
        startTime: new Date(op.startMs).toISOString(),
        ...(op.status !== 'InProgress' ? { endTime: new Date(op.endMs).toISOString() } : {}),
        ...(op.error ? { error: op.error } : {}),
      });
    }
    if (route('subscriptions/*/providers/microsoft.containerservice/locations/*/operationresults/*')) {
      const { op } = findOperation(sub, segments[7] ?? '');
      // The Location URL: 202 with Location again while running, 204 No Content once done (RPC "202 Accepted and
      // Location Headers"); a failed operation answers its error.
      if (op.status === 'InProgress')
        return sendEmpty(res, 202, {
          location: url.toString().replace(/^https?:\/\/[^/]+/, options.baseUrl()),
          ...retryAfter(),
        });
      if (op.status === 'Failed') {
        throw armError(400, op.error?.code ?? 'OperationFailed', op.error?.message ?? 'The operation failed.');
      }
      return sendEmpty(res, 204);
    }
    if (method !== 'GET' && method !== 'POST' && method !== 'PUT') {
      throw armError(
        405,
        'MethodNotAllowed',
        `The local ARM serves reads, listClusterUserCredential, action groups, agent pool PUT and cluster start/stop; ${method} ${url.pathname} is not supported.`,
      );
    }
    throw armError(404, 'InvalidResourceType', `The local ARM does not serve '${url.pathname}'.`);
  };
}

/** Model refusals answer as ARM does: 400 InvalidParameter, 404 NotFound, 409 OperationNotAllowed. */
function runOperation(start: () => AksOperation): AksOperation {
  try {
    return start();
  } catch (err) {
    if (err instanceof AksRequestError) throw armError(err.status, err.code, err.message);
    throw err;
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const raw = await readBody(req, {
    maxBytes: 1024 * 1024,
    tooLarge: (bytes) => armError(413, 'RequestEntityTooLarge', `The request body of ${bytes} bytes is too large.`),
  });
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
}

/** The agent pool properties a PUT may change here (AgentPool.properties of the REST spec). */
function parsePoolUpdate(body: unknown): PoolUpdate {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const props = (
    typeof record.properties === 'object' && record.properties !== null ? record.properties : record
  ) as Record<string, unknown>;
  const update: PoolUpdate = {};
  const intOrNull = (key: 'count' | 'minCount' | 'maxCount') => {
    const v = props[key];
    if (v === undefined) return undefined;
    if (v === null) return null;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw armError(
        400,
        'InvalidParameter',
        `The value of parameter properties.${key} is invalid: it must be an integer.`,
      );
    }
    return v;
  };
  const count = intOrNull('count');
  if (count !== undefined && count !== null) update.count = count;
  const minCount = intOrNull('minCount');
  if (minCount !== undefined) update.minCount = minCount;
  const maxCount = intOrNull('maxCount');
  if (maxCount !== undefined) update.maxCount = maxCount;
  if (typeof props.enableAutoScaling === 'boolean') update.enableAutoScaling = props.enableAutoScaling;
  if (typeof props.vmSize === 'string') update.vmSize = props.vmSize;
  if (props.mode === 'System' || props.mode === 'User') update.mode = props.mode;
  return update;
}

export { parseClusterId };
