// A finding's fingerprint is its identity in Table storage, in the results sink and in SARIF
// (partialFingerprints aksAiopsFinding/v1): however it is computed, the value must stay what it always was.
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { fingerprintOf } from '../../../shared/sweep/fingerprint.js';

/** The definition, computed the plain way: the first 32 hex digits of SHA-256 over the identity. */
function reference(clusterId: string, check: string, kind: string, namespace: string | undefined, name: string) {
  return createHash('sha256')
    .update([clusterId.toLowerCase(), check, kind, namespace ?? '', name].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

describe('fingerprintOf', () => {
  it.each([
    ['/subscriptions/S/resourceGroups/RG/providers/Microsoft.ContainerService/managedClusters/AKS', 'team-0001'],
    ['bench', undefined],
    ['bench', 'ns-ü→'],
  ])('is the first 32 hex digits of SHA-256 over cluster, check, kind, namespace and name (%s, %s)', (id, ns) => {
    const f = {
      clusterId: id,
      check: 'security.default-service-account',
      kind: 'Deployment',
      namespace: ns,
      name: 'svc',
    };
    expect(fingerprintOf(f)).toBe(reference(id, f.check, f.kind, ns, f.name));
    expect(fingerprintOf(f)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('pins one value, so a change of definition cannot pass unnoticed', () => {
    // Upper-case cluster id: lower-cased before hashing.
    expect(
      fingerprintOf({ clusterId: 'C', check: 'pod.crash-loop', kind: 'Pod', namespace: 'shop', name: 'web-0' }),
    ).toBe('8e2675dd07c7407696a30bb49d4e7603');
  });
});
