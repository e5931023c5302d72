// CronJobs that can never run as intended: an invalid schedule, a negative starting deadline, or suspended.
import { CronExpressionParser } from 'cron-parser';
import { objectAnalyzer } from './objectAnalyzer.js';
import { jsonpath } from './podHelpers.js';
import type { Workload } from './workloadHelpers.js';

const DOCS = 'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/';

/** Kubernetes accepts five-field cron and the @hourly-style macros; cron-parser accepts a superset. */
export function isValidKubernetesSchedule(schedule: string): boolean {
  const s = schedule.replace(/^(CRON_)?TZ=\S+\s+/, '').trim();
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(s)) return true;
  if (/^@every\s+\S+$/.test(s)) return true;
  if (s.split(/\s+/).length !== 5) return false;
  try {
    CronExpressionParser.parse(s);
    return true;
  } catch {
    return false;
  }
}

export const cronJobAnalyzer = objectAnalyzer<Workload>('cronJob', 'cronjobs', (c, ns, name, ctx) => {
  const schedule = c.spec?.schedule ?? '';
  if (!isValidKubernetesSchedule(schedule)) {
    ctx.report({
      check: 'cronjob.invalid-schedule',
      severity: 'critical',
      kind: 'CronJob',
      namespace: ns,
      name,
      message: `CronJob ${ns}/${name} has an invalid schedule "${schedule}" in spec.schedule, so it never runs.`,
      evidence: [`${jsonpath('cronjob', ns, name, 'spec.schedule')} → ${schedule}`],
      remediation:
        'Use five-field cron syntax (minute hour day-of-month month day-of-week) or a macro such as @hourly.',
      docsUrl: `${DOCS}#schedule-syntax`,
    });
  }
  const deadline = c.spec?.startingDeadlineSeconds;
  if (deadline !== undefined && deadline < 0) {
    ctx.report({
      check: 'cronjob.negative-deadline',
      severity: 'warning',
      kind: 'CronJob',
      namespace: ns,
      name,
      message: `CronJob ${ns}/${name} has a negative spec.startingDeadlineSeconds (${deadline}), so every run is considered missed.`,
      evidence: [`${jsonpath('cronjob', ns, name, 'spec.startingDeadlineSeconds')} → ${deadline}`],
      remediation: 'Remove startingDeadlineSeconds or set it to a positive number of seconds.',
      docsUrl: DOCS,
    });
  }
  if (c.spec?.suspend === true) {
    ctx.report({
      check: 'cronjob.suspended',
      severity: 'info',
      kind: 'CronJob',
      namespace: ns,
      name,
      message: `CronJob ${ns}/${name} is suspended (spec.suspend true); no new Jobs are created.`,
      evidence: [`${jsonpath('cronjob', ns, name, 'spec.suspend')} → true`],
      remediation:
        'Resume it with `kubectl patch cronjob <name> -p \'{"spec":{"suspend":false}}\'` if the suspension is not intended.',
      docsUrl: `${DOCS}#schedule-suspension`,
    });
  }
});
