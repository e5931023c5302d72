// `npm start`: the whole product on loopback with no Azure account.
//   1. Azurite (queues, tables, blobs), data under <data-dir>/azurite so incidents survive a restart;
//   2. the simulated AKS cluster, served as a Kubernetes API over HTTPS (state follows the simulator's incidents);
//   3. local Azure stand-ins: managed-identity token endpoint, ARM, Logs Ingestion, Log Analytics query, the Azure
//      Monitor workspace's Prometheus query endpoint;
//   4. the dev host running the real function app (dist/app.js) on http://127.0.0.1:7071/api.
// Ctrl-C stops everything. `--ephemeral` uses a temporary data folder and free ports (the e2e tests use it).
// `--clusters N` (default 1) serves a simulated fleet: the simulated cluster above plus N-1 generated ones across
// subscriptions and resource groups (shared/simulator/aks/fleet.ts, dev/fleet/fleetServers.ts), with ARM's read
// throttling on.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseArgs } from 'node:util';
import { ensureLocalTls, type LocalTls } from './tls.js';
import { freePort, identityStorageSettings, startAzurite, type AzuriteInstance } from './local/azurite.js';

import { startSimulatedCluster, type SimulatedCluster } from '../shared/simulator/cluster/startSimulatedCluster.js';
import { clusterNameOf } from '../shared/simulator/cluster/clusterName.js';
import { loadConfig, type AppConfig } from '../shared/config/config.js';
import { localSettingsEnv, settingDefaults } from './host/settings.js';
import {
  generateContainerInsightsHistory,
  withContainerInsightsHistory,
  type ContainerInsightsHistory,
} from './local/containerInsightsHistory.js';
import {
  snapshotFromSource,
  startContainerInsightsFeed,
  type ContainerInsightsFeed,
} from './local/containerInsightsFeed.js';
import { createSimulatedClusterSource } from '../shared/simulator/cluster/simulatedClusterSource.js';

import {
  AKS_SERVER_APP_ID as AKS_AUDIENCE,
  startLocalAzure,
  type LocalAzure,
  type LocalCluster,
} from './standins/localAzure.js';
import { startPrometheusEndpoint } from './standins/prometheusEndpoint.js';
import { createTableIncidentStore } from '../shared/simulator/incidents/incidentStore.js';
import { ARM_READ_LIMIT } from './standins/armThrottle.js';
import { startFleetServers } from './fleet/fleetServers.js';
import { fleetMembers } from '../shared/simulator/aks/fleet.js';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '7071' },
    'data-dir': { type: 'string', default: '.data' },
    ephemeral: { type: 'boolean', default: false },
    'no-alerts': { type: 'boolean', default: false },
    clusters: { type: 'string', default: '1' },
  },
});

