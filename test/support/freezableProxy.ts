// A TCP proxy that can freeze: while frozen it accepts connections and reads nothing from either side, which is how
// a hung dependency looks to a client (the socket is open, no byte ever comes back). Used to freeze Azurite and the
// Kubernetes API in the fault-injection tests. TLS passes through untouched.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface FreezableProxy {
  port: number;
  /** Rewrites `http://127.0.0.1:<targetPort>` in a URL or connection string to go through the proxy. */
  rewrite(text: string): string;
  freeze(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startFreezableProxy(targetPort: number): Promise<FreezableProxy> {
  let frozen = false;
  const sockets = new Set<Socket>();
  // Bytes held while frozen, per direction, delivered in order on release (unless a side gave up meanwhile).
  const held: Array<{ to: Socket; data: Buffer }> = [];
  const forward = (from: Socket, to: Socket) =>
    from.on('data', (data: Buffer) => {
      if (frozen) held.push({ to, data });
      else if (!to.destroyed) to.write(data);
    });
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    rewrite: (text) => text.split(`127.0.0.1:${targetPort}`).join(`127.0.0.1:${port}`),
    freeze() {
      frozen = true;
    },
    release() {
      frozen = false;
      for (const { to, data } of held.splice(0)) if (!to.destroyed) to.write(data);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
