// Wires the diagnostics to the app's real dependencies: Table storage, the results sink, ARM + managed identity for
// cluster access (shared/kube), ARM discovery for cluster names, Log Analytics for Container insights history.
// Built once per process from the configuration; the trigger adapters only call into it.
import { clusterNameFromId } from '../kube/vocabulary/armId.js';
import { createLogsQueryClient } from '../azure/logsQuery.js';
import { getManagedIdentityCredential } from '../azure/credential.js';
import { ValidationError } from '../errors.js';
import type { AppConfig } from '../config/config.js';
import { QUEUE_NAMES } from '../config/config.js';
import { discoverClusters } from '../azure/clusterDiscovery.js';
import { getKubeConfigForCluster } from '../kube/clusterKubeConfig.js';
import type { Logger } from '../observability/logger.js';
import { createResultsSink } from '../results/createResultsSink.js';
import type { ResultsSink } from '../results/resultsSink.js';
import { DiagnosesStore } from './diagnosesStore.js';
import type { DiagnosesRepository } from './diagnosesRepository.js';
import { createQueueClient, ensureQueue, sendQueueJson } from '../storage/storageClients.js';
import type { QueueClient } from '@azure/storage-queue';
import type { AlertWorkerDeps } from './alertWorker.js';
import { diagnoseLive, type KubeConfigProvider, type LiveDiagnosisDeps } from './diagnoseLive.js';
import type { ClusterResolver } from './normalizeAlert.js';
import { PrometheusReader } from '../metrics/prometheusReader.js';

export interface DiagnosticsRuntime {
  config: AppConfig;
  queue: QueueClient;
  store: DiagnosesRepository;
  sink: ResultsSink;
  live: LiveDiagnosisDeps;
  resolveCluster: ClusterResolver;
  workerDeps(logger?: Logger): AlertWorkerDeps;
}

const DISCOVERY_TTL_MS = 5 * 60 * 1000;

/** Cluster name → ARM id through ARM discovery, cached for a few minutes (names are unique enough per tenant). */
export function createDiscoveryResolver(config: AppConfig): ClusterResolver {
  let cache: { at: number; byName: Map<string, string> } | undefined;
  return async (clusterName, options = {}) => {
    // The simulated cluster is known by name only where the simulator runs (SIMULATOR_ENABLED): in production an
    // alert naming "aks-sim" is resolved through ARM like any other.
    if (
      config.SIMULATOR_ENABLED &&
      clusterNameFromId(config.SIMULATOR_CLUSTER_ID).toLowerCase() === clusterName.toLowerCase()
    )
      return config.SIMULATOR_CLUSTER_ID;
    if (!cache || Date.now() - cache.at > DISCOVERY_TTL_MS) {
      const result = await discoverClusters(config, { abortSignal: options.abortSignal });
      cache = { at: Date.now(), byName: new Map(result.clusters.map((c) => [c.name.toLowerCase(), c.id])) };
    }
    return cache.byName.get(clusterName.toLowerCase());
  };
}

export function createDiagnosticsRuntime(
  config: AppConfig,
  overrides: {
    kubeConfigProvider?: KubeConfigProvider;
    sink?: ResultsSink;
    resolveCluster?: ClusterResolver;
    store?: DiagnosesRepository;
  } = {},
): DiagnosticsRuntime {
  const kubeConfigProvider: KubeConfigProvider =
    overrides.kubeConfigProvider ??
    (async (clusterId, options) => {
      // Callers resolve the cluster first (onDemand.ts, the alert worker); none is ever assumed here.
      if (!clusterId) throw new ValidationError('cluster: required: the AKS cluster resource id to read');
      return getKubeConfigForCluster(clusterId, { config, abortSignal: options.abortSignal });
    });
  const live: LiveDiagnosisDeps = {
    kubeConfigProvider,
    logTailLines: config.DIAGNOSIS_LOG_TAIL_LINES,
    logs: config.LOG_ANALYTICS_WORKSPACE_ID
      ? {
          client: createLogsQueryClient(config),
          workspaceId: config.LOG_ANALYTICS_WORKSPACE_ID,
          scope: config.CONTAINER_INSIGHTS_QUERY,
        }
      : undefined,
    metrics: config.PROMETHEUS_QUERY_ENDPOINT
      ? new PrometheusReader(config.PROMETHEUS_QUERY_ENDPOINT, getManagedIdentityCredential(config))
      : undefined,
  };
  const store = overrides.store ?? new DiagnosesStore(config);
  const sink = overrides.sink ?? createResultsSink(config);
  const resolveCluster = overrides.resolveCluster ?? createDiscoveryResolver(config);
  const alertsQueue = createQueueClient(config, QUEUE_NAMES.alerts);
  return {
    config,
    queue: alertsQueue,
    store,
    sink,
    live,
    resolveCluster,
    workerDeps: (logger) => ({
      store,
      sink,
      resolveCluster,
      logger,
      budgetMs: config.DIAGNOSIS_TIME_BUDGET_SECONDS * 1000,
      retry: {
        baseSeconds: config.ALERT_RETRY_BASE_SECONDS,
        maxDelaySeconds: config.ALERT_RETRY_MAX_DELAY_SECONDS,
        windowMs: config.ALERT_RETRY_WINDOW_MINUTES * 60_000,
      },
      requeue: async (message, delaySeconds, options) => {
        await ensureQueue(alertsQueue);
        await sendQueueJson(alertsQueue, message, {
          visibilityTimeoutSeconds: delaySeconds,
          abortSignal: options.abortSignal,
        });
      },
      diagnose: (alert, options) =>
        diagnoseLive(alert.target.clusterId ? alert.target : { ...alert.target, clusterId: undefined }, live, {
          alert,
          id: options.id,
          abortSignal: options.abortSignal,
          budgetMs: options.budgetMs,
        }),
    }),
  };
}

let runtime: DiagnosticsRuntime | undefined;

/** The process-wide runtime (function app). */
export function getDiagnosticsRuntime(config: AppConfig): DiagnosticsRuntime {
  if (!runtime || runtime.config !== config) runtime = createDiagnosticsRuntime(config);
  return runtime;
}
