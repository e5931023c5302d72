// A simulated Container insights agent for local runs: every interval it snapshots pods, nodes, events, services and
// metrics.k8s.io from a KubeObjectSource and appends the rows the real agent (ama-logs) would send to
// KubePodInventory, KubeNodeInventory, KubeEvents, ContainerLogV2 and Perf, so the diagnostics' Log Analytics
// evidence (shared/diagnostics/evidence/kqlQueries.ts) finds history under `npm start`.
//
// Column names and value shapes follow the agent (microsoft/Docker-Provider, in_kube_podinventory.rb and friends)
// and the Azure Monitor table reference: ContainerName in KubePodInventory is `<podUid>/<container>`, Perf
// InstanceName is `<clusterId>/<podUid>/<container>` (`<clusterId>/<node>` for nodes), ContainerLastStatus is the JSON
// of lastState {lastState, reason, startedAt, finishedAt}, PodLabel is a JSON array with the labels object, node
// Status lists the True conditions. The mapping is pure (objects in, rows out); the feed adds a timer and retention.
import type { KubeObjectSource } from '../../shared/simulator/kubeApi/kubeObjectSource.js';
import { SERVED_RESOURCES, type KubeResource } from '../../shared/simulator/kubeApi/resources.js';
import type { PlatformMetricSample } from '../standins/metricsEndpoint.js';
import { insightsMetricsRows, perfRows, platformMetricSamples } from './containerInsightsMetrics.js';

export { insightsMetricsRows, perfRows, platformMetricSamples } from './containerInsightsMetrics.js';

import type { ContainerInsightsContext, ContainerInsightsSnapshot, LogRow, Obj } from './containerInsightsTypes.js';
export type { ContainerInsightsContext, ContainerInsightsSnapshot, LogRow } from './containerInsightsTypes.js';

export const CONTAINER_INSIGHTS_TABLES = [
  'KubePodInventory',
  'KubeNodeInventory',
  'KubeEvents',
  'ContainerLogV2',
  'Perf',
  'InsightsMetrics',
] as const;
export type ContainerInsightsTable = (typeof CONTAINER_INSIGHTS_TABLES)[number];
export type ContainerInsightsRows = Record<ContainerInsightsTable, LogRow[]>;

/** What one collection reads from the cluster (plain Kubernetes objects, as `kubectl get -o json` shows them). */
/**
 * What earlier collections already sent, so events and log lines are sent once (the agent tails logs and keeps
 * the last event version it sent). Plain data: the pure mapping takes one and returns the next.
 */
export interface ContainerInsightsCursor {
  /** Event identity -> `count|lastTimestamp` last sent. */
  events: Record<string, string>;
  /**
   * `<ns>/<pod>/<container>/<runtime id>` -> lines of that container instance's log already sent, its first line (to
   * notice a new log) and when it was last seen. Keyed by pod too: simulated runtime ids need not be unique.
   */
  logs: Record<string, { lines: number; head: string; seenMs: number }>;
}

export function emptyCursor(): ContainerInsightsCursor {
  return { events: {}, logs: {} };
}

// ---------------------------------------------------------------- field helpers

const rec = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);
/** Datetime columns: the API's RFC 3339 text, or null (an empty datetime in Log Analytics). */
const when = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function clusterNameOf(ctx: ContainerInsightsContext): string {
  return (
    ctx.clusterName ??
    ctx.clusterId
      .split('/')
      .filter((s) => s.length > 0)
      .pop() ??
    ''
  );
}

/** Columns every Container insights row carries. */
function common(ctx: ContainerInsightsContext, type: ContainerInsightsTable): LogRow {
  return { SourceSystem: 'Containers', Type: type, _ResourceId: ctx.clusterId };
}

/** `containerd://abc…` -> `abc…` (the agent keeps the part after `//`). */
function runtimeId(containerID: unknown): string {
  const id = str(containerID);
  const at = id.indexOf('//');
  return at < 0 ? id : id.slice(at + 2);
}

function labelsMatch(selector: Obj, labels: Obj): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((k) => labels[k] === selector[k]);
}

// ---------------------------------------------------------------- KubePodInventory

