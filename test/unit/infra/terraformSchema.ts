// Checks Terraform (as @cdktf/hcl2json parses it) against the azurerm provider schema: every azurerm resource and data
// source type exists, every argument and nested block (also inside `dynamic` blocks) is one the provider has, and
// every required argument or block is set. Returns problems as "<address>: <what>" lines, empty when all is known.
import type { Hcl } from './terraformModel.js';
import type { BlockSchema, ProviderSchema } from './azurermSchema.js';

const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

function checkBlock(body: Hcl, schema: BlockSchema, address: string, problems: string[], topLevel: boolean): void {
  const present = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) continue;
    if (key === 'dynamic') {
      // dynamic "<block>" { content { ... } }: hcl2json gives { <block>: [ { for_each, content: [ {...} ] } ] }
      for (const [blockName, dyn] of Object.entries(value as Record<string, Hcl[]>)) {
        const nested = schema.blocks.get(blockName);
        if (!nested) {
          problems.push(`${address}: unknown block "${blockName}" (dynamic)`);
          continue;
        }
        present.add(blockName);
        for (const d of dyn) for (const content of (d.content as Hcl[] | undefined) ?? []) checkBlock(content, nested.schema, `${address}.${blockName}`, problems, false);
      }
      continue;
    }
    present.add(key);
    const nested = schema.blocks.get(key);
    if (nested) {
      const instances = Array.isArray(value) ? (value as Hcl[]) : [value as Hcl];
      for (const b of instances) {
        if (typeof b === 'object' && b !== null) checkBlock(b, nested.schema, `${address}.${key}`, problems, false);
        else problems.push(`${address}: "${key}" is a block, set as an argument`);
      }
    } else if (!schema.attributes.has(key)) {
      problems.push(`${address}: unknown argument "${key}"`);
    }
  }
  for (const [name, required] of schema.attributes) if (required && !present.has(name)) problems.push(`${address}: missing required argument "${name}"`);
  for (const [name, b] of schema.blocks) if (b.required && !present.has(name)) problems.push(`${address}: missing required block "${name}"`);
}

/** `files`: hcl2json output per .tf file. Only azurerm_* types are checked (azapi bodies are ARM payloads). */
export function checkAgainstSchema(files: Record<string, Hcl>, schema: ProviderSchema): { problems: string[]; checked: string[] } {
  const problems: string[] = [];
  const checked: string[] = [];
  for (const [file, json] of Object.entries(files)) {
    for (const [kind, table] of [
      ['resource', schema.resources],
      ['data', schema.dataSources],
    ] as const) {
      for (const [type, byName] of Object.entries((json[kind] ?? {}) as Record<string, Record<string, Hcl[]>>)) {
        if (!type.startsWith('azurerm_')) continue;
        for (const [name, blocks] of Object.entries(byName)) {
          const address = `${file}: ${kind === 'data' ? 'data.' : ''}${type}.${name}`;
          const s = table.get(type);
          if (!s) {
            problems.push(`${address}: unknown ${kind === 'data' ? 'data source' : 'resource'} type`);
            continue;
          }
          checked.push(`${kind === 'data' ? 'data.' : ''}${type}.${name}`);
          for (const body of blocks) checkBlock(body, s, address, problems, true);
        }
      }
    }
  }
  return { problems, checked };
}
