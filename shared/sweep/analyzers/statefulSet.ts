// StatefulSets with too few ready replicas, or whose governing headless Service (spec.serviceName) does not exist,
// which breaks the stable network identities the pods rely on.
import type { Analyzer } from '../analyzer.js';
import { kubectlDescribe } from '../analyzer.js';
import { jsonpath } from './podHelpers.js';
import { percent, ratio, type Workload } from './workloadHelpers.js';

export const statefulSetAnalyzer: Analyzer = {
  name: 'statefulSet',
  resources: ['statefulsets', 'services'],
  start(ctx) {
    const services = new Set<string>();
    const wanted: { ns: string | undefined; name: string; serviceName: string }[] = [];
    return {
      consume(resource, obj) {
        const ns = obj.metadata?.namespace;
        const name = obj.metadata?.name ?? '(unnamed)';
        if (resource === 'services') {
          services.add(`${ns}/${name}`);
          return;
        }
        const s = obj as Workload;
        if (s.spec?.serviceName) wanted.push({ ns, name, serviceName: s.spec.serviceName });
        const desired = s.spec?.replicas ?? 1;
        const ready = s.status?.readyReplicas ?? 0;
        if (desired === 0 || ratio(ready, desired) >= ctx.settings.readyRatioThreshold) return;
        ctx.report({
          check: 'statefulset.replicas-not-ready',
          severity: ready === 0 ? 'critical' : 'warning',
          kind: 'StatefulSet',
          namespace: ns,
          name,
          message: `StatefulSet ${ns}/${name} has ${ready} of ${desired} replicas ready (status.readyReplicas, ${percent(ratio(ready, desired))}).`,
          evidence: [
            `${jsonpath('statefulset', ns, name, 'status.readyReplicas')} → ${ready}`,
            `${jsonpath('statefulset', ns, name, 'spec.replicas')} → ${desired}`,
            kubectlDescribe('statefulset', ns, name),
          ],
          remediation:
            'StatefulSets start pods in order: find the first pod that is not ready (`kubectl get pods -l <selector>`) and fix it; check its PersistentVolumeClaims are Bound.',
          docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/',
        });
      },
      finish() {
        for (const w of wanted) {
          if (services.has(`${w.ns}/${w.serviceName}`)) continue;
          ctx.report({
            check: 'statefulset.service-missing',
            severity: 'warning',
            kind: 'StatefulSet',
            namespace: w.ns,
            name: w.name,
            message: `StatefulSet ${w.ns}/${w.name} names governing Service ${w.serviceName} in spec.serviceName, but no such Service exists in namespace ${w.ns}.`,
            evidence: [
              `${jsonpath('statefulset', w.ns, w.name, 'spec.serviceName')} → ${w.serviceName}`,
              `kubectl -n ${w.ns} get service ${w.serviceName} → NotFound`,
            ],
            remediation: `Create a headless Service (clusterIP: None) named ${w.serviceName} selecting the StatefulSet's pods.`,
            docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id',
          });
        }
      },
    };
  },
};
