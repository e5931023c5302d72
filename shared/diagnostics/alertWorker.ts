// The alert queue worker: exactly one stored diagnosis per alert id, whatever the queue does.
//
// The ledger (DiagnosesStore alert keys) records each applied delivery by a content key (alert id + condition +
// fired/resolved time), so a redelivered queue message or a webhook retry of the same notification is recognised,
// while a new firing of the same alert (new firedDateTime) increments `firings`. The diagnosis is written under an id
// derived from the alert id: if the worker dies after writing but before marking the ledger, the redelivery rewrites
// the same row instead of adding one. Failures propagate, so the Functions host retries (maxDequeueCount) and
// finally moves the message to the poison queue.
import { createHash } from 'node:crypto';
import { NotFoundError, RemoteServiceError, ensureErrorType } from '../errors.js';
import { LocalAccountsOnlyError } from '../kube/clusterKubeConfig.js';
import type { Logger } from '../observability/logger.js';
import type { ResultsSink } from '../results/resultsSink.js';
import type { AlertKeyRecord, DiagnosesStore } from '../store/diagnosesStore.js';
import { commonAlertSchema, type CommonAlert } from './alertSchema.js';
import { normalizeAlert, resolveAlertCluster, type ClusterResolver, type NormalizedAlert } from './normalizeAlert.js';
import { toDiagnosisRow } from './rows.js';
import type { Diagnosis } from './types.js';

/** What the webhook puts on the `alerts` queue. */
export interface AlertQueueMessage {
  /** Id answered to the webhook caller (the diagnosis id). */
  id: string;
  receivedAt: string;
  alert: CommonAlert;
}

export type WorkerStep = 'claimed' | 'diagnosed' | 'stored' | 'uploaded' | 'done';

export interface AlertWorkerDeps {
  store: DiagnosesStore;
  sink?: ResultsSink;
  /** Runs the diagnosis (live evidence + rules) for a normalised alert. */
  diagnose: (alert: NormalizedAlert, options: { id: string; abortSignal?: AbortSignal }) => Promise<Diagnosis>;
  resolveCluster?: ClusterResolver;
  logger?: Logger;
  now?: () => Date;
  /** Test hook: called after each step; throwing simulates the worker dying there. */
  onStep?: (step: WorkerStep) => void | Promise<void>;
}

export type WorkerOutcome =
  | { action: 'diagnosed'; diagnosis: Diagnosis }
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

/** Errors that mean the identity cannot read the cluster (not transient): their message, else undefined. */
function accessProblem(err: unknown): string | undefined {
  if (err instanceof LocalAccountsOnlyError) return err.message;
  if (err instanceof RemoteServiceError && (err.statusCode === 401 || err.statusCode === 403)) return err.message;
  return undefined;
}

async function step(deps: AlertWorkerDeps, s: WorkerStep): Promise<void> {
  if (deps.onStep) await deps.onStep(s);
}

