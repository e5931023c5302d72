// The catalogue's access of the sweep itself checks; shared/sweep/catalogue.ts puts every part together.
import { checkEntry, AKS, type CheckEntryOf } from './entry.js';

export const ACCESS_CHECKS: readonly CheckEntryOf<'access'>[] = [
  checkEntry(
    'cluster.kube-access-denied',
    'critical',
    'access',
    'live',
    'The sweep may not list some resources',
    'Those checks did not run.',
    'Assign the named roles.',
    `${AKS}/manage-azure-rbac`,
  ),
  checkEntry(
    'cluster.kube-unauthenticated',
    'critical',
    'access',
    'live',
    'The API server refused the token',
    'Nothing was analysed.',
    'Check Entra integration.',
    `${AKS}/enable-authentication-microsoft-entra-id`,
  ),
  checkEntry(
    'cluster.arm-access-denied',
    'critical',
    'access',
    'arm',
    'ARM read denied',
    'Nothing was analysed.',
    'Assign Reader.',
    `${AKS}/control-kubeconfig-access`,
  ),
  checkEntry(
    'cluster.credentials-access-denied',
    'critical',
    'access',
    'arm',
    'Cluster credentials denied',
    'The Kubernetes API was not swept.',
    'Assign the Cluster User role.',
    `${AKS}/control-kubeconfig-access`,
  ),
];
