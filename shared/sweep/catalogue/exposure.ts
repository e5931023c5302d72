// The catalogue's exposure checks; shared/sweep/catalogue.ts puts every part together.
import { checkEntry, K8S, AKS, type CheckEntryOf } from './entry.js';

export const EXPOSURE_CHECKS: readonly CheckEntryOf<'exposure'>[] = [
  checkEntry(
    'exposure.load-balancer-unrestricted',
    'warning',
    'exposure',
    'spec',
    'Public LoadBalancer without source ranges',
    'Open to the internet.',
    'loadBalancerSourceRanges or internal.',
    `${AKS}/load-balancer-standard#restrict-inbound-traffic-to-specific-ip-ranges`,
  ),
  checkEntry(
    'exposure.node-port',
    'info',
    'exposure',
    'spec',
    'NodePort Service',
    'Listens on every node.',
    'ClusterIP behind an Ingress.',
    `${K8S}/concepts/services-networking/service/#type-nodeport`,
  ),
  checkEntry(
    'exposure.ingress-without-tls',
    'warning',
    'exposure',
    'spec',
    'Ingress without TLS',
    'Plain HTTP.',
    'Add spec.tls.',
    `${K8S}/concepts/services-networking/ingress/#tls`,
  ),
  checkEntry(
    'exposure.external-name-service',
    'info',
    'exposure',
    'spec',
    'ExternalName Service',
    'A DNS alias anyone editing it can redirect.',
    'Prefer explicit Endpoints.',
    `${K8S}/concepts/services-networking/service/#externalname`,
  ),
];
