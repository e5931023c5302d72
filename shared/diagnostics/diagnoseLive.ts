// One diagnosis against a live cluster: reach the cluster, gather Kubernetes evidence for the target, add Container
// insights history when a workspace is configured, run the rules. Shared by the alert worker, POST /api/diagnose and
// `aks-aiops diagnose --kubeconfig`.
import type { LogsQueryClient } from '@azure/monitor-query-logs';
import type { KubeConfig } from '@kubernetes/client-node';
import { diagnoseSnapshot, selectSubject } from './engine.js';
import { gatherKubeEvidence } from './evidence/kubeEvidence.js';
import { gatherContainerInsightsHistory } from './evidence/logAnalyticsEvidence.js';
import { emptySnapshot } from './evidence/snapshot.js';
import { budgetSignal, DependencyTimeoutError } from '../outbound/timeouts.js';
import type { NormalizedAlert } from './normalizeAlert.js';
import { DEFAULT_PLAYBOOK, PLAYBOOKS } from './playbooks.js';
import type { Diagnosis, DiagnosisTarget } from './types.js';
import { RemoteServiceError } from '../errors.js';

/** How long after an alert fired its samples are surely queryable (the rule read them at fire time). */
export const METRICS_SETTLE_MS = 30_000;
import { gatherMetricEvidence, type WorkloadMetricReader } from './evidence/metricEvidence.js';
import type { ClusterSnapshot } from './evidence/snapshot.js';
import { podNamespace, workloadOf } from './rules/podFacts.js';

/** How to reach a cluster's Kubernetes API (ARM + managed identity in the app, a kubeconfig in the CLI). */
export type KubeConfigProvider = (
  clusterId: string | undefined,
  options: { abortSignal?: AbortSignal },
) => Promise<KubeConfig>;

export interface LiveDiagnosisDeps {
  kubeConfigProvider: KubeConfigProvider;
  /** Container insights; omitted when LOG_ANALYTICS_WORKSPACE_ID is empty. */
  /** `scope` resource (default): resource-centric queries on the cluster's ARM id; workspace: `workspaceId` only. */
  logs?: { client: LogsQueryClient; workspaceId: string; scope?: 'resource' | 'workspace' };
  logTailLines: number;
  /** The workloads' metrics (managed Prometheus); omitted when PROMETHEUS_QUERY_ENDPOINT is empty. */
  metrics?: WorkloadMetricReader;
}

export interface LiveDiagnosisOptions {
  alert?: NormalizedAlert;
  id?: string;
  includeLogs?: boolean;
  abortSignal?: AbortSignal;
  now?: () => Date;
  /** The caller reaches the cluster without an ARM id (a kubeconfig): do not insist on the alert naming one. */
  clusterFromKubeconfig?: boolean;
  /**
   * Time budget (DIAGNOSIS_TIME_BUDGET_SECONDS for alerts). When it runs out after some evidence was gathered, the
   * diagnosis is made from that evidence and the gap is named; when nothing was gathered, a DependencyTimeoutError
   * says the cluster did not answer (transient: the alert worker defers the alert).
   */
  budgetMs?: number;
}

