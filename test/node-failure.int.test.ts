import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

let cluster: TestCluster;
beforeAll(async () => {
  // A short lease so a dead node leaves the registry within seconds.
  cluster = await startTestCluster({ nodes: 2, nodeLeaseTtlSec: 2 });
});
afterAll(async () => {
  await cluster?.stop();
});

describe('a worker node dies', () => {
  it('leaves `nodes` once its lease expires, and invocations keep succeeding on the other', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'whoami', zipFile: indexJs(`exports.handler = async () => 'ok';`) });
    const listed = await eventually(async () => {
      const nodes = await client.listNodes();
      return nodes.length === 2 && nodes.every((n) => n.lastHeartbeatMs > 0) ? nodes : undefined;
    }, 'both nodes to be listed with heartbeats');
    expect(listed.map((n) => n.nodeId).sort()).toEqual(cluster.nodes.map((n) => n.nodeId).sort());

    const first = await client.invoke({ functionName: 'whoami' });
    const victim = first.nodeId;
    const survivor = cluster.nodes.find((n) => n.nodeId !== victim)?.nodeId;
    await cluster.killNode(victim, 'SIGKILL');

    // Calls made while the dead node is still listed must not fail: the frontend moves on when nobody answers.
    for (let i = 0; i < 5; i += 1) {
      const result = await client.invoke({ functionName: 'whoami' });
      expect(result.payloadText).toBe('"ok"');
      expect(result.nodeId).toBe(survivor);
    }

    await eventually(async () => {
      const nodes = await client.listNodes();
      return nodes.length === 1 ? nodes : undefined;
    }, 'the dead node to leave the registry');
    expect((await client.listNodes()).map((n) => n.nodeId)).toEqual([survivor]);

    const results = await Promise.all(Array.from({ length: 20 }, () => client.invoke({ functionName: 'whoami' })));
    expect(results.every((r) => r.payloadText === '"ok"' && r.nodeId === survivor)).toBe(true);
  });
});
