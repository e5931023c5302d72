// Local Azure: loopback servers that honour the published contracts of what aks-aiops calls in Azure, so the real
// SDK clients (@azure/identity, @azure/arm-*, @azure/monitor-ingestion, @azure/monitor-query-logs) run their real
// code paths under `npm start` and in integration tests. See docs/standins.md for routes and faults.
//
// One LocalAzure per process: MSAL remembers the managed-identity source (endpoint and header) process-wide and
// caches tokens process-wide, so credentials would keep talking to the first instance's identity endpoint.
import { randomBytes } from 'node:crypto';
import { ArmThrottle } from './armThrottle.js';
import { createArmHandler, type ArmFaults, type LocalSubscription, type LocalWebApp } from './armEndpoint.js';
import { parseClusterId, stableGuid, type LocalCluster } from './armResources.js';
import type { AksTimings } from '../../shared/simulator/aks/aksCluster.js';
import { createManagedIdentityHandler, IDENTITY_PATH, type LocalManagedIdentity } from './managedIdentityEndpoint.js';
import {
  azureInternalErrorBody,
  listenLoopback,
  type HttpFault,
  type ListeningServer,
  type RequestHandler,
} from './standinHttp.js';
import { isForbiddenAudience, verifyIssuedToken } from './tokenIssuer.js';
import { TABLE_SCHEMAS } from '../../shared/results/tableSchemas.js';
import { CONTAINER_INSIGHTS_SCHEMAS } from './kql/tableSchemas.js';
import {
  createLogsIngestionHandler,
  DEFAULT_INGESTION_STREAMS,
  readIngestedRows,
  type IngestionFault,
  type ShapingReport,
  type StreamDeclarations,
} from './logsIngestionEndpoint.js';
import { createLogAnalyticsHandler, type LogAnalyticsFault } from './logAnalyticsEndpoint.js';
import { createMetricsHandler, type PlatformMetricSample } from './metricsEndpoint.js';

export type { LocalCluster } from './armResources.js';
export type { LocalManagedIdentity } from './managedIdentityEndpoint.js';
export type { ArmFaults, LocalSubscription, LocalWebApp } from './armEndpoint.js';
export type { IngestionFault, ShapingReport, StreamDeclarations } from './logsIngestionEndpoint.js';
export type { LogAnalyticsFault } from './logAnalyticsEndpoint.js';
export type { HttpFault } from './standinHttp.js';
export type { PlatformMetricSample } from './metricsEndpoint.js';
export { AKS_SERVER_APP_ID, KUBERNETES_VERSIONS, LATEST_NODE_IMAGE } from './armResources.js';

/** Faults the tests flip at runtime; servers read them on every request. */
export interface LocalAzureFaults {
  /** Managed identity endpoint: the next `failNext` token requests answer `status`. */
  identity?: HttpFault;
  arm?: ArmFaults;
  ingestion?: IngestionFault;
  logAnalytics?: LogAnalyticsFault;
  /** Azure Monitor metrics (metrics:getBatch). */
  metrics?: HttpFault;
  /**
   * Audiences (resources) the identity has no role on: tokens for them still verify, but ARM answers 403
   * AuthorizationFailed, ingestion/query answer 403, and verifyToken() returns 'forbidden' (for the kube API server).
   */
  forbiddenAudiences?: string[];
}

