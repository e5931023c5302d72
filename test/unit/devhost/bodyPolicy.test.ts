import { describe, expect, it } from '@jest/globals';
import { bodyLimitFor, DEFAULT_BODY_LIMIT_BYTES, keyMatches } from '../../../dev/host/devHost.js';

describe('dev host request policy', () => {
  it('GET, HEAD, OPTIONS and DELETE carry no body; other methods take the route limit or the default', () => {
    for (const m of ['GET', 'head', 'OPTIONS', 'DELETE']) expect(bodyLimitFor(m, 'listDiagnoses')).toBe(0);
    expect(bodyLimitFor('POST', 'diagnoseNow')).toBe(DEFAULT_BODY_LIMIT_BYTES);
    expect(bodyLimitFor('POST', 'alertsWebhook', { alertsWebhook: 1024 })).toBe(1024);
  });

  it('compares keys without revealing them: equal keys match, anything else does not', () => {
    expect(keyMatches('abc', 'abc')).toBe(true);
    expect(keyMatches('abd', 'abc')).toBe(false);
    expect(keyMatches('ab', 'abc')).toBe(false);
    expect(keyMatches(undefined, 'abc')).toBe(false);
    expect(keyMatches('', '')).toBe(false);
  });
});
