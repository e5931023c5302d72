// The one place that reads the environment. Every setting is validated once, has a default that works locally
// (under `npm start` and in tests) and is documented in README.md and local.settings.example.json.
// Infra (Bicep and Terraform) sets the Azure values; test/integration/infra checks the two lists agree.
import { z } from 'zod';
import { ConfigError } from '../errors.js';

/** Azurite's well-known development account; it is public and only ever used against loopback. */
export const AZURITE_CONNECTION_STRING =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;' +
  'TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';

/** A comma-separated list. The default is given as text so it goes through the same split (zod 4 returns a pipe's
 * default as the output value without transforming it). */
const commaList = (dflt = '') =>
  z
    .string()
    .default(dflt)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    );

const optionalString = z
  .string()
  .optional()
  .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.trim()));

const optionalUrl = optionalString.refine((s) => s === undefined || URL.canParse(s), 'must be an absolute URL');

const boolFlag = (dflt: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(dflt ? 'true' : 'false')
    .transform((s) => (s === '' ? dflt : s === 'true' || s === '1' || s === 'yes'));

const positiveInt = (dflt: number) => z.coerce.number().int().positive().default(dflt);

/** NCRONTAB with seconds, as Azure Functions timers use: six fields. */
const ncrontab = z
  .string()
  .refine((s) => s.trim().split(/\s+/).length === 6, 'must be a six-field NCRONTAB expression (with seconds)');

/**
 * Every setting, its default for local use, and how it is validated. Names are the environment variable names
 * (Function app settings); the README's configuration table is generated from the descriptions in this schema.
 */
export const settingsSchema = z.object({
  // --- storage (queues, tables, blobs) ---
  AzureWebJobsStorage: optionalString.describe(
    'Storage connection string (local). In Azure the identity-based AzureWebJobsStorage__* settings are used instead.',
  ),
  AzureWebJobsStorage__queueServiceUri: optionalUrl.describe('Queue service URI for identity-based storage access.'),
  AzureWebJobsStorage__tableServiceUri: optionalUrl.describe('Table service URI for identity-based storage access.'),
  AzureWebJobsStorage__blobServiceUri: optionalUrl.describe('Blob service URI for identity-based storage access.'),
  AzureWebJobsStorage__clientId: optionalString.describe('Client id of the user-assigned identity used for storage.'),

  // --- identity and Azure endpoints ---
  AZURE_CLIENT_ID: optionalString.describe('Client id of the user-assigned managed identity (empty: system-assigned).'),
  ARM_ENDPOINT: z
    .url()
    .default('https://management.azure.com')
    .describe('Azure Resource Manager endpoint (a local stand-in under npm start).'),
  AKS_SERVER_SCOPE: z
    .string()
    .default('6dae42f8-4368-4678-94ff-3960e28e3630/.default')
    .describe('Token scope of the AKS Entra server application, used for Kubernetes API access.'),

  // --- health sweeps ---
  SWEEP_SCHEDULE: ncrontab.default('0 */15 * * * *').describe('NCRONTAB schedule of the fleet sweep timer.'),
  SWEEP_SUBSCRIPTION_IDS: commaList().describe(
    'Comma-separated subscription ids to discover clusters in (empty: every subscription the identity can list).',
  ),
  SWEEP_CLUSTER_IDS: commaList().describe('Comma-separated AKS resource ids swept in addition to discovered ones.'),
  SWEEP_TIME_BUDGET_SECONDS: positiveInt(240).describe('Time budget for one cluster sweep; it is aborted after.'),
  SWEEP_FULL_REFRESH_HOURS: positiveInt(24).describe(
    'Unchanged open findings are rewritten to Table storage only this often (changed ones every sweep).',
  ),
  SWEEP_PAGE_SIZE: positiveInt(500).describe('Objects per Kubernetes list page (limit/continue).'),
  SWEEP_EXEMPT_NAMESPACES: commaList(
    'kube-system,kube-public,kube-node-lease,gatekeeper-system,calico-system,tigera-operator,app-routing-system',
  ).describe('Namespaces of AKS-managed components, exempt from best-practice checks.'),
  SWEEP_RESTART_THRESHOLD: positiveInt(3).describe('Container restarts above which a restart finding is raised.'),
  ANOMALY_DETECTION: boolFlag(true).describe(
    "Every sweep reads the cluster's own metrics (Container Insights, platform metrics) and reports anomaly.* findings.",
  ),
  ANOMALY_WINDOW_MINUTES: positiveInt(240).describe(
    'Minutes of metric history each sweep re-scores per series (the detector needs about 150 points before it flags).',
  ),
  ANOMALY_RECENT_MINUTES: positiveInt(15).describe(
    'Only anomalies in the newest minutes of the window raise findings (about the sweep interval).',
  ),
  ANOMALY_MIN_CHANGE_PERCENT: positiveInt(30).describe(
    'How far from its baseline (percent of the baseline) an anomalous value must be to become a finding.',
  ),
  METRICS_ENDPOINT: optionalUrl.describe(
    "Azure Monitor metrics query endpoint; empty: the cluster's regional https://<location>.metrics.monitor.azure.com.",
  ),
  SWEEP_POLICY: optionalString.describe(
    'Check policy as YAML or JSON, the format of aks-aiops.yaml (checks on/off, severities, exemptions); empty: defaults.',
  ),
  SWEEP_POLICY_BLOB: optionalString.describe(
    'Blob "<container>/<path>" in the app storage account holding the check policy; read each sweep, wins over SWEEP_POLICY.',
  ),

  // --- scheduled scaling ---
  SCALING_SCHEDULE: ncrontab
    .default('0 */5 * * * *')
    .describe('NCRONTAB schedule of the timer that applies scaling schedules (node pool counts, cluster stop/start).'),
  SCALING_ARM_TIMEOUT_SECONDS: positiveInt(30).describe(
    'Timeout of one ARM read made for scaling (cluster and agent pool state).',
  ),
  SCALING_ENABLED: boolFlag(false).describe(
    'Let the scaling timer change clusters (deployment parameter enableScaling, which also grants the scaling role). Off: every schedule runs in plan mode and its decisions say why. npm start turns it on for the simulated cluster.',
  ),
  SCALING_OPERATION_TIMEOUT_SECONDS: positiveInt(1200).describe(
    'Longest wait for one ARM long-running operation (agent pool update, cluster start/stop) before it is recorded as failed.',
  ),

  // --- alert diagnostics ---
  ALERT_MAX_BYTES: positiveInt(1024 * 1024).describe('Largest alert payload the webhook accepts (413 above).'),
  DIAGNOSE_PASTE_MAX_BYTES: positiveInt(256 * 1024).describe(
    'Largest body POST /api/diagnose accepts (a paste or a JSON request; 413 above).',
  ),
  DIAGNOSE_DEFAULT_CLUSTER_ID: optionalString
    .refine(
      (s) =>
        s === undefined ||
        /^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.containerservice\/managedclusters\/[^/]+$/i.test(
          s,
        ),
      'must be an AKS cluster resource id',
    )
    .describe(
      'Cluster POST /api/diagnose reads for a pod, service or node when the request names none. Unset (the default): such a request is a 400 naming `cluster`. npm start sets it to the simulated cluster.',
    ),
  DIAGNOSIS_LOG_TAIL_LINES: positiveInt(100).describe('Lines of the previous container log read as evidence.'),
  DIAGNOSIS_TIME_BUDGET_SECONDS: positiveInt(120).describe(
    'Time budget of one alert diagnosis; after it the diagnosis is stored with the evidence gathered and the gap named.',
  ),
  ALERT_RETRY_BASE_SECONDS: positiveInt(30).describe(
    'First re-enqueue delay of an alert whose cluster was unreachable, denied access or throttled; doubles each time.',
  ),
  ALERT_RETRY_MAX_DELAY_SECONDS: positiveInt(1800).describe('Longest re-enqueue delay of a deferred alert.'),
  ALERT_RETRY_WINDOW_MINUTES: positiveInt(60).describe(
    'How long a deferred alert is retried (outlasts role propagation, 5-30 min) before its diagnosis names the gap.',
  ),
  LOG_ANALYTICS_WORKSPACE_ID: optionalString.describe(
    'A Container Insights workspace (customer id): set, diagnoses query Container Insights; empty disables that.',
  ),
  CONTAINER_INSIGHTS_QUERY: z
    .enum(['resource', 'workspace'])
    .default('resource')
    .describe(
      "How evidence queries reach Container Insights: 'resource' queries the alert's cluster by ARM id (every workspace it sends to), 'workspace' only LOG_ANALYTICS_WORKSPACE_ID.",
    ),
  LOG_ANALYTICS_ENDPOINT: z
    .url()
    .default('https://api.loganalytics.azure.com/v1')
    .describe('Log Analytics query endpoint (a local stand-in under npm start).'),
  PROMETHEUS_QUERY_ENDPOINT: optionalUrl.describe(
    "Query endpoint of the Azure Monitor workspace the clusters' managed Prometheus writes to (its metrics.prometheusQueryEndpoint); set, diagnoses read the alerted workload's metrics with PromQL (the identity needs Monitoring Data Reader on the workspace); empty disables that. A local stand-in under npm start.",
  ),

  // --- results ---
  RESULTS_SINK: z
    .enum(['loganalytics', 'file', 'console'])
    .default('file')
    .describe('Where findings, sweeps and diagnoses go: Logs Ingestion API, local JSON-lines files, or stdout.'),
  LOGS_INGESTION_ENDPOINT: optionalUrl.describe('Data collection rule ingestion endpoint (RESULTS_SINK=loganalytics).'),
  LOGS_DCR_IMMUTABLE_ID: optionalString.describe('Immutable id of the data collection rule (dcr-...).'),
  RESULTS_DIR: z.string().default('.data/results').describe('Folder of the JSON-lines files when RESULTS_SINK=file.'),
  INGESTION_RETRY_SCHEDULE: ncrontab
    .default('0 */5 * * * *')
    .describe('NCRONTAB schedule of the timer that re-uploads spooled (failed) Log Analytics chunks.'),

  // --- simulator ---
  SIMULATOR_SEED: z.coerce.number().int().default(42).describe('Seed of the metrics simulator.'),
  SIMULATOR_CLUSTER_ID: z
    .string()
    .default(
      '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aiops-sim/providers/Microsoft.ContainerService/managedClusters/aks-sim',
    )
    .describe('ARM id the simulated AKS cluster presents.'),
  SIMULATOR_ALERT_WEBHOOK_URL: optionalUrl.describe(
    'When set, a simulated incident posts a common-schema alert to this URL (the app alert webhook).',
  ),
  SIMULATOR_ENABLED: boolFlag(true).describe('Register the simulator endpoints.'),

  // --- runtime ---
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('Minimum level of structured logs.'),
  REGION_NAME: optionalString.describe('Azure region (set by the Functions platform).'),
  WEBSITE_INSTANCE_ID: optionalString.describe('Instance id (set by the Functions platform).'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Storage access: a connection string locally, service URIs plus managed identity in Azure. */
export type StorageAccess =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; queueServiceUri: string; tableServiceUri: string; blobServiceUri?: string; clientId?: string };

export interface AppConfig extends Settings {
  storage: StorageAccess;
}

/** Reads and validates settings. Throws {@link ConfigError} naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid settings: ${problems.join('; ')}`, {
      settings: parsed.error.issues.map((i) => String(i.path[0])),
    });
  }
  const s = parsed.data;
  if (s.RESULTS_SINK === 'loganalytics' && (!s.LOGS_INGESTION_ENDPOINT || !s.LOGS_DCR_IMMUTABLE_ID)) {
    throw new ConfigError(
      'Invalid settings: RESULTS_SINK=loganalytics needs LOGS_INGESTION_ENDPOINT and LOGS_DCR_IMMUTABLE_ID',
      { settings: ['LOGS_INGESTION_ENDPOINT', 'LOGS_DCR_IMMUTABLE_ID'] },
    );
  }
  return { ...s, storage: resolveStorageAccess(s) };
}

function resolveStorageAccess(s: Settings): StorageAccess {
  if (s.AzureWebJobsStorage__queueServiceUri && s.AzureWebJobsStorage__tableServiceUri) {
    return {
      kind: 'identity',
      queueServiceUri: s.AzureWebJobsStorage__queueServiceUri,
      tableServiceUri: s.AzureWebJobsStorage__tableServiceUri,
      blobServiceUri: s.AzureWebJobsStorage__blobServiceUri,
      clientId: s.AzureWebJobsStorage__clientId ?? s.AZURE_CLIENT_ID,
    };
  }
  const cs = s.AzureWebJobsStorage;
  if (cs === undefined || cs === 'UseDevelopmentStorage=true') {
    return { kind: 'connectionString', connectionString: AZURITE_CONNECTION_STRING };
  }
  return { kind: 'connectionString', connectionString: cs };
}

let cached: AppConfig | undefined;

/** The process-wide configuration, read once. */
export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}

/** Only for tests and the dev host, which change the environment between runs. */
export function resetConfigForTesting(): void {
  cached = undefined;
}

/** host.json extensions.queues.maxDequeueCount: the workers log the last attempt before the poison queue with it
 * (a test keeps the two equal). */
export const QUEUE_MAX_DEQUEUE_COUNT = 5;

/** Names the Function host binds by convention; kept here so code and host.json/infra agree. */
export const QUEUE_NAMES = {
  alerts: 'alerts',
  sweeps: 'sweeps',
  ingestionSpool: 'ingestion-spool',
} as const;

export const TABLE_NAMES = {
  incidents: 'incidents',
  findings: 'findings',
  sweeps: 'sweeps',
  diagnoses: 'diagnoses',
  alertKeys: 'alertkeys',
  schedules: 'schedules',
  /** One row per cluster: which period's sweep holds it (shared/sweep/sweepClaims.ts). */
  sweepClaims: 'sweepclaims',
} as const;
