// The Kubernetes resources a sweep lists, and how to address them on the API server. Secrets are deliberately
// absent: a sweep never reads Secret contents (or even lists Secrets).

export type ResourceKey =
  | 'events'
  | 'pods'
  | 'nodes'
  | 'services'
  | 'endpoints'
  | 'persistentvolumeclaims'
  | 'deployments'
  | 'replicasets'
  | 'statefulsets'
  | 'daemonsets'
  | 'jobs'
  | 'cronjobs'
  | 'ingresses'
  | 'ingressclasses'
  | 'horizontalpodautoscalers'
  | 'poddisruptionbudgets'
  | 'validatingwebhookconfigurations'
  | 'mutatingwebhookconfigurations'
  | 'configmaps'
  | 'serviceaccounts'
  | 'networkpolicies'
  | 'roles'
  | 'rolebindings'
  | 'clusterroles'
  | 'clusterrolebindings';

export interface KubeResource {
  key: ResourceKey;
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** Server-side filter applied when the sweep lists this resource. */
  fieldSelector?: string;
  /**
   * Not readable with Azure Kubernetes Service RBAC Reader (which mirrors the `view` ClusterRole: no cluster-scoped
   * objects, no RBAC objects); the custom role "aks-aiops Kubernetes cluster reader" grants it (infra/customRoles.json).
   */
  customRole?: boolean;
}

export const KUBE_RESOURCES: Record<ResourceKey, KubeResource> = {
  // Only Warning events: they carry the scheduler's, kubelet's and provisioner's explanations; Normal ones do not.
  events: { key: 'events', group: '', version: 'v1', kind: 'Event', namespaced: true, fieldSelector: 'type=Warning' },
  pods: { key: 'pods', group: '', version: 'v1', kind: 'Pod', namespaced: true },
  nodes: { key: 'nodes', group: '', version: 'v1', kind: 'Node', namespaced: false },
  services: { key: 'services', group: '', version: 'v1', kind: 'Service', namespaced: true },
  endpoints: { key: 'endpoints', group: '', version: 'v1', kind: 'Endpoints', namespaced: true },
  persistentvolumeclaims: {
    key: 'persistentvolumeclaims',
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
  },
  deployments: { key: 'deployments', group: 'apps', version: 'v1', kind: 'Deployment', namespaced: true },
  replicasets: { key: 'replicasets', group: 'apps', version: 'v1', kind: 'ReplicaSet', namespaced: true },
  statefulsets: { key: 'statefulsets', group: 'apps', version: 'v1', kind: 'StatefulSet', namespaced: true },
  daemonsets: { key: 'daemonsets', group: 'apps', version: 'v1', kind: 'DaemonSet', namespaced: true },
  jobs: { key: 'jobs', group: 'batch', version: 'v1', kind: 'Job', namespaced: true },
  cronjobs: { key: 'cronjobs', group: 'batch', version: 'v1', kind: 'CronJob', namespaced: true },
  ingresses: { key: 'ingresses', group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', namespaced: true },
  ingressclasses: {
    key: 'ingressclasses',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'IngressClass',
    namespaced: false,
  },
  horizontalpodautoscalers: {
    key: 'horizontalpodautoscalers',
    group: 'autoscaling',
    version: 'v2',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
  },
  poddisruptionbudgets: {
    key: 'poddisruptionbudgets',
    group: 'policy',
    version: 'v1',
    kind: 'PodDisruptionBudget',
    namespaced: true,
  },
  validatingwebhookconfigurations: {
    key: 'validatingwebhookconfigurations',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'ValidatingWebhookConfiguration',
    namespaced: false,
  },
  mutatingwebhookconfigurations: {
    key: 'mutatingwebhookconfigurations',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    kind: 'MutatingWebhookConfiguration',
    namespaced: false,
  },
  // Read for key names only (sensitive data in plain sight): values are never copied into a finding.
  configmaps: { key: 'configmaps', group: '', version: 'v1', kind: 'ConfigMap', namespaced: true },
  serviceaccounts: { key: 'serviceaccounts', group: '', version: 'v1', kind: 'ServiceAccount', namespaced: true },
  networkpolicies: {
    key: 'networkpolicies',
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    namespaced: true,
  },
  roles: {
    key: 'roles',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'Role',
    namespaced: true,
    customRole: true,
  },
  rolebindings: {
    key: 'rolebindings',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    namespaced: true,
    customRole: true,
  },
  clusterroles: {
    key: 'clusterroles',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    namespaced: false,
    customRole: true,
  },
  clusterrolebindings: {
    key: 'clusterrolebindings',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRoleBinding',
    namespaced: false,
    customRole: true,
  },
};

const byKind = new Map(Object.values(KUBE_RESOURCES).map((r) => [r.kind, r]));

/** The resource a dumped object belongs to, by its `kind`. */
export function resourceForKind(kind: string | undefined): KubeResource | undefined {
  return kind === undefined ? undefined : byKind.get(kind);
}

/** API path of a list: /api/v1/pods, /apis/apps/v1/namespaces/ns/deployments … */
export function listPath(
  resource: Pick<KubeResource, 'group' | 'version' | 'namespaced'> & { key: string },
  namespace?: string,
): string {
  const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return namespace && resource.namespaced
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.key}`
    : `${base}/${resource.key}`;
}

/**
 * The Azure RBAC data action that lets an identity list a resource through AKS-managed Entra integration with Azure
 * RBAC for Kubernetes Authorization. Used to say exactly what a 403 is missing.
 */
export function dataActionFor(resource: Pick<KubeResource, 'group' | 'key'>): string {
  const group = resource.group === '' ? '' : `${resource.group}/`;
  return `Microsoft.ContainerService/managedClusters/${group}${resource.key}/read`;
}
