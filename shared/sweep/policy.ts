// What users of Polaris and Popeye expect to configure: turn a check off (or an opt-in check on), change its
// severity, exempt namespaces, workloads or labels (from every check or from named ones), and exempt one object
// with an annotation. The same document serves the CLI (aks-aiops.yaml in the repository, or --config) and the
// Function app (SWEEP_POLICY, or the blob at SWEEP_POLICY_BLOB_URL). Check ids may be current ids or former ids
// (catalogue aliases).
//
//   checks:
//     resources.cpu-limit-missing: { enabled: true }      # opt-in checks are off by default
//     security.default-service-account: { severity: info }
//     netpol.namespace-without-policy: off                # shorthand: off | on | critical | warning | info
//   exemptions:
//     - namespaces: [legacy-*]                            # every check
//     - workloads: [shop/web, Deployment/payments/*]      # ns/name or Kind/ns/name, * matches any run of characters
//       checks: [security.host-path]
//     - labels: [team=platform, aks-aiops.io/ignore]      # key=value or key (exists)
//
// Annotation on any object: `aks-aiops.io/exempt: "true"` (every check), `aks-aiops.io/exempt: "id1,id2"`, or
// Polaris style `aks-aiops.io/<check id>-exempt: "true"`.
import { parse } from 'yaml';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { KubeObject } from '../kube/objects.js';
import { canonicalCheckId, checkEntry, CATALOGUE } from './catalogue.js';
import type { FindingDraft } from './analyzer.js';
import type { Severity } from './types.js';

export const ANNOTATION_PREFIX = 'aks-aiops.io/';

const severity = z.enum(['critical', 'warning', 'info']);
const checkSetting = z.union([
  z.enum(['off', 'on']).transform((v) => ({ enabled: v === 'on' })),
  severity.transform((s) => ({ severity: s })),
  z.strictObject({ enabled: z.boolean().optional(), severity: severity.optional() }),
]);
const exemption = z.strictObject({
  checks: z.array(z.string().min(1)).optional(),
  namespaces: z.array(z.string().min(1)).optional(),
  workloads: z.array(z.string().min(1)).optional(),
  labels: z.array(z.string().min(1)).optional(),
});
const policySchema = z.strictObject({
  checks: z.record(z.string(), checkSetting).default({}),
  exemptions: z.array(exemption).default([]),
});

export interface SweepPolicy {
  checks: Record<string, { enabled?: boolean; severity?: Severity }>;
  exemptions: { checks?: string[]; namespaces?: string[]; workloads?: string[]; labels?: string[] }[];
}

export const EMPTY_POLICY: SweepPolicy = { checks: {}, exemptions: [] };

