import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Etcd3 } from 'etcd3';
import { hasCode } from '@stratus/errors';
import { createNamespace, type NodeRecord, type StoredFunction } from '@stratus/contracts';
import { randomNamespacePrefix, startEtcd, storedFunction, type TestEtcd } from '@stratus/testing';
import { ApiKeyStore, ETCD_ROOT_USER, FunctionStore, NodeRegistration, PrefixMirror, decodeFunction, etcdAuthPlan, etcdUserNames } from '../src/index.js';
import { applyEtcdAuth, createEtcdClient, type EtcdCredentials } from '../src/etcd.js';

const log = pino({ level: 'silent' });
const ns = createNamespace(randomNamespacePrefix());
const names = etcdUserNames(ns);
const passwords = new Map<string, string>([
  [ETCD_ROOT_USER, 'root-secret'],
  [names.frontend, 'frontend-secret'],
  [names.node('n1'), 'n1-secret'],
  [names.node('n2'), 'n2-secret'],
  [names.node('n10'), 'n10-secret'],
  [names.billing, 'billing-secret'],
  [names.admin, 'admin-secret'],
]);
const passwordOf = (user: string): string => passwords.get(user) ?? 'unknown';
const as = (user: string): EtcdCredentials => ({ username: user, password: passwordOf(user) });

let server: TestEtcd;
const clients: Etcd3[] = [];
function client(auth?: EtcdCredentials): Etcd3 {
  const etcd = createEtcdClient({ endpoints: [server.endpoint], auth });
  clients.push(etcd);
  return etcd;
}

const fn = (name: string): StoredFunction => storedFunction(name);

function nodeRecord(nodeId: string): NodeRecord {
  return { nodeId, host: '127.0.0.1', pid: 1, memoryBudgetMb: 1024, maxInFlight: 10, registeredAtMs: 0, version: 'test' };
}

beforeAll(async () => {
  server = await startEtcd();
  const first = await applyEtcdAuth({ endpoints: [server.endpoint], plan: etcdAuthPlan(ns, { nodeIds: ['n1', 'n2'] }), rootPassword: passwordOf(ETCD_ROOT_USER), passwordOf });
  expect(first.enabledAuth).toBe(true);
});
afterAll(async () => {
  for (const etcd of clients) etcd.close();
  await server?.stop();
});

