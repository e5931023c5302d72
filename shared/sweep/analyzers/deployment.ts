// Deployments with too few ready replicas (Azure's recommended alert: ready pods < 80 %) or a rollout that
// exceeded its progress deadline.
import { objectAnalyzer } from './objectAnalyzer.js';
import { displayName } from '../analyzer.js';
import { findCondition } from '../../kube/objects.js';
import { jsonpath, truncate } from './podHelpers.js';
import { hasLiveStatus, percent, ratio, replicaEvidence, replicaShortfall, type Workload } from './workloadHelpers.js';

const DOCS = 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status';

export const deploymentAnalyzer = objectAnalyzer<Workload>('deployment', 'deployments', (d, ns, name, ctx) => {
  // A manifest (helm template, a GitOps repo) has no status: replica counts are live state, not checked then.
  if (!hasLiveStatus(d)) return;
  const desired = d.spec?.replicas ?? 1;
  // Zero counts are omitted from status (omitempty). A replica serves only once available (ready for
  // minReadySeconds), so the lower of ready and available is what serves.
  const readyCount = d.status?.readyReplicas ?? 0;
  const available = d.status?.availableReplicas ?? 0;
  const ready = Math.min(readyCount, available);
  const progressing = findCondition(d.status?.conditions, 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    ctx.report({
      check: 'deployment.rollout-stuck',
      severity: 'critical',
      kind: 'Deployment',
      namespace: ns,
      name,
      message: `Deployment ${displayName(ns, name)} rollout exceeded its progress deadline (status.conditions Progressing=False, ProgressDeadlineExceeded): ${truncate(progressing.message ?? '', 240)}`,
      evidence: [
        `${jsonpath('deployment', ns, name, 'status.conditions[?(@.type=="Progressing")]')} → ProgressDeadlineExceeded`,
        `kubectl -n ${ns} rollout status deployment/${name}`,
      ],
      remediation:
        'Find why the new pods do not become ready (see the pod findings), then fix the template or `kubectl rollout undo` to the last good revision.',
      docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#failed-deployment',
    });
  }
  const severity = replicaShortfall(ready, desired, ctx.settings);
  if (!severity) return;
  ctx.report({
    check: 'deployment.replicas-not-ready',
    severity,
    kind: 'Deployment',
    namespace: ns,
    name,
    message: `Deployment ${displayName(ns, name)} has ${ready} of ${desired} replicas ready and available (status.readyReplicas ${readyCount}, status.availableReplicas ${available}; ${percent(ratio(ready, desired))}, below ${percent(ctx.settings.readyRatioThreshold)}).`,
    evidence: replicaEvidence('deployment', ns, name, {
      'status.readyReplicas': readyCount,
      'status.availableReplicas': available,
      'spec.replicas': desired,
    }),
    remediation:
      "Look at the Deployment's pods (`kubectl get pods -l <selector>`) and their findings: crash loops, image pulls or scheduling usually explain missing replicas.",
    docsUrl: DOCS,
  });
});
