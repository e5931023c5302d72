// Turns a common-schema alert of any variant into the few facts the diagnostics need: what kind of signal, which
// rule, how severe, when, and which Kubernetes object (cluster, namespace, workload, pod, container, node, PVC).
// Pure: cluster names that need an ARM lookup are left in `target.clusterName` for `resolveAlertCluster`.
import { findManagedClusterId } from '../azure/arm/managedClusterId.js';
import { clusterNameFromId } from '../kube/vocabulary/armId.js';
import { createHash } from 'node:crypto';
import {
  activityLogContextSchema,
  conditionContextSchema,
  logSearchV1ContextSchema,
  prometheusContextSchema,
  type AlertSeverity,
  type CommonAlert,
} from './alertSchema.js';
import { findPlaybook } from './playbooks.js';
import type { DiagnosisTarget } from './types.js';

export type AlertSignalKind =
  | 'metric'
  | 'log'
  | 'prometheus'
  | 'activity_log'
  | 'resource_health'
  | 'service_health'
  | 'smart_detector'
  | 'availability_test'
  | 'unknown';

/** A fact quoted from the alert payload, cited as evidence with source `alert`. */
export interface AlertFact {
  name: string;
  value: string;
}

export interface NormalizedAlert {
  alertId: string;
  /** Table-safe idempotency key derived from the alert id. */
  alertKey: string;
  /** The id of the diagnosis this alert produces (stable across redeliveries and repeated firings). */
  diagnosisId: string;
  rule: string;
  ruleId?: string;
  signal: AlertSignalKind;
  monitoringService?: string;
  severity?: AlertSeverity;
  condition: 'Fired' | 'Resolved';
  firedAt: string;
  resolvedAt?: string;
  description?: string;
  target: DiagnosisTarget;
  /** Metric names, Prometheus `alertname`, smart detector: what the rule measured. */
  signalNames: string[];
  playbook: string;
  /** Whether the alert concerns a Kubernetes cluster at all (else the diagnosis says so without cluster evidence). */
  concernsKubernetes: boolean;
  facts: AlertFact[];
  /**
   * When the alerted condition was evaluated: a metric alert's window (windowStartTime/windowEndTime), a Prometheus
   * rule's pending duration (`for`, ISO 8601). Diagnoses read the metric from there on.
   */
  conditionWindow?: { start?: string; end?: string; forDuration?: string };
}

/** The ARM id of an AKS cluster inside a resource id (a cluster, or a sub-resource of one), else undefined. */
export function extractAksClusterId(resourceId: string | null | undefined): string | undefined {
  return findManagedClusterId(resourceId);
}

export { clusterNameFromId };

export function alertKeyFor(alertId: string): string {
  return createHash('sha256').update(alertId.trim().toLowerCase()).digest('hex').slice(0, 40);
}

export function diagnosisIdForAlert(alertId: string): string {
  return `dg-${alertKeyFor(alertId).slice(0, 32)}`;
}

// Dimension / label / column names, lower-cased with spaces and underscores removed, that name each target field.
const FIELD_ALIASES: Record<keyof DiagnosisTarget | 'workloadKindHint', string[]> = {
  clusterId: ['clusterid', 'resourceid', 'clusterresourceid'],
  clusterName: ['cluster', 'clustername'],
  namespace: ['namespace', 'kubernetesnamespace', 'k8snamespace', 'namespacename', 'exportednamespace'],
  workload: [
    'controllername',
    'deployment',
    'statefulset',
    'daemonset',
    'jobname',
    'createdbyname',
    'workload',
    'replicaset',
    'cronjob',
  ],
  workloadKind: ['controllerkind', 'createdbykind', 'workloadkind'],
  pod: ['pod', 'podname', 'exportedpod'],
  container: ['container', 'containername', 'exportedcontainer'],
  node: ['node', 'nodename', 'host', 'computer', 'kubernetesionode'],
  pvc: ['persistentvolumeclaim', 'pvcname', 'claimname'],
  workloadKindHint: [],
};

const KIND_BY_LABEL: Record<string, string> = {
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
  jobname: 'Job',
  cronjob: 'CronJob',
  replicaset: 'ReplicaSet',
};

const squash = (s: string) => s.toLowerCase().replace(/[\s_.\-/]/g, '');

