// Offline sweeps: objects from `kubectl get … -o yaml|json` dumps (single objects, Lists, multi-document YAML),
// from a file or every .yaml/.yml/.json file under a folder, served to the engine as one page per resource.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ValidationError } from '../errors.js';
import type { KubeObject } from '../kube/objects.js';
import { resourceForKind, type KubeResource, type ResourceKey } from '../kube/resources.js';
import type { ObjectSource } from '../kube/objectSource.js';

export interface SourceLocation {
  file: string;
  /** 1-based line where the object starts (1 for JSON files). */
  line: number;
}

export interface DumpContents {
  byResource: Map<ResourceKey, KubeObject[]>;
  /** Where each analysed object was read, by `kind/namespace/name`, for SARIF and JUnit output. */
  locations: Map<string, SourceLocation>;
  /** Objects of kinds no analyzer reads (ConfigMap, Secret …): counted, not analysed. */
  ignored: number;
  files: string[];
}

/** Objects of a parsed document: the document itself, or the items of a List (recursively). */
export function flattenObjects(doc: unknown, out: KubeObject[] = []): KubeObject[] {
  if (doc === null || typeof doc !== 'object') return out;
  if (Array.isArray(doc)) {
    for (const d of doc) flattenObjects(d, out);
    return out;
  }
  const o = doc as KubeObject & { items?: unknown };
  if (Array.isArray(o.items) && (o.kind === undefined || o.kind === 'List' || o.kind.endsWith('List'))) {
    const itemKind = o.kind && o.kind !== 'List' ? o.kind.slice(0, -'List'.length) : undefined;
    for (const item of o.items) {
      if (item && typeof item === 'object' && itemKind && (item as KubeObject).kind === undefined)
        (item as KubeObject).kind = itemKind;
      flattenObjects(item, out);
    }
    return out;
  }
  if (typeof o.kind === 'string') out.push(o);
  return out;
}

/** The key findings are located by: `kind/namespace/name` (namespace empty for cluster-scoped objects). */
export function locationKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

export function parseDumpText(text: string, fileName: string, lines?: Map<KubeObject, number>): KubeObject[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return flattenObjects(JSON.parse(text));
    } catch (err) {
      throw new ValidationError(`${fileName}: not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  const docs = parseAllDocuments(text);
  const out: KubeObject[] = [];
  // Line starts, so an object's offset in the file becomes the line a pull-request annotation points at.
  const lineStarts = lines ? [0, ...[...text.matchAll(/\n/g)].map((m) => (m.index ?? 0) + 1)] : [];
  const lineOf = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors.length > 0)
      throw new ValidationError(`${fileName}: not valid YAML: ${d.errors[0]?.message ?? 'parse error'}`);
    const before = out.length;
    flattenObjects(d.toJS(), out);
    if (!lines) continue;
    const contents = d.contents as { range?: [number, number, number] } | null;
    const items = d.get('items', true) as { items?: { range?: [number, number, number] }[] } | undefined;
    for (let i = before; i < out.length; i++) {
      const node = out.length - before > 1 ? items?.items?.[i - before] : contents;
      const obj = out[i];
      if (obj) lines.set(obj, lineOf(node?.range?.[0] ?? contents?.range?.[0] ?? 0));
    }
  }
  return out;
}

const DUMP_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

async function dumpFiles(target: string): Promise<string[]> {
  let info;
  try {
    info = await stat(target);
  } catch (err) {
    throw new ValidationError(`--file ${target}: no such file or folder`, { cause: err });
  }
  if (info.isFile()) return [target];
  const entries = await readdir(target, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && DUMP_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

export async function loadDumps(target: string): Promise<DumpContents> {
  const files = await dumpFiles(target);
  if (files.length === 0) throw new ValidationError(`--file ${target}: no .yaml, .yml or .json files found`);
  const byResource = new Map<ResourceKey, KubeObject[]>();
  const locations = new Map<string, SourceLocation>();
  let ignored = 0;
  for (const file of files) {
    const lines = new Map<KubeObject, number>();
    for (const obj of parseDumpText(await readFile(file, 'utf8'), file, lines)) {
      const resource = resourceForKind(obj.kind);
      if (!resource) {
        ignored++;
        continue;
      }
      // `helm template` and hand-written manifests often leave the namespace out: kubectl apply puts such objects
      // in the current namespace, "default" unless told otherwise; without this every cross-object match (Service
      // → pods, PDB → workload) would compare undefined with a name.
      if (resource.namespaced && !obj.metadata?.namespace) obj.metadata = { ...obj.metadata, namespace: 'default' };
      if (!resource.namespaced && obj.metadata?.namespace) delete obj.metadata.namespace;
      const name = obj.metadata?.name ?? '(unnamed)';
      locations.set(locationKey(resource.kind, obj.metadata?.namespace, name), { file, line: lines.get(obj) ?? 1 });
      const list = byResource.get(resource.key) ?? [];
      list.push(obj);
      byResource.set(resource.key, list);
    }
  }
  if (byResource.size === 0 && ignored === 0)
    throw new ValidationError(
      `--file ${target}: found no Kubernetes objects (expected \`kubectl get … -o yaml|json\` output: objects or Lists)`,
    );
  return { byResource, locations, ignored, files };
}

/** Serves in-memory objects; a namespace restriction filters namespaced resources. */
export function createDumpObjectSource(byResource: ReadonlyMap<ResourceKey, KubeObject[]>): ObjectSource {
  return {
    async *listPages(resource: KubeResource, options: { namespace?: string }) {
      const all = byResource.get(resource.key) ?? [];
      yield options.namespace && resource.namespaced
        ? all.filter((o) => o.metadata?.namespace === options.namespace)
        : all;
    },
  };
}
