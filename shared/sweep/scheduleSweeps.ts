// The timer's half of a fleet sweep: discover clusters and enqueue one message per cluster. The sweep id is the
// cluster's key for the current SWEEP_SCHEDULE period (sweepPeriod.ts), the same in every timer run of the period,
// so the worker sweeps a cluster at most once per period (sweepClaims.ts) and a retried message re-writes the same
// results instead of duplicating them.
import type { QueueClient } from '@azure/storage-queue';
import type { TokenCredential } from '@azure/identity';
import { z } from 'zod';
import type { AppConfig } from '../config/config.js';
import { ValidationError, ensureErrorType } from '../errors.js';
import { discoverClusters } from '../azure/clusterDiscovery.js';
import { isManagedClusterId } from '../azure/arm/managedClusterId.js';
import { ensureQueue, sendQueueJson } from '../storage/storageClients.js';
import { periodSweepId } from './sweepPeriod.js';
import { newSweepId } from './summarize.js';

export const sweepMessageSchema = z.object({
  clusterId: z.string().refine(isManagedClusterId, 'must be an AKS cluster resource id'),
  sweepId: z.string().regex(/^[A-Za-z0-9-]{8,80}$/, 'must be 8-80 letters, digits or dashes'),
  requestedAt: z.string().optional(),
});
export type SweepMessage = z.infer<typeof sweepMessageSchema>;

/** Validates a queue message (already decoded JSON); ValidationError names what is wrong. */
export function parseSweepMessage(body: unknown): SweepMessage {
  const parsed = sweepMessageSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`);
    throw new ValidationError(`Invalid sweep message: ${problems.join('; ')}`, { problems });
  }
  return parsed.data;
}

export interface ScheduleResult {
  enqueued: SweepMessage[];
  errors: string[];
  /** Subscriptions discovery looked in. */
  subscriptions: number;
}

const ENQUEUE_CONCURRENCY = 8;

export async function scheduleSweeps(
  config: AppConfig,
  queue: QueueClient,
  options: {
    credential?: TokenCredential;
    abortSignal?: AbortSignal;
    now?: Date;
    /** A run started by hand: its sweeps are new ones, not the period's (which a scheduled run may have done). */
    manual?: boolean;
  } = {},
): Promise<ScheduleResult> {
  const now = options.now ?? new Date();
  const discovery = await discoverClusters(config, {
    credential: options.credential,
    abortSignal: options.abortSignal,
  });
  const errors = [...discovery.errors];
  await ensureQueue(queue);
  const enqueued: SweepMessage[] = [];
  const pending = [...discovery.clusters];
  // A few sends at once: a thousand sequential enqueues would take most of a minute.
  const sender = async () => {
    for (let c = pending.shift(); c !== undefined; c = pending.shift()) {
      const message: SweepMessage = {
        clusterId: c.id,
        sweepId: options.manual ? newSweepId(now, c.id) : periodSweepId(config.SWEEP_SCHEDULE, now, c.id),
        requestedAt: now.toISOString(),
      };
      try {
        await sendQueueJson(queue, message, { abortSignal: options.abortSignal });
        enqueued.push(message);
      } catch (err) {
        errors.push(`enqueue ${c.id}: ${ensureErrorType(err).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: ENQUEUE_CONCURRENCY }, sender));
  return { enqueued, errors, subscriptions: discovery.subscriptions.length };
}
