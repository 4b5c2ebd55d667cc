import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { hasCode } from '@stratus/errors';
import { createNamespace, type Namespace } from '@stratus/contracts';
import { FunctionStore, NodeRegistration, etcdUserNames } from '@stratus/registry';
import { createEtcdClient, type EtcdCredentials } from '@stratus/registry/etcd';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

let cluster: TestCluster;
let ns: Namespace;
type Etcd = ReturnType<typeof createEtcdClient>;
const clients: Etcd[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
  ns = createNamespace(cluster.namespace);
});
afterAll(async () => {
  for (const etcd of clients) etcd.close();
  await cluster?.stop();
});

function etcdAs(auth: EtcdCredentials | undefined): Etcd {
  const etcd = createEtcdClient({ endpoints: cluster.etcdEndpoints, auth });
  clients.push(etcd);
  return etcd;
}

/** A node's own credentials, as the cluster gave them to it. */
async function nodeCredentials(nodeId: string): Promise<EtcdCredentials> {
  const username = etcdUserNames(ns).node(nodeId);
  const password = (await readFile(join(cluster.dataDir, 'etcd-auth', `${username}.password`), 'utf8')).trim();
  return { username, password };
}

/** The lease each node's registration is held under, read as the cluster's etcd admin. */
async function nodeLeases(): Promise<Map<string, string>> {
  const prefix = ns.keys.nodesPrefix();
  const { kvs } = await etcdAs(cluster.etcdCredentials).getAll().prefix(prefix).exec();
  return new Map(kvs.map((kv) => [kv.key.toString().slice(prefix.length), kv.lease]));
}

