import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  /** host:port it listens on. */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Serves a Prometheus registry at GET /metrics. `address` is host:port;
 * port 0 picks a free one (several services on one machine each get their own).
 */
export async function startMetricsServer(options: { address: string; registry: Registry; log: Logger }): Promise<MetricsServer> {
  const { registry, log } = options;
  const colon = options.address.lastIndexOf(':');
  const host = options.address.slice(0, colon);
  const port = Number(options.address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`metrics address ${JSON.stringify(options.address)} is not host:port`);
  }
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end('not found; metrics are at /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => {
        log.error({ err }, 'collecting metrics failed');
        response.writeHead(500).end('collecting metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const address = `${host}:${bound.port}`;
  log.info({ metricsAddress: address }, 'serving Prometheus metrics at /metrics');
  return {
    address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
