// The ARM analyzer interface: one check over a managed cluster's ARM facts (read by shared/azure/armFactsReader.ts).
// Pure, like the Kubernetes analyzers beside it: the facts are read once per sweep and every check sees them all.
import type { AgentPool, ManagedCluster } from '@azure/arm-containerservice';
import type { ArmFacts } from '../../azure/armFacts.js';
import type { FindingDraft } from '../analyzer.js';

export interface ArmAnalyzer {
  /** The check id it reports (its catalogue entry is in shared/sweep/catalogue.ts). */
  check: string;
  analyze(facts: ArmFacts): FindingDraft[];
}

/** What a check says; kind, name and check id are filled in by clusterFinding / poolFinding. */
export type ArmFindingFields = Omit<FindingDraft, 'kind' | 'name' | 'check'>;

export const AKS_DOCS = 'https://learn.microsoft.com/azure/aks';
export const AKS_TROUBLESHOOTING =
  'https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/welcome-azure-kubernetes';

export function clusterName(cluster: ManagedCluster): string {
  return cluster.name ?? '(unnamed)';
}

/** Evidence line: the `az aks show` query that shows the same property. */
export function clusterProp(cluster: ManagedCluster, path: string, value: unknown): string {
  return `az aks show -n ${clusterName(cluster)} -g <rg> --query ${path} → ${JSON.stringify(value ?? null)}`;
}

export function poolProp(cluster: ManagedCluster, pool: AgentPool, path: string, value: unknown): string {
  return `az aks nodepool show --cluster-name ${clusterName(cluster)} -g <rg> -n ${pool.name} --query ${path} → ${JSON.stringify(value ?? null)}`;
}

export function clusterFinding(cluster: ManagedCluster, check: string, fields: ArmFindingFields): FindingDraft {
  return { kind: 'ManagedCluster', name: clusterName(cluster), check, ...fields };
}

/** AgentPool findings are named cluster/pool, so two clusters' "nodepool1" stay apart. */
export function poolFinding(
  cluster: ManagedCluster,
  pool: AgentPool,
  check: string,
  fields: ArmFindingFields,
): FindingDraft {
  return { kind: 'AgentPool', name: `${clusterName(cluster)}/${pool.name}`, check, ...fields };
}

export function minorOf(version: string | undefined): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