/** Parses and validates a policy document (YAML or JSON); 4xx-style ValidationError naming each problem. */
export function parseSweepPolicy(text: string, source: string): SweepPolicy {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : parse(text);
  } catch (err) {
    throw new ValidationError(`${source}: not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  const parsed = policySchema.safeParse(doc ?? {});
  if (!parsed.success)
    throw new ValidationError(
      `${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const unknown = [...Object.keys(parsed.data.checks), ...parsed.data.exemptions.flatMap((e) => e.checks ?? [])].filter(
    (id) => !checkEntry(id) && id !== '*',
  );
  if (unknown.length > 0)
    throw new ValidationError(
      `${source}: unknown check id(s) ${[...new Set(unknown)].join(', ')} (see docs/sweeps.md)`,
    );
  const checks: SweepPolicy['checks'] = {};
  for (const [id, v] of Object.entries(parsed.data.checks)) checks[canonicalCheckId(id)] = { ...v };
  return {
    checks,
    exemptions: parsed.data.exemptions.map((e) => ({ ...e, checks: e.checks?.map(canonicalCheckId) })),
  };
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function labelMatcher(spec: string): (labels: Record<string, string>) => boolean {
  const eq = spec.indexOf('=');
  if (eq === -1) return (l) => Object.hasOwn(l, spec);
  const k = spec.slice(0, eq);
  const v = spec.slice(eq + 1);
  return (l) => l[k] === v;
}

const ALL = '*';

/**
 * Applies a policy while objects stream by (annotations and labels are read as each object passes, only the
 * exemptions are kept) and to the findings at the end.
 */
export class PolicyFilter {
  private readonly objectExemptions = new Map<string, Set<string>>();
  private readonly nsRules: { re: RegExp; checks?: Set<string> }[] = [];
  private readonly workloadRules: { re: RegExp; checks?: Set<string> }[] = [];
  private readonly labelRules: { match: (l: Record<string, string>) => boolean; checks?: Set<string> }[] = [];
  private readonly disabled = new Set<string>();

  constructor(private readonly policy: SweepPolicy = EMPTY_POLICY) {
    for (const e of policy.exemptions) {
      const checks = e.checks && !e.checks.includes(ALL) ? new Set(e.checks) : undefined;
      for (const n of e.namespaces ?? []) this.nsRules.push({ re: glob(n), checks });
      for (const w of e.workloads ?? []) this.workloadRules.push({ re: glob(w), checks });
      for (const l of e.labels ?? []) this.labelRules.push({ match: labelMatcher(l), checks });
    }
    for (const entry of CATALOGUE) {
      const setting = policy.checks[entry.id];
      const enabled = setting?.enabled ?? !entry.optIn;
      if (!enabled) this.disabled.add(entry.id);
    }
  }

  /** Records the exemptions an object carries (annotations, or labels an exemption names). */
  observe(kind: string, obj: KubeObject): void {
    const annotations = obj.metadata?.annotations;
    let exempt: Set<string> | undefined;
    const add = (id: string) => (exempt ??= new Set()).add(id === ALL ? ALL : canonicalCheckId(id));
    if (annotations) {
      // for…in, not Object.entries: this runs for every listed object (150,000 pods) and most have no such key.
      for (const k in annotations) {
        if (!k.startsWith(ANNOTATION_PREFIX)) continue;
        const v = annotations[k] ?? '';
        const key = k.slice(ANNOTATION_PREFIX.length);
        if (key === 'exempt') {
          if (v.trim() === 'true') add(ALL);
          else for (const id of v.split(',')) if (id.trim()) add(id.trim());
        } else if (key.endsWith('-exempt') && v.trim() === 'true') add(key.slice(0, -'-exempt'.length));
      }
    }
    if (this.labelRules.length > 0) {
      const labels = obj.metadata?.labels ?? {};
      for (const r of this.labelRules) if (r.match(labels)) for (const id of r.checks ?? [ALL]) add(id);
    }
    if (exempt)
      this.objectExemptions.set(`${kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`, exempt);
  }

  private exemptBy(rules: { re: RegExp; checks?: Set<string> }[], value: string, check: string): boolean {
    return rules.some((r) => r.re.test(value) && (!r.checks || r.checks.has(check)));
  }

  /** Whether a finding stays, and with which severity. */
  apply(f: FindingDraft): FindingDraft | undefined {
    const id = canonicalCheckId(f.check);
    if (this.disabled.has(id)) return undefined;
    // Findings about the sweep's own access are never exempted: they say what was not looked at.
    if (checkEntry(id)?.family !== 'access') {
      // Keys are built only when some rule could use them: a large sweep reports hundreds of thousands of findings.
      const ns = f.kind === 'Namespace' ? f.name : (f.namespace ?? '');
      if (ns && this.nsRules.length > 0 && this.exemptBy(this.nsRules, ns, id)) return undefined;
      if (this.workloadRules.length > 0) {
        const workloadKey = f.namespace ? `${f.namespace}/${f.name}` : f.name;
        if (
          this.exemptBy(this.workloadRules, workloadKey, id) ||
          this.exemptBy(this.workloadRules, `${f.kind}/${workloadKey}`, id)
        )
          return undefined;
      }
      const obj =
        this.objectExemptions.size > 0
          ? this.objectExemptions.get(`${f.kind}/${f.namespace ?? ''}/${f.name}`)
          : undefined;
      if (obj && (obj.has(ALL) || obj.has(id))) return undefined;
    }
    const sev = this.policy.checks[id]?.severity;
    return sev && sev !== f.severity ? { ...f, severity: sev } : f;
  }
}
