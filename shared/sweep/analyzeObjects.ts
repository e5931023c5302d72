// The streaming engine: lists every resource the analyzers need, once, page by page, and hands each object to the
// analyzers that read it. Nothing is kept but what analyzers keep. Failures are data: a resource that cannot be
// listed, or an analyzer that throws, is recorded in `errors` and the sweep carries on (partial).
import {
  SEVERITY_ORDER,
  type Analyzer,
  type AnalyzerContext,
  type AnalyzerRun,
  type FindingDraft,
  type SweepSettings,
} from './analyzer.js';
import { EventIndex } from './eventIndex.js';
import { CompactFinding, TemplateTable } from './compactFinding.js';
import type { ObjectSource } from '../kube/objectSource.js';
import { compareIdentity } from './sortFindings.js';
import { KUBE_RESOURCES, dataActionFor, type KubeResource, type ResourceKey } from '../kube/resources.js';
import { KubeAccessDeniedError } from '../kube/kubeErrors.js';
import { ensureErrorType } from '../errors.js';
import type { KubeObject } from '../kube/objects.js';
import { PolicyFilter, type SweepPolicy } from './policy.js';
import { forgetEditableTemplate } from './analyzers/bestPracticeHelpers.js';
import { forgetContainerEntries } from './analyzers/podHelpers.js';

export interface AnalyzeObjectsOptions {
  clusterId: string;
  analyzers: readonly Analyzer[];
  settings: SweepSettings;
  /** Restrict to one namespace (CLI); cluster-scoped resources are then skipped. */
  namespace?: string;
  /** Resources listed at the same time. The API server's own priority and fairness limits still apply. */
  concurrency?: number;
  abortSignal?: AbortSignal;
  /** Called after each page, e.g. for CLI progress. */
  onPage?: (resource: ResourceKey, objects: number) => void;
  /** Checks turned off or on, severities, exemptions (aks-aiops.yaml / SWEEP_POLICY); default: the catalogue's. */
  policy?: SweepPolicy;
}

export interface AnalyzeObjectsResult {
  /** Compact (text expanded when read): copy with `plainFinding`, never by spreading. */
  findings: CompactFinding[];
  objectsScanned: number;
  /** Scored objects per namespace ('' = cluster-scoped). */
  objectsByNamespace: Map<string, number>;
  errors: string[];
  partial: boolean;
}

/** Not scored: they describe other objects. */
const UNSCORED = new Set<ResourceKey>(['events', 'endpoints']);

export const RBAC_READER_ROLE = 'Azure Kubernetes Service RBAC Reader';

/** Starts every analyzer (one that throws is recorded as failed) and indexes them by the resources they read. */
function startAnalyzers(
  options: AnalyzeObjectsOptions,
  ctx: AnalyzerContext,
): {
  runs: Map<Analyzer, AnalyzerRun>;
  failedAnalyzers: Map<Analyzer, { error: Error; count: number }>;
  subscribers: Map<ResourceKey, { analyzer: Analyzer; run: AnalyzerRun }[]>;
} {
  const runs = new Map<Analyzer, AnalyzerRun>();
  const failedAnalyzers = new Map<Analyzer, { error: Error; count: number }>();
  for (const a of options.analyzers) {
    try {
      runs.set(a, a.start(ctx));
    } catch (err) {
      failedAnalyzers.set(a, { error: ensureErrorType(err), count: 1 });
    }
  }
  const subscribers = new Map<ResourceKey, { analyzer: Analyzer; run: AnalyzerRun }[]>();
  for (const [analyzer, run] of runs) {
    for (const r of analyzer.resources) {
      if (options.namespace && !KUBE_RESOURCES[r].namespaced) continue;
      const list = subscribers.get(r) ?? [];
      list.push({ analyzer, run });
      subscribers.set(r, list);
    }
  }
  return { runs, failedAnalyzers, subscribers };
}

