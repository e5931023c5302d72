// Reads the custom role definitions Bicep and Terraform declare, resolving their permissions either from literals or
// from the shared JSON file each side loads (Bicep `var x = loadJsonContent(...)`, Terraform `jsondecode(file(...))`),
// so the parity test compares what would actually be deployed, not just expressions.
import fs from 'node:fs';
import path from 'node:path';
import { blockAfter, bicepResources, type BicepFile } from './bicepModel.js';
import type { Hcl, TerraformModel } from './terraformModel.js';

export interface CustomRoleDeclaration {
  /** Where it is declared: file and symbol, or the Terraform address. */
  where: string;
  /** The role name from the shared file (the deployed name appends the resource token). */
  roleName: string | undefined;
  actions: string[];
  dataActions: string[];
  notDataActions: string[];
}

/** Follows `a.b.c` into `json` (the part after the variable that holds it). */
function follow(json: unknown, pathParts: string[]): unknown {
  let v = json;
  for (const p of pathParts) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `var <name> = loadJsonContent('<path>')` in one Bicep file, as name -> parsed JSON. */
function bicepJsonVars(file: BicepFile): Map<string, unknown> {
  const vars = new Map<string, unknown>();
  for (const m of file.code.matchAll(/^var\s+(\w+)\s*=\s*loadJsonContent\('([^']+)'\)/gm)) {
    vars.set(m[1]!, JSON.parse(fs.readFileSync(path.resolve(path.dirname(file.file), m[2]!), 'utf8')));
  }
  return vars;
}

/** A Bicep property value: a literal array of strings, or a reference into a loadJsonContent variable. */
function bicepValue(body: string, property: string, vars: Map<string, unknown>): unknown {
  const m = new RegExp(`^\\s*${property}:\\s*(.+)$`, 'm').exec(body);
  if (!m) return undefined;
  const expr = m[1]!.trim();
  if (expr.startsWith('[')) {
    const start = body.indexOf('[', m.index);
    const end = body.indexOf(']', start);
    return [...body.slice(start, end).matchAll(/'([^']*)'/g)].map((s) => s[1]!);
  }
  const ref = /^(\w+)((?:\.\w+)+)$/.exec(expr) ?? /\$\{(\w+)((?:\.\w+)+)\}/.exec(expr);
  if (ref && vars.has(ref[1]!)) return follow(vars.get(ref[1]!), ref[2]!.slice(1).split('.'));
  const literal = /^'([^'$]*)'$/.exec(expr);
  return literal ? literal[1] : undefined;
}

export function bicepCustomRoles(files: BicepFile[]): CustomRoleDeclaration[] {
  const out: CustomRoleDeclaration[] = [];
  for (const r of bicepResources(files).filter((r) => r.type === 'Microsoft.Authorization/roleDefinitions' && !r.existing)) {
    const file = files.find((f) => f.file === r.file)!;
    const body = blockAfter(file.code, new RegExp(`^resource\\s+${r.symbol}\\s+'[^']+'[^\\n]*=`, 'm')) ?? '';
    const vars = bicepJsonVars(file);
    const name = bicepValue(body, 'roleName', vars);
    out.push({
      where: `${path.basename(r.file)}:${r.symbol}`,
      roleName: typeof name === 'string' ? name : undefined,
      actions: asStrings(bicepValue(body, 'actions', vars)),
      dataActions: asStrings(bicepValue(body, 'dataActions', vars)),
      notDataActions: asStrings(bicepValue(body, 'notDataActions', vars)),
    });
  }
  return out;
}

/** A Terraform attribute: a literal list, or `${local.<x>.<path>}` where local.x is `jsondecode(file("${path.module}/<f>"))`. */
function terraformValue(value: unknown, tf: TerraformModel, tfDir: string): unknown {
  if (typeof value !== 'string') return value;
  const ref = /\$\{local\.(\w+)((?:\.\w+)+)\}/.exec(value);
  if (!ref) return value;
  const decl = String(tf.locals[ref[1]!] ?? '');
  const file = /^\$\{jsondecode\(file\("\$\{path\.module\}\/([^"]+)"\)\)\}$/.exec(decl);
  if (!file) return undefined;
  return follow(JSON.parse(fs.readFileSync(path.resolve(tfDir, file[1]!), 'utf8')), ref[2]!.slice(1).split('.'));
}

export function terraformCustomRoles(tf: TerraformModel, tfDir: string): CustomRoleDeclaration[] {
  return Object.entries<Hcl>(tf.resources.azurerm_role_definition ?? {}).map(([name, r]) => {
    const perms = ((r.permissions as Hcl[] | undefined) ?? [])[0] ?? {};
    const roleName = terraformValue(r.name, tf, tfDir);
    return {
      where: `azurerm_role_definition.${name}`,
      roleName: typeof roleName === 'string' ? roleName : undefined,
      actions: asStrings(terraformValue(perms.actions, tf, tfDir)),
      dataActions: asStrings(terraformValue(perms.data_actions, tf, tfDir)),
      notDataActions: asStrings(terraformValue(perms.not_data_actions, tf, tfDir)),
    };
  });
}
