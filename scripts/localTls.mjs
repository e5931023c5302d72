// Plain-JS access to dev/tls.ts's certificate for scripts that run before anything is built.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export async function ensureLocalTlsSync(dataDir) {
  const certPath = path.resolve(dataDir, 'tls', 'localhost.crt');
  if (!existsSync(certPath)) {
    const r = spawnSync(
      process.execPath,
      ['-e', `import('${path.resolve('dist/dev/tls.js')}').then(m => m.ensureLocalTls(${JSON.stringify(dataDir)}))`],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('could not create the local TLS certificate');
  }
  return { certPath };
}