export interface LocalAzureOptions {
  /** From ensureLocalTls('.data') (dev/tls.ts); HTTPS for ARM, ingestion and query. */
  tls: { cert: string; key: string };
  /** Ingestion rows land in <dataDir>/ingestion/<stream>.jsonl. */
  dataDir: string;
  clusters: LocalCluster[];
  /** Default: one per subscription of the clusters. */
  subscriptions?: LocalSubscription[];
  /** Rows served by the query endpoint, per table. Ingested rows are added to `<stream without Custom->`. */
  logAnalyticsTables?: Record<string, Array<Record<string, unknown>>>;
  faults?: LocalAzureFaults;
  tenantId?: string;
  /** Items per ARM list page (nextLink paging). Default 100; tests use 1 or 2 to exercise paging. */
  armPageSize?: number;
  /** Phase lengths of agent pool and start/stop operations on clusters given no `aks` model (default: minutes). */
  aksTimings?: Partial<AksTimings>;
  /** Retry-After seconds on ARM long-running operation responses (default none: the SDK's poll interval). */
  lroRetryAfterSeconds?: number;
  /** Lifetime of issued tokens. Default 24 h, like managed identity tokens. */
  tokenLifetimeSeconds?: number;
  /** Default: a system-assigned identity. */
  systemAssignedIdentity?: LocalManagedIdentity;
  /** Default: one user-assigned identity (id-aks-aiops). */
  userAssignedIdentities?: LocalManagedIdentity[];
  dcrImmutableId?: string;
  /** Streams the local data collection rule declares. Default: the three aks-aiops Custom- streams. */
  ingestionStreams?: string[];
  /** Column declarations of the DCR's streams. Default: infra/tables.json (shared/results/tableSchemas.ts). */
  streamDeclarations?: StreamDeclarations;
  workspaceId?: string;
  /** Fixed ports (0 = any free port). */
  ports?: { identity?: number; arm?: number; ingestion?: number; logAnalytics?: number; metrics?: number };
}

export interface LocalAzure {
  /** Set as IDENTITY_ENDPOINT / IDENTITY_HEADER for @azure/identity (App Service managed identity). */
  identityEndpoint: string;
  identityHeader: string;
  identities: { systemAssigned: LocalManagedIdentity; userAssigned: LocalManagedIdentity[] };
  tenantId: string;
  /** https://127.0.0.1:<port> */
  armEndpoint: string;
  logsIngestionEndpoint: string;
  dcrImmutableId: string;
  ingestionStreams: string[];
  /** https://127.0.0.1:<port>/v1: what LogsQueryClient's `endpoint` option wants (it does not append /v1). */
  logAnalyticsEndpoint: string;
  workspaceId: string;
  /** IDENTITY_ENDPOINT, IDENTITY_HEADER, ARM_ENDPOINT, LOGS_INGESTION_ENDPOINT, LOGS_DCR_IMMUTABLE_ID, LOG_ANALYTICS_ENDPOINT, LOG_ANALYTICS_WORKSPACE_ID */
  env: Record<string, string>;
  faults: LocalAzureFaults;
  /** Verifies a token issued by the identity endpoint, for the kube API server's authenticate hook. */
  verifyToken(token: string | undefined, audience: string): 'ok' | 'unauthorized' | 'forbidden';
  issuedTokens(): number;
  /** ARM requests answered 429 by the token-bucket throttling (`faults.arm.rateLimit`). */
  armThrottledRequests(): number;
  ingestedRows(stream: string): Promise<Array<Record<string, unknown>>>;
  /** Columns the DCR dropped and values it nulled, per stream (Azure does both silently). */
  shapingReport(stream: string): ShapingReport;
  setLogAnalyticsRows(table: string, rows: Array<Record<string, unknown>>): void;
  /** https://127.0.0.1:<port>: the regional Azure Monitor metrics endpoint (METRICS_ENDPOINT). */
  metricsEndpoint: string;
  /** Replaces the platform metric samples served for one resource (the simulated feed publishes them). */
  setPlatformMetricSamples(resourceId: string, samples: PlatformMetricSample[]): void;
  /** Adds or replaces a cluster the local ARM serves (matched by id, case-insensitive). */
  upsertCluster(cluster: LocalCluster): void;
  /** Function apps the local ARM serves (GET site, POST host/default/listkeys); mutate to start a host. */
  webApps: LocalWebApp[];
  /** Action groups the local ARM holds, by lower-cased resource id (GET/PUT). */
  actionGroups: Map<string, Record<string, unknown>>;
  removeCluster(id: string): void;
  close(): Promise<void>;
}

