// Network policies: namespaces running workloads with no NetworkPolicy at all (every pod accepts traffic from
// anywhere in the cluster), workloads no policy selects in namespaces that do use them, policies that select no
// pod, and policies that allow all ingress or egress. Semantics from
// https://kubernetes.io/docs/concepts/services-networking/network-policies/: an empty podSelector selects every pod
// of the namespace; a rule with no from/to (`- {}`) allows all peers; policyTypes defaults to Ingress, plus Egress
// when egress rules are present.
import type { Analyzer } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import { isEmptySelector, selectorMatches, type KubeObject, type LabelSelector } from '../../kube/objects.js';
import { editableTemplate, TEMPLATE_RESOURCES } from './bestPracticeHelpers.js';
import { templateId, templateRef, type TemplateId } from './podHardening.js';
import { LABELLED_RESOURCES, TemplateLabelIndex } from './templateLabels.js';

interface NetworkPolicy extends KubeObject {
  spec?: {
    podSelector?: LabelSelector;
    policyTypes?: string[];
    ingress?: { from?: unknown[] }[];
    egress?: { to?: unknown[] }[];
  };
}

const DOCS = 'https://kubernetes.io/docs/concepts/services-networking/network-policies/';

interface PolicyFacts {
  name: string;
  selector: LabelSelector | undefined;
  ingress: boolean;
  egress: boolean;
}

export const networkPolicyAnalyzer: Analyzer = {
  name: 'networkPolicy',
  resources: [...new Set([...TEMPLATE_RESOURCES, ...LABELLED_RESOURCES]), 'networkpolicies'],
  bestPractice: true,
  start(ctx) {
    const policies = new Map<string, PolicyFacts[]>();
    const workloads: { t: TemplateId; labels: Record<string, string> }[] = [];
    const templates = TemplateLabelIndex.shared(ctx, true);
    return {
      consume(resource, obj) {
        const ns = obj.metadata?.namespace ?? '';
        if (resource === 'networkpolicies') {
          const p = obj as NetworkPolicy;
          const spec = p.spec ?? {};
          const types = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
          const name = obj.metadata?.name ?? '(unnamed)';
          const facts: PolicyFacts = {
            name,
            selector: spec.podSelector,
            ingress: types.includes('Ingress'),
            egress: types.includes('Egress'),
          };
          policies.set(ns, [...(policies.get(ns) ?? []), facts]);
          const allowAll = [
            ...(facts.ingress && (spec.ingress ?? []).some((r) => (r.from ?? []).length === 0) ? ['ingress from'] : []),
            ...(facts.egress && (spec.egress ?? []).some((r) => (r.to ?? []).length === 0) ? ['egress to'] : []),
          ];
          if (allowAll.length > 0)
            ctx.report({
              check: 'netpol.allow-all',
              severity: 'info',
              kind: 'NetworkPolicy',
              namespace: obj.metadata?.namespace,
              name,
              message: `NetworkPolicy ${displayName(obj.metadata?.namespace, name)} allows all ${allowAll.join(' and all ')} any peer (a rule with no from/to), so it restricts nothing in that direction for the pods it selects.`,
              evidence: [
                `kubectl -n ${ns} get networkpolicy ${name} -o jsonpath='{.spec}' → a rule without ${allowAll.map((a) => a.split(' ')[1]).join('/')}`,
              ],
              remediation: 'Name the peers (podSelector, namespaceSelector, ipBlock) the pods must talk to.',
              docsUrl: DOCS,
            });
          return;
        }
        templates.add(resource, obj);
        const t = editableTemplate(resource, obj);
        if (t) workloads.push({ t: templateId(t), labels: t.template.metadata?.labels ?? {} });
      },
      finish() {
        const reportedNs = new Set<string>();
        for (const { t, labels } of workloads) {
          const ns = t.namespace ?? '';
          const list = policies.get(ns) ?? [];
          if (list.length === 0) {
            if (reportedNs.has(ns)) continue;
            reportedNs.add(ns);
            ctx.report({
              check: 'netpol.namespace-without-policy',
              severity: 'warning',
              kind: 'Namespace',
              name: ns,
              message: `Namespace ${ns} runs workloads (e.g. ${templateRef(t)}) but has no NetworkPolicy, so every pod in it accepts connections from any pod in the cluster.`,
              evidence: [`kubectl -n ${ns} get networkpolicies → none`],
              remediation:
                'Add a default-deny NetworkPolicy (podSelector: {}, policyTypes [Ingress, Egress]) and allow the flows each workload needs; AKS needs a network policy engine (Azure, Calico or Cilium) enabled.',
              docsUrl: 'https://learn.microsoft.com/azure/aks/use-network-policies',
            });
            continue;
          }
          const selecting = list.filter((p) => isEmptySelector(p.selector) || selectorMatches(p.selector, labels));
          const missing = [
            ...(selecting.some((p) => p.ingress) ? [] : ['ingress']),
            ...(selecting.some((p) => p.egress) ? [] : ['egress']),
          ];
          if (missing.length === 0) continue;
          ctx.report({
            check: 'netpol.pod-not-selected',
            severity: missing.length === 2 ? 'warning' : 'info',
            kind: t.kind,
            namespace: t.namespace,
            name: t.name,
            message: `${templateRef(t)}'s pods are selected by no NetworkPolicy for ${missing.join(' and ')}, although namespace ${ns} uses network policies, so that traffic is not restricted.`,
            evidence: [
              `kubectl -n ${ns} get networkpolicies -o jsonpath='{.items[*].spec.podSelector}' → none matches ${JSON.stringify(labels)} for ${missing.join('/')}`,
            ],
            remediation: `Add or widen a NetworkPolicy whose podSelector matches these pods with policyTypes ${missing.map((m) => m[0]!.toUpperCase() + m.slice(1)).join(', ')}.`,
            docsUrl: DOCS,
          });
        }
        for (const [ns, list] of policies) {
          for (const p of list) {
            if (isEmptySelector(p.selector) || templates.matches(ns, p.selector)) continue;
            ctx.report({
              check: 'netpol.selects-nothing',
              severity: 'warning',
              kind: 'NetworkPolicy',
              namespace: ns || undefined,
              name: p.name,
              message: `NetworkPolicy ${displayName(ns, p.name)} selects no pod (spec.podSelector ${JSON.stringify(p.selector)} matches no workload's pod template in ${ns}), so it has no effect.`,
              evidence: [`kubectl -n ${ns} get pods -l <spec.podSelector> → none`],
              remediation: 'Fix spec.podSelector to match the pods it is meant to protect, or delete the policy.',
              docsUrl: DOCS,
            });
          }
        }
      },
    };
  },
};
