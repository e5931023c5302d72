// Deprecated and removed API versions in manifests, against the cluster's Kubernetes version (from ARM for a
// cluster sweep, `--kubernetes-version` for files). Versions and replacements from the Kubernetes deprecated API
// migration guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/). A live cluster serves every
// object in the version the sweep asks for, so this check speaks about manifests (sweep --file): the objects a
// `kubectl apply` or `helm upgrade` would send.
import type { Analyzer } from '../analyzer.js';
import { displayName } from '../analyzer.js';
import { KUBE_RESOURCES, type ResourceKey } from '../../kube/resources.js';

interface Deprecation {
  deprecated: string;
  removed: string;
  replacement: string;
}

const WORKLOADS = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'];
const TABLE: Record<string, Record<string, Deprecation>> = {
  'extensions/v1beta1': {
    ...Object.fromEntries(WORKLOADS.map((k) => [k, { deprecated: '1.9', removed: '1.16', replacement: 'apps/v1' }])),
    Ingress: { deprecated: '1.14', removed: '1.22', replacement: 'networking.k8s.io/v1' },
    NetworkPolicy: { deprecated: '1.9', removed: '1.16', replacement: 'networking.k8s.io/v1' },
  },
  'apps/v1beta1': Object.fromEntries(
    WORKLOADS.map((k) => [k, { deprecated: '1.9', removed: '1.16', replacement: 'apps/v1' }]),
  ),
  'apps/v1beta2': Object.fromEntries(
    WORKLOADS.map((k) => [k, { deprecated: '1.9', removed: '1.16', replacement: 'apps/v1' }]),
  ),
  'networking.k8s.io/v1beta1': {
    Ingress: { deprecated: '1.19', removed: '1.22', replacement: 'networking.k8s.io/v1' },
    IngressClass: { deprecated: '1.19', removed: '1.22', replacement: 'networking.k8s.io/v1' },
  },
  'batch/v1beta1': { CronJob: { deprecated: '1.21', removed: '1.25', replacement: 'batch/v1' } },
  'autoscaling/v2beta1': {
    HorizontalPodAutoscaler: { deprecated: '1.22', removed: '1.25', replacement: 'autoscaling/v2' },
  },
  'autoscaling/v2beta2': {
    HorizontalPodAutoscaler: { deprecated: '1.23', removed: '1.26', replacement: 'autoscaling/v2' },
  },
  'policy/v1beta1': { PodDisruptionBudget: { deprecated: '1.21', removed: '1.25', replacement: 'policy/v1' } },
  'admissionregistration.k8s.io/v1beta1': {
    ValidatingWebhookConfiguration: {
      deprecated: '1.16',
      removed: '1.22',
      replacement: 'admissionregistration.k8s.io/v1',
    },
    MutatingWebhookConfiguration: {
      deprecated: '1.16',
      removed: '1.22',
      replacement: 'admissionregistration.k8s.io/v1',
    },
  },
  ...Object.fromEntries(
    ['rbac.authorization.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1alpha1'].map((v) => [
      v,
      Object.fromEntries(
        ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].map((k) => [
          k,
          { deprecated: '1.17', removed: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
        ]),
      ),
    ]),
  ),
};

const RESOURCES: readonly ResourceKey[] = (Object.keys(KUBE_RESOURCES) as ResourceKey[]).filter((k) =>
  Object.values(TABLE).some((kinds) => KUBE_RESOURCES[k].kind in kinds),
);

/** Minor version as a comparable number: "1.29.4" → 1029. */
export function minorNumber(version: string | undefined): number | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? Number(m[1]) * 1000 + Number(m[2]) : undefined;
}

export const deprecatedApiAnalyzer: Analyzer = {
  name: 'deprecatedApi',
  resources: RESOURCES,
  start(ctx) {
    const cluster = minorNumber(ctx.settings.kubernetesVersion);
    return {
      consume(resource, obj) {
        const kind = KUBE_RESOURCES[resource].kind;
        const d = obj.apiVersion ? TABLE[obj.apiVersion]?.[kind] : undefined;
        if (!d) return;
        const ns = obj.metadata?.namespace;
        const name = obj.metadata?.name ?? '(unnamed)';
        // Without a known cluster version: every supported AKS version is past all removals in the table.
        const removed = cluster === undefined || cluster >= (minorNumber(d.removed) ?? 0);
        const against = ctx.settings.kubernetesVersion ? ` (cluster ${ctx.settings.kubernetesVersion})` : '';
        ctx.report({
          check: removed ? 'api.removed' : 'api.deprecated',
          severity: removed ? 'critical' : 'warning',
          kind,
          namespace: ns,
          name,
          message: removed
            ? `${kind} ${displayName(ns, name)} uses apiVersion ${obj.apiVersion}, removed in Kubernetes ${d.removed}${against}: applying it fails with "no matches for kind".`
            : `${kind} ${displayName(ns, name)} uses apiVersion ${obj.apiVersion}, deprecated since Kubernetes ${d.deprecated} and removed in ${d.removed}${against}: it stops working on upgrade.`,
          evidence: [`apiVersion: ${obj.apiVersion} (kind ${kind}) → use ${d.replacement}`],
          remediation: `Change apiVersion to ${d.replacement} (kubectl convert, or the chart's newer version) and adjust the fields that changed.`,
          docsUrl: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
        });
      },
    };
  },
};
