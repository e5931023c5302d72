// Credentials in plain sight: ConfigMap keys and literal container env values (env[].value, not valueFrom) whose
// names look like credentials, or whose value is a connection string carrying a password or key. ConfigMaps and
// pod templates are readable by everyone with the `view` role, Secrets are not (and can be encrypted and audited).
// Secrets are never read. Values are never copied into a finding: only the key or variable name is named.
import type { Analyzer } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import type { KubeObject } from '../../kube/objects.js';
import { editableTemplate, TEMPLATE_RESOURCES } from './bestPracticeHelpers.js';
import { templateField, templateRef } from './podHardening.js';
import type { ContainerSpec, PodSpecFull } from './specTypes.js';

const DOCS = 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/';

/** Words of a name: FOO_BAR, foo-bar, fooBar, foo.bar → foo, bar. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const CREDENTIAL_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'secret',
  'token',
  'credential',
  'credentials',
  'apikey',
  'passphrase',
]);
/** "key" only counts with a qualifier: API_KEY, ACCESS_KEY, PRIVATE_KEY, ACCOUNT_KEY … (not CACHE_KEY, KEY_PREFIX). */
const KEY_QUALIFIERS = new Set([
  'api',
  'access',
  'private',
  'secret',
  'account',
  'signing',
  'encryption',
  'master',
  'shared',
  'subscription',
  'client',
  'storage',
]);
const NOT_A_CREDENTIAL =
  /(^|_)(file|path|dir|url|uri|endpoint|name|user|username|id|type|length|ttl|expiry|header|policy|enabled|secret_?name|ref)$/;

export function looksLikeCredentialName(name: string): boolean {
  const w = words(name);
  if (NOT_A_CREDENTIAL.test(w.join('_'))) return false;
  if (w.some((x) => CREDENTIAL_WORDS.has(x))) return true;
  if (w.join('').includes('connectionstring') || w.join('_').includes('conn_str')) return true;
  for (let i = 1; i < w.length; i++) if (w[i] === 'key' && KEY_QUALIFIERS.has(w[i - 1]!)) return true;
  return false;
}

/** Connection strings with an embedded secret: Password=…, AccountKey=…, SharedAccessKey=…, user:pass@host URLs. */
export function looksLikeSecretValue(value: string): boolean {
  return (
    /(^|;)\s*(password|pwd|accountkey|sharedaccesskey|sharedaccesssignature)\s*=\s*[^;\s]+/i.test(value) ||
    /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)
  );
}

/** Placeholders (empty, ${VAR}, <changeme>) are templates, not credentials. */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return v === '' || /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(v) || /^<[^>]*>$/.test(v) || /^\{\{.*\}\}$/.test(v);
}

export const sensitiveDataAnalyzer: Analyzer = {
  name: 'sensitiveData',
  resources: [...TEMPLATE_RESOURCES, 'configmaps'],
  bestPractice: true,
  start(ctx) {
    return {
      consume(resource, obj: KubeObject) {
        if (resource === 'configmaps') {
          const ns = obj.metadata?.namespace;
          const name = obj.metadata?.name ?? '(unnamed)';
          const data = (obj as { data?: Record<string, unknown> }).data ?? {};
          const keys = Object.entries(data)
            .filter(
              ([k, v]) =>
                typeof v === 'string' && !isPlaceholder(v) && (looksLikeCredentialName(k) || looksLikeSecretValue(v)),
            )
            .map(([k]) => k);
          if (keys.length === 0) return;
          ctx.report({
            check: 'sensitive.configmap-credential',
            severity: 'warning',
            kind: 'ConfigMap',
            namespace: ns,
            name,
            message: `ConfigMap ${displayName(ns, name)} holds what looks like credentials under ${keys.map((k) => `"${k}"`).join(', ')} (values not shown); ConfigMaps are readable by anyone with view access and are not encrypted like Secrets.`,
            evidence: keys.map(
              (k) =>
                `kubectl${ns ? ` -n ${ns}` : ''} get configmap ${name} -o jsonpath='{.data.${k}}' → (value withheld)`,
            ),
            remediation:
              'Move these values to a Secret (or Azure Key Vault with the Secrets Store CSI driver), reference them with secretKeyRef, and rotate them: they have been readable.',
            docsUrl: DOCS,
          });
          return;
        }
        const t = editableTemplate(resource, obj);
        if (!t) return;
        const spec = t.template.spec as PodSpecFull;
        const containers: ContainerSpec[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
        const hits: string[] = [];
        for (const c of containers)
          for (const e of c.env ?? [])
            if (
              typeof e.value === 'string' &&
              !isPlaceholder(e.value) &&
              (looksLikeCredentialName(e.name) || looksLikeSecretValue(e.value))
            )
              hits.push(`${c.name}:${e.name}`);
        if (hits.length === 0) return;
        ctx.report({
          check: 'sensitive.env-credential',
          severity: 'warning',
          kind: t.kind,
          namespace: t.namespace,
          name: t.name,
          message: `${templateRef(t)} sets what look like credentials as literal env values (${hits.join(', ')}; values not shown): anyone who can read the ${t.kind} reads them.`,
          evidence: [
            `${templateField(t, 'containers[*].env[*].name')} → ${hits.map((h) => h.split(':')[1]).join(',')} (values withheld)`,
          ],
          remediation:
            'Use env[].valueFrom.secretKeyRef (or the Secrets Store CSI driver with Azure Key Vault) and rotate the exposed values.',
          docsUrl: DOCS,
        });
      },
    };
  },
};
