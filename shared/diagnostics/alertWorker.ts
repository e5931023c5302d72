// The alert queue worker: exactly one stored diagnosis per alert id, whatever the queue does.
//
// The ledger (DiagnosesRepository alert keys) records each applied delivery by a content key (alert id + condition +
// fired/resolved time), so a redelivered queue message or a webhook retry of the same notification is recognised,
// while a new firing of the same alert (new firedDateTime) increments `firings`. The diagnosis is written under an id
// derived from the alert id: if the worker dies after writing but before marking the ledger, the redelivery rewrites
// the same row instead of adding one. Failures propagate, so the Functions host retries (maxDequeueCount) and
// finally moves the message to the poison queue.
import { createHash, randomUUID } from 'node:crypto';
import { NotFoundError, RemoteServiceError, ValidationError, ensureErrorType } from '../errors.js';
import { isDependencyUnavailable } from '../outbound/timeouts.js';
import { LocalAccountsOnlyError } from '../kube/clusterKubeConfig.js';
import { redactSecrets, type Logger } from '../observability/logger.js';
import type { ResultsSink } from '../results/resultsSink.js';
import type { AlertKeyRecord, DiagnosesRepository } from './diagnosesRepository.js';
import { commonAlertSchema, type CommonAlert } from './alertSchema.js';
import {
  diagnosisIdForAlert,
  normalizeAlert,
  resolveAlertCluster,
  type ClusterResolver,
  type NormalizedAlert,
} from './normalizeAlert.js';
import { applyDelivery } from './alertLedger.js';
import { toDiagnosisRow } from './rows.js';
import type { Diagnosis } from './types.js';

/** What the webhook puts on the `alerts` queue. */
export interface AlertQueueMessage {
  /** Id answered to the webhook caller (the diagnosis id). */
  id: string;
  /** When the webhook accepted the alert: the retry window of a deferred alert counts from here. */
  receivedAt: string;
  alert: CommonAlert;
  /** How many times the worker deferred (re-enqueued) this alert. */
  deferrals?: number;
}

/** How deferred alerts are retried (settings ALERT_RETRY_*). */
export interface RetryPolicy {
  baseSeconds: number;
  maxDelaySeconds: number;
  windowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseSeconds: 30, maxDelaySeconds: 1800, windowMs: 60 * 60_000 };

export type WorkerStep = 'claimed' | 'diagnosed' | 'stored' | 'uploaded' | 'done';

export interface AlertWorkerDeps {
  store: DiagnosesRepository;
  sink?: ResultsSink;
  /** Runs the diagnosis (live evidence + rules) for a normalised alert. */
  diagnose: (
    alert: NormalizedAlert,
    options: { id: string; abortSignal?: AbortSignal; budgetMs?: number },
  ) => Promise<Diagnosis>;
  /** Time budget of one diagnosis (DIAGNOSIS_TIME_BUDGET_SECONDS). */
  budgetMs?: number;
  /** Puts the message back on the queue, invisible for `delaySeconds`. Without it, deferrals throw (host retry). */
  requeue?: (message: AlertQueueMessage, delaySeconds: number, options: { abortSignal?: AbortSignal }) => Promise<void>;
  retry?: RetryPolicy;
  /** How long a claimed ledger entry stays leased (default: the budget plus a minute for storage writes). */
  leaseMs?: number;
  resolveCluster?: ClusterResolver;
  logger?: Logger;
  now?: () => Date;
  /** Test hook: called after each step; throwing simulates the worker dying there. */
  onStep?: (step: WorkerStep) => void | Promise<void>;
}

export type WorkerOutcome =
  | { action: 'diagnosed'; diagnosis: Diagnosis }
  /** Re-enqueued: another worker holds the lease (wait for its result), or a transient failure is backed off. */
  | { action: 'deferred'; diagnosisId: string; delaySeconds: number; reason: string }
  | { action: 'duplicate'; diagnosisId: string }
  | { action: 'counted'; diagnosisId: string; firings: number }
  | { action: 'resolved'; diagnosisId: string };

