import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { createEtcdClient } from '@stratus/registry/etcd';
import { startEtcd, startTestCluster, type TestCluster, type TestEtcd } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { startLoad } from './support/load.js';

// etcd is started here, not by the cluster, so the test can pause it.
let etcd: TestEtcd;
let cluster: TestCluster;
let paused = false;

beforeAll(async () => {
  etcd = await startEtcd();
  cluster = await startTestCluster({ nodes: 2, etcdEndpoints: [etcd.endpoint] });
});
afterAll(async () => {
  if (paused) process.kill(etcd.pid, 'SIGCONT');
  await cluster?.stop();
  await etcd?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function nodeLeases(): Promise<Map<string, string>> {
  const client = createEtcdClient({ endpoints: [etcd.endpoint] });
  try {
    const prefix = createNamespace(cluster.namespace).keys.nodesPrefix();
    const { kvs } = await client.getAll().prefix(prefix).exec();
    return new Map(kvs.map((kv) => [kv.key.toString().slice(prefix.length), kv.lease]));
  } finally {
    client.close();
  }
}

describe('etcd stalls for 10 s under load', () => {
  it('keeps serving from the nodes that heartbeat, and they register again when etcd is back', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'steady', zipFile: indexJs(`exports.handler = async () => { await new Promise((r) => setTimeout(r, 20)); return 'ok'; };`) });
    await client.invoke({ functionName: 'steady' });
    const before = await nodeLeases();
    expect([...before.keys()].sort()).toEqual(['node-1', 'node-2']);

    const load = startLoad(client, { functionName: 'steady' }, 8);
    await sleep(2_000);
    process.kill(etcd.pid, 'SIGSTOP');
    paused = true;
    const okBeforeStall = load.tally.ok;
    await sleep(10_000);
    const okDuringStall = load.tally.ok - okBeforeStall;
    process.kill(etcd.pid, 'SIGCONT');
    paused = false;

    // The stall outlasted the 5 s leases: etcd expires them on resume, and each node registers again under a new one.
    const after = await eventually(async () => {
      const leases = await nodeLeases();
      return leases.size === 2 && [...leases].every(([nodeId, lease]) => before.get(nodeId) !== lease) ? leases : undefined;
    }, 'both nodes registered under new leases', 30_000);
    expect([...after.keys()].sort()).toEqual(['node-1', 'node-2']);
    await sleep(1_000);
    const tally = await load.stop();

    expect(okDuringStall).toBeGreaterThan(100);
    expect(tally.errors['NO_CAPACITY'] ?? 0).toBe(0);
    expect(tally.errors).toEqual({});
    const nodes = await client.listNodes();
    expect(nodes.map((n) => [n.nodeId, n.state])).toEqual([
      ['node-1', 'running'],
      ['node-2', 'running'],
    ]);
  }, 90_000);
});
