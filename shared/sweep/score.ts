// Scores in the spirit of Popeye's grades: the share of healthy objects, where an object with findings counts as
// partly unhealthy according to its worst finding.
//
//   penalty(object) = 1 for a critical finding, 0.5 for a warning, 0 for info (or no finding)
//   score(scope)    = round(100 × (1 − Σ penalty / objects scanned in scope)), clamped to 0..100
//
// A scope is a namespace (its namespaced objects) or the whole cluster (every object, plus the ManagedCluster and
// its agent pools when ARM facts were read). Events and Endpoints are not objects anyone scores; they are not
// counted. Grades: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, E ≥ 50, F below.
import type { Finding, Severity } from './types.js';

export const SEVERITY_PENALTY: Record<Severity, number> = { critical: 1, warning: 0.5, info: 0 };

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

export function gradeOf(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  if (score >= 50) return 'E';
  return 'F';
}

function scoreFrom(penalty: number, objects: number): number {
  if (objects <= 0) return penalty > 0 ? 0 : 100;
  return Math.max(0, Math.min(100, Math.round(100 * (1 - penalty / objects))));
}

/**
 * @param objectsByNamespace objects scanned per namespace ('' = cluster-scoped objects and ARM resources)
 */
export function scoreFindings(
  findings: readonly Pick<Finding, 'severity' | 'kind' | 'namespace' | 'name'>[],
  objectsByNamespace: ReadonlyMap<string, number>,
): { score: number; namespaceScores: Record<string, number> } {
  const worst = new Map<string, { ns: string; penalty: number }>();
  for (const f of findings) {
    const key = `${f.kind}\u0000${f.namespace ?? ''}\u0000${f.name}`;
    const p = SEVERITY_PENALTY[f.severity];
    const prev = worst.get(key);
    if (!prev || prev.penalty < p) worst.set(key, { ns: f.namespace ?? '', penalty: p });
  }
  const penaltyByNs = new Map<string, number>();
  let total = 0;
  for (const { ns, penalty } of worst.values()) {
    penaltyByNs.set(ns, (penaltyByNs.get(ns) ?? 0) + penalty);
    total += penalty;
  }
  let objects = 0;
  for (const n of objectsByNamespace.values()) objects += n;
  // An object with findings was necessarily seen, even if the caller's counts missed it (e.g. ARM resources).
  objects = Math.max(objects, worst.size);
  const namespaceScores: Record<string, number> = {};
  const namespaces = new Set([...objectsByNamespace.keys(), ...penaltyByNs.keys()]);
  for (const ns of [...namespaces].sort()) {
    if (ns === '') continue;
    namespaceScores[ns] = scoreFrom(penaltyByNs.get(ns) ?? 0, objectsByNamespace.get(ns) ?? 0);
  }
  return { score: scoreFrom(total, objects), namespaceScores };
}
