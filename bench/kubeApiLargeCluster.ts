// bench/kubeApiLargeCluster: how fast the simulated API server streams a large cluster page by page (the load a fleet
// sweep puts on it). Prints pages, bytes, wall time and server memory growth; the client only counts bytes, so the
// figures are the server's.
//
//   node dist/bench/kubeApiLargeCluster.js [--nodes 5000] [--pods 150000] [--limit 500]
import { ensureLocalTls } from '../dev/tls.js';
import { createLargeClusterSource } from '../shared/simulator/cluster/largeCluster.js';
import { startKubeApiServer } from '../shared/simulator/kubeApi/kubeApiServer.js';
import { request } from 'node:https';
import { numberArg } from './support/args.js';

const nodes = numberArg('nodes', 5000);
const pods = numberArg('pods', 150_000);
const limit = numberArg('limit', 500);
const tls = await ensureLocalTls('.data');
const server = await startKubeApiServer({ source: createLargeClusterSource({ nodes, pods }), tls, token: 'bench' });

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { ca: tls.cert, headers: { Authorization: 'Bearer bench' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listAll(path: string): Promise<{ items: number; pages: number; bytes: number; ms: number }> {
  const t0 = performance.now();
  let token: string | undefined;
  let items = 0;
  let pages = 0;
  let bytes = 0;
  do {
    const res = await get(`${path}?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    const page = JSON.parse(res.body) as { items: unknown[]; metadata: { continue?: string } };
    items += page.items.length;
    bytes += res.body.length;
    pages++;
    token = page.metadata.continue;
  } while (token);
  return { items, pages, bytes, ms: performance.now() - t0 };
}

const rssBefore = process.memoryUsage().rss;
for (const path of ['/api/v1/nodes', '/api/v1/pods', '/api/v1/events']) {
  const r = await listAll(path);
  process.stdout.write(
    `${path.padEnd(16)} ${String(r.items).padStart(7)} items  ${String(r.pages).padStart(4)} pages  ${(r.bytes / 1e6).toFixed(1).padStart(7)} MB  ${(r.ms / 1000).toFixed(2).padStart(6)} s  ${Math.round(
      r.items / (r.ms / 1000),
    )
      .toLocaleString('en')
      .padStart(8)} items/s\n`,
  );
}
process.stdout.write(
  `server+client RSS growth: ${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB (${nodes} nodes, ${pods} pods, limit ${limit})\n`,
);
await server.close();
