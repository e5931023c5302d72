// Long-running containers without a readiness probe receive traffic before they can serve it, and without a
// liveness probe a hung process is never restarted. Jobs and CronJobs are exempt: they run to completion.
import type { Analyzer } from '../analyzer.js';
import { containerField, editableTemplate, TEMPLATE_RESOURCES } from './bestPracticeHelpers.js';

const DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/';

export const containerProbesAnalyzer: Analyzer = {
  name: 'containerProbes',
  resources: TEMPLATE_RESOURCES,
  bestPractice: true,
  start(ctx) {
    return {
      consume(resource, obj) {
        const t = editableTemplate(resource, obj);
        if (!t?.longRunning) return;
        const ref = `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
        const noReadiness = t.containers.filter((c) => !c.readinessProbe);
        const noLiveness = t.containers.filter((c) => !c.livenessProbe);
        if (noReadiness.length > 0) {
          ctx.report({
            check: 'bestpractice.readiness-probe-missing',
            severity: 'warning',
            kind: t.kind,
            namespace: t.namespace,
            name: t.name,
            message: `${ref} has containers without a readiness probe (readinessProbe): ${noReadiness.map((c) => c.name).join(', ')}.`,
            evidence: noReadiness.map((c) => `${containerField(t, c.name, 'readinessProbe')} → (not set)`),
            remediation:
              'Add a readinessProbe that succeeds only when the container can serve requests (an HTTP health endpoint or TCP port).',
            docsUrl: DOCS,
          });
        }
        if (noLiveness.length > 0) {
          ctx.report({
            check: 'bestpractice.liveness-probe-missing',
            severity: 'info',
            kind: t.kind,
            namespace: t.namespace,
            name: t.name,
            message: `${ref} has containers without a liveness probe (livenessProbe): ${noLiveness.map((c) => c.name).join(', ')}.`,
            evidence: noLiveness.map((c) => `${containerField(t, c.name, 'livenessProbe')} → (not set)`),
            remediation: 'Add a livenessProbe that checks only the process itself, so a hung container is restarted.',
            docsUrl: DOCS,
          });
        }
      },
    };
  },
};
