// The findings lifecycle across sweeps, as a pure merge of what was stored with what this sweep found:
//  - seen for the first time (or again after it was resolved)  → state `new`, count 1 (or count + 1 on a regression)
//  - seen again                                                   → state `open`, count + 1, lastSeen = now
//  - stored, not resolved, absent from a complete sweep           → state `resolved`, resolvedAt = now
//  - absent from a partial sweep                                  → unchanged (the sweep may simply not have looked)
// Re-applying the same sweep (a retried queue message) changes nothing: entries remember the last sweep id.
import { plainFinding } from './compactFinding.js';
import type { Finding, TrackedFinding } from './types.js';

export interface StoredFinding extends TrackedFinding {
  lastSweepId: string;
}

export interface LifecycleResult {
  /** This sweep's findings with their lifecycle, in the order given. */
  current: StoredFinding[];
  /** Findings resolved by this sweep. */
  resolved: StoredFinding[];
  /** Every entry that must be written back. */
  changed: StoredFinding[];
}

export function mergeLifecycle(
  stored: readonly StoredFinding[],
  found: readonly Finding[],
  options: { sweepId: string; now: string; partial: boolean },
): LifecycleResult {
  const previous = new Map(stored.map((s) => [s.fingerprint, s]));
  const current: StoredFinding[] = [];
  const changed: StoredFinding[] = [];
  const seen = new Set<string>();
  for (const foundFinding of found) {
    // Plain copy: a compact finding's text is read through accessors, which spreading would not copy.
    const f = plainFinding(foundFinding);
    seen.add(f.fingerprint);
    const prev = previous.get(f.fingerprint);
    if (prev && prev.lastSweepId === options.sweepId) {
      // Same sweep applied again: keep what was recorded the first time, refresh the content only.
      const same: StoredFinding = {
        ...prev,
        ...f,
        firstSeen: prev.firstSeen,
        lastSeen: prev.lastSeen,
        count: prev.count,
        state: prev.state,
      };
      current.push(same);
      changed.push(same);
      continue;
    }
    // New, or back after it was resolved (a regression): the lifecycle starts again from now.
    const fresh = !prev || prev.state === 'resolved';
    const next: StoredFinding = {
      ...f,
      firstSeen: fresh ? options.now : prev.firstSeen,
      lastSeen: options.now,
      count: prev ? prev.count + 1 : 1,
      state: fresh ? 'new' : 'open',
      lastSweepId: options.sweepId,
    };
    delete next.resolvedAt;
    current.push(next);
    changed.push(next);
  }
  const resolved: StoredFinding[] = [];
  if (!options.partial) {
    for (const prev of stored) {
      if (seen.has(prev.fingerprint)) continue;
      if (prev.state === 'resolved') {
        // Resolved by this very sweep on a previous attempt: still reported as resolved by it.
        if (prev.lastSweepId === options.sweepId) resolved.push(prev);
        continue;
      }
      const r: StoredFinding = { ...prev, state: 'resolved', resolvedAt: options.now, lastSweepId: options.sweepId };
      resolved.push(r);
      changed.push(r);
    }
  }
  return { current, resolved, changed };
}
