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

type Scope = 'namespaced' | 'cluster';
/** One resource as `kubectl api-resources` prints it: API version (`v1` is the core group), kind, scope. */
type ResourceRow = [
  apiVersion: string,
  kind: string,
  scope: Scope,
  extra?: Pick<KubeResource, 'fieldSelector' | 'customRole'>,
];

function resourceTable(rows: Record<ResourceKey, ResourceRow>): Record<ResourceKey, KubeResource> {
  const table = {} as Record<ResourceKey, KubeResource>;
  for (const [key, [apiVersion, kind, scope, extra]] of Object.entries(rows) as Array<[ResourceKey, ResourceRow]>) {
    const slash = apiVersion.lastIndexOf('/');
    table[key] = {
      key,
      group: slash < 0 ? '' : apiVersion.slice(0, slash),
      version: apiVersion.slice(slash + 1),
      kind,
      namespaced: scope === 'namespaced',
      ...extra,
    };
  }
  return table;
}

export const KUBE_RESOURCES = resourceTable({
  // Only Warning events: they carry the scheduler's, kubelet's and provisioner's explanations; Normal ones do not.
  events: ['v1', 'Event', 'namespaced', { fieldSelector: 'type=Warning' }],
  pods: ['v1', 'Pod', 'namespaced'],
  nodes: ['v1', 'Node', 'cluster'],
  services: ['v1', 'Service', 'namespaced'],
  endpoints: ['v1', 'Endpoints', 'namespaced'],
  persistentvolumeclaims: ['v1', 'PersistentVolumeClaim', 'namespaced'],
  deployments: ['apps/v1', 'Deployment', 'namespaced'],
  replicasets: ['apps/v1', 'ReplicaSet', 'namespaced'],
  statefulsets: ['apps/v1', 'StatefulSet', 'namespaced'],
  daemonsets: ['apps/v1', 'DaemonSet', 'namespaced'],
  jobs: ['batch/v1', 'Job', 'namespaced'],
  cronjobs: ['batch/v1', 'CronJob', 'namespaced'],
  ingresses: ['networking.k8s.io/v1', 'Ingress', 'namespaced'],
  ingressclasses: ['networking.k8s.io/v1', 'IngressClass', 'cluster'],
  horizontalpodautoscalers: ['autoscaling/v2', 'HorizontalPodAutoscaler', 'namespaced'],
  poddisruptionbudgets: ['policy/v1', 'PodDisruptionBudget', 'namespaced'],
  validatingwebhookconfigurations: ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'cluster'],
  mutatingwebhookconfigurations: ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'cluster'],
  // Read for key names only (sensitive data in plain sight): values are never copied into a finding.
  configmaps: ['v1', 'ConfigMap', 'namespaced'],
  serviceaccounts: ['v1', 'ServiceAccount', 'namespaced'],
  networkpolicies: ['networking.k8s.io/v1', 'NetworkPolicy', 'namespaced'],
  roles: ['rbac.authorization.k8s.io/v1', 'Role', 'namespaced', { customRole: true }],
  rolebindings: ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'namespaced', { customRole: true }],
  clusterroles: ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'cluster', { customRole: true }],
  clusterrolebindings: ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'cluster', { customRole: true }],
});

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
