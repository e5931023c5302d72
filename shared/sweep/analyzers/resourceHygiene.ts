// Resource declarations beyond CPU/memory requests and the memory limit (bestpractice.requests-missing,
// bestpractice.memory-limit-missing): ephemeral storage (a pod that fills the node's disk is evicted, with
// everything else on the node under DiskPressure), requests different from limits (Burstable QoS: information, the
// pod is among the first evicted under memory pressure), and a CPU limit. Peers disagree on CPU limits (kube-score
// and Polaris ask for them, throttling makes many teams drop them), so resources.cpu-limit-missing is opt-in.
// https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage
// https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
import type { Analyzer } from '../analyzer.js';
import { containerField, templateAnalyzer, type TemplateFinding } from './bestPracticeHelpers.js';

const DOCS = 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/';

export const resourceHygieneAnalyzer: Analyzer = templateAnalyzer('resourceHygiene', (t, report, ref) => {
  if (t.containers.length === 0) return;
  const reportDoc = (f: Omit<TemplateFinding, 'docsUrl'>) => report({ docsUrl: DOCS, ...f });
  const noEphemeral = t.containers.filter(
    (c) =>
      c.resources?.requests?.['ephemeral-storage'] === undefined ||
      c.resources?.limits?.['ephemeral-storage'] === undefined,
  );
  if (noEphemeral.length > 0)
    reportDoc({
      check: 'resources.ephemeral-storage-missing',
      severity: 'info',
      message: `${ref} declares no ephemeral-storage request and limit for ${noEphemeral.map((c) => c.name).join(', ')}: logs and scratch files are not accounted for, and a container that fills the node's disk gets every pod on it evicted.`,
      evidence: noEphemeral.map(
        (c) => `${containerField(t, c.name, 'resources')} → ${JSON.stringify(c.resources ?? {})}`,
      ),
      remediation: 'Set resources.requests and resources.limits ephemeral-storage (e.g. 1Gi/2Gi).',
    });
  const burstable = t.containers.filter((c) => {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    return ['cpu', 'memory'].some((r) => lim[r] === undefined || (req[r] !== undefined && req[r] !== lim[r]));
  });
  if (burstable.length > 0)
    reportDoc({
      check: 'resources.requests-not-equal-limits',
      severity: 'info',
      message: `${ref} sets requests different from limits (or no limits) for ${burstable.map((c) => c.name).join(', ')}, so its pods are not in the Guaranteed QoS class and are evicted before Guaranteed pods under node pressure.`,
      evidence: burstable.map(
        (c) => `${containerField(t, c.name, 'resources')} → ${JSON.stringify(c.resources ?? {})}`,
      ),
      remediation: 'Set limits equal to requests for CPU and memory if this workload must survive node pressure.',
    });
  const noCpuLimit = t.containers.filter((c) => c.resources?.limits?.cpu === undefined);
  if (noCpuLimit.length > 0)
    reportDoc({
      check: 'resources.cpu-limit-missing',
      severity: 'warning',
      message: `${ref} sets no CPU limit for ${noCpuLimit.map((c) => c.name).join(', ')} (your policy asks for one: this check is opt-in).`,
      evidence: noCpuLimit.map((c) => `${containerField(t, c.name, 'resources.limits.cpu')} → (unset)`),
      remediation: 'Set resources.limits.cpu, or disable this check if your policy is to leave CPU unthrottled.',
    });
});
