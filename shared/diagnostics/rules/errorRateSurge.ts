// error_rate_surge: the workload's share of 5xx responses rose far above its baseline (scored by the anomaly
// detector) while its pods stay up. The log lines that show the errors are counted and quoted: the pods' current
// logs (Kubernetes API) and Container insights' ContainerLogV2 when a workspace is configured. When latency rose as
// well, the errors are likely timeouts of a slow dependency and this rule steps back.
import type { EvidenceItem } from '../types.js';
import type { DiagnosisRule, RuleMatch } from './ruleTypes.js';
import { alertIsAbout, formatMetricValue, reading, readingEvidence, risen, risenMetricRule } from './metricFacts.js';

/** An HTTP 5xx or an error-level line. */
const ERROR_LOG_LINE = /\b(?:5\d\d|ERROR|FATAL|panic|exception)\b/;
/** Timestamps, ids and numbers vary between otherwise identical lines. */
const normalise = (line: string) =>
  line
    .replace(/^\S*\d{4}-\d{2}-\d{2}T\S+\s*/, '')
    .replace(/\b[0-9a-f]{8,}\b/gi, '<id>')
    .trim();

export const errorRateSurgeRule: DiagnosisRule = risenMetricRule(
  'error_rate_surge',
  'error-rate',
  (errors, ctx, { ns, name, label: subject }): RuleMatch | undefined => {
    // Count identical error lines across the workload's pods; quote the most frequent ones.
    const counts = new Map<string, { count: number; example: string; pod: string; container: string }>();
    for (const log of ctx.snapshot.logs) {
      if (!log.pod.startsWith(`${name}-`) || (ns !== undefined && log.namespace !== ns)) continue;
      for (const line of log.lines) {
        if (!ERROR_LOG_LINE.test(line)) continue;
        const key = normalise(line);
        const entry = counts.get(key) ?? { count: 0, example: line, pod: log.pod, container: log.container };
        entry.count += 1;
        counts.set(key, entry);
      }
    }
    const top = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, 3);
    const total = [...counts.values()].reduce((n, e) => n + e.count, 0);
    const history = ctx.snapshot.history.filter(
      (h) => h.kind === 'errorLogs' && (h.pod ?? '').startsWith(`${name}-`) && (ns === undefined || h.namespace === ns),
    );
    const evidence: EvidenceItem[] = [
      readingEvidence(errors),
      ...top.map((e) => ({
        source: 'logs',
        detail: `${e.count}× in the log tail of ${e.pod} (${e.container}): "${e.example.slice(0, 400)}"`,
        reproduce: `kubectl logs ${e.pod} -n ${ns ?? 'default'} -c ${e.container} --tail=${ctx.logTailLines} | grep -E '\\b5[0-9]{2}\\b|ERROR'`,
      })),
      ...history.slice(0, 3).map((h) => ({ source: 'log-analytics', detail: h.detail, reproduce: h.reproduce })),
    ];
    const latencyRose = risen(reading(ctx, 'latency-p95'));
    const withLogs = top.length > 0 || history.length > 0;
    const requests = reading(ctx, 'request-rate');
    return {
      rootCause: 'error_rate_surge',
      confidence: latencyRose
        ? 0.72
        : Math.min(0.92, 0.82 + (withLogs ? 0.06 : 0) + (alertIsAbout(ctx, 'error-rate') ? 0.02 : 0)),
      summary:
        `The 5xx ratio of ${subject} rose to ${formatMetricValue(errors.window.peak, 'ratio')} (baseline ${formatMetricValue(errors.baseline.median, 'ratio')})` +
        `${requests ? ` of ${formatMetricValue(requests.window.last, 'per-second')} requests` : ''}` +
        `${total > 0 ? `; ${total} error lines in the pods' logs` : ''}` +
        `${latencyRose ? '; latency rose too, so the errors may be timeouts' : ''}`,
      evidence,
      recommendations: [
        top[0]
          ? `Start from the most frequent error: "${normalise(top[0].example).slice(0, 200)}" (${top[0].count}× in ${top[0].pod}); check the dependency or code path it names and what changed at ${errors.window.from}.`
          : `Read the logs of ${subject} from ${errors.window.from} on for the failing requests (\`kubectl logs -l app=${name} -n ${ns ?? 'default'}\`, or ContainerLogV2 in Container insights).`,
        `If a release preceded ${errors.window.from}, roll it back (\`kubectl rollout history deployment/${name} -n ${ns ?? 'default'}\` lists the revisions).`,
      ],
      failingNow: !errors.backInBaseline,
    };
  },
);
