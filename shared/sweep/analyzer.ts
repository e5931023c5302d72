// The analyzer interface. An analyzer names the resources it reads, is handed their objects one at a time as list
// pages arrive (it never does I/O), keeps only what it needs, and reports findings as it goes or at the end.
import type { KubeObject } from '../kube/objects.js';
import type { ResourceKey } from '../kube/resources.js';
import type { Finding, Severity } from './types.js';
import type { EventIndex } from './eventIndex.js';
import { kubectlCommands } from '../kube/vocabulary/kubectl.js';

/** A finding before the runner stamps the cluster id and fingerprint on it. */
export type FindingDraft = Omit<Finding, 'clusterId' | 'fingerprint'>;

export interface SweepSettings {
  /** Container restarts (in the last hour) above which `pod.restarts` is raised. */
  restartThreshold: number;
  /** Share of ready replicas under which a workload is reported (Azure's recommended alert: < 80 %). */
  readyRatioThreshold: number;
  /** AKS-managed namespaces: exempt from best-practice checks. */
  exemptNamespaces: ReadonlySet<string>;
  /** The sweep's clock, so "in the last hour" is testable. */
  now: Date;
  /** The cluster's Kubernetes version (ARM currentKubernetesVersion, or --kubernetes-version), when known. */
  kubernetesVersion?: string;
}

export interface AnalyzerContext {
  settings: SweepSettings;
  /** Warning events, indexed by involved object; complete before any other resource is consumed. */
  events: EventIndex;
  report(finding: FindingDraft): void;
}

export interface AnalyzerRun {
  consume(resource: ResourceKey, obj: KubeObject): void;
  /** Called once every listed resource has been consumed; cross-object checks report here. */
  finish?(): void;
}

export interface Analyzer {
  name: string;
  /** What it lists. The runner lists each resource once for all analyzers. */
  resources: readonly ResourceKey[];
  /** Whether this is a best-practice check (skipped in exempt namespaces), as opposed to a failure check. */
  bestPractice?: boolean;
  start(ctx: AnalyzerContext): AnalyzerRun;
}

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export const DEFAULT_SWEEP_SETTINGS: Omit<SweepSettings, 'now'> = {
  restartThreshold: 3,
  readyRatioThreshold: 0.8,
  exemptNamespaces: new Set([
    'kube-system',
    'kube-public',
    'kube-node-lease',
    'gatekeeper-system',
    'calico-system',
    'tigera-operator',
    'app-routing-system',
  ]),
};

/** `kubectl` reference to an object, used in evidence: `-n ns get pod name`. */
export function kubectlGet(kind: string, namespace: string | undefined, name: string, output?: string): string {
  const ns = namespace ? ` -n ${namespace}` : '';
  const out = output ? ` -o ${output}` : '';
  return `kubectl${ns} get ${kind.toLowerCase()} ${name}${out}`;
}

export function kubectlDescribe(kind: string, namespace: string | undefined, name: string): string {
  return kubectlCommands.describe(kind, name, namespace);
}

/** "ns/name" or "name" for cluster-scoped objects, as people write them. */
export function displayName(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