/** The content key of one notification: equal for retries and redeliveries, different for a new firing. */
export function deliveryKeyOf(alert: NormalizedAlert): string {
  return createHash('sha256')
    .update([alert.alertId.toLowerCase(), alert.condition, alert.firedAt, alert.resolvedAt ?? ''].join('|'))
    .digest('hex')
    .slice(0, 24);
}

/** Parses a queue message body (already base64-decoded JSON by the Functions runtime, or a string). */
export function parseAlertQueueMessage(body: unknown): AlertQueueMessage {
  const value: unknown = typeof body === 'string' ? JSON.parse(body) : body;
  const m = value as Partial<AlertQueueMessage> | null;
  if (!m || typeof m !== 'object' || typeof m.id !== 'string') throw new Error('alerts queue message has no id');
  const alert = commonAlertSchema.parse(m.alert);
  return { id: m.id, receivedAt: typeof m.receivedAt === 'string' ? m.receivedAt : new Date().toISOString(), alert };
}

const MAX_LEDGER_ATTEMPTS = 8;

/** How a failed diagnosis attempt is handled. */
type FailureKind = 'final' | 'access' | 'transient' | 'ours';

function classify(err: unknown): FailureKind {
  if (err instanceof NotFoundError || err instanceof ValidationError || err instanceof LocalAccountsOnlyError)
    return 'final';
  if (err instanceof RemoteServiceError && (err.statusCode === 401 || err.statusCode === 403)) return 'access';
  if (isDependencyUnavailable(err)) return 'transient';
  return 'ours';
}

/** Visibility delay of the n-th deferral (0-based): base * 2^n, capped, and never past the end of the window. */
export function deferralDelaySeconds(policy: RetryPolicy, deferrals: number, remainingMs: number): number {
  const grown = policy.baseSeconds * 2 ** Math.min(deferrals, 20);
  return Math.max(1, Math.ceil(Math.min(grown, policy.maxDelaySeconds, remainingMs / 1000)));
}

async function step(deps: AlertWorkerDeps, s: WorkerStep): Promise<void> {
  if (deps.onStep) await deps.onStep(s);
}

/** What one attempt at a message carries through its steps. */
interface Attempt {
  message: AlertQueueMessage;
  normalized: NormalizedAlert;
  deps: AlertWorkerDeps;
  store: AlertWorkerDeps['store'];
  now: () => Date;
  owner: string;
  log: Logger | undefined;
  signal: AbortSignal | undefined;
}

/**
 * Applies the delivery to the ledger (applyDelivery decides; a write lost to a concurrent one re-reads and decides
 * again) and does what the decision asks. Returns the outcome, or the record to diagnose when this worker holds the lease.
 */
async function claimDelivery(
  a: Attempt,
  leaseMs: number,
): Promise<{ outcome: WorkerOutcome } | { record: AlertKeyRecord }> {
  const { normalized, store, log, signal } = a;
  const deliveryKey = deliveryKeyOf(normalized);
  for (let attempt = 0; attempt < MAX_LEDGER_ATTEMPTS; attempt++) {
    const existing = await store.getAlertKey(normalized.alertKey, { abortSignal: signal });
    const delivery = { alert: normalized, deliveryKey, owner: a.owner, nowMs: a.now().getTime(), leaseMs };
    const { write, next } = applyDelivery(existing, delivery);
    if (write) {
      const written =
        write.op === 'create'
          ? await store.createAlertKey(write.record, { abortSignal: signal })
          : await store.replaceAlertKey(write.record, { abortSignal: signal });
      if (!written) continue;
    }
    switch (next.kind) {
      case 'duplicate':
        if (next.note) log?.info(next.note);
        return { outcome: { action: 'duplicate', diagnosisId: next.diagnosisId } };
      case 'wait-for-lease':
        return { outcome: await waitForLease(a.message, next.existing, a.deps, a.now, log, signal) };
      case 'resolved':
        if (next.closeDiagnosis)
          await store.updateDiagnosis(
            next.diagnosisId,
            { state: 'resolved', resolvedAt: next.closeDiagnosis.resolvedAt },
            { abortSignal: signal },
          );
        log?.info(next.note);
        return { outcome: { action: 'resolved', diagnosisId: next.diagnosisId } };
      case 'counted':
        if (next.diagnosisWritten) {
          await store.updateDiagnosis(next.diagnosisId, { firings: next.firings }, { abortSignal: signal });
          const stored = await store.getDiagnosis(next.diagnosisId, { abortSignal: signal });
          if (stored && a.deps.sink)
            await a.deps.sink.upload('AksAiopsDiagnoses_CL', [toDiagnosisRow(stored, a.now())], {
              abortSignal: signal,
            });
        }
        log?.info(next.note, { firings: next.firings });
        return { outcome: { action: 'counted', diagnosisId: next.diagnosisId, firings: next.firings } };
      case 'diagnose':
        if (next.note) log?.info(next.note);
        return { record: next.record };
    }
  }
  throw new Error(`alert ledger for ${normalized.alertId} kept changing; retrying the message`);
}

