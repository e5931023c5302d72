// The catalogue's deprecated APIs checks; shared/sweep/catalogue.ts puts every part together.
import { checkEntry, K8S, type CheckEntryOf } from './entry.js';

export const DEPRECATED_API_CHECKS: readonly CheckEntryOf<'deprecated-api'>[] = [
  checkEntry(
    'api.removed',
    'critical',
    'deprecated-api',
    'spec',
    'apiVersion removed in the cluster version',
    'Applying it fails.',
    'Use the replacement apiVersion.',
    `${K8S}/reference/using-api/deprecation-guide/`,
  ),
  checkEntry(
    'api.deprecated',
    'warning',
    'deprecated-api',
    'spec',
    'apiVersion deprecated',
    'It breaks on upgrade.',
    'Use the replacement apiVersion.',
    `${K8S}/reference/using-api/deprecation-guide/`,
  ),
];