export async function analyzeObjects(
  source: ObjectSource,
  options: AnalyzeObjectsOptions,
): Promise<AnalyzeObjectsResult> {
  const drafts: (FindingDraft | CompactFinding)[] = [];
  const templates = new TemplateTable();
  const errors: string[] = [];
  let partial = false;
  const events = new EventIndex();
  const policy = new PolicyFilter(options.policy);
  const ctx: AnalyzerContext = {
    settings: options.settings,
    events,
    report: (f) => {
      const kept = policy.apply(f);
      if (!kept) return;
      // Compacted at once: a large cluster keeps hundreds of thousands of findings until the sweep ends, and their
      // text, mostly the same sentence with another object's name, was most of the sweep's memory.
      drafts.push(new CompactFinding(kept, templates, options.clusterId));
    },
  };
  const exempt = options.settings.exemptNamespaces;

  const { runs, failedAnalyzers, subscribers } = startAnalyzers(options, ctx);

  let objectsScanned = 0;
  const objectsByNamespace = new Map<string, number>();
  const failedResources = new Set<ResourceKey>();
  const denied: { resource: KubeResource; status: number }[] = [];

  const consumeObject = (key: ResourceKey, subs: { analyzer: Analyzer; run: AnalyzerRun }[], obj: KubeObject) => {
    const ns = obj.metadata?.namespace;
    const isExempt = (ns !== undefined && exempt.has(ns)) || isAksManaged(obj);
    policy.observe(KUBE_RESOURCES[key].kind, obj);
    for (const { analyzer, run } of subs) {
      if (analyzer.bestPractice && isExempt) continue;
      try {
        run.consume(key, obj);
      } catch (err) {
        const f = failedAnalyzers.get(analyzer);
        if (f) f.count++;
        else failedAnalyzers.set(analyzer, { error: ensureErrorType(err), count: 1 });
      }
    }
    forgetEditableTemplate();
    forgetContainerEntries();
  };

  const listResource = async (key: ResourceKey) => {
    const resource = KUBE_RESOURCES[key];
    const subs = subscribers.get(key) ?? [];
    try {
      for await (const page of source.listPages(resource, {
        namespace: options.namespace,
        abortSignal: options.abortSignal,
      })) {
        for (const obj of page) {
          if (key === 'events') {
            events.add(obj);
            continue;
          }
          if (!UNSCORED.has(key)) {
            objectsScanned++;
            const ns = resource.namespaced ? (obj.metadata?.namespace ?? '') : '';
            objectsByNamespace.set(ns, (objectsByNamespace.get(ns) ?? 0) + 1);
          }
          consumeObject(key, subs, obj);
        }
        options.onPage?.(key, page.length);
      }
    } catch (err) {
      failedResources.add(key);
      partial = true;
      if (err instanceof KubeAccessDeniedError) {
        denied.push({ resource, status: err.statusCode });
        errors.push(`${key}: access denied (${err.statusCode})`);
      } else if (options.abortSignal?.aborted) {
        errors.push(`${key}: not listed completely: the sweep time budget ran out`);
      } else {
        errors.push(`${key}: ${ensureErrorType(err).message}`);
      }
    }
  };

  const needed = [...subscribers.keys()];
  // Events first and alone: analyzers quote them while consuming everything else.
  await listResource('events');
  const queue = needed.filter((k) => k !== 'events');
  // Pods dominate large clusters; start them first so the long list overlaps with the short ones.
  queue.sort((a, b) => (a === 'pods' ? -1 : b === 'pods' ? 1 : 0));
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 3) }, async () => {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      if (options.abortSignal?.aborted) {
        failedResources.add(key);
        partial = true;
        errors.push(`${key}: not listed: the sweep time budget ran out`);
        continue;
      }
      await listResource(key);
    }
  });
  await Promise.all(workers);

  for (const [analyzer, run] of runs) {
    if (!run.finish) continue;
    const missing = analyzer.resources.filter((r) => failedResources.has(r));
    if (missing.length > 0) {
      // Cross-object checks on incomplete data would report false positives (every Service "without endpoints").
      errors.push(
        `analyzer ${analyzer.name}: skipped its cross-object checks because ${missing.join(', ')} could not be listed`,
      );
      continue;
    }
    try {
      run.finish();
    } catch (err) {
      failedAnalyzers.set(analyzer, {
        error: ensureErrorType(err),
        count: (failedAnalyzers.get(analyzer)?.count ?? 0) + 1,
      });
    }
  }
  for (const [analyzer, { error, count }] of failedAnalyzers) {
    partial = true;
    errors.push(`analyzer ${analyzer.name} failed on ${count} object(s): ${error.message}`);
  }
  if (events.droppedObjects > 0)
    errors.push(`events: ${events.droppedObjects} objects had events not indexed (index full)`);

  drafts.push(...accessDeniedFindings(denied));
  return {
    findings: finalizeInPlace(options.clusterId, drafts, templates),
    objectsScanned,
    objectsByNamespace,
    errors,
    partial,
  };
}

/**
 * Objects AKS deploys and reconciles itself (add-ons, extensions) wherever they live: their specs are not the
 * user's to change, so best-practice checks skip them. Failure checks still apply.
 */
export function isAksManaged(obj: KubeObject): boolean {
  const labels = obj.metadata?.labels;
  if (!labels) return false;
  return labels['kubernetes.azure.com/managedby'] === 'aks' || labels['addonmanager.kubernetes.io/mode'] !== undefined;
}

