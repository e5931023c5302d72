// Prepares what is deployed: a folder with exactly host.json, a package.json without dependencies and the bundle
// dist/app.js (every function with the Azure SDKs inside; @azure/functions-core comes from the worker). azure.yaml
// `dist:` points at it with remoteBuild off: nothing is installed or built in Azure, and no node_modules ship.
// (azd otherwise turns remote build on for a Node function app whose package leaves node_modules out, and Azure
// would run npm install and the build again on a tree without its sources.)
// Usage: node scripts/package.mjs [outDir]   (default build/package; run after scripts/build.mjs)
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PACKAGE_FILES = ['host.json', 'package.json', 'dist/app.js'];
/** Flex Consumption deploys a zip from blob storage; the budget for it. */
export const PACKAGE_BUDGET_BYTES = 15 * 1024 * 1024;

export function packageApp(root, outDir) {
  const bundle = path.join(root, 'dist', 'app.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run node scripts/build.mjs first`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'dist'), { recursive: true });
  copyFileSync(path.join(root, 'host.json'), path.join(outDir, 'host.json'));
  copyFileSync(bundle, path.join(outDir, 'dist', 'app.js'));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  // The Node worker reads `main` (and `type` for ESM); no dependencies: the bundle carries them.
  const deployed = {
    name: pkg.name,
    version: pkg.version,
    private: true,
    type: pkg.type,
    main: pkg.main,
    engines: pkg.engines,
  };
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(deployed, null, 2)}\n`);
  const bytes = PACKAGE_FILES.reduce((n, f) => n + statSync(path.join(outDir, f)).size, 0);
  return { outDir, files: PACKAGE_FILES, bytes };
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const out = path.resolve(root, process.argv[2] ?? 'build/package');
  const { files, bytes } = packageApp(root, out);
  const mb = (bytes / 1024 / 1024).toFixed(1);
  process.stdout.write(
    `package ${path.relative(root, out)}: ${files.join(', ')} = ${mb} MB (budget ${PACKAGE_BUDGET_BYTES / 1024 / 1024} MB)\n`,
  );
  if (bytes > PACKAGE_BUDGET_BYTES) {
    process.stderr.write('the package is over budget\n');
    process.exitCode = 1;
  }
}
