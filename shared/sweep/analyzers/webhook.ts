// Admission webhooks whose backing Service is missing or has no ready endpoint. With failurePolicy Fail (the
// default) such a webhook blocks every matching create/update in the cluster, which is why it is critical.
import type { Analyzer } from '../analyzer.js';
import type { KubeObject } from '../../kube/objects.js';
import { endpointCounts, type EndpointCounts } from './endpointsIndex.js';
import { LABELLED_RESOURCES, TemplateLabelIndex, formatLabels, serviceSelector } from './templateLabels.js';

interface WebhookConfiguration extends KubeObject {
  webhooks?: {
    name: string;
    failurePolicy?: string;
    clientConfig?: { service?: { namespace?: string; name?: string }; url?: string };
  }[];
}

interface WebhookRef {
  kind: string;
  config: string;
  webhook: string;
  failurePolicy: string;
  service: string;
}

export const webhookAnalyzer: Analyzer = {
  name: 'webhook',
  resources: [
    'validatingwebhookconfigurations',
    'mutatingwebhookconfigurations',
    'services',
    'endpoints',
    ...LABELLED_RESOURCES,
  ],
  start(ctx) {
    // Service key → its selector (undefined: no selector, endpoints managed by hand).
    const services = new Map<string, Record<string, string> | undefined>();
    // Without Endpoints (a manifest set) the spec answers instead: does the Service select any pod template?
    const templates = TemplateLabelIndex.shared(ctx, false);
    const endpoints = new Map<string, EndpointCounts>();
    const refs: WebhookRef[] = [];
    return {
      consume(resource, obj) {
        if (resource !== 'endpoints' && LABELLED_RESOURCES.includes(resource)) {
          templates.add(resource, obj);
          return;
        }
        // Keyed only past the pods: a key string per pod was a measurable share of a large sweep.
        const key = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
        if (resource === 'services') {
          services.set(key, (obj.spec as { selector?: Record<string, string> } | undefined)?.selector);
          return;
        }
        if (resource === 'endpoints') {
          endpoints.set(key, endpointCounts(obj));
          return;
        }
        const kind =
          resource === 'validatingwebhookconfigurations'
            ? 'ValidatingWebhookConfiguration'
            : 'MutatingWebhookConfiguration';
        for (const w of (obj as WebhookConfiguration).webhooks ?? []) {
          const svc = w.clientConfig?.service;
          if (!svc?.name) continue;
          refs.push({
            kind,
            config: obj.metadata?.name ?? '(unnamed)',
            webhook: w.name,
            failurePolicy: w.failurePolicy ?? 'Fail',
            service: `${svc.namespace ?? 'default'}/${svc.name}`,
          });
        }
      },
      finish() {
        const byConfig = new Map<string, { ref: WebhookRef; problems: string[]; blocking: boolean }>();
        for (const ref of refs) {
          const exists = services.has(ref.service);
          const counts = endpoints.get(ref.service);
          let problem: string;
          if (!exists) problem = `webhook ${ref.webhook} calls Service ${ref.service}, which does not exist`;
          else if (counts) {
            if (counts.ready > 0) continue;
            problem = `webhook ${ref.webhook} calls Service ${ref.service}, which has no ready endpoints`;
          } else {
            // No Endpoints object (a manifest set, no live state): fall back to the spec. A Service without a
            // selector has hand-managed endpoints and cannot be judged from the spec.
            const selector = serviceSelector(services.get(ref.service));
            const [svcNs] = ref.service.split('/');
            if (!selector || templates.matches(svcNs, selector)) continue;
            problem = `webhook ${ref.webhook} calls Service ${ref.service}, whose selector ${formatLabels(selector.matchLabels)} matches no workload's pod template`;
          }
          const k = `${ref.kind}/${ref.config}`;
          const entry = byConfig.get(k) ?? { ref, problems: [], blocking: false };
          entry.problems.push(`${problem} (failurePolicy ${ref.failurePolicy})`);
          entry.blocking ||= ref.failurePolicy === 'Fail';
          byConfig.set(k, entry);
        }
        for (const { ref, problems, blocking } of byConfig.values()) {
          ctx.report({
            check: 'webhook.backend-unavailable',
            severity: blocking ? 'critical' : 'warning',
            kind: ref.kind,
            name: ref.config,
            message: `${ref.kind} ${ref.config} has no working backend: ${problems.join('; ')}.${blocking ? ' Matching API requests are rejected until it is fixed.' : ''}`,
            evidence: [
              `kubectl get ${ref.kind.toLowerCase()} ${ref.config} -o jsonpath='{.webhooks[*].clientConfig.service}'`,
              ...[...new Set(problems.map(() => ref.service))].map(
                (s) => `kubectl -n ${s.split('/')[0]} get endpoints ${s.split('/')[1]}`,
              ),
            ],
            remediation:
              'Bring the webhook service back (its deployment is often scaled to zero or crash-looping), or delete the stale webhook configuration left by an uninstalled tool.',
            docsUrl:
              'https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy',
          });
        }
      },
    };
  },
};
