// Services with a selector whose Endpoints hold no ready address: traffic to them fails. ExternalName Services
// and Services without a selector (endpoints managed by hand) are not checked. A Service without any Endpoints
// object is not reported either: the endpoints controller always writes one, so its absence means the data is
// incomplete (or the Service is seconds old), not that the Service is broken.
import type { Analyzer } from '../analyzer.js';
import type { KubeObject } from '../../kube/objects.js';
import { endpointCounts, type EndpointCounts } from './endpointsIndex.js';

interface Service extends KubeObject {
  spec?: { type?: string; selector?: Record<string, string> };
}

export const serviceAnalyzer: Analyzer = {
  name: 'service',
  resources: ['services', 'endpoints'],
  start(ctx) {
    const selectors = new Map<string, Record<string, string>>();
    const endpoints = new Map<string, EndpointCounts>();
    return {
      consume(resource, obj) {
        const key = `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
        if (resource === 'endpoints') {
          // Leader-election locks are Endpoints objects without a Service behind them (client-go resourcelock
          // EndpointsLock, annotation control-plane.alpha.kubernetes.io/leader): never a service's endpoints.
          if (obj.metadata?.annotations?.['control-plane.alpha.kubernetes.io/leader'] !== undefined) return;
          endpoints.set(key, endpointCounts(obj));
          return;
        }
        const s = obj as Service;
        if (s.spec?.type === 'ExternalName' || !s.spec?.selector || Object.keys(s.spec.selector).length === 0) return;
        selectors.set(key, s.spec.selector);
      },
      finish() {
        for (const [key, selector] of selectors) {
          const counts = endpoints.get(key);
          if (!counts || counts.ready > 0) continue;
          const [ns = '', name = ''] = key.split('/');
          const labels = Object.entries(selector)
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
          const detail =
            counts.notReady > 0
              ? `${counts.notReady} matching pods exist but none is ready`
              : `no pod matches its selector ${labels}`;
          ctx.report({
            check: 'service.no-endpoints',
            severity: 'warning',
            kind: 'Service',
            namespace: ns,
            name,
            message: `Service ${ns}/${name} has no ready endpoints (${detail}), so connections to it fail.`,
            evidence: [
              `kubectl -n ${ns} get endpoints ${name} -o wide → ${counts.ready} ready, ${counts.notReady} not ready`,
              `kubectl -n ${ns} get pods -l ${labels}`,
            ],
            remediation:
              counts.notReady > 0
                ? 'Make the selected pods ready (see their readiness-probe findings).'
                : `Check spec.selector (${labels}) matches the labels of the pods meant to serve it, and that those pods exist.`,
            docsUrl: 'https://kubernetes.io/docs/concepts/services-networking/service/',
          });
        }
      },
    };
  },
};
