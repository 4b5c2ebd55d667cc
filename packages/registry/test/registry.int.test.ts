import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { connect, type NatsConnection } from 'nats';
import type { Etcd3 } from 'etcd3';
import { hasCode } from '@stratus/errors';
import { createNamespace, type NodeRecord } from '@stratus/contracts';
import { randomNamespacePrefix, startEtcd, startNats, storedFunction, type TestEtcd, type TestNats } from '@stratus/testing';
import { CodeStore, FunctionStore, NodeRegistration, PrefixMirror, decodeFunction, sha256Hex } from '../src/index.js';
import { createEtcdClient } from '../src/etcd.js';

const log = pino({ level: 'silent' });
let etcdServer: TestEtcd;
let natsServer: TestNats;
let etcd: Etcd3;
let nc: NatsConnection;

beforeAll(async () => {
  [etcdServer, natsServer] = await Promise.all([startEtcd(), startNats()]);
  etcd = createEtcdClient({ endpoints: [etcdServer.endpoint] });
  nc = await connect({ servers: natsServer.url });
});
afterAll(async () => {
  await nc?.close();
  etcd?.close();
  await Promise.all([etcdServer?.stop(), natsServer?.stop()]);
});

const fn = storedFunction;

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('FunctionStore', () => {
  it('creates once, refuses a duplicate, and updates only from the current revision', async () => {
    const store = new FunctionStore({ etcd, ns: createNamespace(randomNamespacePrefix()) });
    const created = await store.create(fn('hello'));
    await expect(store.create(fn('hello'))).rejects.toSatisfy((err) => hasCode(err, 'FUNCTION_ALREADY_EXISTS'));
    const updated = await store.update(fn('hello', { memoryMb: 256 }), created.revision);
    expect((await store.get('hello'))?.fn.memoryMb).toBe(256);
    // A writer holding the old revision must not overwrite the newer configuration.
    await expect(store.update(fn('hello', { memoryMb: 512 }), created.revision)).rejects.toSatisfy((err) => hasCode(err, 'CONFLICT'));
    expect((await store.get('hello'))?.revision).toBe(updated.revision);
  });

  it('lists in name order and deletes', async () => {
    const store = new FunctionStore({ etcd, ns: createNamespace(randomNamespacePrefix()) });
    await store.create(fn('b'));
    await store.create(fn('a'));
    expect((await store.list()).functions.map((f) => f.fn.name)).toEqual(['a', 'b']);
    await store.delete('a');
    await expect(store.delete('a')).rejects.toSatisfy((err) => hasCode(err, 'FUNCTION_NOT_FOUND'));
    await expect(store.update(fn('a'), 1)).rejects.toSatisfy((err) => hasCode(err, 'FUNCTION_NOT_FOUND'));
    expect(await store.get('a')).toBeUndefined();
  });
});

describe('PrefixMirror', () => {
  it('holds what was there and follows later puts and deletes', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const store = new FunctionStore({ etcd, ns });
    await store.create(fn('before'));
    const mirror = await PrefixMirror.start({ etcd, prefix: ns.keys.functionsPrefix(), decode: decodeFunction, log });
    try {
      expect(mirror.get('before')?.name).toBe('before');
      await store.create(fn('after'));
      await until(() => mirror.get('after') !== undefined);
      await store.delete('before');
      await until(() => mirror.get('before') === undefined);
      expect(mirror.size).toBe(1);
    } finally {
      await mirror.close();
    }
  });
});

describe('NodeRegistration', () => {
  const record = (nodeId: string): NodeRecord => ({
    nodeId,
    host: 'localhost',
    pid: process.pid,
    memoryBudgetMb: 1024,
    maxInFlight: 10,
    registeredAtMs: Date.now(),
    version: 'test',
  });

  it('leaves the registry at once when revoked', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const registration = await NodeRegistration.register({ etcd, ns, record: record('n1'), leaseTtlSec: 5, log });
    expect(await etcd.get(ns.keys.node('n1')).string()).toContain('"nodeId":"n1"');
    await registration.revoke();
    await registration.revoke();
    expect(await etcd.get(ns.keys.node('n1')).string()).toBeNull();
  });

  it('disappears when its lease expires after the node stops keeping it alive', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const nodeClient = createEtcdClient({ endpoints: [etcdServer.endpoint] });
    await NodeRegistration.register({ etcd: nodeClient, ns, record: record('doomed'), leaseTtlSec: 1, log });
    expect(await etcd.get(ns.keys.node('doomed')).string()).not.toBeNull();
    nodeClient.close(); // the process "dies": no more keep-alives, no revoke
    const deadline = Date.now() + 10_000;
    while ((await etcd.get(ns.keys.node('doomed')).string()) !== null) {
      if (Date.now() > deadline) throw new Error('the registration outlived its lease');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});

describe('CodeStore', () => {
  it('stores a bundle with the package files it carries, and gives both back', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const store = await CodeStore.open({ nc, ns });
    const script = 'export const handler = async () => 1;';
    const files = [
      { path: 'template.html', data: new TextEncoder().encode('<h1>hi</h1>') },
      { path: 'assets/logo.bin', data: new Uint8Array([0, 1, 2, 255]) },
    ];
    const sha = await store.put({ script, files });
    expect(sha).not.toBe(sha256Hex(script));
    expect(sha).toBe(sha256Hex(await store.getBytes(sha)));
    const code = await store.get(sha);
    expect(code.script).toBe(script);
    expect(code.files.map((f) => [f.path, [...f.data]])).toEqual([
      ['template.html', [...files[0]!.data]],
      ['assets/logo.bin', [0, 1, 2, 255]],
    ]);
  });

  it('stores bundles by content hash and returns them verified', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const store = await CodeStore.open({ nc, ns });
    const script = 'export const handler = async () => 42;';
    const sha = await store.put(script);
    expect(sha).toBe(sha256Hex(script));
    expect(await store.put(script)).toBe(sha);
    expect(await store.get(sha)).toEqual({ script, files: [] });
    await expect(store.get('0'.repeat(64))).rejects.toSatisfy((err) => hasCode(err, 'CODE_UNAVAILABLE'));
  });
});
