import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadRegisteredFunctions } from '../../support/registeredFunctions.js';
// @ts-expect-error scripts/package.mjs is plain JavaScript (no declarations); it is what azd runs.
import { packageApp, PACKAGE_BUDGET_BYTES } from '../../../scripts/package.mjs';

type Packaged = { outDir: string; files: string[]; bytes: number };
const packaged = (): Packaged =>
  (packageApp as (root: string, out: string) => Packaged)(process.cwd(), mkdtempSync(path.join(tmpdir(), 'package-')));

// What is deployed is the folder scripts/package.mjs prepares (azure.yaml dist:): host.json, package.json and the
// bundle, nothing else. The bundle must load and register every function with no node_modules around it, given only
// the worker-provided @azure/functions-core.
describe('the deployable package', () => {
  it('holds exactly host.json, package.json and the bundle, within budget', () => {
    const { outDir, bytes } = packaged();
    const all = readdirSync(outDir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.relative(outDir, path.join(d.parentPath, d.name)));
    expect(all.sort()).toEqual(['dist/app.js', 'host.json', 'package.json']);
    expect(bytes).toBeLessThanOrEqual(PACKAGE_BUDGET_BYTES as number);
    const pkg = JSON.parse(readFileSync(path.join(outDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ main: 'dist/app.js', type: 'module' });
    // Nothing to install in Azure.
    expect(pkg).not.toHaveProperty('dependencies');
    expect(pkg).not.toHaveProperty('devDependencies');
    expect(pkg).not.toHaveProperty('scripts');
    expect(readFileSync(path.join(outDir, 'host.json'), 'utf8')).toBe(readFileSync('host.json', 'utf8'));
  });

  it('azure.yaml ships that folder with remote build off and wires the webhook after deploy and provision', () => {
    const azd = parse(readFileSync('azure.yaml', 'utf8')) as {
      services: Record<string, { dist?: string; remoteBuild?: boolean; host: string }>;
      hooks: Record<string, { posix: { shell: string; run: string }; windows: { shell: string; run: string } }>;
    };
    expect(azd.services.api).toMatchObject({ host: 'function', dist: 'build/package', remoteBuild: false });
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.package).toContain('scripts/package.mjs');
    expect(azd.hooks.postdeploy?.posix.run).toMatch(/^\.\/scripts\/wire-alerts\.sh$/);
    expect(azd.hooks.postprovision?.posix.run).toMatch(/wire-alerts\.sh --if-deployed$/);
    for (const hook of Object.values(azd.hooks)) expect(hook.posix.shell).toBe('sh');
    const script = readFileSync('scripts/wire-alerts.sh', 'utf8');
    for (const v of [
      'AZURE_SUBSCRIPTION_ID',
      'AZURE_RESOURCE_GROUP',
      'AZURE_FUNCTION_APP_NAME',
      'AZURE_ACTION_GROUP_ID',
    ])
      expect(script).toContain(v);
  });

  it('loads from the package folder alone and registers every function', () => {
    const dir = path.join(packaged().outDir, 'dist');
    const r = loadRegisteredFunctions(path.join(dir, 'app.js'), { cwd: dir });
    expect(r.stderr).not.toMatch(/Cannot find (module|package)/);
    expect(r.status).toBe(0);
    const functions = r.functions.map((f) => ({ name: f.name, bindings: f.bindings.map((b) => b.type) }));
    const names = functions.map((f) => f.name);
    expect(names).toContain('health');
    // Every trigger group contributes functions (see functions/index.ts).
    const source = readFileSync('functions/index.ts', 'utf8');
    expect(source).toMatch(/import '\.\/health\.js'/);
    expect(functions.every((f) => f.bindings.some((b) => /Trigger$/.test(b)))).toBe(true);
  });

  it('main in package.json points at the bundle', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/app.js');
  });
});
