// Table storage for the sweep: the findings lifecycle (table `findings`, one entity per cluster and fingerprint)
// and sweep summaries (table `sweeps`: every sweep under the cluster's partition, newest first, plus one `latest`
// row per cluster for GET /api/clusters).
import type { TableClient } from '@azure/data-tables';
import { TableTransaction } from '@azure/data-tables';
import type { AppConfig } from '../config/config.js';
import { TABLE_NAMES } from '../config/config.js';
import { createTableClient, ensureTable } from '../storage/storageClients.js';
import { clusterKeyOf } from './fingerprint.js';
import type { StoredFinding } from './lifecycle.js';
import type { SweepSummary } from './types.js';
import type { ClusterSweepInfo, FindingsRepository } from './findingsRepository.js';
import { ensureErrorType, RemoteServiceError } from '../errors.js';

type StorageConfig = Pick<AppConfig, 'storage'>;

/** Table entity properties are limited to 64 KiB; evidence can be long, so it is stored as JSON text, trimmed. */
const MAX_PROPERTY_CHARS = 30_000;

interface FindingEntity {
  partitionKey: string;
  rowKey: string;
  clusterId: string;
  check: string;
  severity: string;
  kind: string;
  namespace: string;
  name: string;
  message: string;
  evidence: string;
  remediation: string;
  docsUrl: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  state: string;
  resolvedAt: string;
  lastSweepId: string;
}

interface SweepEntity {
  partitionKey: string;
  rowKey: string;
  clusterId: string;
  clusterName: string;
  sweepId: string;
  finishedAt: string;
  score: number;
  partial: boolean;
  summary: string;
}

function toEntity(clusterKey: string, f: StoredFinding): FindingEntity {
  let evidence = JSON.stringify(f.evidence);
  if (evidence.length > MAX_PROPERTY_CHARS) {
    const kept: string[] = [];
    let size = 2;
    for (const e of f.evidence) {
      size += e.length + 4;
      if (size > MAX_PROPERTY_CHARS) break;
      kept.push(e);
    }
    evidence = JSON.stringify(kept);
  }
  return {
    partitionKey: clusterKey,
    rowKey: f.fingerprint,
    clusterId: f.clusterId,
    check: f.check,
    severity: f.severity,
    kind: f.kind,
    namespace: f.namespace ?? '',
    name: f.name,
    message: f.message.slice(0, MAX_PROPERTY_CHARS),
    evidence,
    remediation: f.remediation.slice(0, MAX_PROPERTY_CHARS),
    docsUrl: f.docsUrl ?? '',
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    count: f.count,
    state: f.state,
    resolvedAt: f.resolvedAt ?? '',
    lastSweepId: f.lastSweepId,
  };
}

function fromEntity(e: FindingEntity): StoredFinding {
  const f: StoredFinding = {
    clusterId: e.clusterId,
    check: e.check,
    severity: e.severity as StoredFinding['severity'],
    kind: e.kind,
    name: e.name,
    message: e.message,
    evidence: JSON.parse(e.evidence || '[]') as string[],
    remediation: e.remediation,
    fingerprint: e.rowKey,
    firstSeen: e.firstSeen,
    lastSeen: e.lastSeen,
    count: e.count,
    state: e.state as StoredFinding['state'],
    lastSweepId: e.lastSweepId,
  };
  if (e.namespace) f.namespace = e.namespace;
  if (e.docsUrl) f.docsUrl = e.docsUrl;
  if (e.resolvedAt) f.resolvedAt = e.resolvedAt;
  return f;
}

/** Row keys sort ascending; inverting the time makes the newest sweep the first row of the partition. */
function invertedTime(iso: string): string {
  return String(9_999_999_999_999 - Date.parse(iso)).padStart(13, '0');
}

const LATEST_PARTITION = 'latest';

/** The Table storage FindingsRepository (the deployed one). */
export class FindingsStore implements FindingsRepository {
  private constructor(
    private readonly findings: TableClient,
    private readonly sweeps: TableClient,
  ) {}

  static async open(config: StorageConfig): Promise<FindingsStore> {
    const findings = createTableClient(config, TABLE_NAMES.findings);
    const sweeps = createTableClient(config, TABLE_NAMES.sweeps);
    await Promise.all([ensureTable(findings), ensureTable(sweeps)]);
    return new FindingsStore(findings, sweeps);
  }

  /** Every stored finding of a cluster (open and resolved). */
  async loadFindings(
    clusterId: string,
    options: { abortSignal?: AbortSignal; openOnly?: boolean } = {},
  ): Promise<StoredFinding[]> {
    const pk = clusterKeyOf(clusterId);
    const filter = options.openOnly ? `PartitionKey eq '${pk}' and state ne 'resolved'` : `PartitionKey eq '${pk}'`;
    const out: StoredFinding[] = [];
    for await (const e of this.findings.listEntities<FindingEntity>({
      queryOptions: { filter },
      abortSignal: options.abortSignal,
    })) {
      out.push(fromEntity(e));
    }
    return out;
  }

