import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as natsConnect } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStratusClient, type ClientTls, type StratusClient } from '@stratus/client';
import { hasCode } from '@stratus/errors';
import { createCertificateAuthority, issueCertificate } from '@stratus/local-cluster';
import { createEtcdClient } from '@stratus/registry/etcd';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';

// A local cluster with TLS on everywhere: nats-server and etcd serve TLS only and require client
// certificates, the frontend serves gRPC over TLS and requires one too, and every service connects
// with its own certificate. What runs proves the services' side; what is refused proves the servers'.
let cluster: TestCluster;
let otherDir: string;
/** A client certificate from a CA the cluster has never seen. */
let stranger: { cert: string; key: string };
const clients: StratusClient[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, tls: true });
  otherDir = await mkdtemp(join(tmpdir(), 'stratus-other-ca-'));
  await createCertificateAuthority({ dir: otherDir, commonName: 'Another CA' });
  const files = await issueCertificate({ dir: otherDir, name: 'intruder', hosts: ['127.0.0.1', 'localhost'] });
  stranger = { cert: await readFile(files.certPath, 'utf8'), key: await readFile(files.keyPath, 'utf8') };
});

afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await cluster?.stop();
  if (otherDir !== undefined) await rm(otherDir, { recursive: true, force: true });
});

function tls(): NonNullable<TestCluster['tls']> {
  if (cluster.tls === undefined) throw new Error('the cluster runs without TLS');
  return cluster.tls;
}

function clientWith(options: ClientTls | false): StratusClient {
  const client = createStratusClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey, tls: options, deadlineMs: 5_000 });
  clients.push(client);
  return client;
}

async function refusal(client: StratusClient): Promise<unknown> {
  return client.listFunctions().then(
    () => new Error('the call succeeded'),
    (err: unknown) => err,
  );
}

describe('TLS everywhere', () => {
  it('keeps every private key readable by its owner only', async () => {
    for (const name of ['ca', 'server', 'frontend', 'node', 'billing', 'client']) {
      expect((await stat(join(cluster.dataDir, 'tls', `${name}.key`))).mode & 0o777).toBe(0o600);
    }
  });

  it('deploys and invokes a function over gRPC with TLS, through NATS and etcd with TLS', async () => {
    expect(cluster.etcdEndpoints.every((endpoint) => endpoint.startsWith('https://'))).toBe(true);
    await cluster.client.createFunction({ functionName: 'secure', zipFile: indexJs(`exports.handler = async (e) => 'hello ' + e.name;`) });
    const result = await cluster.client.invoke({ functionName: 'secure', payload: JSON.stringify({ name: 'Ada' }) });
    expect(JSON.parse(result.payloadText)).toBe('hello Ada');
  });

  it('refuses a plaintext gRPC client', async () => {
    expect(hasCode(await refusal(clientWith(false)), 'UNAVAILABLE')).toBe(true);
  });

  it('refuses a gRPC client without a certificate, and one whose certificate another CA signed', async () => {
    expect(hasCode(await refusal(clientWith({ ca: tls().ca })), 'UNAVAILABLE')).toBe(true);
    expect(hasCode(await refusal(clientWith({ ca: tls().ca, ...stranger })), 'UNAVAILABLE')).toBe(true);
    // The control: the cluster's own client certificate is let in.
    await expect(clientWith({ ca: tls().ca, cert: tls().cert, key: tls().key }).listFunctions()).resolves.toBeDefined();
  });

  it('refuses NATS clients in plaintext or with a certificate from another CA', async () => {
    const { user, pass, inboxPrefix } = cluster.natsConnectOptions('frontend');
    const as = { servers: cluster.natsUrl, user, pass, inboxPrefix, maxReconnectAttempts: 0, timeout: 5_000 };
    await expect(natsConnect(as)).rejects.toThrow();
    await expect(natsConnect({ ...as, tls: { ca: tls().ca, ...stranger } })).rejects.toThrow();
    const nc = await natsConnect({ ...as, tls: { ca: tls().ca, cert: tls().cert, key: tls().key } });
    await nc.close();
  });

  it('refuses etcd clients in plaintext or with a certificate from another CA', async () => {
    const [endpoint] = cluster.etcdEndpoints;
    if (endpoint === undefined) throw new Error('no etcd endpoint');
    const tryGet = async (etcd: ReturnType<typeof createEtcdClient>): Promise<unknown> => {
      try {
        return await etcd.get(`/${cluster.namespace}/tls-probe`).string();
      } catch (err) {
        return err;
      } finally {
        etcd.close();
      }
    };
    const plaintext = await tryGet(createEtcdClient({ endpoints: [endpoint.replace('https://', 'http://')], callTimeoutMs: 2_000 }));
    expect(plaintext).toBeInstanceOf(Error);
    const foreign = await tryGet(createEtcdClient({ endpoints: [endpoint], callTimeoutMs: 2_000, tls: { ca: tls().ca, ...stranger } }));
    expect(foreign).toBeInstanceOf(Error);
    // The control: the cluster's own certificate, with the etcd user the cluster made for tools.
    const own = createEtcdClient({ endpoints: [endpoint], callTimeoutMs: 2_000, auth: cluster.etcdCredentials, tls: { ca: tls().ca, cert: tls().cert, key: tls().key } });
    expect(await tryGet(own)).toBeNull();
  });
});
