// The local ARM's routes for subscriptions and Microsoft.ContainerService (managedClusters REST spec, api-version
// 2026-04-01): reads of subscriptions, clusters, agent pools, upgrade profiles and the location's Kubernetes
// versions; listClusterUserCredential; agent pool PUT and cluster start/stop as long-running operations, and the
// operation status and result URLs they hand out. One table entry per route, in the order they are matched.
import type { PoolUpdate } from '../../shared/simulator/aks/aksCluster.js';
import {
  agentPoolResource,
  agentPoolUpgradeProfile,
  clusterUpgradeProfile,
  kubernetesVersionsForLocation,
  userKubeconfig,
} from './armResources.js';
import { armError, eq, readArmJson, type ArmCall } from './armShared.js';
import type { ArmRoute, LocalArmState } from './armState.js';
import { sendEmpty, sendJson } from './standinHttp.js';

const PROVIDER = 'subscriptions/*/providers/microsoft.containerservice';
const CLUSTERS = 'subscriptions/*/resourcegroups/*/providers/microsoft.containerservice/managedclusters';
const CLUSTER = `${CLUSTERS}/*`;
const POOL = `${CLUSTER}/agentpools/*`;
/** Position of the agent pool name in `…/managedClusters/{name}/agentPools/{pool}`. */
const POOL_SEGMENT = 9;
/** Position of the operation id in `subscriptions/{sub}/providers/{ns}/locations/{location}/operations/{id}`. */
const OPERATION_SEGMENT = 7;

const clusterOf = (call: ArmCall, arm: LocalArmState) => arm.findCluster(call.sub, call.rg, call.name);

export const SUBSCRIPTION_ROUTES: ArmRoute[] = [
  {
    method: 'GET',
    path: 'subscriptions',
    serve: ({ res, url }, arm) => {
      const subscriptions = arm.options.subscriptions();
      sendJson(res, 200, {
        ...arm.page(
          subscriptions.map((s) => arm.subscriptionResource(s)),
          url,
        ),
        count: { type: 'Total', value: subscriptions.length },
      });
    },
  },
  {
    method: 'GET',
    path: 'subscriptions/*',
    serve: ({ res, sub }, arm) => sendJson(res, 200, arm.subscriptionResource(arm.findSubscription(sub))),
  },
];