/** One finding per status (401 vs 403), naming the role and the exact data actions missing. */
export function accessDeniedFindings(denied: readonly { resource: KubeResource; status: number }[]): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const status of [401, 403]) {
    const list = denied.filter((d) => d.status === status);
    if (list.length === 0) continue;
    const keys = list.map((d) => d.resource.key).sort();
    // What RBAC Reader does not grant (cluster-scoped objects, RBAC objects) comes from the custom role.
    const clusterScoped = list
      .filter((d) => !d.resource.namespaced || d.resource.customRole)
      .map((d) => dataActionFor(d.resource));
    out.push(
      status === 401
        ? {
            check: 'cluster.kube-unauthenticated',
            severity: 'critical',
            kind: 'ManagedCluster',
            name: 'kubernetes-api',
            message: `The Kubernetes API server did not accept the sweep's token (HTTP 401) when listing ${keys.join(', ')}, so those objects were not analysed.`,
            evidence: keys.map((k) => `GET ${k} → 401 Unauthorized`),
            remediation:
              'Check the cluster uses Microsoft Entra ID integration (aadProfile.managed) and that the token audience is the AKS server application 6dae42f8-4368-4678-94ff-3960e28e3630; clusters with local accounts only cannot be swept with the managed identity.',
            docsUrl: 'https://learn.microsoft.com/azure/aks/enable-authentication-microsoft-entra-id',
          }
        : {
            check: 'cluster.kube-access-denied',
            severity: 'critical',
            kind: 'ManagedCluster',
            name: 'kubernetes-api',
            message: `The sweep's managed identity may not list ${keys.join(', ')} (HTTP 403): assign it the ${RBAC_READER_ROLE} role on the cluster${clusterScoped.length > 0 ? `, plus the "aks-aiops Kubernetes cluster reader" custom role deployed with aks-aiops (or any role with ${clusterScoped.join(', ')}) for the cluster-scoped and RBAC resources` : ''}.`,
            evidence: list.map(
              (d) =>
                `kubectl auth can-i list ${d.resource.key}${d.resource.group ? `.${d.resource.group}` : ''} --all-namespaces → no (${dataActionFor(d.resource)})`,
            ),
            remediation: `az role assignment create --assignee <identity principal id> --role "${RBAC_READER_ROLE}" --scope <cluster resource id>${clusterScoped.length > 0 ? ` and the same for the "aks-aiops Kubernetes cluster reader" custom role (dataActions ${clusterScoped.join(', ')})` : ''}; with Kubernetes RBAC instead of Azure RBAC, bind the identity to the "view" ClusterRole.`,
            docsUrl: 'https://learn.microsoft.com/azure/aks/manage-azure-rbac',
          },
    );
  }
  return out;
}

/**
 * Stamps cluster id and fingerprint, merges duplicates (same check on the same object: the first report wins, later
 * ones add their evidence), sorts. Drafts are compacted (shared text templates) unless the engine already did; no
 * other copy is made: a large cluster has hundreds of thousands of findings, and a second copy would double the peak.
 * Duplicates are found by sorting rather than with a map of fingerprints, which cost more memory than anything else
 * at the end of a large sweep.
 */
export function finalizeFindings(
  clusterId: string,
  drafts: readonly (FindingDraft | CompactFinding)[],
  templates = new TemplateTable(),
): CompactFinding[] {
  return finalizeInPlace(clusterId, [...drafts], templates);
}

/**
 * finalizeFindings on an array the caller hands over (the engine's own): sorted, merged and ordered in place, so the
 * end of a large sweep, where its memory peaks, allocates no array of every finding.
 */
function finalizeInPlace(
  clusterId: string,
  drafts: (FindingDraft | CompactFinding)[],
  templates: TemplateTable,
): CompactFinding[] {
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i]!;
    const f = d instanceof CompactFinding ? d : new CompactFinding(d, templates);
    f.stamp(clusterId);
    drafts[i] = f;
  }
  const all = drafts as CompactFinding[];
  // Stable: reports of the same check on the same object stay in the order they were made.
  all.sort(compareIdentity);
  let kept = 0;
  for (const f of all) {
    const prev = kept > 0 ? all[kept - 1]! : undefined;
    if (prev && compareIdentity(prev, f) === 0) {
      prev.addEvidence(f.evidence, templates);
      continue;
    }
    all[kept++] = f;
  }
  all.length = kept;
  // Within a severity the identity order is compareFindings' order (namespace, kind, name, check); stable again.
  return all.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
