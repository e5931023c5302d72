import { createHash, hash } from 'node:crypto';
import type { Finding } from './types.js';

/**
 * The identity of a finding across sweeps: what is wrong (check) with which object. Messages and evidence change
 * from sweep to sweep (restart counts, ages) and are deliberately not part of it. Cluster ids are case-insensitive
 * in ARM, so they are lower-cased first.
 */
export function fingerprintOf(f: Pick<Finding, 'clusterId' | 'check' | 'kind' | 'namespace' | 'name'>): string {
  // One-shot hash (no Hash object per finding), and the 32 hex digits encoded directly: slicing a 64-digit string
  // would keep the whole of it alive behind each fingerprint (V8 sliced strings).
  return hash(
    'sha256',
    `${lowerCased(f.clusterId)}\u0000${f.check}\u0000${f.kind}\u0000${f.namespace ?? ''}\u0000${f.name}`,
    'buffer',
  ).toString('hex', 0, 16);
}

/** The cluster id lower-cased, remembered: a sweep fingerprints hundreds of thousands of findings of one cluster. */
let lastId = '';
let lastLower = '';
function lowerCased(clusterId: string): string {
  if (clusterId !== lastId) {
    lastId = clusterId;
    lastLower = clusterId.toLowerCase();
  }
  return lastLower;
}

/** A short, table-key-safe key for a cluster id (Table storage keys cannot contain '/'). */
export function clusterKeyOf(clusterId: string): string {
  return createHash('sha256').update(clusterId.toLowerCase()).digest('hex').slice(0, 32);
}
