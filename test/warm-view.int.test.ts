import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeConfig } from '@stratus/worker-node/config';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { heartbeatsFrom, homedOn } from './support/placement.js';

// Two calls fill a node, so a node can be made full on purpose.
const NODE_MAX_IN_FLIGHT = 2;
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2, env: { node: { [nodeConfig.env.maxInFlight]: String(NODE_MAX_IN_FLIGHT) } } });
  await heartbeatsFrom(cluster.client, 2);
}, 120_000);
afterAll(async () => {
  await cluster?.stop();
});

const WAIT = indexJs(`exports.handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms)); return 'done'; };`);

describe('the warm view', () => {
  it('sends back-to-back calls to the warm environment that just became idle, not to the home node, which would start another', async () => {
    const functionName = homedOn('back-to-back', 'node-1');
    const filler = homedOn('filler', 'node-1');
    await cluster.client.createFunction({ functionName, zipFile: WAIT });
    await cluster.client.createFunction({ functionName: filler, zipFile: WAIT });
    // node-1, the function's home, is full while its first call is placed, so that call starts an environment on node-2.
    const filling = Promise.all(Array.from({ length: NODE_MAX_IN_FLIGHT }, () => cluster.client.invoke({ functionName: filler, payload: '{"ms":1500}' })));
    await eventually(async () => ((await cluster.client.listNodes()).find((n) => n.nodeId === 'node-1')?.inFlight === NODE_MAX_IN_FLIGHT ? true : undefined), 'node-1 full');
    const first = await cluster.client.invoke({ functionName, payload: '{"ms":20}' });
    expect(first).toMatchObject({ nodeId: 'node-2', coldStart: true });
    expect((await filling).map((r) => r.nodeId)).toEqual(['node-1', 'node-1']);
    // Each call keeps node-2's environment busy most of the time, so most heartbeats show it busy, none of them idle for long.
    const results = [];
    for (let i = 0; i < 200; i += 1) results.push(await cluster.client.invoke({ functionName, payload: '{"ms":20}' }));
    const cold = results.filter((r) => r.coldStart);
    expect(cold, `${cold.length} more cold starts, on ${cold.map((r) => r.nodeId).join(', ')}`).toEqual([]);
    expect(new Set(results.map((r) => r.nodeId))).toEqual(new Set(['node-2']));
  }, 60_000);
});