const DEFAULT_TENANT_ID = '72f988bf-0000-4000-8000-00000000a1a5';

/** The app's managed identities: the given ones, or stable local ones (a user-assigned one in the first subscription). */
function localIdentities(options: LocalAzureOptions): {
  systemAssigned: NonNullable<LocalAzureOptions['systemAssignedIdentity']>;
  userAssigned: NonNullable<LocalAzureOptions['userAssignedIdentities']>;
} {
  const first = options.clusters[0];
  const firstSubscription =
    options.subscriptions?.[0]?.subscriptionId ??
    (first ? parseClusterId(first.id).subscriptionId : '00000000-0000-0000-0000-000000000000');
  return {
    systemAssigned: options.systemAssignedIdentity ?? {
      clientId: stableGuid('local/system/client'),
      principalId: stableGuid('local/system/principal'),
    },
    userAssigned: options.userAssignedIdentities ?? [
      {
        clientId: stableGuid('local/uami/client'),
        principalId: stableGuid('local/uami/principal'),
        resourceId: `/subscriptions/${firstSubscription}/resourceGroups/rg-aks-aiops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aks-aiops`,
      },
    ],
  };
}

/** The subscriptions the local ARM lists when none are given: those of the clusters it serves. */
function subscriptionsOf(clusters: LocalCluster[]): LocalSubscription[] {
  return [...new Set(clusters.map((c) => parseClusterId(c.id).subscriptionId.toLowerCase()))].map((subscriptionId) => ({
    subscriptionId,
    displayName: `Local subscription ${subscriptionId.slice(0, 8)}`,
  }));
}

/** The DCR's output: Custom-<Table> lands in the workspace table <Table>, queryable right away. */
function landInWorkspace(
  tables: Map<string, Array<Record<string, unknown>>>,
  stream: string,
  rows: Array<Record<string, unknown>>,
): void {
  const table = stream.replace(/^Custom-/, '');
  const existing = tables.get(table) ?? [];
  existing.push(...rows.map((r) => ('TimeGenerated' in r ? r : { TimeGenerated: new Date().toISOString(), ...r })));
  tables.set(table, existing);
}

/** Column types of the workspace's tables: Container insights' and the app's own. */
function workspaceSchemas(): Record<string, Record<string, string>> {
  return {
    ...CONTAINER_INSIGHTS_SCHEMAS,
    ...Object.fromEntries(
      Object.values(TABLE_SCHEMAS).map((t) => [t.table, Object.fromEntries(t.columns.map((c) => [c.name, c.type]))]),
    ),
  };
}

/**
 * The local Azure's mutable world, shared by its servers (which read it on every request) and the handle tests
 * hold (which changes it).
 */
interface LocalAzureWorld {
  tenantId: string;
  faults: LocalAzureFaults;
  clusters: LocalCluster[];
  webApps: LocalWebApp[];
  actionGroups: Map<string, Record<string, unknown>>;
  identities: LocalAzure['identities'];
  identityHeader: string;
  dcrImmutableId: string;
  ingestionStreams: string[];
  streamDeclarations: StreamDeclarations;
  shaping: Map<string, ShapingReport>;
  workspaceId: string;
  /** Log Analytics tables by name: given rows plus what ingestion landed. */
  tables: Map<string, Array<Record<string, unknown>>>;
  /** Platform metric samples by lower-cased resource id. */
  platformSamples: Map<string, PlatformMetricSample[]>;
  armThrottle: ArmThrottle;
  issuedTokens: number;
}

