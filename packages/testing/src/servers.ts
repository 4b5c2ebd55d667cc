import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { startEtcd as startEtcdServer, startNatsServer, type NatsServerOptions } from '@stratus/local-cluster';
import { serverBinaries } from './binaries.js';
import { once } from './once.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

export interface TestNatsOptions {
  /** Default true. */
  readonly jetStream?: NatsServerOptions['jetStream'];
  /** Default 8 MiB. */
  readonly maxPayloadBytes?: NatsServerOptions['maxPayloadBytes'];
  /** Default: plaintext. */
  readonly tls?: NatsServerOptions['tls'];
}

/** A server for one test file; `stop()` (or `await using`) kills it and removes its temp dir. */
export interface TestServer extends AsyncDisposable {
  readonly pid: number;
  /** The temp dir holding the server's files; removed by stop(). */
  readonly dir: string;
  /** The server's recent output, for failure messages. */
  stderr(): string;
  /** Stops the server and removes its temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface TestNats extends TestServer {
  /** nats://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
}

export interface TestEtcd extends TestServer {
  /** http://127.0.0.1:PORT */
  readonly endpoint: string;
  readonly port: number;
}

/** Starts nats-server (JetStream on) on a free port in a temp dir. */
export async function startNats(options: TestNatsOptions = {}): Promise<TestNats> {
  const { natsServer } = await serverBinaries();
  const dir = await makeTempDir();
  try {
    const server = await startNatsServer({ binary: natsServer, dir: join(dir, 'nats'), ...options });
    const stop = once(async () => {
      try {
        await server.stop();
      } finally {
        await removeTempDir(dir);
      }
    });
    return { url: server.url, port: server.port, pid: server.pid, dir, stderr: server.stderr, stop, [Symbol.asyncDispose]: stop };
  } catch (err) {
    await removeTempDir(dir);
    throw err;
  }
}

export interface ConnectedTestNats extends TestNats {
  /** A client connection to the server; stop() closes it before the server. */
  readonly nc: NatsConnection;
}

/** {@link startNats} plus a connection to it: what most test files that use NATS begin with. */
export async function startConnectedNats(options: TestNatsOptions = {}): Promise<ConnectedTestNats> {
  const server = await startNats(options);
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: server.url, noAsyncTraces: true });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const stop = once(async () => {
    try {
      await nc.close();
    } finally {
      await server.stop();
    }
  });
  return { ...server, nc, stop, [Symbol.asyncDispose]: stop };
}

/** Starts a single-member etcd on free ports in a temp dir. */
export async function startEtcd(): Promise<TestEtcd> {
  const { etcd } = await serverBinaries();
  const dir = await makeTempDir();
  try {
    const server = await startEtcdServer({ binary: etcd, dir: join(dir, 'etcd') });
    const stop = once(async () => {
      try {
        await server.stop();
      } finally {
        await removeTempDir(dir);
      }
    });
    return { endpoint: server.endpoint, port: server.port, pid: server.pid, dir, stderr: server.stderr, stop, [Symbol.asyncDispose]: stop };
  } catch (err) {
    await removeTempDir(dir);
    throw err;
  }
}