export async function processAlertMessage(
  message: AlertQueueMessage,
  deps: AlertWorkerDeps,
  options: { abortSignal?: AbortSignal } = {},
): Promise<WorkerOutcome> {
  const store = deps.store;
  const now = deps.now ?? (() => new Date());
  const signal = options.abortSignal;
  await store.ensure();
  const normalized = normalizeAlert(message.alert);
  const key = deliveryKeyOf(normalized);
  const log = deps.logger?.child({
    alertId: normalized.alertId,
    diagnosisId: normalized.diagnosisId,
    condition: normalized.condition,
  });

  // 1. Apply the delivery to the ledger (optimistic concurrency).
  let record: AlertKeyRecord | undefined;
  let mustDiagnose = false;
  for (let attempt = 0; ; attempt++) {
    if (attempt >= MAX_LEDGER_ATTEMPTS)
      throw new Error(`alert ledger for ${normalized.alertId} kept changing; retrying the message`);
    const existing = await store.getAlertKey(normalized.alertKey, { abortSignal: signal });
    if (!existing) {
      const fired = normalized.condition === 'Fired';
      const created: AlertKeyRecord = {
        alertKey: normalized.alertKey,
        alertId: normalized.alertId,
        diagnosisId: normalized.diagnosisId,
        status: fired ? 'diagnosing' : 'resolved',
        firings: fired ? 1 : 0,
        deliveries: [key],
        resolvedAt: fired ? undefined : (normalized.resolvedAt ?? now().toISOString()),
        diagnosisWritten: false,
      };
      if (!(await store.createAlertKey(created, { abortSignal: signal }))) continue;
      if (!fired) {
        log?.info('resolved notification for an alert never diagnosed; recorded');
        return { action: 'resolved', diagnosisId: normalized.diagnosisId };
      }
      record = created;
      mustDiagnose = true;
      break;
    }
    const seen = existing.deliveries.includes(key);
    if (normalized.condition === 'Resolved') {
      if (seen) return { action: 'duplicate', diagnosisId: existing.diagnosisId };
      const next: AlertKeyRecord = {
        ...existing,
        status: 'resolved',
        resolvedAt: normalized.resolvedAt ?? now().toISOString(),
        deliveries: [...existing.deliveries, key],
      };
      if (!(await store.replaceAlertKey(next, { abortSignal: signal }))) continue;
      await store.updateDiagnosis(
        existing.diagnosisId,
        { state: 'resolved', resolvedAt: next.resolvedAt },
        { abortSignal: signal },
      );
      log?.info('alert resolved; diagnosis closed');
      return { action: 'resolved', diagnosisId: existing.diagnosisId };
    }
    if (seen) {
      // Same notification again. If its diagnosis never got written (the worker died), finish it now.
      if (!existing.diagnosisWritten && existing.status !== 'resolved') {
        record = existing;
        mustDiagnose = true;
        log?.info('redelivered before its diagnosis was stored; resuming');
        break;
      }
      log?.info('duplicate delivery ignored');
      return { action: 'duplicate', diagnosisId: existing.diagnosisId };
    }
    const next: AlertKeyRecord = {
      ...existing,
      firings: existing.firings + 1,
      deliveries: [...existing.deliveries, key],
    };
    if (!(await store.replaceAlertKey(next, { abortSignal: signal }))) continue;
    if (existing.diagnosisWritten) {
      await store.updateDiagnosis(existing.diagnosisId, { firings: next.firings }, { abortSignal: signal });
      const stored = await store.getDiagnosis(existing.diagnosisId, { abortSignal: signal });
      if (stored && deps.sink)
        await deps.sink.upload('AksAiopsDiagnoses_CL', [toDiagnosisRow(stored, now())], { abortSignal: signal });
      log?.info('repeated firing counted', { firings: next.firings });
      return { action: 'counted', diagnosisId: existing.diagnosisId, firings: next.firings };
    }
    // Still being diagnosed by an earlier delivery that may have died: diagnose here too (same id, same row).
    record = { ...next, etag: undefined };
    mustDiagnose = true;
    break;
  }
  await step(deps, 'claimed');
  if (!mustDiagnose || !record) throw new Error('unreachable');

  // 2. Diagnose. The row id is fixed by the alert id, so a second attempt overwrites rather than adds.
  const resolved = await resolveAlertCluster(normalized, deps.resolveCluster, { abortSignal: signal });
  let diagnosis: Diagnosis;
  try {
    diagnosis = await deps.diagnose(resolved, { id: normalized.diagnosisId, abortSignal: signal });
  } catch (err) {
    const access = accessProblem(err);
    if (!(err instanceof NotFoundError) && !access) throw err;
    // The object is gone (replaced pod, deleted namespace), or the identity may not read the cluster: that is the
    // finding; retrying will not change it.
    const message = access ?? ensureErrorType(err).message;
    const t = resolved.target;
    const at = now().toISOString();
    diagnosis = {
      id: normalized.diagnosisId,
      alertId: normalized.alertId,
      target: t,
      rootCause: 'unknown',
      confidence: 0.2,
      summary: access
        ? `The cluster could not be read: ${message}`
        : `${message}: it was replaced or deleted after the alert fired, so its state can no longer be read.`,
      evidence: [
        {
          source: 'kubernetes',
          detail: message,
          reproduce: t.pod
            ? `kubectl get pod ${t.pod} -n ${t.namespace ?? 'default'}`
            : t.node
              ? `kubectl get node ${t.node}`
              : `kubectl get pods -n ${t.namespace ?? 'default'}`,
        },
      ],
      recommendations: [
        access
          ? "Give the app's managed identity read access to the cluster: the Azure Kubernetes Service RBAC Reader role (Entra ID clusters with Azure RBAC) or a Kubernetes RoleBinding to `view`; clusters with local accounts only cannot be read with a managed identity."
          : 'Check the replacement pods of the workload and Container insights history (KubePodInventory) for the time of the alert.',
      ],
      state: 'unknown',
      firings: 1,
      startedAt: at,
      finishedAt: at,
    };
  }
  await step(deps, 'diagnosed');

  // 3. Store, taking the ledger's current view of firings and resolution (they may have changed meanwhile).
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

  // 4. Mark the ledger. A concurrent firing or resolution may have changed it: re-read and merge.
  for (let attempt = 0; attempt < MAX_LEDGER_ATTEMPTS; attempt++) {
    const latest = await store.getAlertKey(normalized.alertKey, { abortSignal: signal });
    if (!latest) break;
    const marked: AlertKeyRecord = {
      ...latest,
      diagnosisWritten: true,
      status: latest.status === 'resolved' ? 'resolved' : 'diagnosed',
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
  await step(deps, 'done');
  log?.info('diagnosis stored', {
    rootCause: diagnosis.rootCause,
    confidence: diagnosis.confidence,
    state: diagnosis.state,
  });
  return { action: 'diagnosed', diagnosis };
}