function createWorld(options: LocalAzureOptions): LocalAzureWorld {
  for (const c of options.clusters) parseClusterId(c.id);
  const faults: LocalAzureFaults = options.faults ?? {};
  return {
    tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
    faults,
    clusters: [...options.clusters],
    webApps: [],
    actionGroups: new Map(),
    identities: localIdentities(options),
    identityHeader: randomBytes(16).toString('hex'),
    dcrImmutableId: options.dcrImmutableId ?? `dcr-${randomBytes(16).toString('hex')}`,
    ingestionStreams: options.ingestionStreams ?? [...DEFAULT_INGESTION_STREAMS],
    streamDeclarations:
      options.streamDeclarations ??
      Object.fromEntries(
        Object.values(TABLE_SCHEMAS).map((t) => [t.stream, t.columns.map((c) => ({ name: c.name, type: c.type }))]),
      ),
    shaping: new Map(),
    workspaceId: options.workspaceId ?? stableGuid('local/workspace'),
    tables: new Map(Object.entries(options.logAnalyticsTables ?? {})),
    platformSamples: new Map(),
    armThrottle: new ArmThrottle(() => faults.arm?.rateLimit),
    issuedTokens: 0,
  };
}

/** The servers' request handlers, one per stand-in, over the shared world. */
function identityHandler(options: LocalAzureOptions, world: LocalAzureWorld): RequestHandler {
  return createManagedIdentityHandler({
    tenantId: world.tenantId,
    identityHeader: world.identityHeader,
    ...world.identities,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 24 * 3600,
    faults: () => world.faults.identity,
    onIssued: () => {
      world.issuedTokens += 1;
    },
  });
}

function armHandler(options: LocalAzureOptions, world: LocalAzureWorld, baseUrl: () => string): RequestHandler {
  return createArmHandler({
    baseUrl,
    tenantId: world.tenantId,
    pageSize: options.armPageSize ?? 100,
    clusters: () => world.clusters,
    subscriptions: () => options.subscriptions ?? subscriptionsOf(world.clusters),
    faults: () => world.faults.arm,
    forbiddenAudiences: () => world.faults.forbiddenAudiences,
    webApps: () => world.webApps,
    actionGroups: world.actionGroups,
    aksTimings: options.aksTimings,
    lroRetryAfterSeconds: options.lroRetryAfterSeconds,
    throttle: world.armThrottle,
  });
}

function ingestionHandler(options: LocalAzureOptions, world: LocalAzureWorld): RequestHandler {
  return createLogsIngestionHandler({
    dataDir: options.dataDir,
    dcrImmutableId: world.dcrImmutableId,
    streams: world.ingestionStreams,
    streamDeclarations: world.streamDeclarations,
    shaping: world.shaping,
    faults: () => world.faults.ingestion,
    forbiddenAudiences: () => world.faults.forbiddenAudiences,
    onRows: (stream, rows) => landInWorkspace(world.tables, stream, rows),
  });
}

function logAnalyticsHandler(world: LocalAzureWorld): RequestHandler {
  return createLogAnalyticsHandler({
    workspaceId: world.workspaceId,
    tables: () => world.tables,
    schemas: workspaceSchemas(),
    faults: () => world.faults.logAnalytics,
    forbiddenAudiences: () => world.faults.forbiddenAudiences,
  });
}

function metricsHandler(options: LocalAzureOptions, world: LocalAzureWorld): RequestHandler {
  return createMetricsHandler({
    samples: () => world.platformSamples,
    region: options.clusters[0]?.location ?? 'westeurope',
    faults: () => world.faults.metrics,
    forbiddenAudiences: () => world.faults.forbiddenAudiences,
  });
}

/** Where each stand-in listens. */
interface LocalAzureEndpoints {
  identityEndpoint: string;
  armEndpoint: string;
  logsIngestionEndpoint: string;
  logAnalyticsEndpoint: string;
  metricsEndpoint: string;
}

