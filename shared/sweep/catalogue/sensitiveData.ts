// The catalogue's sensitive data checks; shared/sweep/catalogue.ts puts every part together.
import { checkEntry, K8S, type CheckEntryOf } from './entry.js';

export const SENSITIVE_DATA_CHECKS: readonly CheckEntryOf<'sensitive-data'>[] = [
  checkEntry(
    'sensitive.configmap-credential',
    'warning',
    'sensitive-data',
    'spec',
    'Credential-like keys in a ConfigMap',
    'Readable by anyone with view access.',
    'Move to a Secret or Key Vault and rotate.',
    `${K8S}/concepts/security/secrets-good-practices/`,
  ),
  checkEntry(
    'sensitive.env-credential',
    'warning',
    'sensitive-data',
    'spec',
    'Credential-like literal env values',
    'Readable by anyone who can read the workload.',
    'valueFrom.secretKeyRef and rotate.',
    `${K8S}/concepts/security/secrets-good-practices/`,
  ),
];
