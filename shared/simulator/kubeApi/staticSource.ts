// A KubeObjectSource over a fixed set of objects (a fixture dump, a hand-built scenario in a test).
import type { KubeObjectSource } from './kubeObjectSource.js';
import { resourceForObject, resourceKey, type KubeResource } from './resources.js';

function meta(obj: Record<string, unknown>): { name: string; namespace: string } {
  const m = (obj.metadata ?? {}) as Record<string, unknown>;
  return {
    name: typeof m.name === 'string' ? m.name : '',
    namespace: typeof m.namespace === 'string' ? m.namespace : '',
  };
}

/** etcd's key order: /registry/<resource>/<namespace>/<name>. */
export function compareByNamespaceAndName(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ma = meta(a);
  const mb = meta(b);
  if (ma.namespace !== mb.namespace) return ma.namespace < mb.namespace ? -1 : 1;
  return ma.name < mb.name ? -1 : ma.name > mb.name ? 1 : 0;
}

/**
 * Serves `objects` (any served kind; apiVersion + kind decide the resource). Objects of unknown kinds throw, so a
 * typo in a fixture is caught rather than silently dropped. `logs` keys: `${ns}/${pod}/${container}` for the current
 * container log and the same with a `/previous` suffix for the last terminated one.
 */
export function createStaticKubeSource(
  objects: Array<Record<string, unknown>>,
  options: { logs?: Record<string, string> } = {},
): KubeObjectSource {
  const byResource = new Map<string, Array<Record<string, unknown>>>();
  for (const obj of objects) {
    const res = resourceForObject(obj);
    if (!res)
      throw new Error(
        `createStaticKubeSource: no served resource for apiVersion=${String(obj.apiVersion)} kind=${String(obj.kind)}`,
      );
    const key = resourceKey(res);
    const list = byResource.get(key) ?? [];
    list.push(obj);
    byResource.set(key, list);
  }
  for (const list of byResource.values()) list.sort(compareByNamespaceAndName);
  const logs = options.logs ?? {};

  const select = (resource: KubeResource, namespace?: string) => {
    const all = byResource.get(resourceKey(resource)) ?? [];
    return namespace === undefined ? all : all.filter((o) => meta(o).namespace === namespace);
  };
  return {
    list: select,
    count: (resource, namespace) => select(resource, namespace).length,
    podLog(namespace, pod, container, previous) {
      let name = container;
      if (name === undefined) {
        const podObj = select(
          { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true },
          namespace,
        ).find((p) => meta(p).name === pod);
        const containers = ((podObj?.spec as Record<string, unknown> | undefined)?.containers ?? []) as Array<{
          name?: string;
        }>;
        name = containers[0]?.name;
      }
      return logs[`${namespace}/${pod}/${name ?? ''}${previous ? '/previous' : ''}`];
    },
    revision: () => '1',
  };
}
