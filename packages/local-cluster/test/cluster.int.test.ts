import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { createNamespace, parseApiKey } from '@stratus/contracts';
import { ApiKeyStore, verifyApiKeySecret } from '@stratus/registry';
import { createEtcdClient } from '@stratus/registry/etcd';
import { startLocalCluster, type LocalCluster, type LocalClusterOptions } from '../src/index.js';

const fakeService = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-service.mjs');
const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));

let dataDir: string;
let logLines: Array<Record<string, unknown>>;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'stratus-test-'));
  logLines = [];
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pids: readonly number[]): Promise<number[]> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && pids.some(isRunning)) await new Promise((resolve) => setTimeout(resolve, 50));
  return pids.filter(isRunning);
}

async function childPids(parent: number): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The command name can hold spaces and parentheses; the fields after it cannot.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent) pids.push(Number(entry));
  }
  return pids;
}

function fakeOptions(overrides: Partial<LocalClusterOptions> = {}): LocalClusterOptions {
  const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
  return {
    log,
    dataDir,
    grpcAddress: '127.0.0.1:0',
    namespace: 'tlaunch',
    drainGraceMs: 1_000,
    serviceMains: { frontend: fakeService, node: fakeService, billing: fakeService },
    env: {
      frontend: { FAKE_SERVICE: 'frontend' },
      node: { FAKE_SERVICE: 'node' },
      billing: { FAKE_SERVICE: 'billing' },
    },
    ...overrides,
  };
}

async function start(overrides: Partial<LocalClusterOptions> = {}): Promise<LocalCluster> {
  const cluster = await startLocalCluster(fakeOptions(overrides));
  cleanups.push(() => cluster.stop());
  return cluster;
}

function startedEnv(service: string, nodeId?: string): Record<string, string> | undefined {
  const line = logLines.find((l) => l['msg'] === 'started' && l['service'] === service && l['nodeId'] === nodeId && l['instance'] === undefined);
  return line?.['env'] as Record<string, string> | undefined;
}