/** Step 2: the diagnosis, or the deferral / host retry a failure calls for (the lease released first). */
async function runDiagnosis(
  a: Attempt,
  options: { dequeueCount?: number; maxDequeueCount?: number },
): Promise<{ diagnosis: Diagnosis } | { outcome: WorkerOutcome }> {
  const { normalized, deps, store, now, owner, log, signal } = a;
  // The row id is fixed by the alert id, so a second attempt overwrites rather than adds.
  let resolved = normalized;
  try {
    resolved = await resolveAlertCluster(normalized, deps.resolveCluster, { abortSignal: signal });
    const diagnosis = await deps.diagnose(resolved, {
      id: normalized.diagnosisId,
      abortSignal: signal,
      budgetMs: deps.budgetMs,
    });
    return { diagnosis };
  } catch (err) {
    if (signal?.aborted) throw err;
    const kind = classify(err);
    const lastAttempt = (options.dequeueCount ?? 1) >= (options.maxDequeueCount ?? Number.POSITIVE_INFINITY);
    const windowEnds = Date.parse(a.message.receivedAt) + (deps.retry ?? DEFAULT_RETRY_POLICY).windowMs;
    const windowOver = !(windowEnds > now().getTime());
    if ((kind === 'access' || kind === 'transient') && !windowOver && deps.requeue) {
      await releaseLease(store, normalized.alertKey, owner, signal);
      return { outcome: await defer(a.message, err, kind, deps, now, windowEnds - now().getTime(), log, signal) };
    }
    if (kind === 'ours' && !lastAttempt) {
      await releaseLease(store, normalized.alertKey, owner, signal).catch(() => undefined);
      throw err;
    }
    if ((kind === 'access' || kind === 'transient') && !windowOver && !lastAttempt) {
      await releaseLease(store, normalized.alertKey, owner, signal).catch(() => undefined);
      throw err;
    }
    log?.warn('alert stored without a diagnosis of its cause', { kind, error: ensureErrorType(err) });
    return { diagnosis: undiagnosable(resolved, normalized, err, kind, now().toISOString()) };
  }
}

/** Steps 3 and 4: store the diagnosis with the ledger's current firings and resolution, then mark the ledger. */
async function storeDiagnosis(a: Attempt, diagnosis: Diagnosis, record: AlertKeyRecord): Promise<void> {
  const { normalized, deps, store, now, signal } = a;
  // The ledger's view of firings and resolution may have changed while the diagnosis ran.
  const current = (await store.getAlertKey(normalized.alertKey, { abortSignal: signal })) ?? record;
  diagnosis.firings = Math.max(1, current.firings);
  if (current.status === 'resolved') {
    diagnosis.state = 'resolved';
    diagnosis.resolvedAt = current.resolvedAt;
  }
  await store.saveDiagnosis(diagnosis, { abortSignal: signal });
  await step(deps, 'stored');
  if (deps.sink)
    await deps.sink.upload('AksAiopsDiagnoses_CL', [toDiagnosisRow(diagnosis, now())], { abortSignal: signal });
  await step(deps, 'uploaded');

  // A concurrent firing or resolution may have changed the ledger: re-read and merge.
  for (let attempt = 0; attempt < MAX_LEDGER_ATTEMPTS; attempt++) {
    const latest = await store.getAlertKey(normalized.alertKey, { abortSignal: signal });
    if (!latest) break;
    const marked: AlertKeyRecord = {
      ...latest,
      diagnosisWritten: true,
      status: latest.status === 'resolved' ? 'resolved' : 'diagnosed',
      leaseUntil: undefined,
      leaseOwner: undefined,
    };
    if (await store.replaceAlertKey(marked, { abortSignal: signal })) {
      if (latest.firings !== diagnosis.firings || (latest.status === 'resolved' && diagnosis.state !== 'resolved')) {
        await store.updateDiagnosis(
          diagnosis.id,
          {
            firings: latest.firings,
            ...(latest.status === 'resolved' ? { state: 'resolved' as const, resolvedAt: latest.resolvedAt } : {}),
          },
          { abortSignal: signal },
        );
      }
      break;
    }
  }
}

