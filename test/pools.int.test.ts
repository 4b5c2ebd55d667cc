import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

// One node with a small memory budget and a short keep-warm period, so pools
// visibly fill, evict and empty within a test.
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({
    nodes: 1,
    nodeMemoryMb: 512,
    env: { node: { STRATUS_NODE_KEEP_WARM_MS: '1500' } },
  });
});
afterAll(async () => {
  await cluster?.stop();
});

const SLEEP = indexJs(`exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms ?? 0)); return 'ok'; };`);

async function warmIsolates(): Promise<number> {
  const [node] = await cluster.client.listNodes();
  return node?.warmIsolates ?? -1;
}

describe('isolate pools on a node', () => {
  it('scale to zero after the keep-warm period, and the next call starts cold and succeeds', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'idle', zipFile: SLEEP });
    expect((await client.invoke({ functionName: 'idle' })).coldStart).toBe(true);
    expect((await client.invoke({ functionName: 'idle' })).coldStart).toBe(false);
    await eventually(async () => ((await warmIsolates()) === 1 ? true : undefined), 'the warm isolate to show in the heartbeat');
    await eventually(async () => ((await warmIsolates()) === 0 ? true : undefined), 'the pool to empty after keep-warm');
    const next = await client.invoke({ functionName: 'idle' });
    expect(next.coldStart).toBe(true);
    expect(next.payloadText).toBe('"ok"');
  });

  it('evicts idle isolates of another function to serve a new one when the budget is full', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'hog', zipFile: SLEEP });
    await client.createFunction({ functionName: 'newcomer', zipFile: SLEEP });
    // Four concurrent 128 MB calls fill the 512 MB budget; afterwards they sit idle.
    const hogs = await Promise.all(Array.from({ length: 4 }, () => client.invoke({ functionName: 'hog', payload: '{"ms":300}' })));
    expect(hogs.every((r) => r.payloadText === '"ok"')).toBe(true);
    const result = await client.invoke({ functionName: 'newcomer' });
    expect(result.payloadText).toBe('"ok"');
    expect(result.coldStart).toBe(true);
  });
});
