// Weeks of Container insights history for the simulated cluster, so the scaling recommendations have something to
// learn from under `npm start`: the live feed (containerInsightsFeed.ts) keeps hours; this adds the weeks before it.
//
// Deterministic and faithful to the simulator: at every step (default one sample per hour, taken at the half hour)
// the simulated cluster is rebuilt at that instant — the same metrics model, daily and weekly traffic shape, pods
// and nodes as the live cluster — and mapped to rows by the feed's own pure mapping (KubePodInventory,
// KubeNodeInventory, Perf). No incidents are replayed: the history is the healthy baseline. Hourly rather than the
// agent's per-minute samples keeps four weeks at ~0.1 M rows, which the local query endpoint scans in about a second.
import { createSimulatedClusterSource } from '../../shared/simulator/cluster/simulatedClusterSource.js';
import { defaultCreatedMs } from '../../shared/simulator/aks/aksCluster.js';
import {
  nodeInventoryRows,
  perfRows,
  podInventoryRows,
  snapshotFromSource,
  type LogRow,
} from './containerInsightsFeed.js';

export const HISTORY_TABLES = ['KubePodInventory', 'KubeNodeInventory', 'Perf'] as const;
export type HistoryTable = (typeof HISTORY_TABLES)[number];
export type ContainerInsightsHistory = Record<HistoryTable, LogRow[]>;

const HOUR_MS = 3600_000;

export interface ContainerInsightsHistoryOptions {
  seed: number;
  clusterId: string;
  clusterName: string;
  /** End of the history (exclusive): where the live feed takes over. */
  toMs: number;
  /** Days back from `toMs` (default 28), never before the simulated cluster was created. */
  days?: number;
  /** Cluster creation time (default: the simulator's default, a few weeks back). */
  createdAtMs?: number;
  /** Default one hour. */
  stepMs?: number;
}

/** The history rows, oldest first. Pure apart from CPU time: the same options give the same rows. */
export async function generateContainerInsightsHistory(
  options: ContainerInsightsHistoryOptions,
): Promise<ContainerInsightsHistory> {
  const step = options.stepMs ?? HOUR_MS;
  const created = options.createdAtMs ?? defaultCreatedMs(options.toMs);
  // Whole steps, starting after the cluster (and its workloads) existed.
  const firstStep =
    Math.ceil(Math.max(created + 3 * 24 * HOUR_MS, options.toMs - (options.days ?? 28) * 24 * HOUR_MS) / step) * step;
  let clock = firstStep;
  const source = createSimulatedClusterSource({
    seed: options.seed,
    clusterName: options.clusterName,
    clusterId: options.clusterId,
    getIncidents: () => [],
    now: () => new Date(clock),
  });
  const out: ContainerInsightsHistory = { KubePodInventory: [], KubeNodeInventory: [], Perf: [] };
  for (let t = firstStep; t + step <= options.toMs; t += step) {
    // The sample stands for its step: taken in the middle of it.
    clock = t + Math.floor(step / 2);
    await source.refresh();
    const snapshot = snapshotFromSource(source);
    const ctx = { clusterId: options.clusterId, clusterName: options.clusterName, time: new Date(clock) };
    out.KubePodInventory.push(...podInventoryRows(snapshot, ctx));
    out.KubeNodeInventory.push(...nodeInventoryRows(snapshot, ctx));
    out.Perf.push(...perfRows(snapshot, ctx));
    // Cooperative: under `npm start` this shares the event loop with the stand-ins it must not stall.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

type RowsSink = { setLogAnalyticsRows(table: string, rows: Array<Record<string, unknown>>): void };

/**
 * Wraps the local Log Analytics so every table the live feed publishes keeps the history in front of the live rows
 * (the feed replaces a table's rows on each tick). The history may still be generating: until it is ready the live
 * rows pass through, then every table is published again with the history first.
 */
export function withContainerInsightsHistory(
  target: RowsSink,
  history: Promise<ContainerInsightsHistory>,
  onError?: (err: unknown) => void,
): RowsSink {
  let older: Map<string, LogRow[]> | undefined;
  const live = new Map<string, Array<Record<string, unknown>>>();
  const publish = (table: string) =>
    target.setLogAnalyticsRows(table, [...(older?.get(table) ?? []), ...(live.get(table) ?? [])]);
  void history.then((h) => {
    older = new Map(Object.entries(h));
    for (const table of new Set([...older.keys(), ...live.keys()])) publish(table);
  }, onError);
  return {
    setLogAnalyticsRows(table, rows) {
      live.set(table, rows);
      publish(table);
    },
  };
}