function loadOrCreateKeys(dataDir: string): { functionKey: string; masterKey: string; kubeToken: string } {
  const file = path.join(dataDir, 'host-keys.json');
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const keys = {
    functionKey: existing.functionKey ?? randomBytes(24).toString('base64url'),
    masterKey: existing.masterKey ?? randomBytes(24).toString('base64url'),
    kubeToken: existing.kubeToken ?? randomBytes(24).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** What `npm start` announces on its AKS_AIOPS_READY line (test/support/localApp.ts reads it). */
export interface ReadyInfo {
  appUrl: string;
  functionKey: string;
  masterKey: string;
  kubeApiUrl: string;
  kubeconfig: string;
  azurite: string;
  armEndpoint: string;
  resultsDir: string;
  dataDir: string;
}

/** What `npm start` prints once the host is up; the last line is machine-readable (tests and scripts parse it). */
function readyBanner(r: ReadyInfo, fleetSize: number): string {
  return [
    '',
    'aks-aiops is running locally (no Azure account needed):',
    `  App          ${r.appUrl}/api/   (interactive API docs; OpenAPI at ${r.appUrl}/api/openapi.json)`,
    `  Dashboard    ${r.appUrl}/api/dashboard?code=${r.functionKey}`,
    `  Health       curl ${r.appUrl}/api/health`,
    `  Metrics      curl ${r.appUrl}/api/metrics/current`,
    `  Incident     curl -X POST "${r.appUrl}/api/incidents/simulate?code=${r.functionKey}" -d '{"type":"memory_leak","service":"payment-service"}'`,
    `  Cluster      kubectl --kubeconfig ${r.kubeconfig} get pods -A    (simulated AKS API at ${r.kubeApiUrl})`,
    `  Sweep now    curl -X POST "${r.appUrl}/admin/functions/sweepTimer?code=${r.masterKey}" -d '{}'`,
    `  Results      ${r.resultsDir}/*.jsonl (Logs Ingestion stand-in)`,
    `  Fleet        ${fleetSize} cluster(s) in ARM at ${r.armEndpoint} (npm start -- --clusters N)`,
    `  Function key ${r.functionKey}`,
    'Ctrl-C stops everything.',
    `AKS_AIOPS_READY ${JSON.stringify(r)}`,
    '',
  ].join('\n');
}

/** Where this run keeps its data and listens, and the keys and certificate it uses. */
interface RunPlan {
  ephemeral: boolean;
  dataDir: string;
  port: number;
  keys: { functionKey: string; masterKey: string; kubeToken: string };
  tls: LocalTls;
  /** Where per-cluster certificates live (the fleet's); ephemeral runs share the project's .data. */
  tlsDir: string;
  fleetSize: number;
}

async function planRun(): Promise<RunPlan> {
  // Arguments first: a wrong one fails before anything is created.
  const fleetSize = Number(args.clusters ?? '1');
  if (!Number.isInteger(fleetSize) || fleetSize < 1 || fleetSize > 5000) {
    throw new Error(`--clusters must be a whole number from 1 to 5000, not '${args.clusters ?? ''}'`);
  }
  const ephemeral = args.ephemeral === true;
  const dataDir = ephemeral
    ? mkdtempSync(path.join(tmpdir(), 'aks-aiops-'))
    : path.resolve(args['data-dir'] ?? '.data');
  mkdirSync(dataDir, { recursive: true });
  const tlsDir = ephemeral ? path.resolve('.data') : dataDir;
  return {
    ephemeral,
    dataDir,
    port: ephemeral && args.port === '7071' ? await freePort() : Number(args.port),
    keys: loadOrCreateKeys(dataDir),
    tls: await ensureLocalTls(tlsDir),
    tlsDir,
    fleetSize,
  };
}

/** Settings the app and the simulated cluster share: documented defaults, local.settings.json, the environment. */
function baseSettings(azurite: AzuriteInstance): Record<string, string> {
  return {
    ...settingDefaults(),
    // A sweep every two minutes locally, so the loop is visible; Azure's default stays every 15 minutes.
    SWEEP_SCHEDULE: '0 */2 * * * *',
    // The simulated cluster is ours to scale: the timer applies schedules in apply mode (Azure: enableScaling).
    SCALING_ENABLED: 'true',
    ...localSettingsEnv(),
    ...(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined)) as Record<string, string>),
    AzureWebJobsStorage: azurite.connectionString,
  };
}

/**
 * The simulated cluster as ARM serves it. One cluster, two views: ARM's pools and power state are the simulated
 * cluster's, and ARM writes to it (scale a pool, stop/start) change what kubectl sees.
 */
function simulatedClusterResource(config: AppConfig, cluster: SimulatedCluster, tls: LocalTls): LocalCluster {
  return {
    id: config.SIMULATOR_CLUSTER_ID,
    location: cluster.aks.view().spec.location,
    kubernetesVersion: cluster.aks.view().spec.kubernetesVersion,
    kubeApiUrl: cluster.url,
    caPem: tls.cert,
    aks: cluster.aks,
    // The monitoring addon: the cluster sends Container Insights to the local workspace (the feed below), so the
    // sweep reads its metrics from there before falling back to the platform metrics.
    properties: {
      addonProfiles: {
        azurepolicy: { enabled: false },
        azureKeyvaultSecretsProvider: { enabled: false },
        omsagent: { enabled: true, config: { useAADAuth: 'true' } },
      },
    },
  };
}

const reportTo = (what: string) => (err: unknown) =>
  process.stderr.write(`${what}: ${err instanceof Error ? err.message : String(err)}\n`);

