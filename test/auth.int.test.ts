import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { GRPC_ERROR_METADATA, loadStratusApi } from '@stratus/contracts/grpc';
import { createStratusClient, type StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// One cluster with two frontends: keys are checked on each, from each one's own mirror of etcd.
let cluster: TestCluster;
let secondAddress: string;
const clients: StratusClient[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, frontends: 2 });
  secondAddress = cluster.frontends[1]!.grpcAddress;
  await cluster.client.createFunction({ functionName: 'echo', zipFile: indexJs(`exports.handler = async (e) => e;`) });
});
afterAll(async () => {
  for (const client of clients) await client.close();
  await cluster?.stop();
});

function clientWith(apiKey: string, endpoint = cluster.grpcAddress): StratusClient {
  const client = createStratusClient({ endpoint, apiKey });
  clients.push(client);
  return client;
}

/** A raw gRPC call, to see the status and trailing metadata exactly as any gRPC client would. */
function rawCall(service: 'Functions' | 'Invoker', method: string, request: object, authorization?: string): Promise<grpc.ServiceError> {
  const api = loadStratusApi();
  const client = new grpc.Client(cluster.grpcAddress, grpc.credentials.createInsecure());
  const definition = api.services[service].service[method] as grpc.MethodDefinition<object, unknown>;
  const metadata = new grpc.Metadata();
  if (authorization !== undefined) metadata.set('authorization', authorization);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(definition.path, definition.requestSerialize, definition.responseDeserialize, request, metadata, (err) => {
      client.close();
      if (err) resolve(err);
      else reject(new Error(`${method} succeeded without a valid key`));
    });
  });
}

function stratusCode(err: grpc.ServiceError): string | undefined {
  return err.metadata.get(GRPC_ERROR_METADATA.code)[0]?.toString();
}

