// Containers without CPU/memory requests (the scheduler cannot place them sensibly, HPA cannot compute
// utilisation, and they are first to be evicted) or without a memory limit (one leak can starve the node).
// CPU limits are deliberately not required: they cause throttling and many AKS guides advise against them.
import type { Analyzer } from '../analyzer.js';
import { containerField, templateAnalyzer } from './bestPracticeHelpers.js';

const DOCS = 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/';

export const containerResourcesAnalyzer: Analyzer = templateAnalyzer('containerResources', (t, report, ref) => {
  const noRequests = t.containers.filter((c) => !c.resources?.requests?.cpu || !c.resources.requests.memory);
  const noMemoryLimit = t.containers.filter((c) => !c.resources?.limits?.memory);
  if (noRequests.length > 0) {
    report({
      check: 'bestpractice.requests-missing',
      severity: 'warning',
      message: `${ref} has containers without CPU or memory requests (resources.requests): ${noRequests.map((c) => c.name).join(', ')}.`,
      evidence: noRequests.map(
        (c) => `${containerField(t, c.name, 'resources.requests')} → ${JSON.stringify(c.resources?.requests ?? {})}`,
      ),
      remediation:
        'Set resources.requests.cpu and resources.requests.memory to the typical usage of each container (see `kubectl top pod` or Container Insights).',
      docsUrl: DOCS,
    });
  }
  if (noMemoryLimit.length > 0) {
    report({
      check: 'bestpractice.memory-limit-missing',
      severity: 'warning',
      message: `${ref} has containers without a memory limit (resources.limits.memory): ${noMemoryLimit.map((c) => c.name).join(', ')}.`,
      evidence: noMemoryLimit.map(
        (c) => `${containerField(t, c.name, 'resources.limits')} → ${JSON.stringify(c.resources?.limits ?? {})}`,
      ),
      remediation:
        'Set resources.limits.memory above the peak working set of each container so a leak is contained to that container.',
      docsUrl: DOCS,
    });
  }
});
