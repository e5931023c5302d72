// Changed-only finding writes. A fleet sweep finds mostly the same findings as the period before; rewriting every
// open finding every 15 minutes costs one Table transaction per 100 findings per cluster for nothing. An entry of
// the lifecycle merge is written when it is new, changed state (new → open, resolved, regressed), changed content
// (severity, message, evidence, remediation, links), or when its stored copy is older than the full-refresh
// interval (SWEEP_FULL_REFRESH_HOURS): then `lastSeen` and `count` in Table storage are brought up to date. Between
// refreshes those two stored fields trail by up to that interval; the Log Analytics rows and the sweep summary of
// every sweep carry the exact values.
import type { StoredFinding } from './lifecycle.js';

const CONTENT: ReadonlyArray<keyof StoredFinding> = [
  'state',
  'severity',
  'kind',
  'namespace',
  'name',
  'message',
  'remediation',
  'docsUrl',
  'resolvedAt',
  'firstSeen',
];

function sameContent(a: StoredFinding, b: StoredFinding): boolean {
  if (CONTENT.some((k) => a[k] !== b[k])) return false;
  return a.evidence.length === b.evidence.length && a.evidence.every((e, i) => e === b.evidence[i]);
}

export function findingsToWrite(
  stored: readonly StoredFinding[],
  changed: readonly StoredFinding[],
  options: { now: string; fullRefreshMs: number },
): StoredFinding[] {
  const previous = new Map(stored.map((s) => [s.fingerprint, s]));
  const nowMs = Date.parse(options.now);
  return changed.filter((next) => {
    const prev = previous.get(next.fingerprint);
    if (!prev || !sameContent(prev, next)) return true;
    return nowMs - Date.parse(prev.lastSeen) >= options.fullRefreshMs;
  });
}
