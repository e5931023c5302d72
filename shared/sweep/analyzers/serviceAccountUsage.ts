// Which identity pods run as: the namespace's "default" ServiceAccount (shared by everything that names none, so
// any role bound to it is granted to all of them), a ServiceAccount that does not exist (the pods are never
// created: the ServiceAccount admission plugin rejects them), and API tokens mounted into pods that may never call
// the API (info only: only the owner knows whether the pod talks to the API server).
// https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts
import type { Analyzer } from '../analyzer.js';
import type { KubeObject } from '../../kube/objects.js';
import { editableTemplate, TEMPLATE_RESOURCES } from './bestPracticeHelpers.js';
import { templateField, templateId, templateRef, type TemplateId } from './podHardening.js';
import type { PodSpecFull } from './specTypes.js';

const DOCS = 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/';

export const serviceAccountUsageAnalyzer: Analyzer = {
  name: 'serviceAccountUsage',
  resources: [...TEMPLATE_RESOURCES, 'serviceaccounts'],
  bestPractice: true,
  start(ctx) {
    const accounts = new Map<string, { automount?: boolean }>();
    const namespacesWithAccounts = new Set<string>();
    const templates: { t: TemplateId; account: string; automount?: boolean }[] = [];
    return {
      consume(resource, obj: KubeObject) {
        if (resource === 'serviceaccounts') {
          const ns = obj.metadata?.namespace ?? '';
          accounts.set(`${ns}/${obj.metadata?.name ?? ''}`, {
            automount: (obj as { automountServiceAccountToken?: boolean }).automountServiceAccountToken,
          });
          namespacesWithAccounts.add(ns);
          return;
        }
        const t = editableTemplate(resource, obj);
        if (!t) return;
        const spec = t.template.spec as PodSpecFull;
        templates.push({
          t: templateId(t),
          account: spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
          automount: spec.automountServiceAccountToken,
        });
      },
      finish() {
        for (const { t, account, automount } of templates) {
          const ns = t.namespace ?? '';
          const ref = templateRef(t);
          const base = { kind: t.kind, namespace: t.namespace, name: t.name, docsUrl: DOCS };
          const sa = accounts.get(`${ns}/${account}`);
          // The pod's field wins over the ServiceAccount's (kubelet / ServiceAccount admission); default is to mount.
          const mounted = automount ?? sa?.automount ?? true;
          if (account === 'default') {
            // One finding per cause: on the default account the mounted token is part of this finding (the fix,
            // a dedicated account, comes first); security.service-account-token-mounted speaks for the others.
            ctx.report({
              ...base,
              check: 'security.default-service-account',
              severity: 'warning',
              message: `${ref} runs as the namespace's "default" ServiceAccount (no spec.serviceAccountName): every permission granted to it is shared by all pods that name none${mounted ? ', and its API token is mounted into the pods' : ''}.`,
              evidence: [`${templateField(t, 'serviceAccountName')} → (unset: default)`],
              remediation:
                'Create a ServiceAccount for this workload and set serviceAccountName (with automountServiceAccountToken: false unless it calls the API).',
            });
          } else if (namespacesWithAccounts.has(ns) && !sa) {
            ctx.report({
              ...base,
              check: 'security.service-account-missing',
              severity: 'critical',
              message: `${ref} runs as ServiceAccount ${account} (spec.serviceAccountName), which does not exist in namespace ${ns}: the API server refuses to create its pods.`,
              evidence: [
                `${templateField(t, 'serviceAccountName')} → ${account}`,
                `kubectl -n ${ns} get serviceaccount ${account} → NotFound`,
              ],
              remediation: `Create ServiceAccount ${account} in ${ns}, or fix spec.serviceAccountName.`,
            });
          }
          if (mounted && account !== 'default')
            ctx.report({
              ...base,
              check: 'security.service-account-token-mounted',
              severity: 'info',
              message: `${ref} gets an API token mounted (automountServiceAccountToken not false on the pod or ServiceAccount ${account}); if it never calls the Kubernetes API, the token only helps an intruder.`,
              evidence: [`${templateField(t, 'automountServiceAccountToken')} → ${String(automount ?? '(unset)')}`],
              remediation:
                'Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless it calls the API.',
            });
        }
      },
    };
  },
};