/** One row per container (init containers included) per pod; one row with empty container fields if none. */
export function podInventoryRows(snapshot: ContainerInsightsSnapshot, ctx: ContainerInsightsContext): LogRow[] {
  const time = ctx.time.toISOString();
  const clusterName = clusterNameOf(ctx);
  const rows: LogRow[] = [];
  for (const pod of snapshot.pods) {
    const meta = rec(pod.metadata);
    const spec = rec(pod.spec);
    const status = rec(pod.status);
    const uid = str(meta.uid);
    if (!uid) continue;
    const namespace = str(meta.namespace);
    const labels = rec(meta.labels);
    const owner = arr(meta.ownerReferences)[0];
    const service = snapshot.services.find((s) => {
      const m = rec(s.metadata);
      return str(m.namespace) === namespace && labelsMatch(rec(rec(s.spec).selector), labels);
    });
    // NodeLost pods whose Ready condition is False are Unknown; pods being deleted are Terminating (as the agent).
    const nodeLost =
      str(status.reason) === 'NodeLost' &&
      arr(status.conditions).some((c) => c.type === 'Ready' && c.status === 'False');
    const podStatus = nodeLost ? 'Unknown' : meta.deletionTimestamp ? 'Terminating' : str(status.phase);
    const base: LogRow = {
      TimeGenerated: time,
      Computer: str(spec.nodeName),
      ClusterId: ctx.clusterId,
      ClusterName: clusterName,
      Name: str(meta.name),
      Namespace: namespace,
      PodUid: uid,
      PodLabel: JSON.stringify([labels]),
      PodCreationTimeStamp: when(meta.creationTimestamp),
      PodStartTime: when(status.startTime),
      PodStatus: podStatus,
      PodIp: str(status.podIP),
      ServiceName: service ? str(rec(service.metadata).name) : '',
      ControllerKind: owner ? str(owner.kind) : '',
      ControllerName: owner ? str(owner.name) : '',
      ...common(ctx, 'KubePodInventory'),
    };
    const containers = [...arr(status.containerStatuses), ...arr(status.initContainerStatuses)];
    const podRestarts = containers.reduce((sum, c) => sum + int(c.restartCount), 0);
    if (containers.length === 0) {
      rows.push({
        ...base,
        ContainerName: '',
        ContainerID: '',
        ContainerStatus: '',
        ContainerStatusReason: '',
        ContainerLastStatus: '{}',
        ContainerRestartCount: 0,
        ContainerCreationTimeStamp: null,
        PodRestartCount: 0,
      });
      continue;
    }
    for (const c of containers) {
      const state = rec(c.state);
      const stateName = Object.keys(state)[0] ?? '';
      const stateBody = rec(state[stateName]);
      const last = rec(c.lastState);
      const lastName = Object.keys(last).length === 1 ? (Object.keys(last)[0] ?? '') : '';
      const lastBody = rec(last[lastName]);
      const lastStatus =
        lastName && 'reason' in lastBody && 'startedAt' in lastBody && 'finishedAt' in lastBody
          ? {
              lastState: lastName,
              reason: lastBody.reason,
              startedAt: lastBody.startedAt,
              finishedAt: lastBody.finishedAt,
            }
          : {};
      rows.push({
        ...base,
        ContainerName: `${uid}/${str(c.name)}`,
        ContainerID: runtimeId(c.containerID),
        ContainerStatus: nodeLost ? 'Unknown' : stateName,
        ContainerStatusReason: stateName === 'running' ? '' : str(stateBody.reason),
        ContainerLastStatus: JSON.stringify(lastStatus),
        ContainerRestartCount: int(c.restartCount),
        ContainerCreationTimeStamp: stateName === 'running' ? when(stateBody.startedAt) : null,
        PodRestartCount: podRestarts,
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------- KubeNodeInventory

export function nodeInventoryRows(snapshot: ContainerInsightsSnapshot, ctx: ContainerInsightsContext): LogRow[] {
  const time = ctx.time.toISOString();
  return snapshot.nodes.map((node) => {
    const meta = rec(node.metadata);
    const status = rec(node.status);
    const info = rec(status.nodeInfo);
    const conditions = arr(status.conditions);
    const providerId = str(rec(node.spec).providerID);
    return {
      TimeGenerated: time,
      Computer: str(meta.name),
      ClusterId: ctx.clusterId,
      ClusterName: clusterNameOf(ctx),
      CreationTimeStamp: when(meta.creationTimestamp),
      // "Ready" or e.g. "Ready,MemoryPressure": every condition that is True; NotReady nodes have none of it.
      Status: conditions
        .filter((c) => c.status === 'True')
        .map((c) => str(c.type))
        .join(','),
      LastTransitionTimeReady: when(conditions.find((c) => c.type === 'Ready')?.lastTransitionTime),
      KubeletVersion: str(info.kubeletVersion),
      KubeProxyVersion: str(info.kubeProxyVersion),
      DockerVersion: str(info.containerRuntimeVersion),
      OperatingSystem: str(info.osImage),
      KubernetesProviderID: providerId ? (providerId.split(':')[0] ?? providerId) : 'onprem',
      Labels: JSON.stringify([rec(meta.labels)]),
      ...common(ctx, 'KubeNodeInventory'),
    };
  });
}

// ---------------------------------------------------------------- KubeEvents

/** Events new or changed (count, lastTimestamp) since the cursor; Warning only unless collectNormalEvents. */
export function kubeEventRows(
  snapshot: ContainerInsightsSnapshot,
  ctx: ContainerInsightsContext,
  cursor: ContainerInsightsCursor['events'],
): { rows: LogRow[]; cursor: ContainerInsightsCursor['events'] } {
  const time = ctx.time.toISOString();
  const next: ContainerInsightsCursor['events'] = {};
  const rows: LogRow[] = [];
  for (const event of snapshot.events) {
    const type = str(event.type);
    if (type === 'Normal' && !ctx.collectNormalEvents) continue;
    const meta = rec(event.metadata);
    const involved = rec(event.involvedObject);
    const source = rec(event.source);
    const firstSeen = str(event.firstTimestamp) || str(event.eventTime) || str(meta.creationTimestamp);
    const lastSeen = str(event.lastTimestamp) || firstSeen;
    const count = typeof event.count === 'number' ? event.count : 1;
    // Identity from what the event is about, not metadata.name/uid/resourceVersion: the simulated cluster renumbers
    // its events and bumps every version when anything changes, which would resend every event on every collection.
    const identity = [
      str(meta.namespace),
      str(involved.kind),
      str(involved.name),
      str(involved.uid),
      str(event.reason),
      str(event.message),
      firstSeen,
    ].join('|');
    const version = `${count}|${lastSeen}`;
    next[identity] = version;
    if (cursor[identity] === version) continue;
    rows.push({
      TimeGenerated: time,
      Computer: str(source.host),
      ClusterId: ctx.clusterId,
      ClusterName: clusterNameOf(ctx),
      Namespace: str(involved.namespace) || str(meta.namespace),
      Name: str(involved.name),
      ObjectKind: str(involved.kind),
      Reason: str(event.reason),
      Message: str(event.message),
      KubeEventType: type,
      SourceComponent: str(source.component) || str(event.reportingComponent),
      FirstSeen: when(firstSeen),
      LastSeen: when(lastSeen),
      Count: count,
      ...common(ctx, 'KubeEvents'),
    });
  }
  return { rows, cursor: next };
}

// ---------------------------------------------------------------- ContainerLogV2

const LINE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))\s/;

/** The level the agent derives from the line (CRITICAL, ERROR, WARNING, INFO, DEBUG, TRACE or UNKNOWN). */
export function logLevelOf(line: string): string {
  const json = parseJsonObject(line);
  const text = json ? str(json.level ?? json.severity ?? json.lvl) || line : line;
  if (/\b(critical|fatal|panic|crit|emerg)\b/i.test(text)) return 'CRITICAL';
  if (/\b(error|err)\b/i.test(text) || /^E\d{4} /.test(text)) return 'ERROR';
  if (/\b(warn|warning)\b/i.test(text) || /^W\d{4} /.test(text)) return 'WARNING';
  if (/\b(info)\b/i.test(text) || /^I\d{4} /.test(text)) return 'INFO';
  if (/\bdebug\b/i.test(text)) return 'DEBUG';
  if (/\btrace\b/i.test(text)) return 'TRACE';
  return 'UNKNOWN';
}

function parseJsonObject(line: string): Obj | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Log lines not sent yet, per container instance: the running container's log and, after a restart, the rest of
 * the terminated instance's log (`previous`), each under its own ContainerId like the agent's file tailing.
 */
export function containerLogRows(
  snapshot: ContainerInsightsSnapshot,
  ctx: ContainerInsightsContext,
  cursor: ContainerInsightsCursor['logs'],
  retentionMs: number,
): { rows: LogRow[]; cursor: ContainerInsightsCursor['logs'] } {
  const nowMs = ctx.time.getTime();
  const next: ContainerInsightsCursor['logs'] = {};
  for (const [id, entry] of Object.entries(cursor)) if (nowMs - entry.seenMs <= retentionMs) next[id] = entry;
  const rows: LogRow[] = [];
  const readLog = snapshot.podLog;
  if (!readLog) return { rows, cursor: next };
  for (const pod of snapshot.pods) {
    const meta = rec(pod.metadata);
    const namespace = str(meta.namespace);
    const podName = str(meta.name);
    const node = str(rec(pod.spec).nodeName);
    const status = rec(pod.status);
    for (const c of [...arr(status.initContainerStatuses), ...arr(status.containerStatuses)]) {
      const container = str(c.name);
      const instances: Array<{ id: string; previous: boolean }> = [];
      const lastId = runtimeId(rec(rec(c.lastState).terminated).containerID);
      if (lastId) instances.push({ id: lastId, previous: true });
      const currentId = runtimeId(c.containerID);
      if (currentId && currentId !== lastId) instances.push({ id: currentId, previous: false });
      for (const { id, previous } of instances) {
        const text = readLog(namespace, podName, container, previous);
        if (text === undefined) continue;
        const lines = text.split('\n');
        if (lines[lines.length - 1] === '') lines.pop();
        const head = lines[0] ?? '';
        const key = `${namespace}/${podName}/${container}/${id}`;
        const sent = next[key];
        // A shorter log or a different first line is a new log (rotated, or a fresh container): start over.
        const from = sent && sent.head === head && sent.lines <= lines.length ? sent.lines : 0;
        next[key] = { lines: lines.length, head, seenMs: nowMs };
        for (const line of lines.slice(from)) {
          const stamped = LINE_TIME.exec(line)?.[1];
          const stampedMs = stamped ? Date.parse(stamped) : NaN;
          const json = parseJsonObject(line);
          rows.push({
            TimeGenerated: new Date(Number.isFinite(stampedMs) && stampedMs <= nowMs ? stampedMs : nowMs).toISOString(),
            Computer: node,
            ContainerId: id,
            ContainerName: container,
            PodName: podName,
            PodNamespace: namespace,
            // dynamic: JSON lines are stored parsed, anything else as the text itself.
            LogMessage: json ?? line,
            LogSource: 'stdout',
            LogLevel: logLevelOf(line),
            ...common(ctx, 'ContainerLogV2'),
          });
        }
      }
    }
  }
  return { rows, cursor: next };
}

// ---------------------------------------------------------------- one collection

/** Every table's new rows for one collection, and the cursor for the next. Pure. */
export function containerInsightsRows(
  snapshot: ContainerInsightsSnapshot,
  ctx: ContainerInsightsContext,
  cursor: ContainerInsightsCursor = emptyCursor(),
  options: { retentionMs?: number } = {},
): { rows: ContainerInsightsRows; cursor: ContainerInsightsCursor } {
  const events = kubeEventRows(snapshot, ctx, cursor.events);
  const logs = containerLogRows(snapshot, ctx, cursor.logs, options.retentionMs ?? DEFAULT_RETENTION_MINUTES * 60_000);
  return {
    rows: {
      KubePodInventory: podInventoryRows(snapshot, ctx),
      KubeNodeInventory: nodeInventoryRows(snapshot, ctx),
      KubeEvents: events.rows,
      ContainerLogV2: logs.rows,
      Perf: perfRows(snapshot, ctx),
      InsightsMetrics: insightsMetricsRows(snapshot, ctx),
    },
    cursor: { events: events.cursor, logs: logs.cursor },
  };
}

function resource(group: string, plural: string): KubeResource {
  const found = SERVED_RESOURCES.find((r) => r.group === group && r.plural === plural);
  if (!found) throw new Error(`containerInsightsFeed: the API does not serve ${group || 'core'}/${plural}`);
  return found;
}

/** Reads what one collection needs from a source (all namespaces). */
export function snapshotFromSource(source: KubeObjectSource): ContainerInsightsSnapshot {
  const list = (group: string, plural: string) => [...source.list(resource(group, plural))];
  return {
    pods: list('', 'pods'),
    nodes: list('', 'nodes'),
    events: list('', 'events'),
    services: list('', 'services'),
    podMetrics: list('metrics.k8s.io', 'pods'),
    nodeMetrics: list('metrics.k8s.io', 'nodes'),
    podLog: source.podLog
      ? (namespace, pod, container, previous) => source.podLog?.(namespace, pod, container, previous)
      : undefined,
  };
}

// ---------------------------------------------------------------- the feed

export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_RETENTION_MINUTES = 360;
/**
 * Per table. The local query endpoint scans and types whole tables on every query (measured ~15-20 µs a row for
 * KubePodInventory, ~6 µs for Perf), so this keeps a diagnosis's queries well under a second during a long
 * `npm start`: ~4.5 h of pod inventory and ~40 min of Perf for the default simulated cluster at 30 s.
 */
export const DEFAULT_MAX_ROWS_PER_TABLE = 20_000;
/**
 * Perf is the anomaly detection's main input: it keeps ~3.5 h at 30 s (a Perf query then scans ~0.6 s), enough for
 * the detector's window (ANOMALY_WINDOW_MINUTES, 4 h, of which it needs ~150 one-minute points).
 */
export const DEFAULT_MAX_PERF_ROWS = 100_000;
/** History computed at start (one collection a minute, no events or logs), so the first sweeps have a baseline. */
export const DEFAULT_BACKFILL_MINUTES = 240;

export interface ContainerInsightsFeedOptions {
  source: KubeObjectSource;
  localAzure: {
    setLogAnalyticsRows(table: string, rows: Array<Record<string, unknown>>): void;
    /** The platform metrics stand-in (optional: without it only the Log Analytics tables are fed). */
    setPlatformMetricSamples?(resourceId: string, samples: PlatformMetricSample[]): void;
  };
  clusterId: string;
  clusterName?: string;
  /** Default 30 s. 0 = no timer (call tick() yourself). */
  intervalMs?: number;
  /** Minutes of history kept per table (by TimeGenerated). Default 360 (6 hours). */
  retention?: number;
  /** Newest rows kept per table at most. Default 20,000 (Perf: 100,000). */
  maxRowsPerTable?: number;
  /**
   * The cluster as it was at a past time, for the history computed at start (the simulator is a function of time).
   * Without it, or with backfillMinutes 0, history starts with the first collection.
   */
  snapshotAt?: (time: Date) => Promise<ContainerInsightsSnapshot>;
  /** Minutes of metric history computed at start, one collection a minute. Default 240. */
  backfillMinutes?: number;
  collectNormalEvents?: boolean;
  now?: () => Date;
  /** A failed collection (the source threw) is reported here; the next tick tries again. */
  onError?: (err: unknown) => void;
}

export interface ContainerInsightsFeed {
  /** One collection now: snapshot, map, append, trim, publish every table. */
  tick(): Promise<void>;
  stop(): void;
  /** Rows currently published per table (for tests and the start-up banner). */
  rowCounts(): Record<ContainerInsightsTable, number>;
}

export function startContainerInsightsFeed(options: ContainerInsightsFeedOptions): ContainerInsightsFeed {
  const now = options.now ?? (() => new Date());
  const retentionMs = (options.retention ?? DEFAULT_RETENTION_MINUTES) * 60_000;
  const maxRows = options.maxRowsPerTable ?? DEFAULT_MAX_ROWS_PER_TABLE;
  const maxRowsOf = (table: ContainerInsightsTable) =>
    options.maxRowsPerTable ?? (table === 'Perf' ? DEFAULT_MAX_PERF_ROWS : DEFAULT_MAX_ROWS_PER_TABLE);
  if (!(retentionMs > 0)) throw new Error('startContainerInsightsFeed: retention must be a positive number of minutes');
  if (!(maxRows > 0)) throw new Error('startContainerInsightsFeed: maxRowsPerTable must be positive');
  const tables = Object.fromEntries(CONTAINER_INSIGHTS_TABLES.map((t) => [t, [] as LogRow[]])) as ContainerInsightsRows;
  let cursor = emptyCursor();
  let samples: PlatformMetricSample[] = [];
  let stopped = false;
  let running: Promise<void> | undefined;

  const publish = (time: Date, rows: Partial<ContainerInsightsRows>, newSamples: PlatformMetricSample[]) => {
    const oldest = time.getTime() - retentionMs;
    for (const table of CONTAINER_INSIGHTS_TABLES) {
      const kept = tables[table].filter((r) => Date.parse(String(r.TimeGenerated)) >= oldest);
      kept.push(...(rows[table] ?? []).filter((r) => Date.parse(String(r.TimeGenerated)) >= oldest));
      const cap = maxRowsOf(table);
      tables[table] = kept.length > cap ? kept.slice(kept.length - cap) : kept;
      options.localAzure.setLogAnalyticsRows(table, tables[table]);
    }
    samples = samples.filter((x) => x.t >= oldest);
    samples.push(...newSamples);
    options.localAzure.setPlatformMetricSamples?.(options.clusterId, samples);
  };

  const context = (time: Date): ContainerInsightsContext => ({
    clusterId: options.clusterId,
    clusterName: options.clusterName,
    time,
    collectNormalEvents: options.collectNormalEvents,
  });

  const collect = async () => {
    const time = now();
    const snapshot = snapshotFromSource(options.source);
    const result = containerInsightsRows(snapshot, context(time), cursor, { retentionMs });
    cursor = result.cursor;
    publish(time, result.rows, platformMetricSamples(snapshot, context(time)));
  };

  /** Metric history before the feed started: Perf, InsightsMetrics, pod and node inventory, platform metrics. */
  const backfill = async () => {
    const minutes = Math.min(options.backfillMinutes ?? DEFAULT_BACKFILL_MINUTES, retentionMs / 60_000);
    if (!options.snapshotAt || !(minutes > 0)) return;
    const end = Math.floor(now().getTime() / 60_000) * 60_000;
    const rows: Partial<ContainerInsightsRows> = {
      Perf: [],
      InsightsMetrics: [],
      KubePodInventory: [],
      KubeNodeInventory: [],
    };
    const past: PlatformMetricSample[] = [];
    for (let t = end - minutes * 60_000; t < end; t += 60_000) {
      const snapshot = await options.snapshotAt(new Date(t));
      const ctx = context(new Date(t));
      rows.Perf?.push(...perfRows(snapshot, ctx));
      rows.InsightsMetrics?.push(...insightsMetricsRows(snapshot, ctx));
      rows.KubePodInventory?.push(...podInventoryRows(snapshot, ctx));
      rows.KubeNodeInventory?.push(...nodeInventoryRows(snapshot, ctx));
      past.push(...platformMetricSamples(snapshot, ctx));
    }
    publish(new Date(end), rows, past);
  };

  const tick = async (): Promise<void> => {
    if (stopped) return;
    // Ticks never overlap: a slow collection makes the next one wait instead of interleaving cursor updates.
    const previous = running ?? backfilled;
    const current = previous.then(collect);
    running = current.catch(() => undefined);
    await current;
  };

  // The history goes in before the first collection (ticks wait for it); a failed backfill only loses history.
  const backfilled = backfill().catch((err: unknown) => options.onError?.(err));

  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          tick().catch((err: unknown) => options.onError?.(err));
        }, intervalMs)
      : undefined;
  timer?.unref();
  // With a timer, the first collection happens now rather than one interval later.
  if (timer) tick().catch((err: unknown) => options.onError?.(err));

  return {
    tick,
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
    },
    rowCounts: () =>
      Object.fromEntries(CONTAINER_INSIGHTS_TABLES.map((t) => [t, tables[t].length])) as Record<
        ContainerInsightsTable,
        number
      >,
  };
}
