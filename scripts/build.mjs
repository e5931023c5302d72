// Builds the deployable bundle (dist/app.js: every function, Azure SDKs included), the CLI (dist/cli.js), the dev
// host and the benchmarks, with esbuild. ESM output; a createRequire banner lets bundled CommonJS dependencies
// (e.g. @azure/functions) require Node built-ins and the worker-provided @azure/functions-core.
import { build } from 'esbuild';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const banner = {
  js: [
    "import { createRequire as __aksCreateRequire } from 'node:module';",
    'const require = __aksCreateRequire(import.meta.url);',
  ].join('\n'),
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: 'linked',
  banner,
  logLevel: 'warning',
  define: { __AKS_AIOPS_VERSION__: JSON.stringify(pkg.version) },
  // Provided by the Functions worker in Azure and by dev/functions-core locally.
  external: ['@azure/functions-core'],
};

const benchEntries = existsSync('bench')
  ? readdirSync('bench', { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .map((f) => path.join('bench', f))
  : [];

// No clean step: several builds may run at once while developing, and esbuild overwrites every output.
await Promise.all([
  build({ ...common, entryPoints: { app: 'functions/index.ts' }, outdir: 'dist' }),
  build({
    ...common,
    entryPoints: { cli: 'shared/cli/main.ts' },
    outdir: 'dist',
    banner: { js: `#!/usr/bin/env node\n${banner.js}` },
  }),
  build({ ...common, entryPoints: ['dev/*.ts'], outdir: 'dist/dev', external: [...common.external, 'azurite'] }),
  benchEntries.length > 0
    ? build({ ...common, entryPoints: benchEntries, outdir: 'dist/bench', outbase: 'bench' })
    : Promise.resolve(),
]);
