import { createHash, hash } from 'node:crypto';
import type { Finding } from './types.js';

/**
 * The identity of a finding across sweeps: what is wrong (check) with which object. Messages and evidence change
 * from sweep to sweep (restart counts, ages) and are deliberately not part of it. Cluster ids are case-insensitive
 * in ARM, so they are lower-cased first.
 */
export function fingerprintOf(f: Pick<Finding, 'clusterId' | 'check' | 'kind' | 'namespace' | 'name'>): string {
  return first32(
    hash(
      'sha256',
      `${lowerCased(f.clusterId)}\u0000${f.check}\u0000${f.kind}\u0000${f.namespace ?? ''}\u0000${f.name}`,
      'hex',
    ),
  );
}

/**
 * The first 32 of the 64 hex digits, as a flat string of its own. A plain slice would be a V8 sliced string keeping
 * the whole digest alive behind each fingerprint (a large sweep holds hundreds of thousands); a digest returned as a
 * Buffer and encoded from it costs a Buffer per finding, four times the hashing itself. Joining two halves makes a
 * rope; lower-casing it (hex digits already are lower case) flattens it and returns the flat string itself.
 */
function first32(hex: string): string {
  return (hex.slice(0, 16) + hex.slice(16, 32)).toLowerCase();
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