/** Container Insights for the diagnostics' Log Analytics evidence, derived from the simulated cluster. */
function startInsightsFeed(
  config: AppConfig,
  cluster: SimulatedCluster,
  localAzure: LocalAzure,
  history: Promise<ContainerInsightsHistory>,
): ContainerInsightsFeed {
  return startContainerInsightsFeed({
    source: cluster.source,
    // Plus four weeks of hourly history before now, for the scaling recommendations to learn the weekly pattern from.
    // The platform metric samples go straight to the metrics stand-in.
    localAzure: {
      ...withContainerInsightsHistory(localAzure, history, reportTo('container insights history')),
      setPlatformMetricSamples: (resourceId, samples) => localAzure.setPlatformMetricSamples(resourceId, samples),
    },
    clusterId: config.SIMULATOR_CLUSTER_ID,
    // The simulator is a function of time: the hours before start are computed (quiet: no incidents), so the anomaly
    // detector has a baseline on the first sweep.
    snapshotAt: async (time) => {
      const past = createSimulatedClusterSource({
        seed: config.SIMULATOR_SEED,
        clusterName: cluster.clusterName,
        clusterId: cluster.clusterId,
        aks: cluster.aks,
        getIncidents: () => [],
        now: () => time,
      });
      await past.refresh();
      return snapshotFromSource(past);
    },
    onError: reportTo('container insights feed'),
  });
}

/**
 * The Azure Monitor workspace's Prometheus query endpoint, serving the simulator's series (diagnoses read the alerted
 * workload's metrics there).
 */
function startPrometheus(config: AppConfig, cluster: SimulatedCluster, localAzure: LocalAzure, tls: LocalTls) {
  const incidentStore = createTableIncidentStore(config);
  return startPrometheusEndpoint({
    tls,
    cluster: {
      seed: config.SIMULATOR_SEED,
      clusterName: cluster.clusterName,
      clusterId: cluster.clusterId,
      aks: cluster.aks,
    },
    incidents: (from, to) => incidentStore.overlapping(from, to),
    forbiddenAudiences: () => localAzure.faults.forbiddenAudiences,
  });
}

/**
 * The function app's environment. Its host storage is identity-based, exactly the settings the infrastructure writes
 * in Azure: the service URIs, the account name and the user-assigned identity, and no AzureWebJobsStorage connection
 * string.
 */
function appEnvironment(
  plan: RunPlan,
  baseEnv: Record<string, string>,
  stack: { config: AppConfig; azurite: AzuriteInstance; localAzure: LocalAzure; prometheusEndpoint: string },
): Record<string, string> {
  const { config, azurite, localAzure } = stack;
  const appUrl = `http://127.0.0.1:${plan.port}`;
  const appIdentity = localAzure.identities.userAssigned[0]!;
  const { AzureWebJobsStorage: _localOnly, ...appBase } = baseEnv;
  return {
    ...appBase,
    ...identityStorageSettings(azurite, appIdentity.clientId),
    AZURE_CLIENT_ID: baseEnv.AZURE_CLIENT_ID ?? appIdentity.clientId,
    ...localAzure.env,
    PROMETHEUS_QUERY_ENDPOINT: stack.prometheusEndpoint,
    RESULTS_SINK: process.env.RESULTS_SINK ?? 'loganalytics',
    // Locally the simulated cluster is the one cluster there is: POST /api/diagnose reads it when none is named.
    DIAGNOSE_DEFAULT_CLUSTER_ID: baseEnv.DIAGNOSE_DEFAULT_CLUSTER_ID ?? config.SIMULATOR_CLUSTER_ID,
    ...(args['no-alerts'] ? {} : { SIMULATOR_ALERT_WEBHOOK_URL: `${appUrl}/api/alerts?code=${plan.keys.functionKey}` }),
    NODE_EXTRA_CA_CERTS: plan.tls.certPath,
    AKS_AIOPS_PORT: String(plan.port),
    AKS_AIOPS_DATA_DIR: plan.dataDir,
    AKS_AIOPS_FUNCTION_KEY: plan.keys.functionKey,
    AKS_AIOPS_MASTER_KEY: plan.keys.masterKey,
    RESULTS_DIR: path.join(plan.dataDir, 'results'),
  };
}

/**
 * Runs the dev host with the app and prints the banner once it is ready; Ctrl-C (or the host's exit) stops the host,
 * then everything in `closers`, last started first.
 */