export async function startLocalAzure(options: LocalAzureOptions): Promise<LocalAzure> {
  const world = createWorld(options);
  const servers: ListeningServer[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.close()));
  };
  const listen = async (handler: RequestHandler, port: number | undefined): Promise<string> => {
    // ARM and the data planes are HTTPS with the local certificate and answer a server fault the way Azure does.
    const server = await listenLoopback(handler, { tls: options.tls, port, errorBody: azureInternalErrorBody });
    servers.push(server);
    return `https://127.0.0.1:${server.port}`;
  };
  try {
    // The managed identity endpoint is plain HTTP on loopback (App Service's IDENTITY_ENDPOINT), in its own error
    // shape.
    const identity = await listenLoopback(identityHandler(options, world), {
      port: options.ports?.identity,
      errorBody: (message) => ({ statusCode: 500, message }),
    });
    servers.push(identity);
    // ARM's nextLink and operation URLs name its own address, known once it listens.
    let armBase = '';
    armBase = await listen(
      armHandler(options, world, () => armBase),
      options.ports?.arm,
    );
    const endpoints: LocalAzureEndpoints = {
      identityEndpoint: `http://127.0.0.1:${identity.port}${IDENTITY_PATH}`,
      armEndpoint: armBase,
      logsIngestionEndpoint: await listen(ingestionHandler(options, world), options.ports?.ingestion),
      logAnalyticsEndpoint: `${await listen(logAnalyticsHandler(world), options.ports?.logAnalytics)}/v1`,
      metricsEndpoint: await listen(metricsHandler(options, world), options.ports?.metrics),
    };
    return localAzureHandle(options, world, endpoints, closeAll);
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** What the caller holds: the endpoints, their settings, and the levers on the shared world. */
function localAzureHandle(
  options: LocalAzureOptions,
  world: LocalAzureWorld,
  endpoints: LocalAzureEndpoints,
  close: () => Promise<void>,
): LocalAzure {
  const { faults, clusters, tables } = world;
  const indexOf = (id: string) => clusters.findIndex((c) => c.id.toLowerCase() === id.toLowerCase());
  return {
    ...endpoints,
    identityHeader: world.identityHeader,
    identities: world.identities,
    tenantId: world.tenantId,
    dcrImmutableId: world.dcrImmutableId,
    ingestionStreams: world.ingestionStreams,
    workspaceId: world.workspaceId,
    env: {
      IDENTITY_ENDPOINT: endpoints.identityEndpoint,
      IDENTITY_HEADER: world.identityHeader,
      ARM_ENDPOINT: endpoints.armEndpoint,
      LOGS_INGESTION_ENDPOINT: endpoints.logsIngestionEndpoint,
      LOGS_DCR_IMMUTABLE_ID: world.dcrImmutableId,
      LOG_ANALYTICS_ENDPOINT: endpoints.logAnalyticsEndpoint,
      LOG_ANALYTICS_WORKSPACE_ID: world.workspaceId,
      METRICS_ENDPOINT: endpoints.metricsEndpoint,
    },
    faults,
    verifyToken(token, audience) {
      const verdict = verifyIssuedToken(token, audience);
      if (!verdict.ok) return 'unauthorized';
      return isForbiddenAudience([audience], faults.forbiddenAudiences) ? 'forbidden' : 'ok';
    },
    issuedTokens: () => world.issuedTokens,
    armThrottledRequests: () => world.armThrottle.throttledCount(),
    ingestedRows: (stream) => readIngestedRows(options.dataDir, stream),
    shapingReport: (stream) => world.shaping.get(stream) ?? { droppedColumns: {}, nulledValues: {} },
    setLogAnalyticsRows(table, rows) {
      tables.set(table, [...rows]);
    },
    setPlatformMetricSamples(resourceId, samples) {
      world.platformSamples.set(resourceId.toLowerCase(), samples);
    },
    upsertCluster(cluster) {
      parseClusterId(cluster.id);
      const index = indexOf(cluster.id);
      if (index >= 0) clusters[index] = cluster;
      else clusters.push(cluster);
    },
    webApps: world.webApps,
    actionGroups: world.actionGroups,
    removeCluster(id) {
      const index = indexOf(id);
      if (index >= 0) clusters.splice(index, 1);
    },
    close,
  };
}
