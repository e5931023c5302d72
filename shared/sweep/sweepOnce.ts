// The queue worker's sweep: claim the period's sweep id for the cluster (sweepClaims.ts), sweep it, mark it done.
// A duplicate message (overlapping timer runs, a redelivery after the sweep completed) sweeps nothing.
import type { SweepMessage } from './scheduleSweeps.js';
import { sweepCluster, type SweepClusterOptions } from './sweepCluster.js';
import type { ClaimOutcome, SweepClaims } from './sweepClaims.js';
import type { SweepResult } from './types.js';

/** How long a claim outlives the sweep's own budget before another message may take the cluster over. */
export const CLAIM_GRACE_MS = 60_000;

export interface SweepOnceOptions extends Omit<SweepClusterOptions, 'sweepId'> {
  claims: SweepClaims;
  /** The queue message id: a redelivery of the same message may take over its own running claim. */
  owner: string;
}

export async function sweepOnce(
  message: SweepMessage,
  options: SweepOnceOptions,
): Promise<{ outcome: ClaimOutcome; result?: SweepResult }> {
  const now = options.now ?? (() => new Date());
  const outcome = await options.claims.claim(message.clusterId, message.sweepId, {
    owner: options.owner,
    leaseMs: options.config.SWEEP_TIME_BUDGET_SECONDS * 1000 + CLAIM_GRACE_MS,
    now: now(),
    abortSignal: options.abortSignal,
  });
  if (outcome !== 'claimed') return { outcome };
  const result = await sweepCluster(message.clusterId, { ...options, sweepId: message.sweepId });
  await options.claims.complete(message.clusterId, message.sweepId, {
    owner: options.owner,
    now: now(),
    abortSignal: options.abortSignal,
  });
  return { outcome, result };
}
