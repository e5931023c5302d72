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
import { listenLoopback, type HttpFault, type ListeningServer } from './standinHttp.js';
import { normalizeAudience, verifyIssuedToken } from './tokenIssuer.js';
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

/** The error body Azure's data-plane and ARM endpoints answer a server fault with. */
const armErrorBody = (message: string) => ({ error: { code: 'InternalServerError', message } });

export async function startLocalAzure(options: LocalAzureOptions): Promise<LocalAzure> {
  const tenantId = options.tenantId ?? DEFAULT_TENANT_ID;
  const faults: LocalAzureFaults = options.faults ?? {};
  const clusters: LocalCluster[] = [...options.clusters];
  const webApps: LocalWebApp[] = [];
  const actionGroups = new Map<string, Record<string, unknown>>();
  for (const c of clusters) parseClusterId(c.id);
  const subscriptions = () => options.subscriptions ?? subscriptionsOf(clusters);
  const { systemAssigned, userAssigned } = localIdentities(options);
  const identityHeader = randomBytes(16).toString('hex');
  const dcrImmutableId = options.dcrImmutableId ?? `dcr-${randomBytes(16).toString('hex')}`;
  const ingestionStreams = options.ingestionStreams ?? [...DEFAULT_INGESTION_STREAMS];
  const streamDeclarations: StreamDeclarations =
    options.streamDeclarations ??
    Object.fromEntries(
      Object.values(TABLE_SCHEMAS).map((t) => [t.stream, t.columns.map((c) => ({ name: c.name, type: c.type }))]),
    );
  const shaping = new Map<string, ShapingReport>();
  const workspaceId = options.workspaceId ?? stableGuid('local/workspace');
  const tables = new Map<string, Array<Record<string, unknown>>>(Object.entries(options.logAnalyticsTables ?? {}));
  const platformSamples = new Map<string, PlatformMetricSample[]>();
  let issued = 0;
  let throttleCount = (): number => 0;

  // The HTTPS endpoints (ARM and the data planes) answer a server fault the way Azure does.
  const dataPlane = (port: number | undefined) => ({ tls: options.tls, port, errorBody: armErrorBody });
  const servers: ListeningServer[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.close()));
  };
  try {
    const identity = await listenLoopback(
      createManagedIdentityHandler({
        tenantId,
        identityHeader,
        systemAssigned,
        userAssigned,
        tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 24 * 3600,
        faults: () => faults.identity,
        onIssued: () => {
          issued += 1;
        },
      }),
      { port: options.ports?.identity, errorBody: (message) => ({ statusCode: 500, message }) },
    );
    servers.push(identity);

    let armBase = '';
    const armThrottle = new ArmThrottle(() => faults.arm?.rateLimit);
    throttleCount = () => armThrottle.throttledCount();
    const arm = await listenLoopback(
      createArmHandler({
        baseUrl: () => armBase,
        tenantId,
        pageSize: options.armPageSize ?? 100,
        clusters: () => clusters,
        subscriptions,
        faults: () => faults.arm,
        forbiddenAudiences: () => faults.forbiddenAudiences,
        webApps: () => webApps,
        actionGroups,
        aksTimings: options.aksTimings,
        lroRetryAfterSeconds: options.lroRetryAfterSeconds,
        throttle: armThrottle,
      }),
      dataPlane(options.ports?.arm),
    );
    servers.push(arm);
    armBase = `https://127.0.0.1:${arm.port}`;

    const ingestion = await listenLoopback(
      createLogsIngestionHandler({
        dataDir: options.dataDir,
        dcrImmutableId,
        streams: ingestionStreams,
        streamDeclarations,
        shaping,
        faults: () => faults.ingestion,
        forbiddenAudiences: () => faults.forbiddenAudiences,
        onRows: (stream, rows) => landInWorkspace(tables, stream, rows),
      }),
      dataPlane(options.ports?.ingestion),
    );
    servers.push(ingestion);

    const logAnalytics = await listenLoopback(
      createLogAnalyticsHandler({
        workspaceId,
        tables: () => tables,
        schemas: workspaceSchemas(),
        faults: () => faults.logAnalytics,
        forbiddenAudiences: () => faults.forbiddenAudiences,
      }),
      dataPlane(options.ports?.logAnalytics),
    );
    servers.push(logAnalytics);

    // HTTPS with the local certificate; unexpected handler errors in Azure's error envelope.
    const azureError = (message: string) => ({ error: { code: 'InternalServerError', message } });
    const metricsHandler = createMetricsHandler({
      samples: () => platformSamples,
      region: options.clusters[0]?.location ?? 'westeurope',
      faults: () => faults.metrics,
      forbiddenAudiences: () => faults.forbiddenAudiences,
    });
    const metrics = await listenLoopback(metricsHandler, {
      tls: options.tls,
      port: options.ports?.metrics,
      errorBody: azureError,
    });
    servers.push(metrics);
    const metricsEndpoint = `https://127.0.0.1:${metrics.port}`;

    const identityEndpoint = `http://127.0.0.1:${identity.port}${IDENTITY_PATH}`;
    const logsIngestionEndpoint = `https://127.0.0.1:${ingestion.port}`;
    const logAnalyticsEndpoint = `https://127.0.0.1:${logAnalytics.port}/v1`;
    return {
      identityEndpoint,
      identityHeader,
      identities: { systemAssigned, userAssigned },
      tenantId,
      armEndpoint: armBase,
      logsIngestionEndpoint,
      dcrImmutableId,
      ingestionStreams,
      logAnalyticsEndpoint,
      workspaceId,
      env: {
        IDENTITY_ENDPOINT: identityEndpoint,
        IDENTITY_HEADER: identityHeader,
        ARM_ENDPOINT: armBase,
        LOGS_INGESTION_ENDPOINT: logsIngestionEndpoint,
        LOGS_DCR_IMMUTABLE_ID: dcrImmutableId,
        LOG_ANALYTICS_ENDPOINT: logAnalyticsEndpoint,
        LOG_ANALYTICS_WORKSPACE_ID: workspaceId,
        METRICS_ENDPOINT: metricsEndpoint,
      },
      faults,
      verifyToken(token, audience) {
        const verdict = verifyIssuedToken(token, audience);
        if (!verdict.ok) return 'unauthorized';
        const forbidden = faults.forbiddenAudiences?.map(normalizeAudience) ?? [];
        return forbidden.includes(normalizeAudience(audience)) ? 'forbidden' : 'ok';
      },
      issuedTokens: () => issued,
      armThrottledRequests: () => throttleCount(),
      ingestedRows: (stream) => readIngestedRows(options.dataDir, stream),
      shapingReport: (stream) => shaping.get(stream) ?? { droppedColumns: {}, nulledValues: {} },
      setLogAnalyticsRows(table, rows) {
        tables.set(table, [...rows]);
      },
      metricsEndpoint,
      setPlatformMetricSamples(resourceId, samples) {
        platformSamples.set(resourceId.toLowerCase(), samples);
      },
      upsertCluster(cluster) {
        parseClusterId(cluster.id);
        const index = clusters.findIndex((c) => c.id.toLowerCase() === cluster.id.toLowerCase());
        if (index >= 0) clusters[index] = cluster;
        else clusters.push(cluster);
      },
      webApps,
      actionGroups,
      removeCluster(id) {
        const index = clusters.findIndex((c) => c.id.toLowerCase() === id.toLowerCase());
        if (index >= 0) clusters.splice(index, 1);
      },
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
