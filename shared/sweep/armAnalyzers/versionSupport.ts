// Where the cluster's Kubernetes minor stands among the GA versions AKS offers in its region
// (managedClusters.listKubernetesVersions: capabilities.supportPlan lists KubernetesOfficial and/or AKSLongTermSupport).
import type { ArmFacts } from '../../azure/armFacts.js';
import { compareVersions, minorOf } from './armAnalyzer.js';

export interface VersionSupport {
  version: string | undefined;
  minor: string;
  /** GA minors offered in the region, oldest first. */
  offered: string[];
  /** Not offered, or offered only under a support plan the cluster is not on. */
  unsupported: boolean;
  /** On the long-term support plan for this minor. */
  lts: boolean;
}

export function versionSupport(facts: ArmFacts): VersionSupport | undefined {
  const c = facts.cluster;
  const version = c.currentKubernetesVersion ?? c.kubernetesVersion;
  const minor = minorOf(version);
  const ga = (facts.kubernetesVersions ?? []).filter((v) => !v.isPreview && v.version);
  if (!minor || ga.length === 0) return undefined;
  const entry = ga.find((v) => v.version === minor);
  const lts =
    c.supportPlan === 'AKSLongTermSupport' && entry?.capabilities?.supportPlan?.includes('AKSLongTermSupport') === true;
  const supportedOfficially = entry?.capabilities?.supportPlan?.includes('KubernetesOfficial') ?? entry !== undefined;
  const offered = ga.map((v) => v.version ?? '').sort(compareVersions);
  return { version, minor, offered, unsupported: !entry || (!supportedOfficially && !lts), lts };
}

export function versionsEvidence(location: string | undefined, offered: string[]): string {
  return `az aks get-versions -l ${location} --query "values[?!isPreview].version" → ${offered.join(', ')}`;
}
