// The resources the simulated API server serves, with the discovery data (verbs, short names, categories) a real
// v1.30 API server publishes for them, so kubectl's discovery-driven commands (get, top, api-resources) work.

export interface KubeResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export interface ServedResource extends KubeResource {
  singular: string;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  /** Subresources served read-only (e.g. pods/log). */
  subresources?: string[];
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function r(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ServedResource> = {},
): ServedResource {
  return { group, version, plural, kind, namespaced, singular: kind.toLowerCase(), verbs: CRUD, ...extra };
}

export const SERVED_RESOURCES: readonly ServedResource[] = [
  r('', 'v1', 'namespaces', 'Namespace', false, { shortNames: ['ns'] }),
  r('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'] }),
  r('', 'v1', 'pods', 'Pod', true, { shortNames: ['po'], categories: ['all'], subresources: ['log', 'status'] }),
  r('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  r('', 'v1', 'services', 'Service', true, { shortNames: ['svc'], categories: ['all'] }),
  r('', 'v1', 'endpoints', 'Endpoints', true, { shortNames: ['ep'], singular: 'endpoints' }),
  r('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  r('', 'v1', 'secrets', 'Secret', true),
  r('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'] }),
  r('', 'v1', 'persistentvolumes', 'PersistentVolume', false, { shortNames: ['pv'] }),
  r('apps', 'v1', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status'],
  }),
  r('apps', 'v1', 'replicasets', 'ReplicaSet', true, { shortNames: ['rs'], categories: ['all'] }),
  r('apps', 'v1', 'statefulsets', 'StatefulSet', true, { shortNames: ['sts'], categories: ['all'] }),
  r('apps', 'v1', 'daemonsets', 'DaemonSet', true, { shortNames: ['ds'], categories: ['all'] }),
  r('batch', 'v1', 'jobs', 'Job', true, { categories: ['all'] }),
  r('batch', 'v1', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: ['all'] }),
  r('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, {
    shortNames: ['hpa'],
    categories: ['all'],
  }),
  r('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, { shortNames: ['pdb'] }),
  r('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, { shortNames: ['ing'] }),
  r('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false),
  r('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  r('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  r('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  r('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  r('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  r('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  r('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, { shortNames: ['sc'] }),
  r('admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'ValidatingWebhookConfiguration', false, {
    categories: ['api-extensions'],
  }),
  r('admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'MutatingWebhookConfiguration', false, {
    categories: ['api-extensions'],
  }),
  r('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false, { singular: '', verbs: ['get', 'list'] }),
  r('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', true, { singular: '', verbs: ['get', 'list'] }),
];

/** `apiVersion` as objects carry it: `v1` for the core group, `<group>/<version>` otherwise. */
export function apiVersionOf(resource: Pick<KubeResource, 'group' | 'version'>): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

export function findServedResource(group: string, version: string, plural: string): ServedResource | undefined {
  return SERVED_RESOURCES.find((x) => x.group === group && x.version === version && x.plural === plural);
}

/** The resource an object belongs to, from its apiVersion and kind. */
export function resourceForObject(obj: Record<string, unknown>): ServedResource | undefined {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return SERVED_RESOURCES.find((x) => x.group === group && x.version === version && x.kind === kind);
}

export function resourceKey(resource: Pick<KubeResource, 'group' | 'plural'>): string {
  return `${resource.group}/${resource.plural}`;
}

/** API groups in the order a real server lists them (core first, then by registration). */
export function servedGroups(): Array<{ name: string; versions: string[] }> {
  const groups: Array<{ name: string; versions: string[] }> = [];
  for (const res of SERVED_RESOURCES) {
    let g = groups.find((x) => x.name === res.group);
    if (!g) {
      g = { name: res.group, versions: [] };
      groups.push(g);
    }
    if (!g.versions.includes(res.version)) g.versions.push(res.version);
  }
  return groups;
}
