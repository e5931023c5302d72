// The diagnosis engine: pick the object the alert (or the caller) is about, run every rule on the snapshot, keep the
// best-supported root cause, and say whether the failure is still visible now. Pure: all I/O happened before.
import { randomUUID } from 'node:crypto';
import type {
  Node as V1Node,
  PersistentVolumeClaim as V1PersistentVolumeClaim,
  Pod as V1Pod,
} from 'kubernetes-types/core/v1.js';
import { NotFoundError } from '../errors.js';
import type { ClusterSnapshot } from './evidence/snapshot.js';
import type { NormalizedAlert } from './normalizeAlert.js';
import { DEFAULT_PLAYBOOK, PLAYBOOKS } from './playbooks.js';
import { DIAGNOSIS_RULES } from './rules/registry.js';
import type { DiagnosisRule, DiagnosisSubject, RuleContext, RuleMatch } from './rules/ruleTypes.js';
import { containersOf, podName, podNamespace, workloadOf } from './rules/podFacts.js';
import { nodeProblems } from './rules/nodeNotReady.js';
import type { Diagnosis, DiagnosisTarget, EvidenceItem, RootCause } from './types.js';
import { alertedMetric, type MetricReading } from './evidence/metricEvidence.js';
import { formatMetricValue, readingEvidence } from './rules/metricFacts.js';

export interface DiagnoseSnapshotOptions {
  target: DiagnosisTarget;
  alert?: NormalizedAlert;
  id?: string;
  logTailLines?: number;
  startedAt?: Date;
  now?: () => Date;
  rules?: readonly DiagnosisRule[];
}

const BAD_WAITING =
  /CrashLoopBackOff|ImagePullBackOff|ErrImagePull|CreateContainerConfigError|CreateContainerError|InvalidImageName|RunContainerError/;

/** How broken a pod looks, to pick "the worst" among several. */
export function podSeverityScore(pod: V1Pod): number {
  let score = 0;
  const phase = pod.status?.phase;
  if (phase === 'Failed') score += 50;
  else if (phase === 'Unknown') score += 45;
  else if (phase === 'Pending') score += 40;
  if (pod.status?.reason === 'Evicted') score += 10;
  for (const c of containersOf(pod)) {
    if (BAD_WAITING.test(c.status?.state?.waiting?.reason ?? '')) score += 60;
    if (!c.init && c.status?.ready === false) score += 30;
    if (c.status?.lastState?.terminated) score += 5;
    score += Math.min(c.status?.restartCount ?? 0, 20);
  }
  return score;
}

function pickWorst<T>(items: T[], score: (t: T) => number): T | undefined {
  let best: T | undefined;
  let bestScore = -1;
  for (const item of items) {
    const s = score(item);
    if (s > bestScore) {
      best = item;
      bestScore = s;
    }
  }
  return best;
}

function podsOfWorkload(pods: V1Pod[], workload: string): V1Pod[] {
  return pods.filter((p) => {
    const owner = p.metadata?.ownerReferences?.[0]?.name;
    return owner === workload || workloadOf(p)?.name === workload || podName(p).startsWith(`${workload}-`);
  });
}

/**
 * The object to diagnose: the named pod / node / PVC, else the worst pod of the named workload or namespace, else
 * (for dumps without a target) the worst object in the snapshot. Throws NotFoundError when a named object is absent.
 */
