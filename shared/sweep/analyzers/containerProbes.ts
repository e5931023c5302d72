// Long-running containers without a readiness probe receive traffic before they can serve it, and without a
// liveness probe a hung process is never restarted. Jobs and CronJobs are exempt: they run to completion.
import type { Analyzer } from '../analyzer.js';
import { containerField, templateAnalyzer } from './bestPracticeHelpers.js';

const DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/';

export const containerProbesAnalyzer: Analyzer = templateAnalyzer('containerProbes', (t, report, ref) => {
  if (!t.longRunning) return;
  const noReadiness = t.containers.filter((c) => !c.readinessProbe);
  const noLiveness = t.containers.filter((c) => !c.livenessProbe);
  if (noReadiness.length > 0) {
    report({
      check: 'bestpractice.readiness-probe-missing',
      severity: 'warning',
      message: `${ref} has containers without a readiness probe (readinessProbe): ${noReadiness.map((c) => c.name).join(', ')}.`,
      evidence: noReadiness.map((c) => `${containerField(t, c.name, 'readinessProbe')} → (not set)`),
      remediation:
        'Add a readinessProbe that succeeds only when the container can serve requests (an HTTP health endpoint or TCP port).',
      docsUrl: DOCS,
    });
  }
  if (noLiveness.length > 0) {
    report({
      check: 'bestpractice.liveness-probe-missing',
      severity: 'info',
      message: `${ref} has containers without a liveness probe (livenessProbe): ${noLiveness.map((c) => c.name).join(', ')}.`,
      evidence: noLiveness.map((c) => `${containerField(t, c.name, 'livenessProbe')} → (not set)`),
      remediation: 'Add a livenessProbe that checks only the process itself, so a hung container is restarted.',
      docsUrl: DOCS,
    });
  }
});
