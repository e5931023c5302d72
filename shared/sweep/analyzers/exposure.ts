// Exposure: Services reachable from outside the cluster without a restriction (a public LoadBalancer without
// loadBalancerSourceRanges, NodePorts), Ingresses serving plain HTTP (no spec.tls), and ExternalName Services
// (a DNS alias to any name, the CVE-2021-25740 pattern). The AKS load balancer honours
// service.beta.kubernetes.io/azure-load-balancer-internal "true" (private IP) and loadBalancerSourceRanges
// (https://learn.microsoft.com/azure/aks/load-balancer-standard#restrict-inbound-traffic-to-specific-ip-ranges).
import type { Analyzer } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import type { KubeObject } from '../../kube/objects.js';
import { jsonpath } from './podHelpers.js';

interface ServiceSpec {
  type?: string;
  loadBalancerSourceRanges?: string[];
  externalName?: string;
  ports?: { port?: number; nodePort?: number }[];
}

export const exposureAnalyzer: Analyzer = {
  name: 'exposure',
  resources: ['services', 'ingresses'],
  bestPractice: true,
  start(ctx) {
    return {
      consume(resource, obj: KubeObject) {
        const ns = obj.metadata?.namespace;
        const name = obj.metadata?.name ?? '(unnamed)';
        if (resource === 'ingresses') {
          const spec = obj.spec as { tls?: unknown[]; rules?: { host?: string }[] } | undefined;
          if ((spec?.tls ?? []).length > 0) return;
          ctx.report({
            check: 'exposure.ingress-without-tls',
            severity: 'warning',
            kind: 'Ingress',
            namespace: ns,
            name,
            message: `Ingress ${displayName(ns, name)} has no spec.tls, so ${
              (spec?.rules ?? [])
                .map((r) => r.host)
                .filter(Boolean)
                .join(', ') || 'its hosts'
            } are served over plain HTTP.`,
            evidence: [`${jsonpath('ingress', ns, name, 'spec.tls')} → (unset)`],
            remediation:
              'Add spec.tls with a certificate (the application routing add-on can use Key Vault certificates; cert-manager can issue them).',
            docsUrl: 'https://kubernetes.io/docs/concepts/services-networking/ingress/#tls',
          });
          return;
        }
        const spec = (obj.spec ?? {}) as ServiceSpec;
        const base = { kind: 'Service', namespace: ns, name };
        if (spec.type === 'LoadBalancer') {
          const internal =
            obj.metadata?.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'] === 'true';
          if (internal || (spec.loadBalancerSourceRanges ?? []).length > 0) return;
          ctx.report({
            ...base,
            check: 'exposure.load-balancer-unrestricted',
            severity: 'warning',
            message: `Service ${displayName(ns, name)} is a public LoadBalancer open to every address (no spec.loadBalancerSourceRanges, not internal).`,
            evidence: [`${jsonpath('service', ns, name, 'spec.loadBalancerSourceRanges')} → (unset)`],
            remediation:
              'Set spec.loadBalancerSourceRanges to the client ranges, or make it internal (annotation service.beta.kubernetes.io/azure-load-balancer-internal: "true") behind an ingress or Application Gateway.',
            docsUrl:
              'https://learn.microsoft.com/azure/aks/load-balancer-standard#restrict-inbound-traffic-to-specific-ip-ranges',
          });
        } else if (spec.type === 'NodePort') {
          ctx.report({
            ...base,
            check: 'exposure.node-port',
            severity: 'info',
            message: `Service ${displayName(ns, name)} is a NodePort: it listens on every node (ports ${(spec.ports ?? []).map((p) => p.nodePort ?? 'auto').join(', ')}) and bypasses ingress controls.`,
            evidence: [`${jsonpath('service', ns, name, 'spec.type')} → NodePort`],
            remediation: 'Use a ClusterIP Service behind an Ingress, or an internal LoadBalancer.',
            docsUrl: 'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport',
          });
        } else if (spec.type === 'ExternalName') {
          ctx.report({
            ...base,
            check: 'exposure.external-name-service',
            severity: 'info',
            message: `Service ${displayName(ns, name)} is an ExternalName alias for ${spec.externalName ?? '(unset)'}: in-cluster clients follow it anywhere, and whoever edits it can redirect their traffic.`,
            evidence: [`${jsonpath('service', ns, name, 'spec.externalName')} → ${spec.externalName ?? ''}`],
            remediation:
              'Prefer a Service with explicit Endpoints, and restrict who may edit Services in this namespace.',
            docsUrl: 'https://kubernetes.io/docs/concepts/services-networking/service/#externalname',
          });
        }
      },
    };
  },
};
