// StatefulSets with too few ready replicas (live state only), or whose governing Service (spec.serviceName) is
// missing, not headless, or does not select the StatefulSet's pods: the stable network identities
// (<pod>.<service>.<ns>.svc) the pods rely on come from a headless Service that selects them
// (https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id).
import type { Analyzer } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import { selectorMatches } from '../../kube/objects.js';
import { jsonpath } from './podHelpers.js';
import { formatLabels } from './templateLabels.js';
import { hasLiveStatus, percent, ratio, replicaEvidence, replicaShortfall, type Workload } from './workloadHelpers.js';

const DOCS_ID = 'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#stable-network-id';

interface ServiceFacts {
  headless: boolean;
  selector?: Record<string, string>;
}

export const statefulSetAnalyzer: Analyzer = {
  name: 'statefulSet',
  resources: ['statefulsets', 'services'],
  start(ctx) {
    const services = new Map<string, ServiceFacts>();
    const wanted: { ns: string | undefined; name: string; serviceName: string; labels: Record<string, string> }[] = [];
    return {
      consume(resource, obj) {
        const ns = obj.metadata?.namespace;
        const name = obj.metadata?.name ?? '(unnamed)';
        if (resource === 'services') {
          const spec = obj.spec as { clusterIP?: string; selector?: Record<string, string> } | undefined;
          services.set(`${ns}/${name}`, { headless: spec?.clusterIP === 'None', selector: spec?.selector });
          return;
        }
        const s = obj as Workload;
        if (s.spec?.serviceName)
          wanted.push({ ns, name, serviceName: s.spec.serviceName, labels: s.spec.template?.metadata?.labels ?? {} });
        if (!hasLiveStatus(s)) return;
        const desired = s.spec?.replicas ?? 1;
        const ready = s.status?.readyReplicas ?? 0;
        const severity = replicaShortfall(ready, desired, ctx.settings);
        if (!severity) return;
        ctx.report({
          check: 'statefulset.replicas-not-ready',
          severity,
          kind: 'StatefulSet',
          namespace: ns,
          name,
          message: `StatefulSet ${displayName(ns, name)} has ${ready} of ${desired} replicas ready (status.readyReplicas, ${percent(ratio(ready, desired))}).`,
          evidence: replicaEvidence('statefulset', ns, name, {
            'status.readyReplicas': ready,
            'spec.replicas': desired,
          }),
          remediation:
            'StatefulSets start pods in order: find the first pod that is not ready (`kubectl get pods -l <selector>`) and fix it; check its PersistentVolumeClaims are Bound.',
          docsUrl: 'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/',
        });
      },
      finish() {
        for (const w of wanted) {
          const svc = services.get(`${w.ns}/${w.serviceName}`);
          const base = { kind: 'StatefulSet', namespace: w.ns, name: w.name, docsUrl: DOCS_ID };
          const ref = `StatefulSet ${displayName(w.ns, w.name)}`;
          if (!svc) {
            ctx.report({
              ...base,
              check: 'statefulset.service-missing',
              severity: 'warning',
              message: `${ref} names governing Service ${w.serviceName} in spec.serviceName, but no such Service exists in namespace ${w.ns ?? 'default'}.`,
              evidence: [
                `${jsonpath('statefulset', w.ns, w.name, 'spec.serviceName')} → ${w.serviceName}`,
                `kubectl -n ${w.ns} get service ${w.serviceName} → NotFound`,
              ],
              remediation: `Create a headless Service (clusterIP: None) named ${w.serviceName} selecting the StatefulSet's pods.`,
            });
            continue;
          }
          if (!svc.headless) {
            ctx.report({
              ...base,
              check: 'statefulset.service-not-headless',
              severity: 'warning',
              message: `${ref} names governing Service ${w.serviceName} (spec.serviceName), which is not headless (spec.clusterIP is not None), so its pods get no stable DNS names.`,
              evidence: [`${jsonpath('service', w.ns, w.serviceName, 'spec.clusterIP')} → not None`],
              remediation: `Make ${w.serviceName} headless (clusterIP: None; the field cannot be changed in place, recreate the Service) and use a second Service for load-balanced access.`,
            });
          }
          if (!svc.selector || !selectorMatches({ matchLabels: svc.selector }, w.labels)) {
            ctx.report({
              ...base,
              check: 'statefulset.service-selector-mismatch',
              severity: 'warning',
              message: `${ref}'s governing Service ${w.serviceName} does not select its pods (Service selector ${formatLabels(svc.selector) || '(none)'}, pod template labels ${formatLabels(w.labels) || '(none)'}), so the pods get no DNS records.`,
              evidence: [
                `${jsonpath('service', w.ns, w.serviceName, 'spec.selector')} → ${JSON.stringify(svc.selector ?? {})}`,
                `${jsonpath('statefulset', w.ns, w.name, 'spec.template.metadata.labels')} → ${JSON.stringify(w.labels)}`,
              ],
              remediation: `Set the selector of Service ${w.serviceName} to labels of the StatefulSet's pod template.`,
            });
          }
        }
      },
    };
  },
};