export async function processAlertMessage(
  message: AlertQueueMessage,
  deps: AlertWorkerDeps,
  options: { abortSignal?: AbortSignal; dequeueCount?: number; maxDequeueCount?: number } = {},
): Promise<WorkerOutcome> {
  await deps.store.ensure();
  const normalized = normalizeAlert(message.alert);
  const a: Attempt = {
    message,
    normalized,
    deps,
    store: deps.store,
    now: deps.now ?? (() => new Date()),
    owner: randomUUID(),
    log: deps.logger?.child({
      alertId: normalized.alertId,
      diagnosisId: normalized.diagnosisId,
      condition: normalized.condition,
    }),
    signal: options.abortSignal,
  };

  // 1. Apply the delivery to the ledger (optimistic concurrency).
  const claim = await claimDelivery(a, deps.leaseMs ?? (deps.budgetMs ?? 120_000) + 60_000);
  if ('outcome' in claim) return claim.outcome;
  try {
    await step(deps, 'claimed');
    // 2. Diagnose.
    const ran = await runDiagnosis(a, options);
    if ('outcome' in ran) return ran.outcome;
    await step(deps, 'diagnosed');
    // 3. Store and 4. mark the ledger.
    await storeDiagnosis(a, ran.diagnosis, claim.record);
    await step(deps, 'done');
    a.log?.info('diagnosis stored', {
      rootCause: ran.diagnosis.rootCause,
      confidence: ran.diagnosis.confidence,
      state: ran.diagnosis.state,
    });
    return { action: 'diagnosed', diagnosis: ran.diagnosis };
  } catch (err) {
    // Whatever stopped this attempt, let a redelivery take over at once instead of waiting out the lease.
    await releaseLease(a.store, normalized.alertKey, a.owner, a.signal).catch(() => undefined);
    throw err;
  }
}

/** The `unknown` diagnosis of an alert whose cause could not be diagnosed: it says why and what to do. */
function undiagnosable(
  resolved: NormalizedAlert,
  normalized: NormalizedAlert,
  err: unknown,
  kind: FailureKind,
  at: string,
): Diagnosis {
  const message = redactSecrets(ensureErrorType(err).message.split('\n')[0] ?? '').slice(0, 500);
  const t = resolved.target;
  const access = kind === 'access' || err instanceof LocalAccountsOnlyError;
  const gone = err instanceof NotFoundError;
  const summary = access
    ? `The cluster could not be read: ${message}`
    : gone
      ? `${message}: it was replaced or deleted after the alert fired, so its state can no longer be read.`
      : kind === 'final'
        ? `The alert could not be diagnosed: ${message}`
        : kind === 'transient'
          ? `The alert could not be diagnosed: a dependency stayed unavailable for the whole retry window (${message})`
          : 'The alert could not be diagnosed: the diagnosis failed on every attempt (an internal error; see the app logs)';
  const recommendation = access
    ? "Give the app's managed identity read access to the cluster: the Azure Kubernetes Service RBAC Reader role (Entra ID clusters with Azure RBAC) or a Kubernetes RoleBinding to `view`; clusters with local accounts only cannot be read with a managed identity. A new role assignment takes 5-30 minutes to apply."
    : gone
      ? 'Check the replacement pods of the workload and Container insights history (KubePodInventory) for the time of the alert.'
      : kind === 'final'
        ? 'Check the alert rule: its target must be an AKS cluster resource id (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>) or carry cluster, namespace and pod dimensions.'
        : 'Look at the cluster and the alert by hand (kubectl describe, Container insights), and at the app logs for this alert id.';
  return {
    id: normalized.diagnosisId,
    alertId: normalized.alertId,
    target: t,
    rootCause: 'unknown',
    confidence: access || gone ? 0.2 : 0,
    summary,
    evidence: [
      {
        source: access || gone ? 'kubernetes' : 'aks-aiops',
        detail: message,
        reproduce: t.pod
          ? `kubectl get pod ${t.pod} -n ${t.namespace ?? 'default'}`
          : t.node
            ? `kubectl get node ${t.node}`
            : `kubectl get pods -n ${t.namespace ?? 'default'}`,
      },
    ],
    recommendations: [recommendation],
    state: 'unknown',
    firings: 1,
    startedAt: at,
    finishedAt: at,
  };
}

