// What a built app registers with the Functions host: the bundle is imported in a child process as the Functions
// worker imports it, with the functions-core stand-in (dev/functions-core) answering for the host's
// @azure/functions-core, and the functions it registered are read back with their bindings.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RegisteredFunction {
  name: string;
  bindings: Array<{ type: string } & Record<string, unknown>>;
}

export interface LoadedApp {
  status: number | null;
  stderr: string;
  /** Empty when the app did not load (see status and stderr). */
  functions: RegisteredFunction[];
}

/** Imports `appJs` from `cwd` (default: this process's) with `env` added to this process's environment. */
export function loadRegisteredFunctions(
  appJs: string,
  options: { cwd?: string; env?: Record<string, string> } = {},
): LoadedApp {
  const core = path.resolve('dev/functions-core/index.cjs');
  const script = `
    const { createRequire } = await import('node:module');
    const require = createRequire(${JSON.stringify(core)});
    const Module = require('node:module');
    const core = require(${JSON.stringify(core)});
    const original = Module._load;
    Module._load = function (r, p, m) { return r === '@azure/functions-core' ? core : original.call(this, r, p, m); };
    await import(${JSON.stringify(pathToFileURL(path.resolve(appJs)).href)});
    process.stdout.write(JSON.stringify(core.__state.functions.map((f) => ({
      name: f.metadata.name,
      bindings: Object.values(f.metadata.bindings),
    }))));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
  });
  return {
    status: r.status,
    stderr: r.stderr,
    functions: r.status === 0 ? (JSON.parse(r.stdout) as RegisteredFunction[]) : [],
  };
}
