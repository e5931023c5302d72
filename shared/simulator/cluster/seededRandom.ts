// Deterministic randomness addressed by coordinates (seed, stream, index) instead of a running generator state, so a
// value can be recomputed for any object or any minute without replaying everything before it.

/** 32-bit avalanche hash (murmur3 finaliser) of several integers. */
export function hashInts(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    let k = Math.imul(v | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string, for turning names into hash inputs. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform in [0, 1). */
export function uniform(...values: number[]): number {
  return hashInts(...values) / 4294967296;
}

/** Standard normal (Box-Muller on two hashed uniforms). */
export function gaussian(...values: number[]): number {
  const u1 = (hashInts(...values, 0x51) + 1) / 4294967297;
  const u2 = hashInts(...values, 0x52) / 4294967296;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

const ALNUM = 'bcdfghjklmnpqrstvwxz2456789';
/** Kubernetes-style random suffix (the alphabet of utilrand.String: no vowels, no confusable digits). */
export function kubeSuffix(length: number, ...values: number[]): string {
  let out = '';
  let h = hashInts(...values);
  for (let i = 0; i < length; i++) {
    if (i % 6 === 5) h = hashInts(h, i);
    out += ALNUM[h % ALNUM.length];
    h = Math.floor(h / ALNUM.length);
  }
  return out;
}

/** pod-template-hash style: 8-10 chars from the same alphabet. */
export function templateHash(...values: number[]): string {
  return kubeSuffix(10, ...values, 0x7e);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID-shaped uid derived from a name (idempotent on UUIDs), so owner references and events agree. */
export function asUid(text: string): string {
  if (UUID.test(text)) return text;
  const hex = [
    hashInts(hashString(text), 1),
    hashInts(hashString(text), 2),
    hashInts(hashString(text), 3),
    hashInts(hashString(text), 4),
  ]
    .map((h) => h.toString(16).padStart(8, '0'))
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${'89ab'[hashString(text) % 4]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