export function selectSubject(
  snapshot: ClusterSnapshot,
  target: DiagnosisTarget,
  alert?: NormalizedAlert,
): DiagnosisSubject {
  const inNs = (p: V1Pod) => target.namespace === undefined || podNamespace(p) === target.namespace;
  if (target.pod) {
    const pod = snapshot.pods.find((p) => podName(p) === target.pod && inNs(p));
    if (pod) return { kind: 'pod', pod };
    const siblings = target.workload ? podsOfWorkload(snapshot.pods.filter(inNs), target.workload) : [];
    const worst = pickWorst(siblings, podSeverityScore);
    if (worst) return { kind: 'pod', pod: worst };
    throw new NotFoundError(`Pod ${target.namespace ? `${target.namespace}/` : ''}${target.pod} not found`);
  }
  if (target.workload) {
    const worst = pickWorst(podsOfWorkload(snapshot.pods.filter(inNs), target.workload), podSeverityScore);
    if (worst) return { kind: 'pod', pod: worst };
    if (!target.node && !target.pvc)
      throw new NotFoundError(
        `No pods of ${target.workloadKind ?? 'workload'} ${target.namespace ? `${target.namespace}/` : ''}${target.workload} found`,
      );
  }
  if (target.pvc) {
    const pvc = snapshot.pvcs.find(
      (p) =>
        p.metadata?.name === target.pvc &&
        (target.namespace === undefined || (p.metadata?.namespace ?? 'default') === target.namespace),
    );
    if (pvc) return { kind: 'pvc', pvc };
    throw new NotFoundError(
      `PersistentVolumeClaim ${target.namespace ? `${target.namespace}/` : ''}${target.pvc} not found`,
    );
  }
  if (target.node) {
    const node = snapshot.nodes.find((n) => n.metadata?.name === target.node);
    if (node) return { kind: 'node', node };
    throw new NotFoundError(`Node ${target.node} not found`);
  }
  if (target.namespace) {
    const worst = pickWorst(snapshot.pods.filter(inNs), podSeverityScore);
    if (worst) return { kind: 'pod', pod: worst };
    if (alert) return { kind: 'alert' };
    throw new NotFoundError(`No pods in namespace ${target.namespace}`);
  }
  if (alert && !alert.concernsKubernetes) return { kind: 'alert' };
  const pod = pickWorst(snapshot.pods, podSeverityScore);
  const node = pickWorst(snapshot.nodes, (n: V1Node) => nodeProblems(n).length);
  const pvc = pickWorst(snapshot.pvcs, (p: V1PersistentVolumeClaim) => (p.status?.phase === 'Bound' ? 0 : 1));
  // A sick node explains its pods; a healthy-looking pod next to a pending claim is less telling than the claim.
  if (node && nodeProblems(node).length > 0 && (!pod || podSeverityScore(pod) < 40)) return { kind: 'node', node };
  if (pod) return { kind: 'pod', pod };
  if (pvc) return { kind: 'pvc', pvc };
  if (node) return { kind: 'node', node };
  if (alert) return { kind: 'alert' };
  throw new NotFoundError('Nothing to diagnose: no pod, node or PersistentVolumeClaim in the input');
}

function targetOf(subject: DiagnosisSubject, base: DiagnosisTarget): DiagnosisTarget {
  const t: DiagnosisTarget = { ...base };
  if (subject.kind === 'pod') {
    t.namespace = podNamespace(subject.pod);
    t.pod = podName(subject.pod);
    const w = workloadOf(subject.pod);
    if (w) {
      t.workload ??= w.name;
      t.workloadKind ??= w.kind;
    }
    if (subject.pod.spec?.nodeName) t.node ??= subject.pod.spec.nodeName;
  } else if (subject.kind === 'node') {
    t.node = subject.node.metadata?.name;
  } else if (subject.kind === 'pvc') {
    t.namespace = subject.pvc.metadata?.namespace ?? t.namespace;
    t.pvc = subject.pvc.metadata?.name;
  }
  for (const [k, v] of Object.entries(t)) if (v === undefined) delete (t as Record<string, unknown>)[k];
  return t;
}

/** Runs every applicable rule and returns the best match (ties: playbook's likely causes, then registry order). */
export function runRules(ctx: RuleContext, rules: readonly DiagnosisRule[] = DIAGNOSIS_RULES): RuleMatch {
  const likely = (PLAYBOOKS.find((p) => p.id === ctx.alert?.playbook) ?? DEFAULT_PLAYBOOK).likelyCauses;
  const matches: Array<{ m: RuleMatch; order: number }> = [];
  rules.forEach((rule, order) => {
    if (!rule.subjects.includes(ctx.subject.kind)) return;
    const m = rule.evaluate(ctx);
    if (m) matches.push({ m, order });
  });
  const rank = (cause: RootCause) => {
    const i = likely.indexOf(cause);
    return i < 0 ? likely.length : i;
  };
  matches.sort(
    (a, b) => b.m.confidence - a.m.confidence || rank(a.m.rootCause) - rank(b.m.rootCause) || a.order - b.order,
  );
  return (
    matches[0]?.m ?? {
      rootCause: 'unknown',
      confidence: 0,
      summary: 'No rule applies',
      evidence: [],
      recommendations: [],
      failingNow: false,
    }
  );
}

/** The reading of the metric the alert measured, when the diagnosis read the workload's metrics. */
function alertedReading(snapshot: ClusterSnapshot, alert: NormalizedAlert | undefined): MetricReading | undefined {
  const metric = alertedMetric(alert);
  return metric ? snapshot.metrics?.find((r) => r.metric === metric) : undefined;
}