  /** Upserts findings in batches of 100 (one partition per cluster, so each batch is one transaction). */
  async saveFindings(
    clusterId: string,
    findings: readonly StoredFinding[],
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<void> {
    const pk = clusterKeyOf(clusterId);
    for (let i = 0; i < findings.length; i += 100) {
      const tx = new TableTransaction();
      for (const f of findings.slice(i, i + 100)) tx.upsertEntity(toEntity(pk, f), 'Replace');
      try {
        await this.findings.submitTransaction(tx.actions, { abortSignal: options.abortSignal });
      } catch (err) {
        throw new RemoteServiceError(`Saving findings of ${clusterId} failed: ${ensureErrorType(err).message}`, {
          statusCode: 0,
          cause: err,
        });
      }
    }
  }

  async saveSweep(summary: SweepSummary, options: { abortSignal?: AbortSignal } = {}): Promise<void> {
    const pk = clusterKeyOf(summary.clusterId);
    const text = JSON.stringify(summary);
    const entity: SweepEntity = {
      partitionKey: pk,
      rowKey: `${invertedTime(summary.startedAt)}_${summary.sweepId}`,
      clusterId: summary.clusterId,
      clusterName: summary.clusterName,
      sweepId: summary.sweepId,
      finishedAt: summary.finishedAt,
      score: summary.score,
      partial: summary.partial,
      summary:
        text.length > MAX_PROPERTY_CHARS
          ? JSON.stringify({ ...summary, namespaceScores: {}, errors: summary.errors.slice(0, 20) })
          : text,
    };
    await this.sweeps.upsertEntity(entity, 'Replace', { abortSignal: options.abortSignal });
    await this.sweeps.upsertEntity({ ...entity, partitionKey: LATEST_PARTITION, rowKey: pk }, 'Replace', {
      abortSignal: options.abortSignal,
    });
  }

  /** The newest sweep summary of a cluster, or undefined when it was never swept. */
  async latestSweep(clusterId: string, options: { abortSignal?: AbortSignal } = {}): Promise<SweepSummary | undefined> {
    try {
      const e = await this.sweeps.getEntity<SweepEntity>(LATEST_PARTITION, clusterKeyOf(clusterId), {
        abortSignal: options.abortSignal,
      });
      return JSON.parse(e.summary) as SweepSummary;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Every swept cluster with its latest score. */
  async listClusters(options: { abortSignal?: AbortSignal } = {}): Promise<ClusterSweepInfo[]> {
    const out: ClusterSweepInfo[] = [];
    for await (const e of this.sweeps.listEntities<SweepEntity>({
      queryOptions: { filter: `PartitionKey eq '${LATEST_PARTITION}'` },
      abortSignal: options.abortSignal,
    })) {
      out.push({
        clusterId: e.clusterId,
        clusterName: e.clusterName,
        lastSweepId: e.sweepId,
        lastSweepAt: e.finishedAt,
        score: e.score,
        partial: e.partial,
      });
    }
    return out.sort((a, b) => a.clusterName.localeCompare(b.clusterName));
  }

  /**
   * Deletes resolved findings resolved before `before` and sweep history rows started before it, so churn (pods
   * replaced under new names) does not grow the tables forever. Returns how many entities were removed.
   */
  async prune(clusterId: string, before: Date, options: { abortSignal?: AbortSignal } = {}): Promise<number> {
    const pk = clusterKeyOf(clusterId);
    const cutoff = before.toISOString();
    const stale: string[] = [];
    const filter = `PartitionKey eq '${pk}' and state eq 'resolved' and resolvedAt lt '${cutoff}'`;
    for await (const e of this.findings.listEntities<FindingEntity>({
      queryOptions: { filter, select: ['RowKey'] },
      abortSignal: options.abortSignal,
    })) {
      stale.push(e.rowKey);
    }
    let removed = 0;
    for (let i = 0; i < stale.length; i += 100) {
      const tx = new TableTransaction();
      for (const rk of stale.slice(i, i + 100)) tx.deleteEntity(pk, rk);
      await this.findings.submitTransaction(tx.actions, { abortSignal: options.abortSignal });
      removed += Math.min(100, stale.length - i);
    }
    // History rows are keyed by inverted start time: older sweeps have larger row keys.
    const oldest = `${invertedTime(cutoff)}`;
    const history: string[] = [];
    for await (const e of this.sweeps.listEntities<SweepEntity>({
      queryOptions: { filter: `PartitionKey eq '${pk}' and RowKey gt '${oldest}'`, select: ['RowKey'] },
      abortSignal: options.abortSignal,
    })) {
      history.push(e.rowKey);
    }
    for (let i = 0; i < history.length; i += 100) {
      const tx = new TableTransaction();
      for (const rk of history.slice(i, i + 100)) tx.deleteEntity(pk, rk);
      await this.sweeps.submitTransaction(tx.actions, { abortSignal: options.abortSignal });
      removed += Math.min(100, history.length - i);
    }
    return removed;
  }

  /** Sweep history of a cluster, newest first. */
  async listSweeps(
    clusterId: string,
    options: { abortSignal?: AbortSignal; top?: number } = {},
  ): Promise<SweepSummary[]> {
    const out: SweepSummary[] = [];
    const filter = `PartitionKey eq '${clusterKeyOf(clusterId)}'`;
    for await (const e of this.sweeps.listEntities<SweepEntity>({
      queryOptions: { filter },
      abortSignal: options.abortSignal,
    })) {
      out.push(JSON.parse(e.summary) as SweepSummary);
      if (options.top !== undefined && out.length >= options.top) break;
    }
    return out;
  }
}
