// RBAC: roles that grant more than an application should have (wildcards, Secrets, exec/attach, escalate/bind/
// impersonate, nodes/proxy), cluster-admin (or an equivalent */*/* role) bound to service accounts or groups, roles
// bound to nothing, bindings to roles or service accounts that do not exist. Kubernetes' own bootstrap roles
// (label kubernetes.io/bootstrapping=rbac-defaults, names starting with "system:") are not judged: they are part
// of the control plane (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#default-roles-and-role-bindings).
// Rule semantics follow the RBAC authorizer: a rule matches when apiGroups, resources and verbs each contain the
// requested value or "*" (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac, RuleAllows).
import type { Analyzer, FindingDraft } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import type { KubeObject } from '../../kube/objects.js';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  nonResourceURLs?: string[];
}
interface RoleObject extends KubeObject {
  rules?: PolicyRule[];
  aggregationRule?: unknown;
}
interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}
interface BindingObject extends KubeObject {
  roleRef?: { kind?: string; name?: string };
  subjects?: Subject[];
}

const DOCS = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';
const has = (list: string[] | undefined, v: string) => (list ?? []).includes(v) || (list ?? []).includes('*');

/** Whether a rule grants `verb` on `resource` in the core group (or all groups). */
function allows(rule: PolicyRule, group: string, resource: string, verbs: string[]): boolean {
  return has(rule.apiGroups, group) && has(rule.resources, resource) && verbs.some((v) => has(rule.verbs, v));
}

/** Grants short of admin that still hand over too much; each is reported with the rules that grant it. */
interface RiskyGrant {
  check: string;
  matches: (rule: PolicyRule) => boolean;
  /** The message after the role's name. */
  says: string;
  remediation: string;
}

const RISKY_GRANTS: readonly RiskyGrant[] = [
  {
    check: 'rbac.secrets-read',
    matches: (r) => allows(r, '', 'secrets', ['get', 'list', 'watch']),
    says: 'can read Secrets (get/list/watch on secrets): whoever is bound to it reads every credential in its scope.',
    remediation:
      'Grant get on the named Secrets only (resourceNames), or mount the Secret into the pod instead of reading it through the API.',
  },
  {
    check: 'rbac.pod-exec',
    matches: (r) =>
      has(r.apiGroups, '') &&
      ['pods/exec', 'pods/attach'].some((s) => has(r.resources, s)) &&
      ['create', 'get'].some((v) => has(r.verbs, v)),
    says: 'allows running commands in pods (pods/exec or pods/attach), i.e. access to everything those pods can reach.',
    remediation: 'Keep exec/attach for break-glass roles of people, not service accounts.',
  },
  {
    check: 'rbac.privilege-escalation-verbs',
    matches: (r) => ['escalate', 'bind', 'impersonate'].some((v) => (r.verbs ?? []).includes(v)),
    says: 'grants escalate, bind or impersonate, which let the subject give itself (or act as) more privileges than it has.',
    remediation: 'Remove escalate/bind/impersonate unless this is an RBAC management controller.',
  },
  {
    check: 'rbac.nodes-proxy',
    matches: (r) => allows(r, '', 'nodes/proxy', ['get', 'create', '*']),
    says: 'grants nodes/proxy, which reaches the kubelet API directly (exec into any pod on the node, bypassing audit and admission).',
    remediation: 'Use the metrics API (metrics.k8s.io) or nodes/metrics, nodes/stats instead of nodes/proxy.',
  },
];