function runHost(
  plan: RunPlan,
  appEnv: Record<string, string>,
  closers: Array<() => Promise<void>>,
  ready: ReadyInfo,
): void {
  const host = spawn(process.execPath, [path.resolve('dist/dev/funcHost.js')], {
    env: appEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (host.exitCode === null) {
      host.kill('SIGTERM');
      await new Promise((r) => host.once('exit', r));
    }
    for (const close of closers.reverse()) await close().catch(() => undefined);
    if (plan.ephemeral) rmSync(plan.dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  host.once('exit', (code) => {
    if (!shuttingDown) {
      process.stderr.write(`dev host exited with code ${code}\n`);
      void shutdown(code ?? 1);
    }
  });

  let buffered = '';
  let announced = false;
  host.stdout?.on('data', (d: Buffer) => {
    process.stdout.write(d);
    if (announced) return;
    buffered += d.toString();
    if (buffered.includes('FUNCHOST_READY')) {
      announced = true;
      buffered = '';
      process.stdout.write(readyBanner(ready, plan.fleetSize));
    }
  });
}

async function main(): Promise<void> {
  const plan = await planRun();
  const { dataDir, keys, tls } = plan;
  // This process talks to the HTTPS stand-ins itself (the simulated cluster keeps incidents in Azurite's tables):
  // trust the local certificate here as the children do through NODE_EXTRA_CA_CERTS.
  setDefaultCACertificates([...getCACertificates('default'), tls.cert]);
  const closers: Array<() => Promise<void>> = [];

  // HTTPS and OAuth, so the app reaches storage with its managed identity as in Azure (dev/local/azurite.ts).
  const azurite = await startAzurite({
    location: path.join(dataDir, 'azurite'),
    ports: plan.ephemeral ? undefined : { blob: 10000, queue: 10001, table: 10002 },
    identity: tls,
  });
  closers.push(() => azurite.stop());
  const baseEnv = baseSettings(azurite);
  const config = loadConfig(baseEnv);

  // The cluster accepts managed-identity tokens for the AKS server application (verified by the local Azure, started
  // after it), and a static token for kubectl.
  const late: { verifyToken?: LocalAzure['verifyToken'] } = {};
  const cluster = await startSimulatedCluster({
    config,
    tls,
    authenticate: (token) => {
      if (token !== undefined && token === keys.kubeToken) return 'ok';
      return late.verifyToken ? late.verifyToken(token, AKS_AUDIENCE) : 'unauthorized';
    },
  });
  closers.push(() => cluster.close());
  // Weeks of Container insights history for the simulated cluster: generated while the stand-ins start (it yields
  // to them), and complete before the app's first sweep, so the recommendations' cost.* findings do not appear
  // between two sweeps as if something had changed.
  const insightsHistory = generateContainerInsightsHistory({
    seed: config.SIMULATOR_SEED,
    clusterId: config.SIMULATOR_CLUSTER_ID,
    clusterName: clusterNameOf(config.SIMULATOR_CLUSTER_ID),
    createdAtMs: cluster.aks.createdAtMs,
    toMs: Date.now(),
  });
  const kubeconfigPath = path.join(dataDir, 'kubeconfig');
  await cluster.writeKubeconfig(kubeconfigPath, { token: keys.kubeToken });

  // Member 0 of the fleet is the simulated cluster above; the others are generated and served here.
  const fleet = await startFleetServers({
    members: fleetMembers(plan.fleetSize, { firstId: config.SIMULATOR_CLUSTER_ID }).slice(1),
    tlsDir: plan.tlsDir,
    verifyToken: (token, audience) => late.verifyToken?.(token, audience) ?? 'unauthorized',
  });
  closers.push(() => fleet.close());
  const localAzure = await startLocalAzure({
    tls,
    dataDir,
    faults:
      plan.fleetSize > 1
        ? { arm: { rateLimit: ARM_READ_LIMIT, forbidClusterCredentials: fleet.forbidCredentials } }
        : undefined,
    clusters: [simulatedClusterResource(config, cluster, tls), ...fleet.clusters],
  });
  late.verifyToken = (token, audience) => localAzure.verifyToken(token, audience);
  closers.push(() => localAzure.close());

  const insightsFeed = startInsightsFeed(config, cluster, localAzure, insightsHistory);
  closers.push(async () => insightsFeed.stop());
  const prometheus = await startPrometheus(config, cluster, localAzure, tls);
  closers.push(() => prometheus.close());

  await insightsHistory.catch(() => undefined); // a failure is reported by the feed's wrapper
  const appEnv = appEnvironment(plan, baseEnv, {
    config,
    azurite,
    localAzure,
    prometheusEndpoint: prometheus.endpoint,
  });
  runHost(plan, appEnv, closers, {
    appUrl: `http://127.0.0.1:${plan.port}`,
    functionKey: keys.functionKey,
    masterKey: keys.masterKey,
    kubeApiUrl: cluster.url,
    kubeconfig: kubeconfigPath,
    azurite: azurite.connectionString,
    armEndpoint: localAzure.armEndpoint,
    resultsDir: path.join(dataDir, 'ingestion'),
    dataDir,
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`npm start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
