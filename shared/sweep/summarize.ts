import { scoreFindings } from './score.js';
import type { Finding, SweepSummary } from './types.js';

/** Severity counts and scores of a set of findings; the lifecycle counts (new/resolved) are passed in. */
export function summarizeFindings(
  findings: readonly Finding[],
  objectsByNamespace: ReadonlyMap<string, number>,
  lifecycle: { new: number; resolved: number },
): Pick<SweepSummary, 'score' | 'namespaceScores' | 'counts'> {
  const counts = { critical: 0, warning: 0, info: 0, new: lifecycle.new, resolved: lifecycle.resolved };
  for (const f of findings) counts[f.severity]++;
  return { ...scoreFindings(findings, objectsByNamespace), counts };
}

/** A sweep id: sortable by time, unique per cluster and run, and safe as a Table storage key. */
export function newSweepId(now: Date, clusterId: string): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '').replace('T', '-').slice(0, 15);
  let h = 0;
  for (const ch of `${clusterId.toLowerCase()}|${now.getTime()}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `${stamp}-${h.toString(16).padStart(8, '0')}`;
}