function isSystem(obj: KubeObject): boolean {
  const name = obj.metadata?.name ?? '';
  return name.startsWith('system:') || obj.metadata?.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

interface RoleFacts {
  kind: 'Role' | 'ClusterRole';
  ns: string | undefined;
  name: string;
  admin: boolean;
  system: boolean;
  /** Used through aggregation into another ClusterRole (labels rbac.authorization.k8s.io/aggregate-to-*). */
  aggregated: boolean;
}

/** What a Role's or ClusterRole's rules grant that is risky: wildcards, Secrets, exec, escalation verbs, nodes/proxy. */
function checkRoleRules(
  report: (f: Omit<FindingDraft, 'kind' | 'namespace' | 'name' | 'docsUrl'>) => void,
  ref: string,
  jp: string,
  rules: PolicyRule[],
  admin: boolean,
): void {
  const ruleText = (r: PolicyRule) =>
    `apiGroups ${JSON.stringify(r.apiGroups ?? [])} resources ${JSON.stringify(r.resources ?? [])} verbs ${JSON.stringify(r.verbs ?? [])}`;

  const wildcard = rules.filter((r) => [r.apiGroups, r.resources, r.verbs].some((l) => (l ?? []).includes('*')));
  if (wildcard.length > 0)
    report({
      check: 'rbac.wildcard',
      severity: admin ? 'critical' : 'warning',
      message: `${ref} grants wildcards ("*" in apiGroups, resources or verbs)${admin ? ', i.e. everything, like cluster-admin' : ''}: it also covers resources and verbs added later.`,
      evidence: [`${jp} → ${wildcard.map(ruleText).join('; ')}`],
      remediation: 'List the API groups, resources and verbs the subject needs explicitly.',
    });
  // The narrower grants are not reported for an admin role: its wildcard finding already says it grants everything.
  if (admin) return;
  for (const grant of RISKY_GRANTS) {
    const matching = rules.filter(grant.matches);
    if (matching.length > 0)
      report({
        check: grant.check,
        severity: 'warning',
        message: `${ref} ${grant.says}`,
        evidence: [`${jp} → ${matching.map(ruleText).join('; ')}`],
        remediation: grant.remediation,
      });
  }
}

export const rbacAnalyzer: Analyzer = {
  name: 'rbac',
  resources: ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings', 'serviceaccounts'],
  bestPractice: true,
  start(ctx) {
    const roles = new Map<string, RoleFacts>();
    const bindings: { kind: string; obj: BindingObject }[] = [];
    const serviceAccounts = new Set<string>();
    const saNamespaces = new Set<string>();
    const roleKey = (kind: string, ns: string | undefined, name: string) =>
      kind === 'ClusterRole' ? `ClusterRole//${name}` : `Role/${ns ?? ''}/${name}`;
    return {
      consume(resource, obj) {
        const ns = obj.metadata?.namespace;
        const name = obj.metadata?.name ?? '(unnamed)';
        if (resource === 'serviceaccounts') {
          serviceAccounts.add(`${ns}/${name}`);
          saNamespaces.add(ns ?? '');
          return;
        }
        if (resource === 'rolebindings' || resource === 'clusterrolebindings') {
          bindings.push({
            kind: resource === 'rolebindings' ? 'RoleBinding' : 'ClusterRoleBinding',
            obj: obj,
          });
          return;
        }
        const kind = resource === 'roles' ? 'Role' : 'ClusterRole';
        const role = obj as RoleObject;
        const rules = role.rules ?? [];
        const admin = rules.some((r) => has(r.apiGroups, '*') && has(r.resources, '*') && has(r.verbs, '*'));
        const system =
          isSystem(obj) || (['cluster-admin', 'admin', 'edit', 'view'].includes(name) && kind === 'ClusterRole');
        const aggregated =
          role.aggregationRule !== undefined ||
          Object.keys(obj.metadata?.labels ?? {}).some((l) => l.startsWith('rbac.authorization.k8s.io/aggregate-to-'));
        roles.set(roleKey(kind, ns, name), {
          kind,
          ns,
          name,
          admin: admin || (kind === 'ClusterRole' && name === 'cluster-admin'),
          system,
          aggregated,
        });
        if (system) return;
        const ref = `${kind} ${displayName(ns, name)}`;
        const base = { kind, namespace: ns, name, docsUrl: DOCS };
        const report = (f: Omit<FindingDraft, 'kind' | 'namespace' | 'name' | 'docsUrl'>) =>
          ctx.report({ ...base, ...f });
        checkRoleRules(
          report,
          ref,
          `kubectl get ${kind.toLowerCase()}${ns ? ` -n ${ns}` : ''} ${name} -o jsonpath='{.rules}'`,
          rules,
          admin,
        );
      },
      finish() {
        const used = new Set<string>();
        for (const { kind, obj } of bindings) {
          const ns = obj.metadata?.namespace;
          const name = obj.metadata?.name ?? '(unnamed)';
          const refKind = obj.roleRef?.kind ?? 'ClusterRole';
          const refName = obj.roleRef?.name ?? '';
          const key = roleKey(refKind, ns, refName);
          used.add(key);
          if (isSystem(obj)) continue;
          const role = roles.get(key);
          const base = { kind, namespace: ns, name, docsUrl: DOCS };
          const ref = `${kind} ${displayName(ns, name)}`;
          const jp = `kubectl get ${kind.toLowerCase()}${ns ? ` -n ${ns}` : ''} ${name} -o jsonpath='{.roleRef}{.subjects}'`;
          const subjects = obj.subjects ?? [];
          if (!role && !(refKind === 'ClusterRole' && ['cluster-admin', 'admin', 'edit', 'view'].includes(refName))) {
            ctx.report({
              ...base,
              check: 'rbac.binding-role-missing',
              severity: 'warning',
              message: `${ref} binds ${refKind} ${refName} (roleRef), which does not exist, so it grants nothing today and whatever a future ${refKind} of that name grants.`,
              evidence: [`${jp} → ${refKind}/${refName}`, `kubectl get ${refKind.toLowerCase()} ${refName} → NotFound`],
              remediation: 'Delete the binding or create the role it is meant to bind.',
            });
          }
          const admin = role?.admin || (refKind === 'ClusterRole' && refName === 'cluster-admin');
          const broad = subjects.filter((s) => s.kind === 'ServiceAccount' || s.kind === 'Group');
          if (admin && broad.length > 0)
            ctx.report({
              ...base,
              check: 'rbac.cluster-admin-binding',
              severity: 'critical',
              message: `${ref} gives ${refKind} ${refName} (full control${kind === 'ClusterRoleBinding' ? ' of the whole cluster' : ` of namespace ${ns}`}) to ${broad.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ')}.`,
              evidence: [`${jp} → ${refKind}/${refName}; ${broad.map((s) => `${s.kind}/${s.name}`).join(', ')}`],
              remediation:
                'Bind a role with only the permissions the workload or team needs; keep cluster-admin for break-glass Entra groups managed through Azure RBAC.',
            });
          for (const s of subjects) {
            if (s.kind !== 'ServiceAccount') continue;
            const saNs = s.namespace ?? ns ?? '';
            // Only judged where ServiceAccounts were seen: a manifest set often leaves them to another chart.
            if (!saNamespaces.has(saNs) || serviceAccounts.has(`${saNs}/${s.name}`)) continue;
            ctx.report({
              ...base,
              check: 'rbac.binding-subject-missing',
              severity: 'info',
              message: `${ref} binds ServiceAccount ${saNs}/${s.name}, which does not exist.`,
              evidence: [`kubectl -n ${saNs} get serviceaccount ${s.name} → NotFound`],
              remediation: 'Remove the stale subject, or create the ServiceAccount.',
            });
          }
        }
        for (const [key, r] of roles) {
          if (r.system || r.aggregated || used.has(key)) continue;
          ctx.report({
            check: 'rbac.role-unused',
            severity: 'info',
            kind: r.kind,
            namespace: r.ns,
            name: r.name,
            message: `${r.kind} ${displayName(r.ns, r.name)} is bound by no ${r.kind === 'Role' ? 'RoleBinding' : 'RoleBinding or ClusterRoleBinding'}, so it grants nothing.`,
            evidence: [
              `kubectl get ${r.kind === 'Role' ? `rolebindings -n ${r.ns}` : 'rolebindings,clusterrolebindings -A'} -o jsonpath='{.items[?(@.roleRef.name=="${r.name}")].metadata.name}' → none`,
            ],
            remediation: 'Delete it if it is left over, or bind it.',
            docsUrl: DOCS,
          });
        }
      },
    };
  },
};