describe('startLocalCluster', () => {
  it('starts the servers and every service with its environment, and waits until all are ready', async () => {
    const cluster = await start({ nodeMemoryMb: 1024 });
    expect(cluster.grpcAddress).toBe('127.0.0.1:65000');
    expect(cluster.natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster.etcdEndpoints).toHaveLength(1);
    expect(cluster.nodes.map((node) => node.nodeId)).toEqual(['node-1', 'node-2']);
    expect(cluster.frontends.map((frontend) => [frontend.name, frontend.grpcAddress])).toEqual([['frontend', '127.0.0.1:65000']]);
    const { frontends, billing, nodes, natsServer, etcd } = cluster.processes;
    const pids = [...frontends.map((f) => f.pid), billing.pid, ...nodes.map((node) => node.pid), natsServer?.pid ?? -1, etcd?.pid ?? -1];
    for (const pid of pids) expect(isRunning(pid)).toBe(true);

    const common = {
      STRATUS_NATS_URL: cluster.natsUrl,
      STRATUS_ETCD_ENDPOINTS: cluster.etcdEndpoints.join(','),
      STRATUS_NAMESPACE: 'tlaunch',
      STRATUS_LOG_LEVEL: 'info',
    };
    // Each service logs in to etcd as its own user, the password in a file of the data dir.
    const etcdLogin = (user: string): Record<string, string> => ({ STRATUS_ETCD_USER: user, STRATUS_ETCD_PASSWORD_FILE: join(dataDir, 'etcd-auth', `${user}.password`) });
    expect(startedEnv('frontend')).toMatchObject({ ...common, ...etcdLogin('tlaunch-frontend'), STRATUS_GRPC_ADDRESS: '127.0.0.1:0' });
    expect(startedEnv('billing')).toMatchObject({ ...common, ...etcdLogin('tlaunch-billing'), STRATUS_BILLING_DATA_DIR: join(dataDir, 'billing') });
    expect(startedEnv('node', 'node-2')).toMatchObject({
      ...common,
      ...etcdLogin('tlaunch-node-node-2'),
      STRATUS_NODE_ID: 'node-2',
      STRATUS_NODE_MEMORY_MB: '1024',
      STRATUS_NODE_LEASE_TTL_SEC: '5',
      STRATUS_NODE_CODE_CACHE_DIR: join(dataDir, 'code-cache', 'node-2'),
      STRATUS_NODE_DATA_DIR: join(dataDir, 'nodes', 'node-2'),
      FAKE_SERVICE: 'node',
    });
    // Lines that are not JSON are passed on too, tagged with their source.
    expect(logLines.some((l) => l['msg'] === 'a line that is not JSON' && l['nodeId'] === 'node-1')).toBe(true);
  });

  it('stops everything, leaving no process behind; stop can be called twice', async () => {
    const cluster = await start({ nodes: 1 });
    const { frontends, billing, nodes, natsServer, etcd } = cluster.processes;
    const pids = [...frontends.map((f) => f.pid), billing.pid, ...nodes.map((node) => node.pid), natsServer?.pid ?? -1, etcd?.pid ?? -1];
    await cluster.stop();
    await cluster.stop();
    expect(pids.filter(isRunning)).toEqual([]);
    const drained = logLines.filter((l) => l['msg'] === 'draining').map((l) => l['nodeId'] ?? l['service']);
    expect(drained).toEqual(['frontend', 'node-1', 'billing']);
  });

  it('kills and adds nodes', async () => {
    const cluster = await start();
    const [first] = cluster.nodes;
    await cluster.killNode('node-1');
    expect(isRunning(first?.pid ?? -1)).toBe(false);
    expect(cluster.nodes.map((node) => node.nodeId)).toEqual(['node-2']);

    const added = await cluster.addNode();
    expect(added.nodeId).toBe('node-3');
    expect(isRunning(added.pid)).toBe(true);
    expect(cluster.nodes.map((node) => node.nodeId)).toEqual(['node-2', 'node-3']);

    const error = await cluster.killNode('node-1').catch((err: unknown) => err);
    expect(hasCode(error, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('starts several frontends, each on its own port, and adds one; all stop first', async () => {
    const cluster = await start({ nodes: 1, frontends: 2, grpcAddress: '127.0.0.1:65001' });
    expect(cluster.frontends.map((frontend) => frontend.name)).toEqual(['frontend', 'frontend-2']);
    const added = await cluster.addFrontend();
    expect(added.name).toBe('frontend-3');
    expect(isRunning(added.pid)).toBe(true);
    expect(cluster.processes.frontends.map((frontend) => frontend.name)).toEqual(['frontend', 'frontend-2', 'frontend-3']);
    // The first listens where it was told; the others on a free port of the same host.
    const envOf = (instance: string | undefined): Record<string, string> | undefined =>
      logLines.find((l) => l['msg'] === 'started' && l['service'] === 'frontend' && l['instance'] === instance)?.['env'] as Record<string, string> | undefined;
    expect([undefined, 'frontend-2', 'frontend-3'].map((instance) => envOf(instance)?.['STRATUS_GRPC_ADDRESS'])).toEqual([
      '127.0.0.1:65001',
      '127.0.0.1:0',
      '127.0.0.1:0',
    ]);
    expect(envOf('frontend-2')).toMatchObject({ STRATUS_NATS_URL: cluster.natsUrl, STRATUS_NAMESPACE: 'tlaunch' });

    await cluster.stop();
    const drained = logLines.filter((l) => l['msg'] === 'draining').map((l) => l['instance'] ?? l['nodeId'] ?? l['service']);
    expect(drained.slice(0, 3).sort()).toEqual(['frontend', 'frontend-2', 'frontend-3']);
    expect(drained.slice(3)).toEqual(['node-1', 'billing']);
  });

  it('keeps its state in a temporary data dir when asked, and removes it on stop', async () => {
    const cluster = await start({ dataDir: undefined, temporaryDataDir: true, nodes: 1 });
    expect(cluster.dataDir).not.toBe(dataDir);
    expect(startedEnv('billing')).toMatchObject({ STRATUS_BILLING_DATA_DIR: join(cluster.dataDir, 'billing') });
    expect((await readdir(cluster.dataDir)).sort()).toEqual(expect.arrayContaining(['code-cache', 'etcd', 'nats']));
    await cluster.stop();
    expect(await readdir(cluster.dataDir).catch((err: NodeJS.ErrnoException) => err.code)).toBe('ENOENT');
  });

  it('stops when disposed', async () => {
    let pids: number[];
    {
      await using cluster = await start({ nodes: 1 });
      const { frontends, billing, nodes } = cluster.processes;
      pids = [...frontends.map((f) => f.pid), billing.pid, ...nodes.map((node) => node.pid)];
    }
    expect(pids.filter(isRunning)).toEqual([]);
  });

  it('makes an admin key on first start, keeps it in admin.key (0600) and hashed in etcd, and reuses it', async () => {
    const first = await start({ nodes: 0 });
    const keyFile = join(dataDir, 'admin.key');
    expect((await readFile(keyFile, 'utf8')).trim()).toBe(first.apiKey);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const credential = parseApiKey(first.apiKey);
    expect(credential).toBeDefined();
    const etcd = createEtcdClient({ endpoints: first.etcdEndpoints, auth: first.etcdCredentials });
    try {
      const record = await new ApiKeyStore({ etcd, ns: createNamespace('tlaunch') }).get(credential!.keyId);
      expect(record?.scopes).toEqual(['admin']);
      expect(JSON.stringify(record)).not.toContain(credential!.secret);
      expect(verifyApiKeySecret(record!, credential!.secret)).toBe(true);
    } finally {
      etcd.close();
    }
    await first.stop();

    const second = await start({ nodes: 0 });
    expect(second.apiKey).toBe(first.apiKey);
  });

  it('restarts the billing aggregator', async () => {
    const cluster = await start({ nodes: 0 });
    const before = cluster.processes.billing.pid;
    await cluster.restartBilling();
    const after = cluster.processes.billing.pid;
    expect(after).not.toBe(before);
    expect(isRunning(before)).toBe(false);
    expect(isRunning(after)).toBe(true);
  });

  it('fails with the service output when a service exits before it is ready, and cleans up', async () => {
    const error = await startLocalCluster(
      fakeOptions({ env: { frontend: { FAKE_SERVICE: 'frontend' }, node: { FAKE_SERVICE: 'node', FAKE_MODE: 'crash' }, billing: { FAKE_SERVICE: 'billing' } } }),
    ).catch((err: unknown) => err);
    expect(hasCode(error, 'UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/node-\d exited with code 3 before it was ready/);
    expect((error as Error).message).toContain('fake failure: cannot reach the registry');
    expect(await waitUntilGone(await childPids(process.pid))).toEqual([]);
  });

  it('rejects bad options naming the field', async () => {
    const error = await startLocalCluster(fakeOptions({ nodes: -1 })).catch((err: unknown) => err);
    expect(hasCode(error, 'INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/^nodes:/);
    const frontends = await startLocalCluster(fakeOptions({ frontends: 0 })).catch((err: unknown) => err);
    expect(hasCode(frontends, 'INVALID_ARGUMENT')).toBe(true);
    expect((frontends as Error).message).toMatch(/^frontends:/);
    const both = await startLocalCluster(fakeOptions({ temporaryDataDir: true })).catch((err: unknown) => err);
    expect(hasCode(both, 'INVALID_ARGUMENT')).toBe(true);
    expect((both as Error).message).toMatch(/^dataDir:/);
    const autoscale = await startLocalCluster(fakeOptions({ autoscale: { minNodes: 3, maxNodes: 2 } })).catch((err: unknown) => err);
    expect(hasCode(autoscale, 'INVALID_ARGUMENT')).toBe(true);
    expect((autoscale as Error).message).toMatch(/^autoscale\.maxNodes:/);
  });

  it('leaves no process behind when the launcher itself is killed', async () => {
    // A separate launcher process, so that it can be SIGKILLed.
    const script = `
      import { pino } from 'pino';
      import { startLocalCluster } from '@stratus/local-cluster';
      const fake = ${JSON.stringify(fakeService)};
      const cluster = await startLocalCluster({
        log: pino({ level: 'silent' }), dataDir: ${JSON.stringify(dataDir)}, grpcAddress: '127.0.0.1:0', nodes: 1,
        serviceMains: { frontend: fake, node: fake, billing: fake },
        env: { frontend: { FAKE_SERVICE: 'frontend' }, node: { FAKE_SERVICE: 'node' }, billing: { FAKE_SERVICE: 'billing' } },
      });
      process.stdout.write(JSON.stringify({ ...cluster.processes }) + '\\n');
    `;
    const launcher = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => launcher.once('exit', resolve));
    cleanups.push(async () => {
      launcher.kill('SIGKILL');
      await exited;
    });
    const first = await new Promise<string>((resolve, reject) => {
      launcher.stdout.setEncoding('utf8').once('data', resolve);
      launcher.once('exit', () => reject(new Error('launcher exited early')));
    });
    const processes = JSON.parse(first) as { frontends: Array<{ pid: number }>; billing: { pid: number }; nodes: Array<{ pid: number }> };
    const servicePids = [...processes.frontends.map((f) => f.pid), processes.billing.pid, ...processes.nodes.map((node) => node.pid)];
    // Services, nats-server, etcd and their orphan guards.
    const children = await childPids(launcher.pid ?? -1);
    expect(children).toEqual(expect.arrayContaining(servicePids));
    expect(children.length).toBeGreaterThanOrEqual(servicePids.length + 2);

    launcher.kill('SIGKILL');
    await exited;
    expect(await waitUntilGone(children)).toEqual([]);
  });
});