function stratus(args: string[], apiKey?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extraEnv };
  delete env['STRATUS_API_KEY'];
  if (apiKey !== undefined) env['STRATUS_API_KEY'] = apiKey;
  return new Promise((resolve) =>
    // cwd has no .stratus/admin.key, so only STRATUS_API_KEY counts.
    execFile(process.execPath, [`${repoRoot}packages/cli/bin/stratus.js`, ...args], { cwd: cluster.dataDir, env }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('API keys on the gRPC API', () => {
  it('refuses a call without a key, or with a wrong one, as UNAUTHENTICATED', async () => {
    const missing = await rawCall('Functions', 'ListFunctions', {});
    expect(missing.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(stratusCode(missing)).toBe('UNAUTHENTICATED');

    const keyId = cluster.apiKey.split('.')[0];
    const wrongSecret = await rawCall('Invoker', 'Invoke', { functionName: 'echo' }, `Bearer ${keyId}.${'x'.repeat(40)}`);
    expect(wrongSecret.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(stratusCode(wrongSecret)).toBe('UNAUTHENTICATED');

    const notBearer = await rawCall('Invoker', 'Invoke', { functionName: 'echo' }, cluster.apiKey);
    expect(stratusCode(notBearer)).toBe('UNAUTHENTICATED');

    // Streams too.
    const anonymous = createStratusClient({ endpoint: cluster.grpcAddress, apiKey: `SK${'A'.repeat(18)}.${'b'.repeat(40)}` });
    clients.push(anonymous);
    const tail = anonymous.tailLogs({ functionName: 'echo' }, () => {});
    await expect(tail.done).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lets each scope do its own calls only, with PERMISSION_DENIED for the rest', async () => {
    const admin = cluster.client;
    const invoker = clientWith((await admin.createKey({ scopes: ['invoke'] })).apiKey);
    const reader = clientWith((await admin.createKey({ scopes: ['read'] })).apiKey);
    const deployer = clientWith((await admin.createKey({ scopes: ['deploy'], description: 'ci' })).apiKey);

    expect(JSON.parse((await invoker.invoke({ functionName: 'echo', payload: '{"a":1}' })).payloadText)).toEqual({ a: 1 });
    await expect(invoker.listFunctions()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(invoker.createKey({ scopes: ['admin'] })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });

    expect((await reader.listFunctions()).map((f) => f.functionName)).toContain('echo');
    expect((await reader.listNodes()).length).toBe(1);
    await reader.getAccountConcurrency();
    await expect(reader.invoke({ functionName: 'echo' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(reader.putFunctionConcurrency('echo', 5)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(reader.deleteFunction('echo')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });

    await deployer.createFunction({ functionName: 'deployed', zipFile: indexJs(`exports.handler = async () => 2;`) });
    await deployer.deleteFunction('deployed');
    await expect(deployer.getFunction('echo')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(deployer.listKeys()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });

    const denied = await rawCall('Functions', 'DeleteFunction', { functionName: 'echo' }, `Bearer ${(await admin.createKey({ scopes: ['invoke', 'read'] })).apiKey}`);
    expect(denied.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(stratusCode(denied)).toBe('PERMISSION_DENIED');

    const listed = await admin.listKeys();
    expect(listed.find((k) => k.description === 'ci')).toMatchObject({ scopes: ['deploy'] });
    expect(JSON.stringify(listed)).not.toMatch(/secret/i);
  });

  it('stops accepting a revoked key on every frontend within about a second', async () => {
    const created = await cluster.client.createKey({ scopes: ['invoke'] });
    const first = clientWith(created.apiKey);
    const second = clientWith(created.apiKey, secondAddress);
    // Made on the first frontend, usable on the second as soon as etcd's watch reaches it.
    await first.invoke({ functionName: 'echo' });
    const seenBySecond = Date.now();
    for (;;) {
      const ok = await second.invoke({ functionName: 'echo' }).then(
        () => true,
        (err: unknown) => (hasCode(err, 'UNAUTHENTICATED') ? false : Promise.reject(err)),
      );
      if (ok) break;
      expect(Date.now() - seenBySecond).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 20));
    }

    await cluster.client.revokeKey(created.keyId);
    const revokedAt = Date.now();
    const refusedAfterMs = await Promise.all(
      [first, second].map(async (client) => {
        for (;;) {
          const refused = await client.invoke({ functionName: 'echo' }).then(
            () => false,
            (err: unknown) => hasCode(err, 'UNAUTHENTICATED'),
          );
          if (refused) return Date.now() - revokedAt;
          if (Date.now() - revokedAt > 5000) return Infinity;
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );
    for (const ms of refusedAfterMs) expect(ms).toBeLessThan(1500);
    await expect(cluster.client.revokeKey(created.keyId)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
  });

  it('manages keys with `stratus keys`, and the CLI uses STRATUS_API_KEY', async () => {
    const endpoint = ['--endpoint', cluster.grpcAddress];
    const created = await stratus(['keys', 'create', '--scope', 'invoke', '--description', 'from the cli', '--json', ...endpoint], cluster.apiKey);
    expect(created.code, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as { keyId: string; secret: string; apiKey: string; scopes: string[] };
    expect(key.keyId).toMatch(/^SK[A-Z2-7]{18}$/);
    expect(key.secret).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(key.apiKey).toBe(`${key.keyId}.${key.secret}`);
    expect(key.scopes).toEqual(['invoke']);

    const invoked = await stratus(['invoke', 'echo', '--payload', '{"via":"cli"}', ...endpoint], key.apiKey);
    expect(invoked.code, invoked.stderr).toBe(0);
    expect(JSON.parse(invoked.stdout)).toEqual({ via: 'cli' });
    const denied = await stratus(['ls', ...endpoint], key.apiKey);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('error: PERMISSION_DENIED');

    const listed = await stratus(['keys', 'ls', ...endpoint], cluster.apiKey);
    expect(listed.stdout).toMatch(new RegExp(`${key.keyId}\\s+invoke\\s+\\S+\\s+from the cli`));
    expect(listed.stdout).not.toContain(key.secret);

    expect((await stratus(['keys', 'revoke', key.keyId, ...endpoint], cluster.apiKey)).code).toBe(0);
    const anonymous = await stratus(['ls', ...endpoint]);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('error: UNAUTHENTICATED');
    expect(anonymous.stderr).toContain('STRATUS_API_KEY');
    // Seven CLI processes, each loading Node and the client: slow on a busy machine.
  }, 120_000);

  it('bootstraps a first admin key straight through etcd', async () => {
    const args = ['keys', 'bootstrap', '--etcd', cluster.etcdEndpoints.join(','), '--namespace', cluster.namespace, '--json'];
    // etcd has authentication on: without the cluster's etcd admin user, etcd refuses.
    const anonymous = await stratus(args);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('UNAUTHENTICATED');
    const admin = `${cluster.namespace}-admin`;
    const run = await stratus(args, undefined, { STRATUS_ETCD_USER: admin, STRATUS_ETCD_PASSWORD_FILE: join(cluster.dataDir, 'etcd-auth', `${admin}.password`) });
    expect(run.code, run.stderr).toBe(0);
    const key = JSON.parse(run.stdout) as { apiKey: string; scopes: string[] };
    expect(key.scopes).toEqual(['admin']);
    // Written behind the frontend's back: it is usable once etcd's watch reaches the frontend.
    const client = clientWith(key.apiKey);
    const listed = await eventually(() => client.listKeys().catch((err: unknown) => (hasCode(err, 'UNAUTHENTICATED') ? undefined : Promise.reject(err))), 'the bootstrapped key', 2000);
    expect(listed.length).toBeGreaterThan(1);
  }, 60_000);
});