/** Diagnoses a target live. Throws NotFoundError when the named object does not exist. */
export async function diagnoseLive(
  target: DiagnosisTarget,
  deps: LiveDiagnosisDeps,
  options: LiveDiagnosisOptions = {},
): Promise<Diagnosis> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const alert = options.alert;
  if (alert && !alert.concernsKubernetes) {
    return diagnoseSnapshot(emptySnapshot('live'), {
      target,
      alert,
      id: options.id,
      startedAt,
      now,
      logTailLines: deps.logTailLines,
    });
  }
  if (alert && !target.clusterId && !options.clusterFromKubeconfig) {
    // Named by a cluster name discovery could not map (or by nothing): say so instead of guessing a cluster.
    const at = now().toISOString();
    const name = target.clusterName;
    return {
      id: options.id ?? alert.diagnosisId,
      alertId: alert.alertId,
      target,
      rootCause: 'unknown',
      confidence: 0,
      summary: name
        ? `Cluster "${name}" named by the alert is not among the AKS clusters the identity can read`
        : 'The alert names no AKS cluster (no managedClusters target, cluster label or dimension)',
      evidence: alert.facts.slice(0, 3).map((f) => ({
        source: 'alert',
        detail: `alert ${alert.rule}: ${f.name}=${f.value}`,
        reproduce: `az monitor alert show --alert-id ${alert.alertId.split('/').pop() ?? alert.alertId}`,
      })),
      recommendations: [
        name
          ? `Grant the app's managed identity Reader on the subscription of cluster ${name}, or add its resource id to SWEEP_CLUSTER_IDS.`
          : 'Add a cluster dimension or label to the alert rule, or scope it to the AKS cluster resource.',
      ],
      state: 'unknown',
      firings: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: at,
    };
  }
  const playbook = PLAYBOOKS.find((p) => p.id === alert?.playbook) ?? DEFAULT_PLAYBOOK;
  const readsMetrics =
    alert !== undefined &&
    (alert.signal === 'metric' || alert.signal === 'prometheus' || playbook.needs.includes('metrics'));
  const aboutWorkload = target.workload !== undefined || target.pod !== undefined || target.namespace !== undefined;
  if (readsMetrics && aboutWorkload && deps.metrics && alert.condition === 'Fired') {
    // The rule fired on samples it had at firedAt; a diagnosis made before they can be read back would call the alert
    // transient on data that cannot show it yet (an alert delivered early, or a clock ahead). Come back shortly.
    const readyAt = Date.parse(alert.firedAt) + METRICS_SETTLE_MS;
    if (now().getTime() < readyAt)
      throw new RemoteServiceError(
        `the alerted metric cannot show the firing before ${new Date(readyAt).toISOString()}`,
        {
          statusCode: 503,
          retryAfterMs: readyAt - now().getTime(),
        },
      );
  }
  const budget = options.budgetMs ? budgetSignal('the diagnosis', options.budgetMs, options.abortSignal) : undefined;
  const signal = budget?.signal ?? options.abortSignal;
  const snapshot = emptySnapshot('live');
  try {
    const kc = await deps.kubeConfigProvider(target.clusterId, { abortSignal: signal });
    await gatherKubeEvidence(kc, target, {
      logTailLines: deps.logTailLines,
      includeLogs: options.includeLogs ?? playbook.needs.includes('previousLogs'),
      needs: playbook.needs,
      abortSignal: signal,
      into: snapshot,
    });
    if (deps.logs && target.clusterId) {
      const subject = selectSubject(snapshot, target, alert);
      if (subject.kind === 'pod') {
        const { history, gaps } = await gatherContainerInsightsHistory(
          deps.logs.client,
          deps.logs.scope === 'workspace' ? { workspaceId: deps.logs.workspaceId } : { resourceId: target.clusterId },
          { clusterId: target.clusterId, pod: subject.pod },
          { abortSignal: signal },
        );
        snapshot.history.push(...history);
        snapshot.gaps.push(...gaps);
      }
    }
    if (
      alert &&
      target.clusterId &&
      (alert.signal === 'metric' || alert.signal === 'prometheus' || playbook.needs.includes('metrics'))
    )
      await addMetricEvidence(snapshot, target, alert, deps.metrics, { now: now(), abortSignal: signal });
  } catch (err) {
    if (!budget?.budget.aborted || options.abortSignal?.aborted) throw err;
  } finally {
    budget?.dispose();
  }
  if (budget?.budget.aborted) {
    const reason = budget.budget.reason as Error;
    const gathered = snapshot.pods.length + snapshot.nodes.length + snapshot.pvcs.length;
    if (gathered === 0) throw new DependencyTimeoutError('the cluster (nothing gathered)', options.budgetMs ?? 0);
    // Evidence steps cut short by the budget report its message; say once, plainly, what happened.
    snapshot.gaps = snapshot.gaps.filter((g) => !g.includes(reason.message));
    snapshot.gaps.push(`${reason.message}: the diagnosis uses the evidence gathered until then`);
  }
  return diagnoseSnapshot(snapshot, { target, alert, id: options.id, startedAt, now, logTailLines: deps.logTailLines });
}

/**
 * A metric alert is itself evidence: reads the alerted workload's series (the target's workload, else the workload of
 * the pod the diagnosis is about) and scores them against their baseline. Without a metric source the gap says so.
 */
async function addMetricEvidence(
  snapshot: ClusterSnapshot,
  target: DiagnosisTarget,
  alert: NormalizedAlert,
  reader: WorkloadMetricReader | undefined,
  options: { now: Date; abortSignal?: AbortSignal },
): Promise<void> {
  // The pod's controller first: an alert may name the ReplicaSet (controllerName) where the series are per Deployment.
  const subject = selectSubject(snapshot, target, alert);
  const owner = subject.kind === 'pod' ? workloadOf(subject.pod) : undefined;
  let workload: { namespace: string; name: string; kind?: string } | undefined;
  if (subject.kind === 'pod' && owner) workload = { namespace: podNamespace(subject.pod), ...owner };
  else if (target.workload && target.namespace)
    workload = { namespace: target.namespace, name: target.workload, kind: target.workloadKind };
  if (!workload) return;
  snapshot.metricsSought = true;
  if (!reader) {
    snapshot.gaps.push(
      `metrics of ${workload.namespace}/${workload.name}: no metric source configured (PROMETHEUS_QUERY_ENDPOINT is empty)`,
    );
    return;
  }
  const { readings, gaps } = await gatherMetricEvidence(reader, target.clusterId ?? '', workload, {
    alert,
    now: options.now,
    abortSignal: options.abortSignal,
  });
  snapshot.metrics = readings;
  snapshot.gaps.push(...gaps);
}
