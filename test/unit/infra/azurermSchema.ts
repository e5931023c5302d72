// The azurerm provider's resource and data source schemas, offline, from @cdktf/provider-azurerm's jsii assembly
// (.jsii): it is generated from `terraform providers schema -json` of the provider version its package.json names
// (cdktf.provider.version), one Config interface per resource with each argument (required unless `optional`) and
// one datatype interface per nested block. The Terraform in infra/terraform is checked against it (terraformSchema.ts).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface BlockSchema {
  /** Terraform argument name -> required */
  attributes: Map<string, boolean>;
  /** Terraform nested block name -> required, and its schema */
  blocks: Map<string, { required: boolean; schema: BlockSchema }>;
}

export interface ProviderSchema {
  providerVersion: string;
  resources: Map<string, BlockSchema>;
  dataSources: Map<string, BlockSchema>;
}

type JsiiTypeRef = { fqn?: string; primitive?: string; union?: { types: JsiiTypeRef[] }; collection?: { kind: string; elementtype: JsiiTypeRef } };
type JsiiProperty = { name: string; optional?: boolean; type: JsiiTypeRef; docs?: { summary?: string; remarks?: string } };
type JsiiType = { fqn: string; kind: string; datatype?: boolean; properties?: JsiiProperty[]; interfaces?: string[]; docs?: { summary?: string }; initializer?: { parameters?: Array<{ type: JsiiTypeRef }> } };

const snake = (camel: string): string => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The Terraform name of a property: the anchor of its "Docs at Terraform Registry" link, else snake_case. */
function terraformName(p: JsiiProperty): string {
  const docs = `${p.docs?.summary ?? ''} ${p.docs?.remarks ?? ''}`;
  const m = /\{@link https:\/\/registry\.terraform\.io\/[^\s}]+#([a-z0-9_]+)\s/.exec(docs);
  return m?.[1] ?? snake(p.name);
}

/** The block datatype a property refers to (single block or list/set of blocks), or undefined for an attribute. */
function blockFqn(ref: JsiiTypeRef, types: Record<string, JsiiType>): string | undefined {
  const candidates: JsiiTypeRef[] = ref.union ? ref.union.types : [ref];
  for (const c of candidates) {
    const inner = c.collection?.kind === 'array' ? c.collection.elementtype : c;
    const t = inner.fqn ? types[inner.fqn] : undefined;
    if (t && t.kind === 'interface' && t.datatype && t.fqn.startsWith('@cdktf/provider-azurerm.')) return t.fqn;
  }
  return undefined;
}

// Terraform meta-arguments come from cdktf.TerraformMetaArguments, not the provider: handled by the checker.
const META = new Set(['count', 'forEach', 'dependsOn', 'lifecycle', 'provider', 'connection', 'provisioners']);

function blockSchema(fqn: string, types: Record<string, JsiiType>, seen: Set<string>): BlockSchema {
  const schema: BlockSchema = { attributes: new Map(), blocks: new Map() };
  const t = types[fqn];
  if (!t || seen.has(fqn)) return schema;
  const next = new Set(seen).add(fqn);
  for (const p of t.properties ?? []) {
    if (META.has(p.name)) continue;
    const name = terraformName(p);
    const nested = blockFqn(p.type, types);
    if (nested) schema.blocks.set(name, { required: !p.optional, schema: blockSchema(nested, types, next) });
    else schema.attributes.set(name, !p.optional);
  }
  return schema;
}

let cached: ProviderSchema | undefined;

export function loadAzurermSchema(): ProviderSchema {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@cdktf/provider-azurerm/package.json'));
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { cdktf: { provider: { version: string } } };
  const assembly = JSON.parse(fs.readFileSync(path.join(dir, '.jsii'), 'utf8')) as { types: Record<string, JsiiType> };
  const resources = new Map<string, BlockSchema>();
  const dataSources = new Map<string, BlockSchema>();
  for (const t of Object.values(assembly.types)) {
    if (t.kind !== 'class') continue;
    // "Represents a {@link https://registry.terraform.io/providers/hashicorp/azurerm/<v>/docs/resources/<n> azurerm_<n>}."
    const m = /\/docs\/(resources|data-sources)\/[a-z0-9_]+ (azurerm_[a-z0-9_]+)\}/.exec(t.docs?.summary ?? '');
    const config = t.initializer?.parameters?.[2]?.type.fqn;
    if (!m || !config) continue;
    (m[1] === 'resources' ? resources : dataSources).set(m[2]!, blockSchema(config, assembly.types, new Set()));
  }
  cached = { providerVersion: pkg.cdktf.provider.version, resources, dataSources };
  return cached;
}
