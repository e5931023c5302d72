// Long-running containers without a readiness probe receive traffic before they can serve it, and without a
// liveness probe a hung process is never restarted. Jobs and CronJobs are exempt: they run to completion.
import type { Analyzer } from '../analyzer.js';
import type { Severity } from '../types.js';
import { containerField, templateAnalyzer } from './bestPracticeHelpers.js';

const DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/';

/** The two probes a long-running container should have, and what their absence costs. */
const PROBES: readonly {
  field: 'readinessProbe' | 'livenessProbe';
  label: string;
  check: string;
  severity: Severity;
  remediation: string;
}[] = [
  {
    field: 'readinessProbe',
    label: 'readiness probe',
    check: 'bestpractice.readiness-probe-missing',
    severity: 'warning',
    remediation:
      'Add a readinessProbe that succeeds only when the container can serve requests (an HTTP health endpoint or TCP port).',
  },
  {
    field: 'livenessProbe',
    label: 'liveness probe',
    check: 'bestpractice.liveness-probe-missing',
    severity: 'info',
    remediation: 'Add a livenessProbe that checks only the process itself, so a hung container is restarted.',
  },
];

export const containerProbesAnalyzer: Analyzer = templateAnalyzer('containerProbes', (t, report, ref) => {
  if (!t.longRunning) return;
  for (const probe of PROBES) {
    const missing = t.containers.filter((c) => !c[probe.field]);
    if (missing.length > 0)
      report({
        check: probe.check,
        severity: probe.severity,
        message: `${ref} has containers without a ${probe.label} (${probe.field}): ${missing.map((c) => c.name).join(', ')}.`,
        evidence: missing.map((c) => `${containerField(t, c.name, probe.field)} → (not set)`),
        remediation: probe.remediation,
        docsUrl: DOCS,
      });
  }
});
