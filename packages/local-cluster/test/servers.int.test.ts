import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { connect, StringCodec } from 'nats';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import {
  locateServerBinaries,
  startEtcd,
  startNatsServer,
  type EtcdHandle,
  type NatsServerHandle,
  type ServerBinaries,
} from '../src/index.js';

let binaries: ServerBinaries;
let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  binaries = await locateServerBinaries({ install: true, log: () => {} });
  dir = await mkdtemp(join(tmpdir(), 'stratus-test-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function nats(name: string, options: { maxPayloadBytes?: number } = {}): Promise<NatsServerHandle> {
  const server = await startNatsServer({ binary: binaries.natsServer, dir: join(dir, name), ...options });
  cleanups.push(() => server.stop());
  return server;
}

async function etcd(name: string): Promise<EtcdHandle> {
  const server = await startEtcd({ binary: binaries.etcd, dir: join(dir, name) });
  cleanups.push(() => server.stop());
  return server;
}

describe('startNatsServer', () => {
  it('serves publish/subscribe on a free loopback port with JetStream enabled', async () => {
    const server = await nats('nats-pubsub');
    expect(server.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);

    const nc = await connect({ servers: server.url });
    cleanups.push(() => nc.close());
    const sc = StringCodec();
    const sub = nc.subscribe('greetings', { max: 1 });
    nc.publish('greetings', sc.encode('hello'));
    const received: string[] = [];
    for await (const msg of sub) received.push(sc.decode(msg.data));
    expect(received).toEqual(['hello']);

    const jsm = await nc.jetstreamManager();
    const info = await jsm.getAccountInfo();
    expect(info.limits).toBeDefined();
  });

  it('accepts payloads as large as Lambda sync payloads (6 MB)', async () => {
    const server = await nats('nats-payload');
    const nc = await connect({ servers: server.url });
    cleanups.push(() => nc.close());
    expect(nc.info?.max_payload).toBeGreaterThanOrEqual(6 * 1024 * 1024);
  });

  it('leaves no process behind after stop, and stop can be called twice', async () => {
    const server = await nats('nats-stop');
    expect(isRunning(server.pid)).toBe(true);
    await server.stop();
    await server.stop();
    expect(isRunning(server.pid)).toBe(false);
  });

  it('reports the server output when it fails to start', async () => {
    // nats-server refuses a max_payload above its max_pending (64 MB).
    const error = await startNatsServer({
      binary: binaries.natsServer,
      dir: join(dir, 'nats-bad'),
      maxPayloadBytes: 128 * 1024 * 1024,
    }).catch((err: unknown) => err);
    expect(hasCode(error, 'UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/nats-server exited with code/);
    expect((error as Error).message).toMatch(/max_payload/);
  });

  it('reports a binary that cannot be run', async () => {
    const error = await startNatsServer({ binary: join(dir, 'no-such-binary'), dir: join(dir, 'nats-missing') }).catch(
      (err: unknown) => err,
    );
    expect(hasCode(error, 'UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/could not be started.*ENOENT/);
  });
});

describe('startEtcd', () => {
  it('answers /health and stores keys', async () => {
    const server = await etcd('etcd-kv');
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = (await (await fetch(`${server.endpoint}/health`)).json()) as { health: string };
    expect(health.health).toBe('true');

    const client = new Etcd3({ hosts: server.endpoint });
    cleanups.push(async () => client.close());
    await client.put('/stratus-test/key').value('value');
    expect(await client.get('/stratus-test/key').string()).toBe('value');
  });

  it('leaves no process behind after stop, and stop can be called twice', async () => {
    const server = await etcd('etcd-stop');
    expect(isRunning(server.pid)).toBe(true);
    await server.stop();
    await server.stop();
    expect(isRunning(server.pid)).toBe(false);
  });

  it('keeps its data across a restart on new ports', async () => {
    const first = await etcd('etcd-restart');
    const firstClient = new Etcd3({ hosts: first.endpoint });
    await firstClient.put('/stratus-test/kept').value('yes');
    firstClient.close();
    await first.stop();

    const second = await etcd('etcd-restart');
    const secondClient = new Etcd3({ hosts: second.endpoint });
    cleanups.push(async () => secondClient.close());
    expect(await secondClient.get('/stratus-test/kept').string()).toBe('yes');
  });

  it('reports the server output when it fails to start', async () => {
    // A file where the data directory should be makes etcd exit at once.
    const bad = join(dir, 'etcd-bad');
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'data'), 'not a directory');
    const error = await startEtcd({ binary: binaries.etcd, dir: bad }).catch((err: unknown) => err);
    expect(hasCode(error, 'UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/etcd exited with code/);
    expect((error as Error).message).toMatch(/data/);
  });
});
