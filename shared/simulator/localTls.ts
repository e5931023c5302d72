// One self-signed certificate for the simulated cluster and every local HTTPS stand-in (simulated Kubernetes API,
// ARM, Logs Ingestion, Log Analytics). It is generated once per data folder and trusted by processes that get its
// path in NODE_EXTRA_CA_CERTS (npm start and npm test set that), and by kubeconfigs through
// certificate-authority-data.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface LocalTls {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

export async function ensureLocalTls(dataDir: string): Promise<LocalTls> {
  const dir = path.join(dataDir, 'tls');
  const certPath = path.join(dir, 'localhost.crt');
  const keyPath = path.join(dir, 'localhost.key');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), certPath, keyPath };
  }
  await mkdir(dir, { recursive: true });
  const notAfter = new Date();
  notAfter.setFullYear(notAfter.getFullYear() + 5);
  const pems = await generate([{ name: 'commonName', value: 'aks-aiops local' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return { cert: pems.cert, key: pems.private, certPath, keyPath };
}