/** Gives up this worker's lease (best effort) so a redelivery can take over at once. */
async function releaseLease(
  store: DiagnosesRepository,
  alertKey: string,
  owner: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const latest = await store.getAlertKey(alertKey, { abortSignal: signal });
  if (!latest || latest.leaseOwner !== owner) return;
  await store.replaceAlertKey({ ...latest, leaseUntil: undefined, leaseOwner: undefined }, { abortSignal: signal });
}

/** Re-enqueues the alert with a growing delay; the redelivery resumes where this attempt stopped. */
async function defer(
  message: AlertQueueMessage,
  err: unknown,
  kind: FailureKind,
  deps: AlertWorkerDeps,
  now: () => Date,
  remainingMs: number,
  log: Logger | undefined,
  signal: AbortSignal | undefined,
): Promise<WorkerOutcome> {
  const deferrals = message.deferrals ?? 0;
  const delaySeconds = deferralDelaySeconds(deps.retry ?? DEFAULT_RETRY_POLICY, deferrals, remainingMs);
  const reason = `${kind === 'access' ? 'access denied' : 'dependency unavailable'}: ${redactSecrets(ensureErrorType(err).message.split('\n')[0] ?? '').slice(0, 300)}`;
  await deps.requeue!({ ...message, deferrals: deferrals + 1 }, delaySeconds, { abortSignal: signal });
  log?.warn('alert deferred', { reason, delaySeconds, deferrals: deferrals + 1, at: now().toISOString() });
  return {
    action: 'deferred',
    diagnosisId: diagnosisIdForAlert(message.alert.data.essentials.alertId),
    delaySeconds,
    reason,
  };
}

/** Another worker holds the lease: come back when it ends (its result is then reused), or fail for a host retry. */
async function waitForLease(
  message: AlertQueueMessage,
  existing: AlertKeyRecord,
  deps: AlertWorkerDeps,
  now: () => Date,
  log: Logger | undefined,
  signal: AbortSignal | undefined,
): Promise<WorkerOutcome> {
  const remaining = Date.parse(existing.leaseUntil ?? '') - now().getTime();
  if (!deps.requeue) {
    // Nothing to wait with: the same notification is already being diagnosed; its worker writes the one row.
    log?.info('duplicate delivery while another worker diagnoses it; ignored');
    return { action: 'duplicate', diagnosisId: existing.diagnosisId };
  }
  // Wait a little, not the whole lease: the leaseholder usually finishes in seconds.
  const delaySeconds = Math.max(1, Math.min(Math.ceil(remaining / 1000), 15));
  await deps.requeue(message, delaySeconds, { abortSignal: signal });
  log?.info('duplicate delivery while another worker diagnoses it; waiting', { delaySeconds });
  return {
    action: 'deferred',
    diagnosisId: existing.diagnosisId,
    delaySeconds,
    reason: 'another worker holds the lease',
  };
}
