// Spec-level stand-in for service.no-endpoints: a Service whose selector matches no pod template. Used only for
// Services that have no Endpoints object, i.e. a manifest set (helm template, a GitOps repo) without live state;
// on a live cluster the endpoints controller writes one for every selector Service and service.no-endpoints
// answers from it.
import type { Analyzer } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import { jsonpath } from './podHelpers.js';
import { LABELLED_RESOURCES, TemplateLabelIndex, formatLabels, serviceSelector } from './templateLabels.js';

export const serviceSelectorAnalyzer: Analyzer = {
  name: 'serviceSelector',
  resources: ['services', 'endpoints', ...LABELLED_RESOURCES],
  start(ctx) {
    const templates = TemplateLabelIndex.shared(ctx, false);
    const withEndpoints = new Set<string>();
    const services: { ns: string | undefined; name: string; selector: Record<string, string> }[] = [];
    return {
      consume(resource, obj) {
        const ns = obj.metadata?.namespace;
        const name = obj.metadata?.name ?? '(unnamed)';
        if (resource === 'endpoints') {
          withEndpoints.add(`${ns}/${name}`);
        } else if (resource === 'services') {
          const spec = obj.spec as { type?: string; selector?: Record<string, string> } | undefined;
          if (spec?.type === 'ExternalName' || !serviceSelector(spec?.selector)) return;
          services.push({ ns, name, selector: spec!.selector! });
        } else templates.add(resource, obj);
      },
      finish() {
        for (const s of services) {
          if (withEndpoints.has(`${s.ns}/${s.name}`)) continue;
          if (templates.matches(s.ns, serviceSelector(s.selector))) continue;
          const labels = formatLabels(s.selector);
          ctx.report({
            check: 'service.selector-matches-nothing',
            severity: 'warning',
            kind: 'Service',
            namespace: s.ns,
            name: s.name,
            message: `Service ${displayName(s.ns, s.name)} selects ${labels} (spec.selector), but no workload's pod template or pod in namespace ${s.ns ?? 'default'} carries those labels, so it will have no endpoints.`,
            evidence: [
              `${jsonpath('service', s.ns, s.name, 'spec.selector')} → ${JSON.stringify(s.selector)}`,
              `kubectl${s.ns ? ` -n ${s.ns}` : ''} get deploy,sts,ds,pods -l ${labels} → none`,
            ],
            remediation: `Make spec.selector (${labels}) match the pod template labels of the workload meant to serve it, or add that workload.`,
            docsUrl: 'https://kubernetes.io/docs/concepts/services-networking/service/#defining-a-service',
          });
        }
      },
    };
  },
};