export const CLUSTER_READ_ROUTES: ArmRoute[] = [
  {
    method: 'GET',
    path: `${PROVIDER}/managedclusters`,
    serve: ({ res, url, sub, faults }, arm) => {
      arm.findSubscription(sub);
      if (faults?.failSubscriptions?.some((s) => eq(s, sub))) {
        throw armError(
          500,
          'InternalServerError',
          `Encountered internal server error listing managed clusters in subscription '${sub}' (injected fault).`,
        );
      }
      const items = arm.clusterViews((p) => eq(p.subscriptionId, sub)).map((v) => v.resource);
      sendJson(res, 200, arm.page(items, url));
    },
  },
  {
    method: 'GET',
    path: `${PROVIDER}/locations/*/kubernetesversions`,
    serve: ({ res, sub }, arm) => {
      arm.findSubscription(sub);
      sendJson(res, 200, kubernetesVersionsForLocation());
    },
  },
  {
    method: 'GET',
    path: CLUSTERS,
    serve: ({ res, url, sub, rg }, arm) => {
      arm.findSubscription(sub);
      const inSubscription = arm.clusterViews((p) => eq(p.subscriptionId, sub));
      // Only resource groups that hold a cluster exist locally; ARM answers 404 for a missing group.
      if (!inSubscription.some((v) => eq(v.parsed.resourceGroup, rg))) {
        throw armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
      }
      const items = inSubscription.filter((v) => eq(v.parsed.resourceGroup, rg)).map((v) => v.resource);
      sendJson(res, 200, arm.page(items, url));
    },
  },
  {
    method: 'GET',
    path: CLUSTER,
    serve: (call, arm) => sendJson(call.res, 200, clusterOf(call, arm).resource),
  },
  {
    method: 'POST',
    path: `${CLUSTER}/listclusterusercredential`,
    serve: (call, arm) => {
      const view = clusterOf(call, arm);
      if (call.faults?.forbidClusterCredentials?.some((c) => eq(c, view.cluster.id))) {
        throw armError(
          403,
          'AuthorizationFailed',
          `The client does not have authorization to perform action 'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action' over scope '${view.cluster.id}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
        );
      }
      const format = (call.url.searchParams.get('format') ?? 'exec').toLowerCase();
      if (format !== 'exec' && format !== 'azure') {
        throw armError(
          400,
          'InvalidParameter',
          `The value '${format}' of parameter 'format' is invalid. Allowed values are 'azure' and 'exec'.`,
        );
      }
      const kubeconfig = userKubeconfig(view, arm.options.tenantId, format);
      sendJson(call.res, 200, {
        kubeconfigs: [{ name: 'clusterUser', value: Buffer.from(kubeconfig).toString('base64') }],
      });
    },
  },
  {
    method: 'GET',
    path: `${CLUSTER}/upgradeprofiles/default`,
    serve: (call, arm) => sendJson(call.res, 200, clusterUpgradeProfile(clusterOf(call, arm))),
  },
  {
    method: 'GET',
    path: `${CLUSTER}/agentpools`,
    serve: (call, arm) => {
      const view = clusterOf(call, arm);
      const pools = view.agentPools.map((p) => agentPoolResource(view, p));
      sendJson(call.res, 200, arm.page(pools, call.url));
    },
  },
  {
    method: 'GET',
    path: POOL,
    serve: (call, arm) => {
      const view = clusterOf(call, arm);
      sendJson(call.res, 200, agentPoolResource(view, arm.findPool(view, call.segments[POOL_SEGMENT] ?? '')));
    },
  },
  {
    method: 'GET',
    path: `${POOL}/upgradeprofiles/default`,
    serve: (call, arm) => {
      const view = clusterOf(call, arm);
      sendJson(call.res, 200, agentPoolUpgradeProfile(view, arm.findPool(view, call.segments[POOL_SEGMENT] ?? '')));
    },
  },
];

/** ManagedClusters_Stop / ManagedClusters_Start, one route each. */
const powerRoute = (action: 'stop' | 'start'): ArmRoute => ({
  method: 'POST',
  path: `${CLUSTER}/${action}`,
  serve: (call, arm) => {
    const view = clusterOf(call, arm);
    const op = arm.runOperation(view, (model) => (action === 'stop' ? model.stop() : model.start()));
    // 202 Accepted, no body, Location and Azure-AsyncOperation (ManagedClustersStop.json / ManagedClustersStart.json;
    // final-state-via location).
    sendEmpty(call.res, 202, arm.lroHeaders(op, view, true));
  },
});

export const CLUSTER_WRITE_ROUTES: ArmRoute[] = [
  {
    method: 'PUT',
    path: POOL,
    serve: async (call, arm) => {
      const view = clusterOf(call, arm);
      const poolName = call.segments[POOL_SEGMENT] ?? '';
      const update = parsePoolUpdate(await readArmJson(call.req, 1024 * 1024, {}));
      if (
        !arm
          .modelOf(view)
          .view()
          .pools.some((p) => eq(p.name, poolName))
      ) {
        throw armError(
          400,
          'InvalidParameter',
          `The local ARM does not create agent pools; '${poolName}' is not a pool of managed cluster '${call.name}'.`,
        );
      }
      const op = arm.runOperation(view, (model) => model.updatePool(poolName, update));
      const after = arm.currentView(view);
      // AgentPools_CreateOrUpdate: 200 (update) / 201 (create) with the resource in its new provisioningState and
      // the Azure-AsyncOperation header to poll (x-ms-long-running-operation-options: final-state-via
      // azure-async-operation); see AgentPoolsCreate_Update.json / AgentPools_Update.json in the REST spec examples.
      sendJson(call.res, 200, agentPoolResource(after, arm.findPool(after, poolName)), arm.lroHeaders(op, view, false));
    },
  },
  powerRoute('stop'),
  powerRoute('start'),
];

export const OPERATION_ROUTES: ArmRoute[] = [
  {
    method: 'GET',
    path: `${PROVIDER}/locations/*/operations/*`,
    serve: ({ res, sub, segments }, arm) => {
      const op = arm.findOperation(sub, segments[OPERATION_SEGMENT] ?? '');
      // The ARM async operation status body (Azure Resource Manager RPC, "Azure-AsyncOperation" resource format):
      // status InProgress until Succeeded / Failed, with error {code, message} when it failed.
      sendJson(res, 200, {
        id: `/subscriptions/${sub}/providers/Microsoft.ContainerService/locations/${segments[5] ?? ''}/operations/${op.id}`,
        name: op.id,
        status: op.status,
        startTime: new Date(op.startMs).toISOString(),
        ...(op.status !== 'InProgress' ? { endTime: new Date(op.endMs).toISOString() } : {}),
        ...(op.error ? { error: op.error } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: `${PROVIDER}/locations/*/operationresults/*`,
    serve: ({ res, url, sub, segments }, arm) => {
      const op = arm.findOperation(sub, segments[OPERATION_SEGMENT] ?? '');
      // The Location URL: 202 with Location again while running, 204 No Content once done (RPC "202 Accepted and
      // Location Headers"); a failed operation answers its error.
      if (op.status === 'InProgress') {
        const location = url.toString().replace(/^https?:\/\/[^/]+/, arm.options.baseUrl());
        return sendEmpty(res, 202, { location, ...arm.retryAfter() });
      }
      if (op.status === 'Failed') {
        throw armError(400, op.error?.code ?? 'OperationFailed', op.error?.message ?? 'The operation failed.');
      }
      sendEmpty(res, 204);
    },
  },
];

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
