// What the local ARM's routes look up and keep: subscriptions, cluster views built for the clusters a request names,
// the AKS models that run writes, the long-running operations they started, and ARM-style paging. The routes
// themselves are tables (armClusterRoutes.ts, armOtherProviders.ts) that armEndpoint.ts dispatches to.
import { AksRequestError, SimulatedAksCluster, type AksOperation } from '../../shared/simulator/aks/aksCluster.js';
import {
  buildClusterView,
  clusterSpecOf,
  parseClusterId,
  type ClusterView,
  type LocalCluster,
} from './armResources.js';
import { armError, eq, type ArmCall, type ArmEndpointOptions, type LocalSubscription } from './armShared.js';

/** One route of the local ARM: a method and a lower-case path pattern in which `*` matches one segment. */
export interface ArmRoute {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  serve: (call: ArmCall, arm: LocalArmState) => Promise<void> | void;
}

/** The api-version the stand-in writes into the operation URLs it hands out (what the SDK polls). */
const OPERATION_API_VERSION = '2026-04-01';

export class LocalArmState {
  // Clusters given no AKS model get one on their first write, built from their static pools; reads before that are
  // the static view unchanged.
  private readonly models = new WeakMap<LocalCluster, SimulatedAksCluster>();
  // Operation id -> the model that runs it, for the operation status URLs (which name only location and id).
  private readonly operationOwners = new Map<string, { model: SimulatedAksCluster; subscriptionId: string }>();

  constructor(readonly options: ArmEndpointOptions) {}

  subscriptionResource(s: LocalSubscription): Record<string, unknown> {
    return {
      id: `/subscriptions/${s.subscriptionId}`,
      authorizationSource: 'RoleBased',
      managedByTenants: [],
      subscriptionId: s.subscriptionId,
      tenantId: this.options.tenantId,
      displayName: s.displayName,
      state: 'Enabled',
      subscriptionPolicies: {
        locationPlacementId: 'Public_2014-09-01',
        quotaId: 'PayAsYouGo_2014-09-01',
        spendingLimit: 'Off',
      },
    };
  }

  findSubscription(subscriptionId: string): LocalSubscription {
    const found = this.options.subscriptions().find((s) => eq(s.subscriptionId, subscriptionId));
    if (!found) throw armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    if (this.options.faults()?.forbidSubscriptions?.some((s) => eq(s, subscriptionId))) {
      throw armError(
        403,
        'AuthorizationFailed',
        `The client does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/read' over scope '/subscriptions/${subscriptionId}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    }
    return found;
  }

  modelOf(view: ClusterView): SimulatedAksCluster {
    const given = view.cluster.aks ?? this.models.get(view.cluster);
    if (given) return given;
    const created = new SimulatedAksCluster(clusterSpecOf(view), {
      seed: 1,
      now: this.options.now,
      timings: this.options.aksTimings,
      powerState:
        (view.properties.powerState as { code?: string } | undefined)?.code === 'Stopped' ? 'Stopped' : 'Running',
    });
    this.models.set(view.cluster, created);
    return created;
  }

  /**
   * Starts an operation on the cluster's model and keeps it pollable. Model refusals answer as ARM does: 400
   * InvalidParameter, 404 NotFound, 409 OperationNotAllowed.
   */
  runOperation(view: ClusterView, start: (model: SimulatedAksCluster) => AksOperation): AksOperation {
    const model = this.modelOf(view);
    let op: AksOperation;
    try {
      op = start(model);
    } catch (err) {
      if (err instanceof AksRequestError) throw armError(err.status, err.code, err.message);
      throw err;
    }
    this.operationOwners.set(op.id, { model, subscriptionId: view.parsed.subscriptionId });
    // Bounded: a long `npm start` keeps the latest operations pollable, like ARM keeps them for a while.
    if (this.operationOwners.size > 1000)
      this.operationOwners.delete(this.operationOwners.keys().next().value as string);
    return op;
  }

  findOperation(subscriptionId: string, id: string): AksOperation {
    this.findSubscription(subscriptionId);
    const owner = this.operationOwners.get(id);
    const op = owner && eq(owner.subscriptionId, subscriptionId) ? owner.model.operation(id) : undefined;
    if (!op) throw armError(404, 'NotFound', `Operation '${id}' was not found.`);
    return op;
  }

  // Views are built only for the clusters a request names: building all of them per request made a fleet of 1,000
  // clusters quadratic (every sweep's ARM reads built 1,000 views).
  clusterViews(keep: (id: { subscriptionId: string; resourceGroup: string; name: string }) => boolean): ClusterView[] {
    return this.options
      .clusters()
      .filter((c) => keep(parseClusterId(c.id)))
      .map((c) => buildClusterView(c, this.options.tenantId, c.aks ?? this.models.get(c)));
  }

  /** The view of a cluster after its model changed (a write answers the resource in its new state). */
  currentView(view: ClusterView): ClusterView {
    return buildClusterView(view.cluster, this.options.tenantId, this.modelOf(view));
  }

  findCluster(subscriptionId: string, resourceGroup: string, name: string): ClusterView {
    this.findSubscription(subscriptionId);
    const view = this.clusterViews(
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
  }

  findPool(view: ClusterView, poolName: string): Record<string, unknown> {
    const pool = view.agentPools.find((p) => eq(String(p.name), poolName));
    if (!pool) {
      throw armError(404, 'NotFound', `Agent pool '${poolName}' not found in managed cluster '${view.parsed.name}'.`);
    }
    return pool;
  }

  retryAfter(): Record<string, string> {
    const seconds = this.options.lroRetryAfterSeconds;
    return seconds !== undefined ? { 'retry-after': String(seconds) } : {};
  }

  /** Azure-AsyncOperation (and for POST actions Location) of an operation, on ARM's own host. */
  lroHeaders(op: AksOperation, view: ClusterView, withLocation: boolean): Record<string, string> {
    const base = `${this.options.baseUrl()}/subscriptions/${view.parsed.subscriptionId}/providers/Microsoft.ContainerService/locations/${view.cluster.location}`;
    return {
      'azure-asyncoperation': `${base}/operations/${op.id}?api-version=${OPERATION_API_VERSION}`,
      ...(withLocation ? { location: `${base}/operationresults/${op.id}?api-version=${OPERATION_API_VERSION}` } : {}),
      ...this.retryAfter(),
    };
  }

  /** ARM-style paging: `$skipToken` is the offset of the next page; nextLink is absolute and keeps api-version. */
  page<T>(items: T[], url: URL): { value: T[]; nextLink?: string } {
    const { pageSize } = this.options;
    const skip = Number(url.searchParams.get('$skipToken') ?? '0');
    if (!Number.isInteger(skip) || skip < 0) throw armError(400, 'InvalidSkipToken', 'The $skipToken is not valid.');
    const value = items.slice(skip, skip + pageSize);
    if (skip + pageSize >= items.length) return { value };
    const next = new URL(url.pathname, this.options.baseUrl());
    for (const [k, v] of url.searchParams) if (k !== '$skipToken') next.searchParams.set(k, v);
    next.searchParams.set('$skipToken', String(skip + pageSize));
    return { value, nextLink: next.toString() };
  }
}
