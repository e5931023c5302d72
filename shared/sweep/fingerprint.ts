import { createHash } from 'node:crypto';
import type { Finding } from './types.js';

/**
 * The identity of a finding across sweeps: what is wrong (check) with which object. Messages and evidence change
 * from sweep to sweep (restart counts, ages) and are deliberately not part of it. Cluster ids are case-insensitive
 * in ARM, so they are lower-cased first.
 */
export function fingerprintOf(f: Pick<Finding, 'clusterId' | 'check' | 'kind' | 'namespace' | 'name'>): string {
  return createHash('sha256')
    .update([f.clusterId.toLowerCase(), f.check, f.kind, f.namespace ?? '', f.name].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

/** A short, table-key-safe key for a cluster id (Table storage keys cannot contain '/'). */
export function clusterKeyOf(clusterId: string): string {
  return createHash('sha256').update(clusterId.toLowerCase()).digest('hex').slice(0, 32);
}
