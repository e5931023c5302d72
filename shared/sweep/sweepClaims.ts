// At most one sweep per cluster and period, whatever the queue delivers. Queue messages are delivered at least once
// and overlapping timer runs enqueue the same cluster twice, so the worker claims the period's sweep id in Table
// storage before sweeping: one row per cluster (so the table never grows with the fleet's history) holding the
// sweep id that owns it, its state and a lease. Writes are conditional on the row's ETag (Table service optimistic
// concurrency: If-Match answers 412 when another writer got there first), so two workers never both win.
//
//   no row / an older period's row   → claimed (this period starts)
//   same sweep id, done              → duplicate: already swept this period
//   same sweep id, running, owned by this message (a redelivery after a crash) or lease expired → claimed again
//   same sweep id, running, live lease held by another message → held: that message sweeps it (and, should its
//                                      worker die, is redelivered with the same message id and takes over)
//   a newer period's row             → superseded: a stale backlog message, the newer sweep covers it
import type { TableClient } from '@azure/data-tables';
import type { AppConfig } from '../config/config.js';
import { TABLE_NAMES } from '../config/config.js';
import { createTableClient, ensureTable } from '../storage/storageClients.js';
import { clusterKeyOf } from './fingerprint.js';

export type ClaimOutcome = 'claimed' | 'duplicate' | 'held' | 'superseded';

interface ClaimEntity {
  partitionKey: string;
  rowKey: string;
  clusterId: string;
  sweepId: string;
  state: 'running' | 'done';
  owner: string;
  leaseUntil: string;
  updatedAt: string;
}

const ROW = 'claim';

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

export class SweepClaims {
  private constructor(private readonly table: TableClient) {}

  static async open(config: Pick<AppConfig, 'storage'>): Promise<SweepClaims> {
    const table = createTableClient(config, TABLE_NAMES.sweepClaims);
    await ensureTable(table);
    return new SweepClaims(table);
  }

  async claim(
    clusterId: string,
    sweepId: string,
    options: { owner: string; leaseMs: number; now: Date; abortSignal?: AbortSignal },
  ): Promise<ClaimOutcome> {
    const pk = clusterKeyOf(clusterId);
    const entity: ClaimEntity = {
      partitionKey: pk,
      rowKey: ROW,
      clusterId,
      sweepId,
      state: 'running',
      owner: options.owner,
      leaseUntil: new Date(options.now.getTime() + options.leaseMs).toISOString(),
      updatedAt: options.now.toISOString(),
    };
    // Two rounds: a create that loses to a concurrent create re-reads the winner once.
    for (let round = 0; round < 2; round++) {
      let current: (ClaimEntity & { etag: string }) | undefined;
      try {
        current = await this.table.getEntity<ClaimEntity>(pk, ROW, { abortSignal: options.abortSignal });
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
      if (!current) {
        try {
          await this.table.createEntity(entity, { abortSignal: options.abortSignal });
          return 'claimed';
        } catch (err) {
          if (statusOf(err) === 409) continue;
          throw err;
        }
      }
      const verdict = decide(current, sweepId, options.owner, options.now);
      if (verdict !== 'claimed') return verdict;
      try {
        await this.table.updateEntity(entity, 'Replace', { etag: current.etag, abortSignal: options.abortSignal });
        return 'claimed';
      } catch (err) {
        if (statusOf(err) === 412) continue;
        throw err;
      }
    }
    return 'held';
  }

  /** Marks the period's sweep done (only while this sweep still holds the row). */
  async complete(
    clusterId: string,
    sweepId: string,
    options: { owner: string; now: Date; abortSignal?: AbortSignal },
  ): Promise<void> {
    const pk = clusterKeyOf(clusterId);
    const current = await this.table.getEntity<ClaimEntity>(pk, ROW, { abortSignal: options.abortSignal });
    if (current.sweepId !== sweepId) return;
    await this.table.updateEntity<ClaimEntity>(
      { ...current, state: 'done', owner: options.owner, updatedAt: options.now.toISOString() },
      'Replace',
      { etag: current.etag, abortSignal: options.abortSignal },
    );
  }

  async read(clusterId: string): Promise<Omit<ClaimEntity, 'partitionKey' | 'rowKey'> | undefined> {
    try {
      const {
        partitionKey: _pk,
        rowKey: _rk,
        ...rest
      } = await this.table.getEntity<ClaimEntity>(clusterKeyOf(clusterId), ROW);
      return rest;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }
}

/** The table above as a pure decision over the row found. Sweep ids sort by period (summarize.ts newSweepId). */
export function decide(
  current: Pick<ClaimEntity, 'sweepId' | 'state' | 'owner' | 'leaseUntil'>,
  sweepId: string,
  owner: string,
  now: Date,
): ClaimOutcome {
  // The first 15 characters are the period's start (yyyymmdd-hhmmss).
  const held = current.sweepId.slice(0, 15);
  const mine = sweepId.slice(0, 15);
  if (held < mine) return 'claimed';
  if (held > mine) return 'superseded';
  if (current.state === 'done') return 'duplicate';
  if (current.owner === owner || Date.parse(current.leaseUntil) <= now.getTime()) return 'claimed';
  return 'held';
}
