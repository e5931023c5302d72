// The catalogue's network policies checks; shared/sweep/catalogue.ts puts every part together.
import { checkEntry, K8S, AKS, type CheckEntryOf } from './entry.js';

export const NETWORK_POLICY_CHECKS: readonly CheckEntryOf<'network-policy'>[] = [
  checkEntry(
    'netpol.namespace-without-policy',
    'warning',
    'network-policy',
    'spec',
    'Namespace without any NetworkPolicy',
    'Every pod accepts traffic from the whole cluster.',
    'Add a default-deny policy and allow flows.',
    `${AKS}/use-network-policies`,
  ),
  checkEntry(
    'netpol.pod-not-selected',
    'warning',
    'network-policy',
    'spec',
    'Workload selected by no policy (warning for both directions, info for one)',
    'Its traffic is unrestricted.',
    'Add or widen a policy.',
    `${K8S}/concepts/services-networking/network-policies/`,
  ),
  checkEntry(
    'netpol.selects-nothing',
    'warning',
    'network-policy',
    'spec',
    'NetworkPolicy selects no pod',
    'It has no effect.',
    'Fix podSelector or delete it.',
    `${K8S}/concepts/services-networking/network-policies/`,
  ),
  checkEntry(
    'netpol.allow-all',
    'info',
    'network-policy',
    'spec',
    'Allow-all ingress or egress rule',
    'It restricts nothing in that direction.',
    'Name the peers.',
    `${K8S}/concepts/services-networking/network-policies/`,
  ),
];
