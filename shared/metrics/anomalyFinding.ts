// An anomaly verdict as a finding: which workload or node, which metric, the score, the window, the baseline that
// was broken and the observed value, and the query (KQL, PromQL or the metrics REST request) that reproduces the
// series. The check id is `anomaly.<metric>`; severity, remediation and docs come from the catalogue entry.
import type { FindingDraft } from '../sweep/analyzer.js';
import type { CheckEntry } from '../sweep/catalogue.js';
import type { SeriesVerdict } from './scoreSeries.js';
import type { MetricSeries } from './types.js';

const LABELS: Record<string, string> = {
  'cpu-usage': 'CPU usage',
  'memory-working-set': 'memory working set',
  restarts: 'container restarts per minute',
  'pod-count': 'pod count',
  'pods-not-ready': 'pods not running or not ready',
  'node-cpu': 'CPU usage',
  'node-memory': 'memory working set',
  'node-disk': 'disk usage',
  'pods-pending': 'Pending pods',
  'pods-failed': 'Failed pods',
};

const SOURCES: Record<MetricSeries['source'], string> = {
  'container-insights': 'Container Insights',
  prometheus: 'managed Prometheus',
  'platform-metrics': 'AKS platform metrics',
};

/** A value in the series' unit, as a person reads it. */
export function formatValue(value: number, unit: MetricSeries['unit']): string {
  switch (unit) {
    case 'cores':
      return `${value.toFixed(value < 1 ? 3 : 2)} cores`;
    case 'bytes':
      return `${(value / 2 ** 20).toFixed(0)} MiB`;
    case 'percent':
      return `${value.toFixed(1)} %`;
    case 'seconds':
      return `${value.toFixed(3)} s`;
    case 'per-second':
      return `${value.toFixed(2)}/s`;
    case 'ratio':
      return `${(100 * value).toFixed(1)} %`;
    default:
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function subjectOf(series: MetricSeries): { kind: string; namespace?: string; name: string; display: string } {
  const s = series.subject;
  if (s.kind === 'node') return { kind: 'Node', name: s.name, display: `node ${s.name}` };
  if (s.kind === 'cluster') return { kind: 'ManagedCluster', name: s.name, display: `cluster ${s.name}` };
  const kind = s.kind === 'pod' ? 'Pod' : (s.workloadKind ?? 'Deployment');
  return { kind, namespace: s.namespace, name: s.name, display: `${kind} ${s.namespace ?? ''}/${s.name}` };
}

function referenceText(series: MetricSeries, observed: number): string | undefined {
  const ref = series.reference;
  if (!ref) return undefined;
  const parts: string[] = [];
  for (const [what, v] of [
    ['request', ref.request],
    ['limit', ref.limit],
    ['capacity', ref.capacity],
  ] as const) {
    if (v !== undefined && v > 0)
      parts.push(`${what} ${formatValue(v, series.unit)} (${((100 * observed) / v).toFixed(0)} % of it)`);
  }
  return parts.length > 0 ? parts.join(', ') : undefined;
}

export function describeVerdict(v: SeriesVerdict, entry: CheckEntry | undefined): FindingDraft {
  const { series } = v;
  const subject = subjectOf(series);
  const label = LABELS[series.metric] ?? series.metric;
  const observed = formatValue(v.observed, series.unit);
  const expected = formatValue(v.expected, series.unit);
  const direction = v.observed >= v.expected ? 'above' : 'below';
  const change =
    Math.abs(v.expected) > 1e-9 ? ` (${((100 * (v.observed - v.expected)) / Math.abs(v.expected)).toFixed(0)} %)` : '';
  const reference = referenceText(series, v.observed);
  const d = v.detail;
  const baselineKind = d.baseline.kind === 'level' ? 'level (recent level and trend)' : `${d.baseline.kind} profile`;
  return {
    check: `anomaly.${series.metric}`,
    severity: entry?.severity ?? 'warning',
    kind: subject.kind,
    namespace: subject.namespace,
    name: subject.name,
    message: `The ${label} of ${subject.display} is ${observed} at ${hhmm(v.at)} UTC, ${direction} its baseline of ${expected}${change}: anomaly score ${v.likelihood.toFixed(2)}${reference ? `; ${reference}` : ''}.`,
    evidence: [
      `score ${v.likelihood.toFixed(3)} (anomaly likelihood; findings from 0.5, a tail probability of 1e-5), driven by the ${d.driver === 'baseline' ? 'baseline' : d.driver === 'context' ? 'recent pattern' : 'new extreme'}`,
      `baseline: ${baselineKind} expected ${expected}, observed ${observed}, z ${d.baseline.z.toFixed(1)}`,
      `window: ${new Date(v.from).toISOString()} to ${new Date(v.at).toISOString()}, ${v.points} points from ${SOURCES[series.source]}`,
      `query: ${series.query}`,
    ],
    remediation: entry?.fix ?? 'Look at what changed for this workload or node around the time of the anomaly.',
    docsUrl: entry?.docsUrl,
  };
}
