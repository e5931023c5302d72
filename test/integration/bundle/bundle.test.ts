import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// What is deployed is dist/app.js alone (.funcignore leaves node_modules out): it must load and register every
// function with no node_modules around it, given only the worker-provided @azure/functions-core.
describe('the deployable bundle', () => {
  it('loads from an empty folder and registers every function', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    copyFileSync('dist/app.js', path.join(dir, 'app.js'));
    const core = path.resolve('dev/functions-core/index.cjs');
    const script = `
      const { createRequire } = await import('node:module');
      const require = createRequire(${JSON.stringify(core)});
      const Module = require('node:module');
      const core = require(${JSON.stringify(core)});
      const original = Module._load;
      Module._load = function (r, p, m) { return r === '@azure/functions-core' ? core : original.call(this, r, p, m); };
      await import(${JSON.stringify(`file://${path.join(dir, 'app.js')}`)});
      process.stdout.write(JSON.stringify(core.__state.functions.map((f) => ({ name: f.metadata.name, bindings: Object.values(f.metadata.bindings).map((b) => b.type) }))));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/Cannot find (module|package)/);
    expect(r.status).toBe(0);
    const functions = JSON.parse(r.stdout) as Array<{ name: string; bindings: string[] }>;
    const names = functions.map((f) => f.name);
    expect(names).toContain('health');
    // Every trigger group contributes functions (see functions/index.ts).
    const source = readFileSync('functions/index.ts', 'utf8');
    expect(source).toMatch(/import '\.\/health\.js'/);
    expect(functions.every((f) => f.bindings.some((b) => /Trigger$/.test(b)))).toBe(true);
  });

  it('main in package.json points at the bundle and .funcignore keeps sources and tests out', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/app.js');
    const ignore = readFileSync('.funcignore', 'utf8').split('\n');
    for (const entry of ['test/', 'shared/', 'functions/', 'node_modules/', '*.ts']) expect(ignore).toContain(entry);
  });
});
