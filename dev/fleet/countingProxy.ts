// A counting HTTPS reverse proxy for benchmarks: put in front of Azurite (one per service) or the Logs Ingestion
// stand-in, it forwards every request unchanged and counts requests and request body bytes by method, so a
// benchmark can report storage transactions and ingestion calls as the app really made them over the wire.
import { request as httpsRequest, Agent } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback, type ListeningServer } from '../standins/standinHttp.js';

export interface CountingProxy {
  /** https://127.0.0.1:<port> — the target's origin replaced; paths are kept. */
  origin: string;
  counts(): { requests: number; bodyBytes: number; byMethod: Record<string, number> };
  close(): Promise<void>;
}

export async function startCountingProxy(target: string, tls: { cert: string; key: string }): Promise<CountingProxy> {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: tls.cert });
  let requests = 0;
  let bodyBytes = 0;
  const byMethod: Record<string, number> = {};
  const handler = (req: IncomingMessage, res: ServerResponse): Promise<void> =>
    new Promise<void>((resolve) => {
      requests += 1;
      const method = req.method ?? 'GET';
      byMethod[method] = (byMethod[method] ?? 0) + 1;
      const upstream = httpsRequest(
        {
          host: to.hostname,
          port: to.port,
          method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
          agent,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          up.on('end', resolve);
          up.on('error', () => resolve());
        },
      );
      upstream.on('error', (err) => {
        if (!res.headersSent) res.writeHead(502).end(String(err));
        resolve();
      });
      req.on('data', (c: Buffer) => (bodyBytes += c.length));
      req.pipe(upstream);
    });
  const server: ListeningServer = await listenLoopback((req, res) => handler(req, res), {
    tls,
    errorBody: (message) => ({ error: message }),
  });
  return {
    origin: `https://127.0.0.1:${server.port}`,
    counts: () => ({ requests, bodyBytes, byMethod: { ...byMethod } }),
    close: async () => {
      agent.destroy();
      await server.close();
    },
  };
}

/** `target` with its origin replaced by the proxy's (keeps the path, e.g. /devstoreaccount1). */
export function viaProxy(target: string, proxy: CountingProxy): string {
  const url = new URL(target);
  return `${proxy.origin}${url.pathname === '/' ? '' : url.pathname}`;
}
