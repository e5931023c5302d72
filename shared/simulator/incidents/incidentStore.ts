// Simulated incidents in Table storage (TABLE_NAMES.incidents): the only state of the simulator, so they survive
// restarts and every instance sees the same ones. Row keys invert the start time so the natural order is newest
// first; the id embeds the start time, so an incident is read by key, not by scan.
import { randomBytes } from 'node:crypto';
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { AppConfig } from '../../config/config.js';
import { TABLE_NAMES } from '../../config/config.js';
import { NotFoundError, RemoteServiceError, ValidationError } from '../../errors.js';
import { incidentEndMs, type Incident, type IncidentType, type Severity } from './incident.js';
import type { ServiceName } from '../services.js';
import { checkTableContinuationToken, createTableClient, ensureTable } from '../../storage/storageClients.js';

export interface NewIncident {
  type: IncidentType;
  service: ServiceName;
  severity: Severity;
  durationMinutes: number;
  description: string;
  /** Start time; the minute it falls in is when effects begin. */
  startedAt: Date;
}

export interface IncidentPage {
  items: Incident[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  continuationToken?: string;
}

export interface ListIncidentsOptions {
  status?: 'active' | 'resolved';
  /** Page size, 1..100. */
  limit?: number;
  continuationToken?: string;
  now?: Date;
  abortSignal?: AbortSignal;
}

export interface IncidentStore {
  create(input: NewIncident, options?: { abortSignal?: AbortSignal }): Promise<Incident>;
  get(id: string, options?: { abortSignal?: AbortSignal }): Promise<Incident | undefined>;
  /** Ends an incident at `at` (or keeps the earlier end). Throws NotFoundError for an unknown id. */
  resolve(id: string, at: Date, options?: { abortSignal?: AbortSignal }): Promise<Incident>;
  list(options?: ListIncidentsOptions): Promise<IncidentPage>;
  /** Every incident whose effects overlap [from, to] (what the metrics model needs for that window). */
  overlapping(from: Date, to: Date, options?: { abortSignal?: AbortSignal }): Promise<Incident[]>;
}

const PARTITION = 'incident';
const MAX_MS = 9_999_999_999_999;
const ID_PATTERN = /^inc-([0-9a-z]{6,10})-([0-9a-f]{8})$/;

export function newIncidentId(startMs: number): string {
  return `inc-${startMs.toString(36)}-${randomBytes(4).toString('hex')}`;
}

function rowKeyOf(id: string): string | undefined {
  const m = ID_PATTERN.exec(id);
  if (!m) return undefined;
  const startMs = parseInt(m[1] ?? '', 36);
  return `${String(MAX_MS - startMs).padStart(13, '0')}-${id}`;
}

/** The stored row: the incident, its place in the table, and its start and effective end as numbers to filter on. */
interface IncidentEntity extends Incident {
  partitionKey: string;
  rowKey: string;
  startMs: number;
  /** Effective end (planned end or resolve time): what status and overlap filters use. */
  endMs: number;
}

function toIncident(e: TableEntityResult<IncidentEntity> | IncidentEntity): Incident {
  return {
    id: e.id,
    type: e.type,
    service: e.service,
    severity: e.severity,
    startedAt: e.startedAt,
    endsAt: e.endsAt,
    ...(e.resolvedAt ? { resolvedAt: e.resolvedAt } : {}),
    durationMinutes: e.durationMinutes,
    description: e.description,
    createdAt: e.createdAt,
  };
}

function toEntity(incident: Incident): IncidentEntity {
  return {
    partitionKey: PARTITION,
    rowKey: rowKeyOf(incident.id) ?? incident.id,
    id: incident.id,
    type: incident.type,
    service: incident.service,
    severity: incident.severity,
    startedAt: incident.startedAt,
    endsAt: incident.endsAt,
    ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
    durationMinutes: incident.durationMinutes,
    description: incident.description,
    createdAt: incident.createdAt,
    startMs: Date.parse(incident.startedAt),
    endMs: incidentEndMs(incident),
  };
}

export function buildIncident(input: NewIncident, createdAt: Date = new Date()): Incident {
  const startMs = Math.floor(input.startedAt.getTime() / 60_000) * 60_000;
  return {
    id: newIncidentId(startMs),
    type: input.type,
    service: input.service,
    severity: input.severity,
    startedAt: new Date(startMs).toISOString(),
    endsAt: new Date(startMs + input.durationMinutes * 60_000).toISOString(),
    durationMinutes: input.durationMinutes,
    description: input.description,
    createdAt: createdAt.toISOString(),
  };
}

function resolved(incident: Incident, at: Date): Incident {
  if (at.getTime() >= incidentEndMs(incident)) return incident;
  return { ...incident, resolvedAt: at.toISOString() };
}

function statusFilter(status: 'active' | 'resolved' | undefined, now: Date): string {
  const base = odata`PartitionKey eq ${PARTITION}`;
  if (status === 'active')
    return `${base} and ${odata`endMs gt ${now.getTime()}`} and ${odata`startMs le ${now.getTime()}`}`;
  if (status === 'resolved') return `${base} and ${odata`endMs le ${now.getTime()}`}`;
  return base;
}

function wrap(err: unknown, what: string): never {
  const status = (err as { statusCode?: number }).statusCode;
  throw new RemoteServiceError(`incident store: ${what} failed`, { statusCode: status ?? 503, cause: err });
}

/** The incident store over Azure Table storage (Azurite locally). */
export function createTableIncidentStore(
  config: Pick<AppConfig, 'storage'>,
  options: { table?: TableClient } = {},
): IncidentStore {
  const table = options.table ?? createTableClient(config, TABLE_NAMES.incidents);
  const ready = async () => {
    try {
      await ensureTable(table);
    } catch (err) {
      wrap(err, 'creating the incidents table');
    }
  };
  const get = async (id: string, abortSignal?: AbortSignal): Promise<Incident | undefined> => {
    const rowKey = rowKeyOf(id);
    if (!rowKey) return undefined;
    await ready();
    try {
      return toIncident(await table.getEntity<IncidentEntity>(PARTITION, rowKey, { abortSignal }));
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      wrap(err, `reading incident ${id}`);
    }
  };
  return {
    async create(input, opts = {}) {
      await ready();
      const incident = buildIncident(input);
      try {
        await table.createEntity(toEntity(incident), { abortSignal: opts.abortSignal });
      } catch (err) {
        wrap(err, 'storing the incident');
      }
      return incident;
    },
    get: (id, opts = {}) => get(id, opts.abortSignal),
    async resolve(id, at, opts = {}) {
      const current = await get(id, opts.abortSignal);
      if (!current) throw new NotFoundError(`incident '${id}' not found`);
      const next = resolved(current, at);
      if (next === current) return current;
      try {
        await table.updateEntity(toEntity(next), 'Merge', { abortSignal: opts.abortSignal });
      } catch (err) {
        wrap(err, `resolving incident ${id}`);
      }
      return next;
    },
    async list(opts = {}) {
      const limit = opts.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new ValidationError('limit must be an integer from 1 to 100');
      const continuationToken = checkTableContinuationToken(opts.continuationToken);
      await ready();
      const now = opts.now ?? new Date();
      try {
        const pages = table
          .listEntities<IncidentEntity>({
            queryOptions: { filter: statusFilter(opts.status, now) },
            abortSignal: opts.abortSignal,
          })
          .byPage({ maxPageSize: limit, continuationToken });
        const page = await pages.next();
        if (page.done) return { items: [] };
        return {
          items: page.value.map(toIncident),
          ...(page.value.continuationToken ? { continuationToken: page.value.continuationToken } : {}),
        };
      } catch (err) {
        if (err instanceof ValidationError) throw err;
        wrap(err, 'listing incidents');
      }
    },
    async overlapping(from, to, opts = {}) {
      await ready();
      const filter = `${odata`PartitionKey eq ${PARTITION}`} and ${odata`endMs gt ${from.getTime()}`} and ${odata`startMs le ${to.getTime()}`}`;
      const out: Incident[] = [];
      try {
        for await (const e of table.listEntities<IncidentEntity>({
          queryOptions: { filter },
          abortSignal: opts.abortSignal,
        }))
          out.push(toIncident(e));
      } catch (err) {
        wrap(err, 'listing incidents');
      }
      return out;
    },
  };
}

/** An in-process store with the same behaviour, for `aks-aiops simulate serve` without storage and for tests. */
export function createInMemoryIncidentStore(initial: Incident[] = []): IncidentStore {
  const rows = new Map<string, Incident>(initial.map((i) => [i.id, i]));
  const sorted = () =>
    [...rows.values()].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || (a.id < b.id ? -1 : 1));
  return {
    async create(input) {
      const incident = buildIncident(input);
      rows.set(incident.id, incident);
      return incident;
    },
    async get(id) {
      return rows.get(id);
    },
    async resolve(id, at) {
      const current = rows.get(id);
      if (!current) throw new NotFoundError(`incident '${id}' not found`);
      const next = resolved(current, at);
      rows.set(id, next);
      return next;
    },
    async list(opts = {}) {
      const limit = opts.limit ?? 20;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100)
        throw new ValidationError('limit must be an integer from 1 to 100');
      const now = (opts.now ?? new Date()).getTime();
      const all = sorted().filter((i) => {
        if (opts.status === 'active') return Date.parse(i.startedAt) <= now && incidentEndMs(i) > now;
        if (opts.status === 'resolved') return incidentEndMs(i) <= now;
        return true;
      });
      let start = 0;
      if (opts.continuationToken !== undefined) {
        start = Number(Buffer.from(opts.continuationToken, 'base64url').toString('utf8'));
        if (!Number.isInteger(start) || start < 0) throw new ValidationError('continuation token is not valid');
      }
      const items = all.slice(start, start + limit);
      const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString('base64url') : undefined;
      return { items, ...(next ? { continuationToken: next } : {}) };
    },
    async overlapping(from, to) {
      return sorted().filter((i) => incidentEndMs(i) > from.getTime() && Date.parse(i.startedAt) <= to.getTime());
    },
  };
}
