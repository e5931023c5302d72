// Offline sweeps: objects from `kubectl get … -o yaml|json` dumps (single objects, Lists, multi-document YAML),
// from a file or every .yaml/.yml/.json file under a folder, served to the engine as one page per resource.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ValidationError } from '../errors.js';
import type { KubeObject } from '../kube/objects.js';
import { resourceForKind, type KubeResource, type ResourceKey } from '../kube/resources.js';
import type { ObjectSource } from './objectSource.js';

export interface DumpContents {
  byResource: Map<ResourceKey, KubeObject[]>;
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

export function parseDumpText(text: string, fileName: string): KubeObject[] {
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
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors.length > 0)
      throw new ValidationError(`${fileName}: not valid YAML: ${d.errors[0]?.message ?? 'parse error'}`);
    flattenObjects(d.toJS(), out);
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
  let ignored = 0;
  for (const file of files) {
    for (const obj of parseDumpText(await readFile(file, 'utf8'), file)) {
      const resource = resourceForKind(obj.kind);
      if (!resource) {
        ignored++;
        continue;
      }
      const list = byResource.get(resource.key) ?? [];
      list.push(obj);
      byResource.set(resource.key, list);
    }
  }
  if (byResource.size === 0 && ignored === 0)
    throw new ValidationError(
      `--file ${target}: found no Kubernetes objects (expected \`kubectl get … -o yaml|json\` output: objects or Lists)`,
    );
  return { byResource, ignored, files };
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
