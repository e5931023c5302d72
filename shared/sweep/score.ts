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
  // The worst penalty per object, by namespace, kind and name: maps keyed by the strings the findings hold (a large
  // sweep scores 300,000 findings; a key string built per finding cost more than the rest of the scoring).
  const worst = new Map<string, Map<string, Map<string, number>>>();
  let scored = 0;
  for (const f of findings) {
    const ns = f.namespace ?? '';
    let kinds = worst.get(ns);
    if (!kinds) worst.set(ns, (kinds = new Map<string, Map<string, number>>()));
    let names = kinds.get(f.kind);
    if (!names) kinds.set(f.kind, (names = new Map<string, number>()));
    const p = SEVERITY_PENALTY[f.severity];
    const prev = names.get(f.name);
    if (prev === undefined) scored++;
    if (prev === undefined || prev < p) names.set(f.name, p);
  }
  const penaltyByNs = new Map<string, number>();
  let total = 0;
  for (const [ns, kinds] of worst) {
    let penalty = 0;
    for (const names of kinds.values()) for (const p of names.values()) penalty += p;
    penaltyByNs.set(ns, (penaltyByNs.get(ns) ?? 0) + penalty);
    total += penalty;
  }
  let objects = 0;
  for (const n of objectsByNamespace.values()) objects += n;
  // An object with findings was necessarily seen, even if the caller's counts missed it (e.g. ARM resources).
  objects = Math.max(objects, scored);
  const namespaceScores: Record<string, number> = {};
  const namespaces = new Set([...objectsByNamespace.keys(), ...penaltyByNs.keys()]);
  for (const ns of [...namespaces].sort()) {
    if (ns === '') continue;
    namespaceScores[ns] = scoreFrom(penaltyByNs.get(ns) ?? 0, objectsByNamespace.get(ns) ?? 0);
  }
  return { score: scoreFrom(total, objects), namespaceScores };
}
