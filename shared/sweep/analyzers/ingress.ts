// Ingress wiring: the IngressClass it names must exist, and every backend Service it routes to must exist.
import type { Analyzer } from '../analyzer.js';
import type { KubeObject } from '../../kube/objects.js';
import { jsonpath } from './podHelpers.js';

interface Backend {
  service?: { name?: string; port?: { number?: number; name?: string } };
  /** extensions/v1beta1 and networking.k8s.io/v1beta1 (removed in 1.22) still appear in old manifests. */
  serviceName?: string;
}
interface Ingress extends KubeObject {
  spec?: {
    ingressClassName?: string;
    defaultBackend?: Backend;
    /** The v1beta1 name of defaultBackend. */
    backend?: Backend;
    rules?: { host?: string; http?: { paths?: { path?: string; backend?: Backend }[] } }[];
  };
}

interface Pending {
  ns: string | undefined;
  name: string;
  className?: string;
  backends: string[];
}

const DOCS = 'https://kubernetes.io/docs/concepts/services-networking/ingress/';

export const ingressAnalyzer: Analyzer = {
  name: 'ingress',
  resources: ['ingresses', 'ingressclasses', 'services'],
  start(ctx) {
    const classes = new Set<string>();
    let hasDefaultClass = false;
    const services = new Set<string>();
    const ingresses: Pending[] = [];
    return {
      consume(resource, obj) {
        const ns = obj.metadata?.namespace;
        const name = obj.metadata?.name ?? '';
        if (resource === 'ingressclasses') {
          classes.add(name);
          if (obj.metadata?.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true')
            hasDefaultClass = true;
          return;
        }
        if (resource === 'services') {
          services.add(`${ns}/${name}`);
          return;
        }
        const ing = obj as Ingress;
        const backends = new Set<string>();
        const add = (b: Backend | undefined) => {
          const service = b?.service?.name ?? b?.serviceName;
          if (service) backends.add(service);
        };
        add(ing.spec?.defaultBackend ?? ing.spec?.backend);
        for (const r of ing.spec?.rules ?? []) for (const p of r.http?.paths ?? []) add(p.backend);
        ingresses.push({
          ns,
          name,
          className: ing.spec?.ingressClassName ?? obj.metadata?.annotations?.['kubernetes.io/ingress.class'],
          backends: [...backends],
        });
      },
      finish() {
        for (const ing of ingresses) {
          if (ing.className ? !classes.has(ing.className) : !hasDefaultClass) {
            ctx.report({
              check: 'ingress.class-missing',
              severity: 'warning',
              kind: 'Ingress',
              namespace: ing.ns,
              name: ing.name,
              message: ing.className
                ? `Ingress ${ing.ns}/${ing.name} uses IngressClass ${ing.className} (spec.ingressClassName) which does not exist, so no controller serves it.`
                : `Ingress ${ing.ns}/${ing.name} names no IngressClass (spec.ingressClassName) and the cluster has no default class, so no controller serves it.`,
              evidence: [
                `${jsonpath('ingress', ing.ns, ing.name, 'spec.ingressClassName')} → ${ing.className ?? '(none)'}`,
                'kubectl get ingressclass',
              ],
              remediation:
                'Set spec.ingressClassName to an installed class (on AKS with the application routing add-on: webapprouting.kubernetes.azure.com) or install the controller.',
              docsUrl: `${DOCS}#ingress-class`,
            });
          }
          const missing = ing.backends.filter((b) => !services.has(`${ing.ns}/${b}`));
          if (missing.length === 0) continue;
          ctx.report({
            check: 'ingress.backend-missing',
            severity: 'warning',
            kind: 'Ingress',
            namespace: ing.ns,
            name: ing.name,
            message: `Ingress ${ing.ns}/${ing.name} routes to Service ${missing.join(', ')} (spec.rules[].http.paths[].backend.service.name) which does not exist in namespace ${ing.ns}.`,
            evidence: missing.map((m) => `kubectl -n ${ing.ns} get service ${m} → NotFound`),
            remediation: 'Create the Service or correct the backend service name in the Ingress.',
            docsUrl: DOCS,
          });
        }
      },
    };
  },
};
