import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An HTTP server on a free loopback port, for tests whose functions or clients call out to it. */
export interface LoopbackHttpServer extends AsyncDisposable {
  readonly port: number;
  /** `127.0.0.1:<port>`, the form an egress allow list takes. */
  readonly hostPort: string;
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly server: Server;
  /** Ends every connection, including responses a route left open on purpose, and stops listening. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts `route` on 127.0.0.1 on a free port. */
export async function startLoopbackHttpServer(route: RequestListener): Promise<LoopbackHttpServer> {
  const server = createServer(route);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // After close(), so no new connection slips in between; this also ends responses held open (a hanging route).
      server.closeAllConnections();
    });
    return closed;
  };
  return { port, hostPort: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, server, close, [Symbol.asyncDispose]: close };
}

/** The whole request body. */
export async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
