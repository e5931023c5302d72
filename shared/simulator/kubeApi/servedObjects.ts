// How the simulated API server shows stored objects: their metadata, type meta filled in as the API server does, Secrets
// without data, and the discovery documents (/api, /apis/<group>/<version>) built from the served resources.
import { apiVersionOf, SERVED_RESOURCES, type KubeResource } from './resources.js';

type Obj = Record<string, unknown>;

export function metaOf(obj: Obj): { name: string; namespace: string; labels?: Record<string, string> } {
  const m = (obj.metadata ?? {}) as Obj;
  return {
    name: typeof m.name === 'string' ? m.name : '',
    namespace: typeof m.namespace === 'string' ? m.namespace : '',
    labels: (m.labels ?? undefined) as Record<string, string> | undefined,
  };
}

/** Secrets are served as names and metadata only: the simulated identity may know a Secret exists, never its data. */
export function redactForServing(resource: KubeResource, obj: Obj): Obj {
  if (resource.group === '' && resource.plural === 'secrets' && ('data' in obj || 'stringData' in obj)) {
    const { data: _d, stringData: _s, ...rest } = obj;
    return rest;
  }
  return obj;
}

export function withTypeMeta(resource: KubeResource, obj: Obj): Obj {
  if (obj.kind && obj.apiVersion) return obj;
  return { kind: resource.kind, apiVersion: apiVersionOf(resource), ...obj };
}

export function discoveryResources(groupVersion: { group: string; version: string }): Obj[] {
  const out: Obj[] = [];
  for (const r of SERVED_RESOURCES) {
    if (r.group !== groupVersion.group || r.version !== groupVersion.version) continue;
    out.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources ?? []) {
      out.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: sub === 'log' ? r.kind : r.kind,
        verbs: sub === 'log' ? ['get'] : ['get', 'patch', 'update'],
      });
    }
  }
  return out;
}

export function groupDoc(name: string, versions: string[]): Obj {
  const gv = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gv, preferredVersion: gv[0] };
}
