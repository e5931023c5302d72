// Serves a simulated fleet (shared/simulator/aks/fleet.ts) on loopback: one HTTPS Kubernetes API server per cluster,
// each on its own port of 127.0.0.1 with its own self-signed CA (so a sweep that mixed up two clusters' kubeconfigs
// would fail TLS verification), all accepting the managed identity's tokens for the one AKS server application, as
// every Entra-enabled AKS cluster does. Content is generated from the member's seed on demand (largeCluster.ts), so
// a listener costs a socket and a closure, not a cluster's objects: 1,000 clusters fit in one process.
//
// Why one port per cluster on 127.0.0.1 rather than 127.0.x.y addresses: a port per server needs no address
// configuration, and each listener carries its own certificate without SNI (clients send no SNI for IP addresses).
// Certificates are EC P-256 made by `openssl req -x509` once and kept under <tlsDir>/fleet (about 25 ms each).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { AKS_SERVER_APP_ID, type LocalCluster } from '../standins/localAzure.js';
import { startKubeApiServer, type KubeApiServer } from '../../shared/simulator/kubeApi/kubeApiServer.js';
import { createLargeClusterSource } from '../../shared/simulator/cluster/largeCluster.js';
import type { FleetMember } from '../../shared/simulator/aks/fleet.js';

const run = promisify(execFile);

export interface FleetServers {
  /** What the ARM stand-in serves, one per member given (in order). */
  clusters: LocalCluster[];
  /** Members whose listClusterUserCredential answers 403 (ArmFaults.forbidClusterCredentials). */
  forbidCredentials: string[];
  /** API server requests served, over all clusters. */
  requestCount(): number;
  close(): Promise<void>;
}

/** A loopback address and port with nothing listening: connections are refused, as for an unreachable API server. */
const REFUSED_URL = 'https://127.0.0.1:9';

async function clusterCertificate(dir: string, name: string): Promise<{ cert: string; key: string }> {
  const certPath = path.join(dir, `${name}.crt`);
  const keyPath = path.join(dir, `${name}.key`);
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '3650',
      '-subj',
      `/CN=${name} API server`,
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-addext',
      'extendedKeyUsage=serverAuth',
    ]);
  }
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
    }),
  );
  return out;
}

export async function startFleetServers(options: {
  members: readonly FleetMember[];
  /** Certificates are kept in <tlsDir>/fleet. */
  tlsDir: string;
  verifyToken: (token: string | undefined, audience: string) => 'ok' | 'unauthorized' | 'forbidden';
}): Promise<FleetServers> {
  const dir = path.join(options.tlsDir, 'fleet');
  await mkdir(dir, { recursive: true });
  const servers: KubeApiServer[] = [];
  try {
    const clusters = await mapLimited(options.members, 4, async (m): Promise<LocalCluster> => {
      const base = { id: m.id, location: m.location, kubernetesVersion: m.kubernetesVersion, properties: m.properties };
      if (m.role === 'unreachable' || m.role === 'private') {
        // Nothing answers; the CA is the one the cluster would have.
        const tls = await clusterCertificate(dir, m.name);
        return { ...base, kubeApiUrl: REFUSED_URL, caPem: tls.cert };
      }
      const tls = await clusterCertificate(dir, m.name);
      const server = await startKubeApiServer({
        source: createLargeClusterSource({ nodes: m.nodes, pods: m.pods, seed: m.seed, failingShare: m.failingShare }),
        tls,
        authenticate: (token) => options.verifyToken(token, AKS_SERVER_APP_ID),
      });
      servers.push(server);
      return { ...base, kubeApiUrl: server.url, caPem: tls.cert };
    });
    return {
      clusters,
      forbidCredentials: options.members.filter((m) => m.role === 'forbidden').map((m) => m.id),
      requestCount: () => servers.reduce((sum, s) => sum + s.requestCount(), 0),
      close: async () => {
        await Promise.all(servers.map((s) => s.close()));
      },
    };
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()));
    throw err;
  }
}
