// Reads infra/terraform/*.tf with @cdktf/hcl2json (a real HCL parser) into one merged JSON model.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

// HCL converted to JSON is untyped by nature; the tests assert on its shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Hcl = Record<string, any>;

export interface TerraformModel {
  files: Record<string, Hcl>;
  /** resource type -> resource name -> first block */
  resources: Record<string, Record<string, Hcl>>;
  data: Record<string, Record<string, Hcl>>;
  locals: Hcl;
  variables: Record<string, Hcl>;
  outputs: string[];
}

export async function readTerraform(dir: string): Promise<TerraformModel> {
  const model: TerraformModel = { files: {}, resources: {}, data: {}, locals: {}, variables: {}, outputs: [] };
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
    const json = await parse(name, fs.readFileSync(path.join(dir, name), 'utf8'));
    model.files[name] = json;
    for (const [type, byName] of Object.entries<Hcl>(json.resource ?? {})) {
      for (const [n, blocks] of Object.entries<Hcl[]>(byName)) (model.resources[type] ??= {})[n] = blocks[0]!;
    }
    for (const [type, byName] of Object.entries<Hcl>(json.data ?? {})) {
      for (const [n, blocks] of Object.entries<Hcl[]>(byName)) (model.data[type] ??= {})[n] = blocks[0]!;
    }
    for (const block of (json.locals ?? []) as Hcl[]) Object.assign(model.locals, block);
    for (const [n, blocks] of Object.entries<Hcl[]>(json.variable ?? {})) model.variables[n] = blocks[0]!;
    model.outputs.push(...Object.keys(json.output ?? {}));
  }
  return model;
}
