// Builds the deployable bundle (dist/app.js: every function, Azure SDKs included), the CLI (dist/cli.js), the dev
// host and the benchmarks, with esbuild. ESM output; a createRequire banner lets bundled CommonJS dependencies
// (e.g. @azure/functions) require Node built-ins and the worker-provided @azure/functions-core.
import { build } from 'esbuild';
import { readFileSync, readdirSync, existsSync, mkdirSync, copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

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
      // bench/support/ holds helpers the benchmarks import, not benchmarks.
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith(`support${path.sep}`))
      .map((f) => path.join('bench', f))
  : [];

// The docs page and dashboard (web/) and Swagger UI (swagger-ui-dist) go to dist/assets/, beside the bundle, where
// shared/web/staticAssets.ts reads them: dist/ is what is deployed, node_modules is not (.funcignore).
function copyAssets() {
  const out = path.join('dist', 'assets');
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync('web')) copyFileSync(path.join('web', f), path.join(out, f));
  const swagger = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const f of ['swagger-ui-bundle.js', 'swagger-ui.css']) copyFileSync(path.join(swagger, f), path.join(out, f));
}
copyAssets();

// No clean step: several builds may run at once while developing, and esbuild overwrites every output.
await Promise.all([
  // The app's metafile (which sources the bundle holds, and why) goes beside it, not into the deployed package
  // (scripts/package.mjs copies dist/app.js only): test/unit/architecture/bundleContents.test.ts reads it.
  build({ ...common, entryPoints: { app: 'functions/index.ts' }, outdir: 'dist', metafile: true }).then((r) =>
    writeFileSync(path.join('dist', 'app.meta.json'), JSON.stringify(r.metafile)),
  ),
  build({
    ...common,
    entryPoints: { cli: 'cli/main.ts' },
    outdir: 'dist',
    banner: { js: `#!/usr/bin/env node\n${banner.js}` },
  }),
  build({ ...common, entryPoints: ['dev/*.ts'], outdir: 'dist/dev', external: [...common.external, 'azurite'] }),
  benchEntries.length > 0
    ? build({ ...common, entryPoints: benchEntries, outdir: 'dist/bench', outbase: 'bench' })
    : Promise.resolve(),
]);