function scalarToString(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function classify(alert: CommonAlert): AlertSignalKind {
  const e = alert.data.essentials;
  const service = squash(e.monitoringService ?? '');
  const conditionType = scalarToString(alert.data.alertContext?.conditionType) ?? '';
  if (service === 'prometheus') return 'prometheus';
  if (service === 'resourcehealth') return 'resource_health';
  if (service === 'servicehealth') return 'service_health';
  if (service === 'smartdetector') return 'smart_detector';
  if (service.startsWith('activitylog')) return 'activity_log';
  if (conditionType === 'WebtestLocationAvailabilityCriteria') return 'availability_test';
  if (service === 'platform') return 'metric';
  if (service === 'loganalytics' || service === 'applicationinsights' || service.startsWith('logalerts')) return 'log';
  const signal = squash(e.signalType ?? '');
  if (signal === 'metric') return 'metric';
  if (signal === 'log') return 'log';
  if (signal === 'activitylog') return 'activity_log';
  return 'unknown';
}

interface Pair {
  name: string;
  value: string;
}

function conditionWindowOf(alert: CommonAlert): NormalizedAlert['conditionWindow'] {
  const ctx = alert.data.alertContext ?? {};
  const cond = conditionContextSchema.safeParse(ctx);
  const prom = prometheusContextSchema.safeParse(ctx);
  const iso = (v: string | null | undefined) =>
    v && Number.isFinite(Date.parse(v)) ? new Date(v).toISOString() : undefined;
  const window = {
    start: cond.success ? iso(cond.data.condition?.windowStartTime) : undefined,
    end: cond.success ? iso(cond.data.condition?.windowEndTime) : undefined,
    forDuration: prom.success ? (prom.data.for ?? undefined) : undefined,
  };
  for (const [k, v] of Object.entries(window)) if (v === undefined) delete (window as Record<string, unknown>)[k];
  return Object.keys(window).length > 0 ? window : undefined;
}

function collectPairs(alert: CommonAlert, signalNames: string[], facts: AlertFact[]): Pair[] {
  const ctx = alert.data.alertContext ?? {};
  const pairs: Pair[] = [];
  const add = (name: unknown, value: unknown) => {
    const v = scalarToString(value);
    if (typeof name === 'string' && v !== undefined) pairs.push({ name, value: v });
  };

  const cond = conditionContextSchema.safeParse(ctx);
  if (cond.success) {
    for (const c of cond.data.condition?.allOf ?? []) {
      if (c.metricName) signalNames.push(c.metricName);
      if (c.webTestName) signalNames.push(c.webTestName);
      for (const d of c.dimensions ?? []) add(d.name, d.value);
      for (const row of c.event ?? []) for (const d of row) add(d.name, d.value);
      const what = c.metricName ?? (c.searchQuery ? 'query result' : undefined);
      const value = scalarToString(c.metricValue);
      if (what && value !== undefined) {
        const threshold = scalarToString(c.threshold);
        facts.push({
          name: `${what}`,
          value: `metricValue=${value}${c.operator ? ` operator=${c.operator}` : ''}${threshold !== undefined ? ` threshold=${threshold}` : ''}`,
        });
      }
      if (c.searchQuery) facts.push({ name: 'searchQuery', value: c.searchQuery });
    }
  }

  const v1 = logSearchV1ContextSchema.safeParse(ctx);
  if (v1.success) {
    facts.push({ name: 'SearchQuery', value: v1.data.SearchQuery });
    const count = scalarToString(v1.data.ResultCount);
    if (count !== undefined) facts.push({ name: 'ResultCount', value: count });
    for (const d of v1.data.Dimensions ?? []) add(d.name, d.value);
    // The first row of the included search results names the object (Container insights tables use these columns).
    const table = v1.data.SearchResults?.tables?.[0];
    const row = table?.rows[0];
    if (table && row) table.columns.forEach((col, i) => add(col.name, row[i]));
  }

  const prom = prometheusContextSchema.safeParse(ctx);
  if (prom.success) {
    facts.push({ name: 'expression', value: prom.data.expression });
    const value = scalarToString(prom.data.expressionValue);
    if (value !== undefined) facts.push({ name: 'expressionValue', value });
    for (const [k, v] of Object.entries(prom.data.labels ?? {})) {
      if (k === 'alertname') {
        const n = scalarToString(v);
        if (n) signalNames.push(n);
      } else add(k, v);
    }
    const summary =
      scalarToString(prom.data.annotations?.summary) ?? scalarToString(prom.data.annotations?.description);
    if (summary) facts.push({ name: 'summary', value: summary });
  }

  const activity = activityLogContextSchema.safeParse(ctx);
  if (activity.success && (activity.data.operationName || activity.data.properties)) {
    const p = activity.data.properties ?? {};
    if (activity.data.operationName) facts.push({ name: 'operationName', value: activity.data.operationName });
    for (const key of ['title', 'currentHealthStatus', 'cause', 'service', 'region', 'incidentType', 'stage']) {
      const v = scalarToString(p[key]);
      if (v !== undefined) facts.push({ name: key, value: v });
    }
  }
  for (const key of ['DetectionSummary', 'DetectedValue', 'SmartDetectorName']) {
    const v = scalarToString(ctx[key]);
    if (v !== undefined) facts.push({ name: key, value: v });
  }
  return pairs;
}

function applyPairs(pairs: Pair[], target: DiagnosisTarget): void {
  for (const { name, value } of pairs) {
    const key = squash(name);
    for (const [field, aliases] of Object.entries(FIELD_ALIASES) as Array<[keyof DiagnosisTarget, string[]]>) {
      if (!aliases.includes(key) || target[field] !== undefined) continue;
      if (field === 'clusterId') {
        const id = extractAksClusterId(value);
        if (id) target.clusterId = id;
      } else {
        target[field] = value;
        if (field === 'workload' && KIND_BY_LABEL[key] && target.workloadKind === undefined) {
          target.workloadKind = KIND_BY_LABEL[key];
        }
      }
    }
  }
}

/**
 * Container Insights tables name the object in a column called `Name`: the pod in KubePodInventory, the involved
 * object in KubeEvents (its kind in `ObjectKind`). Log search alerts over them (infra/containerInsightsAlerts.json)
 * split by that column, so `Name` arrives as a dimension. It is read only when the same alert carries `ClusterId`
 * (a Container Insights row): elsewhere `Name` means nothing in particular.
 */
function applyContainerInsightsName(pairs: Pair[], target: DiagnosisTarget): void {
  const value = (col: string) => pairs.find((p) => squash(p.name) === col)?.value;
  const name = value('name');
  if (name === undefined || value('clusterid') === undefined) return;
  const kind = value('objectkind');
  if (kind === undefined || kind.toLowerCase() === 'pod') target.pod ??= name;
  else if (kind.toLowerCase() === 'node') target.node ??= name;
  else if (kind.toLowerCase() === 'persistentvolumeclaim') target.pvc ??= name;
  else if (target.workload === undefined) {
    target.workload = name;
    target.workloadKind ??= kind;
  }
}

/** Normalises a validated common-schema alert. Never throws for schema-valid input. */
export function normalizeAlert(alert: CommonAlert): NormalizedAlert {
  const e = alert.data.essentials;
  const signal = classify(alert);
  const signalNames: string[] = [];
  const facts: AlertFact[] = [];
  const target: DiagnosisTarget = {};

  for (const id of e.alertTargetIDs ?? []) {
    const clusterId = extractAksClusterId(id);
    if (clusterId) {
      target.clusterId = clusterId;
      break;
    }
  }
  const pairs = collectPairs(alert, signalNames, facts);
  applyPairs(pairs, target);
  applyContainerInsightsName(pairs, target);

  if (target.clusterId) {
    target.clusterName ??= clusterNameFromId(target.clusterId);
  } else if (signal === 'prometheus' && !target.clusterName) {
    // Managed Prometheus targets the Azure Monitor workspace; the cluster is named in configurationItems.
    const item = (e.configurationItems ?? []).find((c) => c.trim() !== '');
    if (item) target.clusterName = item;
  }
  for (const [k, v] of Object.entries(target)) if (v === undefined) delete (target as Record<string, unknown>)[k];

  const concernsKubernetes =
    target.clusterId !== undefined ||
    target.clusterName !== undefined ||
    target.pod !== undefined ||
    (target.namespace !== undefined && (target.workload !== undefined || target.pod !== undefined)) ||
    (signal === 'prometheus' && (target.namespace !== undefined || target.node !== undefined));

  const playbook = findPlaybook([e.alertRule, ...signalNames]);
  return {
    alertId: e.alertId,
    alertKey: alertKeyFor(e.alertId),
    diagnosisId: diagnosisIdForAlert(e.alertId),
    rule: e.alertRule,
    ruleId: e.alertRuleID ?? e.alertRuleId ?? undefined,
    signal,
    monitoringService: e.monitoringService ?? undefined,
    severity: e.severity ?? undefined,
    condition: e.monitorCondition,
    firedAt: new Date(e.firedDateTime).toISOString(),
    resolvedAt: e.resolvedDateTime ? new Date(e.resolvedDateTime).toISOString() : undefined,
    description: e.description ?? undefined,
    target,
    signalNames: [...new Set(signalNames)],
    playbook: playbook.id,
    concernsKubernetes,
    facts,
    ...(conditionWindowOf(alert) ? { conditionWindow: conditionWindowOf(alert) } : {}),
  };
}

/** Maps a cluster name to its ARM id; implemented by ARM discovery (shared/azure/clusterDiscovery.ts). */
export type ClusterResolver = (
  clusterName: string,
  options?: { abortSignal?: AbortSignal },
) => Promise<string | undefined>;

/** Fills `target.clusterId` from `target.clusterName` through discovery when the alert did not carry the ARM id. */
export async function resolveAlertCluster(
  alert: NormalizedAlert,
  resolver: ClusterResolver | undefined,
  options: { abortSignal?: AbortSignal } = {},
): Promise<NormalizedAlert> {
  if (alert.target.clusterId || !alert.target.clusterName || !resolver) return alert;
  const clusterId = await resolver(alert.target.clusterName, options);
  return clusterId ? { ...alert, target: { ...alert.target, clusterId } } : alert;
}
