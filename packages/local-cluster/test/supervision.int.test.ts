import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'nats';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { createEtcdClient } from '@stratus/registry/etcd';
import { startLocalCluster, type LocalCluster, type LocalClusterOptions, type RestartEvent } from '../src/index.js';

const fakeService = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-service.mjs');

let dataDir: string;
let logLines: Array<Record<string, unknown>>;
let events: RestartEvent[];
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'stratus-supervise-'));
  logLines = [];
  events = [];
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(overrides: Partial<LocalClusterOptions> = {}): Promise<LocalCluster> {
  const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
  const crashFlag = join(dataDir, 'crash');
  const cluster = await startLocalCluster({
    log,
    dataDir,
    grpcAddress: '127.0.0.1:0',
    namespace: 'tsupervise',
    drainGraceMs: 1_000,
    restart: { initialDelayMs: 50, maxDelayMs: 400 },
    onRestart: (event) => events.push(event),
    serviceMains: { frontend: fakeService, node: fakeService, billing: fakeService },
    env: {
      frontend: { FAKE_SERVICE: 'frontend' },
      node: { FAKE_SERVICE: 'node', FAKE_CRASH_WHILE_EXISTS: crashFlag },
      billing: { FAKE_SERVICE: 'billing' },
    },
    ...overrides,
  });
  cleanups.push(() => cluster.stop());
  return cluster;
}

function startedEnvs(service: string): Array<Record<string, string>> {
  return logLines
    .filter((l) => l['msg'] === 'started' && l['service'] === service)
    .map((l) => l['env'] as Record<string, string>);
}

describe('the local cluster restarts what dies', () => {
  it('restarts a killed node, billing aggregator and frontend with the same identity, but not a node it was asked to kill', async () => {
    const cluster = await start({ nodes: 2 });
    const [first, second] = cluster.nodes;
    if (first === undefined || second === undefined) throw new Error('two nodes expected');

    process.kill(first.pid, 'SIGKILL');
    process.kill(cluster.processes.billing.pid, 'SIGKILL');
    process.kill(cluster.processes.frontends[0]?.pid ?? -1, 'SIGKILL');
    await Promise.all([cluster.waitForRestarts(first.nodeId, 1), cluster.waitForRestarts('billing', 1), cluster.waitForRestarts('frontend', 1)]);

    expect(cluster.restarts).toEqual({ [first.nodeId]: 1, billing: 1, frontend: 1 });
    expect(events.map((e) => [e.name, e.kind, e.exit.signal]).sort()).toEqual([
      ['billing', 'billing', 'SIGKILL'],
      ['frontend', 'frontend', 'SIGKILL'],
      [first.nodeId, 'node', 'SIGKILL'],
    ]);
    const restartedNode = cluster.nodes.find((n) => n.nodeId === first.nodeId);
    expect(restartedNode?.pid).not.toBe(first.pid);
    // The same node id and code cache; a frontend on the address the first one listened on.
    const nodeEnvs = startedEnvs('node').filter((env) => env['STRATUS_NODE_ID'] === first.nodeId);
    expect(nodeEnvs).toHaveLength(2);
    expect(nodeEnvs[1]?.['STRATUS_NODE_CODE_CACHE_DIR']).toBe(nodeEnvs[0]?.['STRATUS_NODE_CODE_CACHE_DIR']);
    // Its data dir too: the restarted node sends the usage its killed predecessor had spooled.
    expect(nodeEnvs[1]?.['STRATUS_NODE_DATA_DIR']).toBe(nodeEnvs[0]?.['STRATUS_NODE_DATA_DIR']);
    expect(nodeEnvs[0]?.['STRATUS_NODE_DATA_DIR']).toBeDefined();
    expect(startedEnvs('frontend')[1]?.['STRATUS_GRPC_ADDRESS']).toBe(cluster.frontends[0]?.grpcAddress);
    expect(logLines.some((l) => l['msg'] === `${first.nodeId} was killed by SIGKILL; restarting in 50 ms`)).toBe(true);

    await cluster.killNode(second.nodeId, 'SIGKILL');
    await cluster.killNode(first.nodeId, 'SIGTERM');
    // Give a wrongful restart time to happen: none may, as both were asked for.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(cluster.nodes).toEqual([]);
    expect(cluster.restarts).toEqual({ [first.nodeId]: 1, billing: 1, frontend: 1 });
  });

  it('keeps retrying a service in a crash loop, with growing delays, until it starts', async () => {
    const cluster = await start({ nodes: 1 });
    const [node] = cluster.nodes;
    if (node === undefined) throw new Error('a node expected');
    await writeFile(join(dataDir, 'crash'), '');
    process.kill(node.pid, 'SIGKILL');

    const deadline = Date.now() + 60_000;
    while (!logLines.some((l) => typeof l['msg'] === 'string' && l['msg'].startsWith(`${node.nodeId} is crash-looping`))) {
      if (Date.now() > deadline) throw new Error('no crash loop was logged');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(cluster.restarts[node.nodeId]).toBeUndefined();
    const delays = logLines.filter((l) => l['child'] === node.nodeId && typeof l['delayMs'] === 'number').map((l) => l['delayMs']);
    expect(delays.slice(0, 5)).toEqual([50, 100, 200, 400, 400]);

    await rm(join(dataDir, 'crash'));
    await cluster.waitForRestarts(node.nodeId, 1);
    expect(cluster.nodes.map((n) => n.nodeId)).toEqual([node.nodeId]);
  });

  it('restarts nats-server and etcd on the same ports, with their data', async () => {
    const cluster = await start({ nodes: 1 });
    const natsPid = cluster.processes.natsServer?.pid ?? -1;
    const etcdPid = cluster.processes.etcd?.pid ?? -1;

    // The frontend's user may keep client tokens: its bucket stands for any JetStream data.
    const nc = await connect({ ...cluster.natsConnectOptions('frontend'), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    const etcd = createEtcdClient({ endpoints: cluster.etcdEndpoints, auth: cluster.etcdCredentials });
    cleanups.push(async () => {
      etcd.close();
      await nc.close();
    });
    const kv = await nc.jetstream().views.kv(createNamespace(cluster.namespace).buckets.clientTokens);
    await kv.put('kept', 'by JetStream');
    // Under the namespace: the cluster's etcd user may write nothing else.
    await etcd.put('/tsupervise/kept').value('by etcd');

    process.kill(natsPid, 'SIGKILL');
    process.kill(etcdPid, 'SIGKILL');
    await Promise.all([cluster.waitForRestarts('nats-server', 1), cluster.waitForRestarts('etcd', 1)]);

    expect(cluster.processes.natsServer?.pid).not.toBe(natsPid);
    expect(cluster.processes.etcd?.pid).not.toBe(etcdPid);
    // The same client that was connected before gets its data back on the same URLs.
    expect((await kv.get('kept'))?.string()).toBe('by JetStream');
    expect(await etcd.get('/tsupervise/kept').string()).toBe('by etcd');
    // etcd's users and roles are in its data dir: authentication is still on after the restart.
    const anonymous = createEtcdClient({ endpoints: cluster.etcdEndpoints });
    cleanups.push(async () => anonymous.close());
    await expect(anonymous.get('/tsupervise/kept').string()).rejects.toThrow(/user name is empty/);
  });
});
