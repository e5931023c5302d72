// One cluster's sweep, as the queue worker runs it: ARM facts, then the Kubernetes objects through the managed
// identity, analysed together; the findings lifecycle in Table storage; rows to the results sink; the summary
// last (so GET /api/sweeps/latest never shows a half-written sweep). Everything that fails is recorded in the
// summary's errors[] and marks the sweep partial; only an unreadable cluster or storage failure throws.
import type { TokenCredential } from '@azure/identity';
import type { AppConfig } from '../config/config.js';
import { ensureErrorType, RemoteServiceError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { ResultsSink } from '../results/resultsSink.js';
import type { FindingsRepository } from './findingsRepository.js';
import { readArmFacts } from '../azure/armFactsReader.js';
import type { ArmFacts } from '../azure/armFacts.js';
import { analyzeArmFacts } from './armAnalyzers/index.js';
import type { ManagedCluster } from '@azure/arm-containerservice';
import { parseManagedClusterId } from '../azure/arm/managedClusterId.js';
import { getClusterKubeAccess, LocalAccountsOnlyError } from '../kube/clusterKubeConfig.js';
import { createKubeObjectSource } from '../kube/kubeObjectSource.js';
import { analyzeObjects, finalizeFindings } from './analyzeObjects.js';
import type { Analyzer, FindingDraft } from './analyzer.js';
import { ANALYZERS } from './analyzers/index.js';
import { mergeLifecycle } from './lifecycle.js';
import { findingsToWrite } from './changedOnly.js';
import { clusterKeyOf } from './fingerprint.js';
import { toFindingRow, toSweepRow } from './rows.js';
import { compareFindings } from './sortFindings.js';
import { PolicyFilter, type SweepPolicy } from './policy.js';
import { loadSweepPolicy } from './policySource.js';
import { summarizeFindings } from './summarize.js';
import { unreachableReason } from './apiServerProbe.js';
import { collectClusterSignals, type ClusterSignalSource } from './clusterSignals.js';
import { CLUSTER_SIGNAL_SOURCES } from './clusterSignalSources.js';
import type { Finding, SweepResult, SweepSummary } from './types.js';

export interface SweepClusterOptions {
  config: AppConfig;
  sink: ResultsSink;
  store: FindingsRepository;
  sweepId: string;
  credential?: TokenCredential;
  abortSignal?: AbortSignal;
  now?: () => Date;
  analyzers?: readonly Analyzer[];
  /** Finding sources outside the Kubernetes API (metrics, usage); default: the registered ones. */
  signalSources?: readonly ClusterSignalSource[];
  logger?: Logger;
}

class ApiServerUnreachable extends Error {}

/** The UTC hour in which a cluster's old findings and history are pruned. */
export function pruneHourOf(clusterId: string): number {
  return parseInt(clusterKeyOf(clusterId).slice(0, 6), 16) % 24;
}

const CLUSTER_USER_ROLE = 'Azure Kubernetes Service Cluster User Role';
/** Resolved findings and sweep history older than this are deleted from Table storage (Log Analytics keeps them). */
export const RETENTION_DAYS = 30;

/** The Kubernetes part of a sweep: every analyzer over the cluster's objects, read with the sweep's identity. */
async function sweepKubernetes(
  clusterId: string,
  cluster: ManagedCluster,
  {
    options,
    policy,
    started,
    abortSignal,
  }: { options: SweepClusterOptions; policy: SweepPolicy | undefined; started: Date; abortSignal: AbortSignal },
): Promise<{
  findings: Finding[];
  objectsByNamespace: Map<string, number>;
  objectsScanned: number;
  errors: string[];
  drafts: FindingDraft[];
  partial: boolean;
}> {
  const { config } = options;
  const id = parseManagedClusterId(clusterId);
  const errors: string[] = [];
  const drafts: FindingDraft[] = [];
  try {
    const access = await getClusterKubeAccess(clusterId, {
      config,
      credential: options.credential,
      cluster,
      abortSignal,
    });
    // One cheap probe first: an API server that does not answer costs one request, not every list's retries.
    const unreachable = await unreachableReason(access.kubeConfig, abortSignal);
    if (unreachable) throw new ApiServerUnreachable(unreachable);
    const result = await analyzeObjects(createKubeObjectSource(access.kubeConfig, { limit: config.SWEEP_PAGE_SIZE }), {
      clusterId,
      analyzers: options.analyzers ?? ANALYZERS,
      settings: {
        restartThreshold: config.SWEEP_RESTART_THRESHOLD,
        readyRatioThreshold: 0.8,
        exemptNamespaces: new Set(config.SWEEP_EXEMPT_NAMESPACES),
        now: started,
        kubernetesVersion: cluster.currentKubernetesVersion ?? cluster.kubernetesVersion,
      },
      policy,
      abortSignal,
    });
    errors.push(...result.errors);
    if (result.partial && cluster.apiServerAccessProfile?.enablePrivateCluster && result.objectsScanned === 0) {
      errors.push(
        'kubernetes: the API server is private; the Function app must be VNet-integrated with a network that reaches it',
      );
    }
    return {
      findings: result.findings,
      objectsByNamespace: result.objectsByNamespace,
      objectsScanned: result.objectsScanned,
      errors,
      drafts,
      partial: result.partial,
    };
  } catch (err) {
    if (err instanceof LocalAccountsOnlyError) {
      errors.push(`kubernetes: ${err.message}`);
    } else if (err instanceof ApiServerUnreachable) {
      errors.push(`kubernetes: the API server did not answer, nothing was listed: ${err.message}`);
      if (cluster.apiServerAccessProfile?.enablePrivateCluster) {
        errors.push(
          'kubernetes: the API server is private; the Function app must be VNet-integrated with a network that reaches it',
        );
      }
    } else if ((err as { statusCode?: number }).statusCode === 403) {
      errors.push(`kubernetes: listClusterUserCredential refused: ${ensureErrorType(err).message}`);
      drafts.push({
        check: 'cluster.credentials-access-denied',
        severity: 'critical',
        kind: 'ManagedCluster',
        name: id.name,
        message: `The sweep's managed identity may not list the user credentials of ${id.name} (HTTP 403 on listClusterUserCredential), so its Kubernetes objects were not swept.`,
        evidence: [`POST ${clusterId}/listClusterUserCredential → 403`],
        remediation: `Assign the identity the "${CLUSTER_USER_ROLE}" and "Azure Kubernetes Service RBAC Reader" on the cluster.`,
        docsUrl: 'https://learn.microsoft.com/azure/aks/control-kubeconfig-access',
      });
    } else {
      errors.push(`kubernetes: ${ensureErrorType(err).message}`);
    }
    return { findings: [], objectsByNamespace: new Map(), objectsScanned: 0, errors, drafts, partial: true };
  }
}

/** The ARM part of a sweep: the cluster's facts and the arm.* checks; a cluster ARM refuses is reported as such. */
async function sweepArm(
  clusterId: string,
  { options, abortSignal }: { options: SweepClusterOptions; abortSignal: AbortSignal },
): Promise<{ facts?: ArmFacts; errors: string[]; drafts: FindingDraft[]; partial: boolean }> {
  const { config } = options;
  const id = parseManagedClusterId(clusterId);
  const errors: string[] = [];
  const drafts: FindingDraft[] = [];
  let facts: ArmFacts | undefined;
  let partial = false;
  try {
    const arm = await readArmFacts(clusterId, { config, credential: options.credential, abortSignal });
    facts = arm.facts;
    errors.push(...arm.errors);
    drafts.push(...analyzeArmFacts(arm.facts));
  } catch (err) {
    partial = true;
    const status = (err as { statusCode?: number }).statusCode;
    errors.push(`arm: reading cluster ${id.name}: ${ensureErrorType(err).message}`);
    if (status === 403) {
      drafts.push({
        check: 'cluster.arm-access-denied',
        severity: 'critical',
        kind: 'ManagedCluster',
        name: id.name,
        message: `The sweep's managed identity may not read managed cluster ${id.name} in Azure Resource Manager (HTTP 403), so nothing about it was analysed.`,
        evidence: [`GET ${clusterId} → 403`],
        remediation: `Assign the identity the Reader role and the "${CLUSTER_USER_ROLE}" on the cluster (or its resource group).`,
        docsUrl: 'https://learn.microsoft.com/azure/aks/control-kubeconfig-access',
      });
    }
  }

  return { facts, errors, drafts, partial };
}

export async function sweepCluster(clusterId: string, options: SweepClusterOptions): Promise<SweepResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const { config } = options;
  const id = parseManagedClusterId(clusterId);
  const budget = AbortSignal.timeout(config.SWEEP_TIME_BUDGET_SECONDS * 1000);
  const abortSignal = options.abortSignal ? AbortSignal.any([options.abortSignal, budget]) : budget;
  const errors: string[] = [];
  let partial = false;
  const drafts: FindingDraft[] = [];
  const armPart = await sweepArm(clusterId, { options, abortSignal });
  const clusterFacts = armPart.facts;
  errors.push(...armPart.errors);
  drafts.push(...armPart.drafts);
  partial ||= armPart.partial;

  const cluster = clusterFacts?.cluster;
  // The check policy applies to the ARM findings too (an arm.* check can be turned off or re-rated). A policy that
  // cannot be read or parsed never narrows the sweep: it runs with every default check and says why.
  let policy: SweepPolicy | undefined;
  try {
    policy = (await loadSweepPolicy(config, { abortSignal })).policy;
  } catch (err) {
    errors.push(`policy: ${ensureErrorType(err).message}; swept with the default checks`);
  }
  let objectsByNamespace = new Map<string, number>();
  let objectsScanned = 0;
  let kubeFindings: Finding[] = [];
  if (!cluster) {
    partial = true;
  } else if (cluster.powerState?.code === 'Stopped') {
    partial = true;
    errors.push('kubernetes: not swept because the cluster is stopped');
  } else {
    const kube = await sweepKubernetes(clusterId, cluster, { options, policy, started, abortSignal });
    ({ objectsByNamespace, objectsScanned } = kube);
    kubeFindings = kube.findings;
    errors.push(...kube.errors);
    drafts.push(...kube.drafts);
    partial ||= kube.partial;
  }

  if (cluster && cluster.powerState?.code !== 'Stopped') {
    const signals = await collectClusterSignals(options.signalSources ?? CLUSTER_SIGNAL_SOURCES, {
      clusterId,
      cluster,
      config,
      credential: options.credential,
      abortSignal,
      now: started,
      logger: options.logger,
    });
    drafts.push(...signals.drafts);
    errors.push(...signals.errors);
  }

  // ARM objects are scored with the cluster-scoped objects.
  const armObjects = cluster ? 1 + (cluster.agentPoolProfiles?.length ?? 0) : 1;
  objectsByNamespace.set('', (objectsByNamespace.get('') ?? 0) + armObjects);
  objectsScanned += armObjects;
  const policyFilter = new PolicyFilter(policy);
  const armFindings = drafts.flatMap((d) => policyFilter.apply(d) ?? []);
  const found = [...finalizeFindings(clusterId, armFindings), ...kubeFindings].sort(compareFindings);

  const finishedIso = now().toISOString();
  const stored = await options.store.loadFindings(clusterId, { abortSignal: options.abortSignal });
  const lifecycle = mergeLifecycle(stored, found, { sweepId: options.sweepId, now: started.toISOString(), partial });
  const writes = findingsToWrite(stored, lifecycle.changed, {
    now: started.toISOString(),
    fullRefreshMs: config.SWEEP_FULL_REFRESH_HOURS * 3600_000,
  });
  await options.store.saveFindings(clusterId, writes, { abortSignal: options.abortSignal });

  const finished = now();
  const summary: SweepSummary = {
    sweepId: options.sweepId,
    clusterId,
    clusterName: cluster?.name ?? id.name,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    ...summarizeFindings(found, objectsByNamespace, {
      new: lifecycle.current.filter((f) => f.state === 'new').length,
      resolved: lifecycle.resolved.length,
    }),
    objectsScanned,
    partial,
    errors,
  };

  // Pruning scans the cluster's partitions: once a day is plenty for a 30-day retention, in an hour of the day that
  // spreads the fleet's clusters over the whole day.
  if (started.getUTCHours() === pruneHourOf(clusterId)) {
    try {
      await options.store.prune(clusterId, new Date(started.getTime() - RETENTION_DAYS * 24 * 3600 * 1000), {
        abortSignal: options.abortSignal,
      });
    } catch (err) {
      summary.errors.push(`pruning old findings: ${ensureErrorType(err).message}`);
    }
  }

  const context = { clusterName: summary.clusterName, timeGenerated: finishedIso };
  try {
    await options.sink.upload(
      'AksAiopsFindings_CL',
      [...lifecycle.current, ...lifecycle.resolved].map((f) => toFindingRow(options.sweepId, f, context)),
      {
        abortSignal: options.abortSignal,
      },
    );
    await options.sink.upload('AksAiopsSweeps_CL', [toSweepRow(summary)], { abortSignal: options.abortSignal });
  } catch (err) {
    // The sink spools what it cannot send; an error here means even that failed. Table storage still has it.
    summary.errors.push(`results sink: ${ensureErrorType(err).message}`);
    options.logger?.error('results sink upload failed', { sweepId: options.sweepId, error: ensureErrorType(err) });
  }
  try {
    await options.store.saveSweep(summary, { abortSignal: options.abortSignal });
  } catch (err) {
    throw new RemoteServiceError(`Saving the sweep summary of ${id.name} failed: ${ensureErrorType(err).message}`, {
      statusCode: 0,
      cause: err,
    });
  }
  options.logger?.info('cluster swept', {
    sweepId: options.sweepId,
    clusterId,
    score: summary.score,
    findings: found.length,
    new: summary.counts.new,
    resolved: summary.counts.resolved,
    partial,
    durationMs: summary.durationMs,
  });
  return { summary, findings: lifecycle.current };
}
