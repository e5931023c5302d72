// DaemonSets whose pods are missing or not ready on some nodes, or running where they should not be.
import { objectAnalyzer } from './objectAnalyzer.js';
import { jsonpath } from './podHelpers.js';
import { replicaEvidence, shortfallSeverity, type Workload } from './workloadHelpers.js';

export const daemonSetAnalyzer = objectAnalyzer<Workload>('daemonSet', 'daemonsets', (d, ns, name, ctx) => {
  const desired = d.status?.desiredNumberScheduled ?? 0;
  const ready = d.status?.numberReady ?? 0;
  const unavailable = d.status?.numberUnavailable ?? Math.max(0, desired - ready);
  const misscheduled = d.status?.numberMisscheduled ?? 0;
  if (desired > 0 && unavailable > 0) {
    ctx.report({
      check: 'daemonset.pods-unavailable',
      severity: shortfallSeverity(ready),
      kind: 'DaemonSet',
      namespace: ns,
      name,
      message: `DaemonSet ${ns}/${name} has ${unavailable} of ${desired} pods unavailable (status.numberUnavailable; ${ready} ready).`,
      evidence: replicaEvidence('daemonset', ns, name, {
        'status.numberUnavailable': unavailable,
        'status.desiredNumberScheduled': desired,
      }),
      remediation:
        'Find the nodes where its pod is not ready (`kubectl get pods -l <selector> -o wide`) and fix those pods; check tolerations for tainted node pools.',
      docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
    });
  }
  if (misscheduled > 0) {
    ctx.report({
      check: 'daemonset.misscheduled',
      severity: 'warning',
      kind: 'DaemonSet',
      namespace: ns,
      name,
      message: `DaemonSet ${ns}/${name} runs ${misscheduled} pods on nodes it should not (status.numberMisscheduled).`,
      evidence: [`${jsonpath('daemonset', ns, name, 'status.numberMisscheduled')} → ${misscheduled}`],
      remediation:
        'Check node labels and the DaemonSet nodeSelector/affinity; pods left on nodes that no longer match are removed only when those labels agree.',
      docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/',
    });
  }
});