/** `stratus` as an operator runs it, against this cluster's etcd with its password dir. */
function stratus(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = fileURLToPath(new URL('../packages/cli/bin/stratus.js', import.meta.url));
  const all = [...args, '--namespace', cluster.namespace, '--password-dir', join(cluster.dataDir, 'etcd-auth'), '--etcd', cluster.etcdEndpoints.join(',')];
  return new Promise((resolve) =>
    execFile(process.execPath, [cli, 'etcd-auth', ...all], { cwd: cluster.dataDir, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

async function invokeHello(name: string): Promise<void> {
  expect((await cluster.client.invoke({ functionName: name })).payloadText).toBe('"hello"');
}

describe('etcd with users and roles on (the local cluster default)', () => {
  it('runs the normal path: deploy, invoke, nodes registered', async () => {
    await cluster.client.createFunction({ functionName: 'hello', zipFile: indexJs(`exports.handler = async () => 'hello';`) });
    await invokeHello('hello');
    expect([...(await nodeLeases()).keys()].sort()).toEqual(['node-1', 'node-2']);
  });

  it("refuses a node's credentials for another node's registration and for function definitions", async () => {
    const etcd = etcdAs(await nodeCredentials('node-1'));
    await expect(NodeRegistration.register({ etcd, ns, record: { nodeId: 'node-2', host: 'x', pid: 1, memoryBudgetMb: 128, maxInFlight: 1, registeredAtMs: 0, version: 'forged' }, log: pino({ level: 'silent' }) })).rejects.toSatisfy(
      (err) => hasCode(err, 'PERMISSION_DENIED') && err.message.includes(ns.keys.node('node-2')),
    );
    const functions = new FunctionStore({ etcd, ns });
    const current = await functions.get('hello');
    expect(current).toBeDefined();
    // The attack the issue names: pointing a function at other code.
    await expect(functions.update({ ...current!.fn, codeSha256: 'b'.repeat(64) }, current!.revision)).rejects.toSatisfy(
      (err) => hasCode(err, 'PERMISSION_DENIED') && err.message.includes(ns.keys.function('hello')),
    );
    await invokeHello('hello');
  });

  it('refuses a client without credentials', async () => {
    const functions = new FunctionStore({ etcd: etcdAs(undefined), ns });
    await expect(functions.get('hello')).rejects.toSatisfy((err) => hasCode(err, 'UNAUTHENTICATED'));
  });

  it('registers a node again after its lease is lost', async () => {
    const before = await nodeLeases();
    const lease = before.get('node-1');
    expect(lease).toBeDefined();
    await etcdAs(cluster.etcdCredentials).leaseClient.leaseRevoke({ ID: lease! });
    const after = await eventually(async () => {
      const leases = await nodeLeases();
      const renewed = leases.get('node-1');
      return renewed !== undefined && renewed !== lease ? leases : undefined;
    }, 'node-1 to register again under a new lease');
    expect(after.get('node-2')).toBe(before.get('node-2'));
    await invokeHello('hello');
  });

  it("deletes a removed node's etcd user, so what it was given no longer opens etcd", async () => {
    const added = await cluster.addNode();
    const credentials = await nodeCredentials(added.nodeId);
    const passwordFile = join(cluster.dataDir, 'etcd-auth', `${credentials.username}.password`);
    await new FunctionStore({ etcd: etcdAs(credentials), ns }).get('hello');

    await cluster.killNode(added.nodeId, 'SIGTERM');
    await expect(new FunctionStore({ etcd: etcdAs(credentials), ns }).get('hello')).rejects.toSatisfy((err) => hasCode(err, 'UNAUTHENTICATED'));
    await expect(access(passwordFile)).rejects.toMatchObject({ code: 'ENOENT' });
    const rootPassword = (await readFile(join(cluster.dataDir, 'etcd-auth', 'root.password'), 'utf8')).trim();
    const root = etcdAs({ username: 'root', password: rootPassword });
    const [users, roles] = [(await root.auth.userList()).users, (await root.auth.roleList()).roles];
    expect(users).not.toContain(credentials.username);
    expect(roles).not.toContain(credentials.username);
    // The other nodes' users are untouched.
    await new FunctionStore({ etcd: etcdAs(await nodeCredentials('node-1')), ns }).get('hello');
    await invokeHello('hello');
  });

  it('stratus etcd-auth --remove-node deletes a retired node\'s user for an operator', async () => {
    const made = await stratus(['--node-id', 'retired-1', '--apply']);
    expect(made.code, made.stderr).toBe(0);
    const credentials = await nodeCredentials('retired-1');
    await new FunctionStore({ etcd: etcdAs(credentials), ns }).get('hello');

    expect((await stratus(['--node-id', 'x', '--remove-node', 'retired-1', '--apply'])).stderr).toContain('separate runs');
    const removed = await stratus(['--remove-node', 'retired-1', '--apply', '--json']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ removedUsers: [credentials.username], removedRoles: [credentials.username] });
    await expect(new FunctionStore({ etcd: etcdAs(credentials), ns }).get('hello')).rejects.toSatisfy((err) => hasCode(err, 'UNAUTHENTICATED'));
    const again = await stratus(['--remove-node', 'retired-1', '--apply', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ removedUsers: [], removedRoles: [] });
  });

  it('keeps authentication and every watch working after etcd is restarted', async () => {
    const etcdPid = cluster.processes.etcd?.pid ?? -1;
    process.kill(etcdPid, 'SIGKILL');
    await cluster.waitForRestarts('etcd', 1);
    await expect(new FunctionStore({ etcd: etcdAs(undefined), ns }).get('hello')).rejects.toSatisfy((err) => hasCode(err, 'UNAUTHENTICATED'));

    // A restarted etcd forgets every login token, which cancels watches etcd3 does not resume; the frontend
    // must still see a node arrive (a new etcd user, made after the restart) and one leave.
    const added = await cluster.addNode();
    await eventually(async () => ((await cluster.client.listNodes()).some((n) => n.nodeId === added.nodeId) ? true : undefined), `the frontend to list ${added.nodeId}`);
    await cluster.killNode('node-2', 'SIGTERM');
    await eventually(async () => ((await cluster.client.listNodes()).every((n) => n.nodeId !== 'node-2') ? true : undefined), 'the frontend to drop node-2');
    await cluster.client.createFunction({ functionName: 'after-restart', zipFile: indexJs(`exports.handler = async () => 'hello';`) });
    await invokeHello('after-restart');
    await invokeHello('hello');
  });
});
