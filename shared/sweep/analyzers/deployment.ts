// Deployments with too few ready replicas (Azure's recommended alert: ready pods < 80 %) or a rollout that
// exceeded its progress deadline.
import type { Analyzer } from '../analyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { findCondition } from '../../kube/objects.js';
import { jsonpath, truncate } from './podHelpers.js';
import { percent, ratio, type Workload } from './workloadHelpers.js';

const DOCS = 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status';

export const deploymentAnalyzer: Analyzer = {
  name: 'deployment',
  resources: ['deployments'],
  start(ctx) {
    return {
      consume(_resource, obj) {
        const d = obj as Workload;
        const ns = d.metadata?.namespace;
        const name = d.metadata?.name ?? '(unnamed)';
        const desired = d.spec?.replicas ?? 1;
        const ready = d.status?.readyReplicas ?? 0;
        const progressing = findCondition(d.status?.conditions, 'Progressing');
        if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
          ctx.report({
            check: 'deployment.rollout-stuck',
            severity: 'critical',
            kind: 'Deployment',
            namespace: ns,
            name,
            message: `Deployment ${ns}/${name} rollout exceeded its progress deadline (status.conditions Progressing=False, ProgressDeadlineExceeded): ${truncate(progressing.message ?? '', 240)}`,
            evidence: [
              `${jsonpath('deployment', ns, name, 'status.conditions[?(@.type=="Progressing")]')} → ProgressDeadlineExceeded`,
              `kubectl -n ${ns} rollout status deployment/${name}`,
            ],
            remediation:
              'Find why the new pods do not become ready (see the pod findings), then fix the template or `kubectl rollout undo` to the last good revision.',
            docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#failed-deployment',
          });
        }
        if (desired === 0 || ratio(ready, desired) >= ctx.settings.readyRatioThreshold) return;
        ctx.report({
          check: 'deployment.replicas-not-ready',
          severity: ready === 0 ? 'critical' : 'warning',
          kind: 'Deployment',
          namespace: ns,
          name,
          message: `Deployment ${ns}/${name} has ${ready} of ${desired} replicas ready (status.readyReplicas, ${percent(ratio(ready, desired))}, below ${percent(ctx.settings.readyRatioThreshold)}).`,
          evidence: [
            `${jsonpath('deployment', ns, name, 'status.readyReplicas')} → ${ready}`,
            `${jsonpath('deployment', ns, name, 'spec.replicas')} → ${desired}`,
            kubectlDescribe('deployment', ns, name),
          ],
          remediation:
            "Look at the Deployment's pods (`kubectl get pods -l <selector>`) and their findings: crash loops, image pulls or scheduling usually explain missing replicas.",
          docsUrl: DOCS,
        });
      },
    };
  },
};
