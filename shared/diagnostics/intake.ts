// The webhook's work: validate a common-schema alert and put it on the durable `alerts` queue before answering.
// A queue message holds at most 64 KB (48 KB of JSON once base64-encoded) while an alert may be 256 KB, so bulky
// alertContext parts the diagnosis does not read (portal links, HTML tables, search result rows beyond the first)
// are dropped first; essentials are never changed.
import type { QueueClient } from '@azure/storage-queue';
import { RemoteServiceError, ensureErrorType } from '../errors.js';
import { sendQueueJson } from '../storage/storageClients.js';
import { parseCommonAlert, type CommonAlert } from './alertSchema.js';
import type { AlertQueueMessage } from './alertWorker.js';
import { diagnosisIdForAlert } from './normalizeAlert.js';

/** JSON budget of one queue message after base64 (64 KiB * 3/4, minus the envelope). */
export const QUEUE_JSON_BUDGET = 47_000;

export interface AcceptedAlert {
  id: string;
  alertId: string;
  monitorCondition: 'Fired' | 'Resolved';
  compacted: boolean;
}

const BULKY_KEY =
  /^(link|LinkTo)|TableRows$|^impactedServices|^communication$|^defaultLanguageContent$|^PresentationInsightEventRequest$/i;

function compactValue(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return v.length > 2000 ? `${v.slice(0, 2000)}…[truncated]` : v;
  if (Array.isArray(v)) return v.slice(0, depth === 0 ? 20 : 10).map((x) => compactValue(x, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!BULKY_KEY.test(k)) out[k] = compactValue(x, depth + 1);
    return out;
  }
  return v;
}

/** Makes an alert fit a queue message; returns it unchanged when it already fits. */
export function compactAlertForQueue(alert: CommonAlert): { alert: CommonAlert; compacted: boolean } {
  if (JSON.stringify(alert).length <= QUEUE_JSON_BUDGET) return { alert, compacted: false };
  let context = compactValue(alert.data.alertContext ?? {}, 0) as Record<string, unknown>;
  let candidate: CommonAlert = {
    ...alert,
    data: {
      ...alert.data,
      alertContext: context,
      customProperties: compactValue(alert.data.customProperties ?? null, 1) as Record<string, unknown> | null,
    },
  };
  if (JSON.stringify(candidate).length > QUEUE_JSON_BUDGET) {
    // Still too big (an enormous description or labels): keep the essentials and the context's scalar fields.
    context = Object.fromEntries(Object.entries(context).filter(([, v]) => typeof v !== 'object' || v === null));
    const e = alert.data.essentials;
    candidate = {
      ...alert,
      data: {
        essentials: { ...e, description: e.description?.slice(0, 4000) },
        alertContext: context,
        customProperties: null,
      },
    };
  }
  return { alert: candidate, compacted: true };
}

/**
 * Validates and enqueues. Throws ValidationError (400/413) for bad input and RemoteServiceError (503) when the
 * queue cannot take the message, so Azure's action group retries.
 */
export async function acceptAlert(
  body: string | Uint8Array,
  contentType: string | null | undefined,
  deps: { queue: QueueClient; maxBytes: number; now?: () => Date; abortSignal?: AbortSignal },
): Promise<AcceptedAlert> {
  const alert = parseCommonAlert(body, { maxBytes: deps.maxBytes, contentType });
  const { alert: fitted, compacted } = compactAlertForQueue(alert);
  const id = diagnosisIdForAlert(alert.data.essentials.alertId);
  const message: AlertQueueMessage = { id, receivedAt: (deps.now?.() ?? new Date()).toISOString(), alert: fitted };
  try {
    try {
      await sendQueueJson(deps.queue, message, { abortSignal: deps.abortSignal });
    } catch (err) {
      // First message on a fresh account: create the queue and send again.
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      await deps.queue.createIfNotExists({ abortSignal: deps.abortSignal });
      await sendQueueJson(deps.queue, message, { abortSignal: deps.abortSignal });
    }
  } catch (err) {
    throw new RemoteServiceError(`Could not enqueue the alert: ${ensureErrorType(err).message}`, {
      statusCode: 503,
      retryAfterMs: 10_000,
      cause: err,
    });
  }
  return {
    id,
    alertId: alert.data.essentials.alertId,
    monitorCondition: alert.data.essentials.monitorCondition,
    compacted,
  };
}