/**
 * Whether "nothing is failing now" may be called transient. A metric alert is itself evidence: when the workload's
 * metrics were read, only the alerted metric being back inside its baseline makes the alert transient; when they were
 * looked for and could not be read (a gap), nobody knows. Other alerts (and pasted input) keep the object-state view.
 */
function healthyState(snapshot: ClusterSnapshot, alert: NormalizedAlert): Diagnosis['state'] {
  if (snapshot.metrics === undefined) return snapshot.metricsSought ? 'unknown' : 'transient';
  const r = alertedReading(snapshot, alert);
  if (!r) return snapshot.metrics.length > 0 && !alertedMetric(alert) ? 'transient' : 'unknown';
  return r.backInBaseline ? 'transient' : 'unknown';
}

function liveState(
  match: RuleMatch,
  alert: NormalizedAlert | undefined,
  snapshot: ClusterSnapshot,
): Diagnosis['state'] {
  if (alert?.condition === 'Resolved') return 'resolved';
  if (match.rootCause === 'healthy') return alert ? healthyState(snapshot, alert) : 'unknown';
  if (match.rootCause === 'unknown' || match.rootCause === 'azure_platform_event') return 'unknown';
  return match.failingNow ? 'still_failing' : 'recovered';
}

function alertEvidence(alert: NormalizedAlert): EvidenceItem[] {
  return alert.facts
    .filter((f) => !['searchQuery', 'SearchQuery', 'expression'].includes(f.name))
    .slice(0, 3)
    .map((f) => ({
      source: 'alert',
      detail: `alert ${alert.rule}: ${f.name}=${f.value}`,
      reproduce: `az monitor alert show --alert-id ${alert.alertId.split('/').pop() ?? alert.alertId}  # or the rule's query in Log Analytics`,
    }));
}

/** Diagnoses one snapshot. Throws NotFoundError when the target is not in it. */
export function diagnoseSnapshot(snapshot: ClusterSnapshot, options: DiagnoseSnapshotOptions): Diagnosis {
  const now = options.now ?? (() => new Date());
  const startedAt = options.startedAt ?? now();
  const subject = selectSubject(snapshot, options.target, options.alert);
  const referenceTime = options.alert ? new Date(options.alert.firedAt) : snapshot.observedAt;
  const ctx: RuleContext = {
    snapshot,
    subject,
    alert: options.alert,
    referenceTime,
    logTailLines: options.logTailLines ?? 100,
  };
  const match = runRules(ctx, options.rules);
  const evidence = [...match.evidence];
  if (options.alert && match.rootCause !== 'azure_platform_event') evidence.push(...alertEvidence(options.alert));
  const recommendations = [...match.recommendations];
  const state = liveState(match, options.alert, snapshot);
  const alerted = alertedReading(snapshot, options.alert);
  if (match.rootCause === 'healthy' && alerted) evidence.unshift(readingEvidence(alerted));
  const stateNote =
    state === 'recovered'
      ? ' It has recovered since.'
      : state === 'transient'
        ? alerted
          ? ` The alerted ${alerted.metric} is back inside its baseline (${formatMetricValue(alerted.window.last, alerted.unit)} against a median of ${formatMetricValue(alerted.baseline.median, alerted.unit)}): the alert looks transient.`
          : ' Nothing is failing now: the alert looks transient.'
        : match.rootCause === 'healthy' && options.alert
          ? alerted
            ? ` But the alerted ${alerted.metric} is still outside its baseline (${formatMetricValue(alerted.window.last, alerted.unit)} against a median of ${formatMetricValue(alerted.baseline.median, alerted.unit)}) with no cause found: not transient.`
            : ' The alerted metric could not be read (see the evidence gaps), so whether the alert was transient is unknown.'
          : '';
  return {
    id: options.id ?? `dg-${randomUUID()}`,
    alertId: options.alert?.alertId,
    target: targetOf(subject, options.target),
    rootCause: match.rootCause,
    ...(match.detail ? { rootCauseDetail: match.detail } : {}),
    confidence: Math.round(match.confidence * 100) / 100,
    summary: `${match.summary}.${stateNote}`.replace(/\.\./g, '.'),
    evidence,
    recommendations,
    ...(snapshot.gaps.length > 0 ? { evidenceGaps: [...snapshot.gaps] } : {}),
    state,
    firings: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
  };
}
