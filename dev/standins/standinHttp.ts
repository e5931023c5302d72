// Small HTTP plumbing shared by the local Azure stand-ins: listening on loopback, reading bounded (optionally
// gzip'ed) bodies, JSON answers in each service's error shape, and one-shot faults that tests flip at runtime.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** A fault applied to the next `failNext` requests of one service, then spent. */
export interface HttpFault {
  failNext?: number;
  status?: number;
  retryAfterSeconds?: number;
}

/** Thrown by handlers to answer with a status and a body in the service's error shape. */
export class StandinHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * Azure's common error envelope, `{ error: { code, message } }`, which ARM and the data planes (Logs Ingestion,
 * metrics) answer with ("Common error response", Azure REST API guidelines / ARM RPC).
 */
export function azureError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): StandinHttpError {
  return new StandinHttpError(status, { error: { code, message } }, headers);
}

/** The body an Azure endpoint answers an unexpected server fault with (`listenLoopback`'s `errorBody`). */
export const azureInternalErrorBody = (message: string) => ({ error: { code: 'InternalServerError', message } });

export interface ListeningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 only; HTTPS when `tls` is given. Unexpected handler errors become 500 in `errorBody`. */
export async function listenLoopback(
  handler: RequestHandler,
  options: { tls?: { cert: string; key: string }; port?: number; errorBody: (message: string) => unknown },
): Promise<ListeningServer> {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    handler(req, res, url).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof StandinHttpError) {
        sendJson(res, err.status, err.body, err.headers);
      } else {
        sendJson(res, 500, options.errorBody(err instanceof Error ? err.message : String(err)));
      }
    });
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, onRequest)
    : createHttpServer(onRequest);
  // SDK clients keep connections alive; don't let an idle socket hold close() forever.
  server.keepAliveTimeout = 2000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-ms-request-id': randomUUID(),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-length': 0, 'x-ms-request-id': randomUUID(), ...headers });
  res.end();
}

/**
 * Reads the request body, refusing more than `maxBytes` on the wire and (after gunzip when Content-Encoding is
 * gzip) more than `maxBytes` decoded. `tooLarge` builds the service's 413 body.
 */
export async function readBody(
  req: IncomingMessage,
  options: {
    maxBytes: number;
    tooLarge: (bytes: number) => StandinHttpError;
    badEncoding?: (message: string) => StandinHttpError;
  },
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  let overflow = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    received += chunk.length;
    if (received > options.maxBytes) overflow = true;
    // Keep draining so the client sees our 413 rather than a reset connection.
    if (!overflow) chunks.push(chunk);
  }
  if (overflow) throw options.tooLarge(received);
  const raw = Buffer.concat(chunks);
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip') {
    let decoded: Buffer;
    try {
      decoded = gunzipSync(raw, { maxOutputLength: options.maxBytes + 1 });
    } catch (err) {
      if (
        (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ||
        (err as Error).message.includes('maxOutputLength')
      ) {
        throw options.tooLarge(options.maxBytes + 1);
      }
      throw (options.badEncoding ?? defaultBadEncoding)(
        `The request body is not valid gzip: ${(err as Error).message}`,
      );
    }
    if (decoded.length > options.maxBytes) throw options.tooLarge(decoded.length);
    return decoded;
  }
  if (encoding && encoding !== 'identity') {
    throw (options.badEncoding ?? defaultBadEncoding)(
      `Content-Encoding '${encoding}' is not supported; use gzip or none.`,
    );
  }
  return raw;
}

function defaultBadEncoding(message: string): StandinHttpError {
  return new StandinHttpError(400, { error: { code: 'InvalidContentEncoding', message } });
}

/**
 * Consumes one unit of a fault if it is armed. Returns the status to answer with, or undefined when the request
 * should be served normally. `failNext` undefined with a status means "every request" (a persistent outage).
 */
export function takeFault(fault: HttpFault | undefined): { status: number; retryAfterSeconds?: number } | undefined {
  if (!fault?.status) return undefined;
  if (fault.failNext !== undefined) {
    if (fault.failNext <= 0) return undefined;
    fault.failNext -= 1;
  }
  return {
    status: fault.status,
    ...(fault.retryAfterSeconds !== undefined ? { retryAfterSeconds: fault.retryAfterSeconds } : {}),
  };
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}
