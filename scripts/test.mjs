// `npm test [jest args]`: builds the bundle (e2e tests run it), makes sure the local TLS certificate exists, and
// runs jest under this project's Node 22 with that certificate trusted (NODE_EXTRA_CA_CERTS is read only at
// process start, so it must be set here, before jest and its workers start).
import { spawnSync } from 'node:child_process';
import { ensureLocalTlsSync } from './localTls.mjs';

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) {
  // In CI a broken build fails the run; while developing, tests that don't need dist/ can still run.
  if (process.env.CI) process.exit(build.status ?? 1);
  console.warn('\nWARNING: the build failed; tests that run dist/ will fail.\n');
}

const { certPath } = await ensureLocalTlsSync('.data');
const jest = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    '--no-warnings=ExperimentalWarning',
    'node_modules/jest/bin/jest.js',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath, AKS_AIOPS_TEST: '1' } },
);
process.exit(jest.status ?? 1);