describe('etcd users and roles', () => {
  it('refuses a client without credentials, for reads and writes', async () => {
    const anonymous = new FunctionStore({ etcd: client(), ns });
    await expect(anonymous.create(fn('anon'))).rejects.toSatisfy((err) => hasCode(err, 'UNAUTHENTICATED') && err.message.includes('STRATUS_ETCD_USER'));
    await expect(anonymous.list()).rejects.toSatisfy((err) => hasCode(err, 'UNAUTHENTICATED'));
  });

  it('refuses a wrong password', async () => {
    const wrong = new FunctionStore({ etcd: client({ username: names.frontend, password: 'guess' }), ns });
    await expect(wrong.list()).rejects.toSatisfy((err) => hasCode(err, 'UNAUTHENTICATED'));
  });

  it('lets a frontend write functions and API keys, and not register a node', async () => {
    const etcd = client(as(names.frontend));
    const functions = new FunctionStore({ etcd, ns });
    await functions.create(fn('by-frontend'));
    expect((await functions.get('by-frontend'))?.fn.name).toBe('by-frontend');
    const created = await new ApiKeyStore({ etcd, ns }).create(['invoke']);
    expect(created.record.scopes).toEqual(['invoke']);
    await expect(NodeRegistration.register({ etcd, ns, record: nodeRecord('n1'), log })).rejects.toSatisfy((err) => hasCode(err, 'PERMISSION_DENIED'));
  });

  it('lets a node register only itself, read functions, and write no function', async () => {
    const etcd = client(as(names.node('n1')));
    const own = await NodeRegistration.register({ etcd, ns, record: nodeRecord('n1'), log });
    try {
      // Another node's key, and one that only shares its prefix.
      for (const other of ['n2', 'n10']) {
        await expect(NodeRegistration.register({ etcd, ns, record: nodeRecord(other), log })).rejects.toSatisfy(
          (err) => hasCode(err, 'PERMISSION_DENIED') && err.message.includes(ns.keys.node(other)),
        );
      }
      const functions = new FunctionStore({ etcd, ns });
      await expect(functions.create(fn('by-node'))).rejects.toSatisfy((err) => hasCode(err, 'PERMISSION_DENIED') && err.message.includes(ns.keys.function('by-node')));
      await expect(functions.delete('by-frontend')).rejects.toSatisfy((err) => hasCode(err, 'PERMISSION_DENIED'));
      // The node still reads what it runs.
      const mirror = await PrefixMirror.start({ etcd, prefix: ns.keys.functionsPrefix(), decode: decodeFunction, log });
      expect(mirror.get('by-frontend')?.name).toBe('by-frontend');
      await mirror.close();
      // And no API key: a node holding one could forge access to the API.
      await expect(new ApiKeyStore({ etcd, ns }).create(['admin'])).rejects.toSatisfy((err) => hasCode(err, 'PERMISSION_DENIED'));
    } finally {
      await own.revoke();
    }
  });

  it('gives billing reads only', async () => {
    const functions = new FunctionStore({ etcd: client(as(names.billing)), ns });
    expect((await functions.list()).functions.map((f) => f.fn.name)).toContain('by-frontend');
    await expect(functions.create(fn('by-billing'))).rejects.toSatisfy((err) => hasCode(err, 'PERMISSION_DENIED'));
  });

  it('applies again without changing anything, and adds a new node alone', async () => {
    const again = await applyEtcdAuth({ endpoints: [server.endpoint], plan: etcdAuthPlan(ns, { nodeIds: ['n1', 'n2'] }), rootPassword: passwordOf(ETCD_ROOT_USER), passwordOf });
    expect(again).toEqual({ enabledAuth: false, createdUsers: [], createdRoles: [], changedPasswords: [] });
    const more = await applyEtcdAuth({ endpoints: [server.endpoint], plan: etcdAuthPlan(ns, { nodeIds: ['n1', 'n2', 'n10'] }), rootPassword: passwordOf(ETCD_ROOT_USER), passwordOf });
    expect(more.createdUsers).toEqual([names.node('n10')]);
    expect(more.createdRoles).toEqual([names.node('n10')]);
    const registration = await NodeRegistration.register({ etcd: client(as(names.node('n10'))), ns, record: nodeRecord('n10'), log });
    await registration.revoke();
  });

  it('keeps writes succeeding while users and roles change', async () => {
    const functions = new FunctionStore({ etcd: client(as(names.frontend)), ns });
    let changing = true;
    let writes = 0;
    const writer = (async () => {
      while (changing) {
        await functions.create(fn(`during-auth-changes-${writes}`));
        writes += 1;
      }
    })();
    try {
      // Each node added is five changes to etcd's users and roles, which make logins in flight stale.
      for (let i = 0; i < 4; i++) {
        const nodeId = `burst-${i}`;
        passwords.set(names.node(nodeId), `${nodeId}-secret`);
        await applyEtcdAuth({ endpoints: [server.endpoint], plan: etcdAuthPlan(ns, { nodeIds: [nodeId] }), rootPassword: passwordOf(ETCD_ROOT_USER), passwordOf });
      }
    } finally {
      changing = false;
      await writer;
    }
    expect(writes).toBeGreaterThan(0);
  });

  it('refuses to apply with a wrong root password', async () => {
    await expect(
      applyEtcdAuth({ endpoints: [server.endpoint], plan: etcdAuthPlan(ns, { nodeIds: [] }), rootPassword: 'not-it', passwordOf }),
    ).rejects.toSatisfy((err) => hasCode(err, 'UNAUTHENTICATED'));
  });
});
