// Where schedules live: Table storage in the app (table `schedules`, one entity per schedule name), an in-memory
// twin for the CLI and unit tests. The API addresses schedules by name alone (PUT /api/scaling/schedules/{name}),
// so names are unique across clusters: one partition, the name as row key, the cluster id as a filterable column.
import { RestError, TableClient, odata } from '@azure/data-tables';
import { TABLE_NAMES, type AppConfig } from '../config/config.js';
import { createTableClient, ensureTable } from '../storage/storageClients.js';
import type { ScalingSchedule } from './schedule.js';

export interface StoredSchedule extends ScalingSchedule {
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleStore {
  get(name: string, options?: { abortSignal?: AbortSignal }): Promise<StoredSchedule | undefined>;
  /** Creates or replaces; `created` tells the two apart (201 vs 200). */
  put(
    schedule: ScalingSchedule,
    options?: { now?: Date; abortSignal?: AbortSignal },
  ): Promise<{ created: boolean; schedule: StoredSchedule }>;
  /** False when there was nothing to delete. */
  delete(name: string, options?: { abortSignal?: AbortSignal }): Promise<boolean>;
  /** Every schedule, or those of one cluster (ARM ids compare case-insensitively), sorted by name. */
  list(options?: { clusterId?: string; abortSignal?: AbortSignal }): Promise<StoredSchedule[]>;
}

const PARTITION = 'schedule';

function byName(a: StoredSchedule, b: StoredSchedule): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export class InMemoryScheduleStore implements ScheduleStore {
  private readonly items = new Map<string, StoredSchedule>();

  get(name: string): Promise<StoredSchedule | undefined> {
    const s = this.items.get(name);
    return Promise.resolve(s ? structuredClone(s) : undefined);
  }

  put(
    schedule: ScalingSchedule,
    options: { now?: Date } = {},
  ): Promise<{ created: boolean; schedule: StoredSchedule }> {
    const now = (options.now ?? new Date()).toISOString();
    const existing = this.items.get(schedule.name);
    const stored: StoredSchedule = {
      ...structuredClone(schedule),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    this.items.set(schedule.name, stored);
    return Promise.resolve({ created: existing === undefined, schedule: structuredClone(stored) });
  }

  delete(name: string): Promise<boolean> {
    return Promise.resolve(this.items.delete(name));
  }

  list(options: { clusterId?: string } = {}): Promise<StoredSchedule[]> {
    const key = options.clusterId?.toLowerCase();
    return Promise.resolve(
      [...this.items.values()]
        .filter((s) => key === undefined || s.clusterId.toLowerCase() === key)
        .map((s) => structuredClone(s))
        .sort(byName),
    );
  }
}

interface ScheduleEntity {
  partitionKey: string;
  rowKey: string;
  clusterKey: string;
  schedule: string;
  createdAt: string;
  updatedAt: string;
}

function isStatus(err: unknown, ...codes: number[]): boolean {
  return err instanceof RestError && codes.includes(err.statusCode ?? 0);
}

function fromEntity(e: ScheduleEntity): StoredSchedule {
  return { ...(JSON.parse(e.schedule) as ScalingSchedule), createdAt: e.createdAt, updatedAt: e.updatedAt };
}

export class TableScheduleStore implements ScheduleStore {
  private constructor(private readonly table: TableClient) {}

  static async open(config: Pick<AppConfig, 'storage'>): Promise<TableScheduleStore> {
    const table = createTableClient(config, TABLE_NAMES.schedules);
    await ensureTable(table);
    return new TableScheduleStore(table);
  }

  async get(name: string, options: { abortSignal?: AbortSignal } = {}): Promise<StoredSchedule | undefined> {
    try {
      return fromEntity(await this.table.getEntity<ScheduleEntity>(PARTITION, name, options));
    } catch (err) {
      if (isStatus(err, 404)) return undefined;
      throw err;
    }
  }

  async put(
    schedule: ScalingSchedule,
    options: { now?: Date; abortSignal?: AbortSignal } = {},
  ): Promise<{ created: boolean; schedule: StoredSchedule }> {
    const now = (options.now ?? new Date()).toISOString();
    const entity = (createdAt: string): ScheduleEntity => ({
      partitionKey: PARTITION,
      rowKey: schedule.name,
      clusterKey: schedule.clusterId.toLowerCase(),
      schedule: JSON.stringify(schedule),
      createdAt,
      updatedAt: now,
    });
    // Insert first: only a 409 means it exists, and then the replace keeps its creation time.
    try {
      await this.table.createEntity(entity(now), { abortSignal: options.abortSignal });
      return { created: true, schedule: { ...schedule, createdAt: now, updatedAt: now } };
    } catch (err) {
      if (!isStatus(err, 409)) throw err;
    }
    const existing = await this.get(schedule.name, options);
    const createdAt = existing?.createdAt ?? now;
    await this.table.upsertEntity(entity(createdAt), 'Replace', { abortSignal: options.abortSignal });
    return { created: false, schedule: { ...schedule, createdAt, updatedAt: now } };
  }

  async delete(name: string, options: { abortSignal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.table.deleteEntity(PARTITION, name, options);
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  }

  async list(options: { clusterId?: string; abortSignal?: AbortSignal } = {}): Promise<StoredSchedule[]> {
    const filter =
      options.clusterId === undefined
        ? odata`PartitionKey eq ${PARTITION}`
        : odata`PartitionKey eq ${PARTITION} and clusterKey eq ${options.clusterId.toLowerCase()}`;
    const out: StoredSchedule[] = [];
    for await (const e of this.table.listEntities<ScheduleEntity>({
      queryOptions: { filter },
      abortSignal: options.abortSignal,
    }))
      out.push(fromEntity(e));
    return out.sort(byName);
  }
}
