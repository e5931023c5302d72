import { SEVERITY_ORDER } from './analyzer.js';
import type { Finding } from './types.js';

/** Severity first, then where (namespace, kind, name), then check: a stable order to diff and store. */
export function compareFindings(a: Finding, b: Finding): number {
  return SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || compareIdentity(a, b);
}

/** Where (namespace, kind, name), then check: 0 exactly when the fingerprints are equal (same cluster). */
export function compareIdentity(
  a: Pick<Finding, 'namespace' | 'kind' | 'name' | 'check'>,
  b: Pick<Finding, 'namespace' | 'kind' | 'name' | 'check'>,
): number {
  return (
    cmp(a.namespace ?? '', b.namespace ?? '') || cmp(a.kind, b.kind) || cmp(a.name, b.name) || cmp(a.check, b.check)
  );
}

/** Equality first: most comparisons in a large sweep are between equal namespaces, kinds or names. */
function cmp(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
