import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeResult } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { heartbeatsFrom, homedOn, type NatsCallWatch, watchNatsCalls } from './support/placement.js';

// node-1 is the frontend's own node (one combined process), node-2 a node of its own, both on this machine. The
// combined process is told that no machine ever has enough idle CPU for a call to gain by crossing to a node on the
// same machine, as on a machine whose cores are all busy: then its calls stay on node-1 unless node-1 refuses them.
const NODE_1_MAX_IN_FLIGHT = 6;
let cluster: TestCluster;
let watch: NatsCallWatch | undefined;
/** Calls each node received over NATS, counted from its own subject (see watchNatsCalls). */
let sentOverNats: Record<string, number> = {};
beforeAll(async () => {
  cluster = await startTestCluster({
    layout: 'combined',
    nodes: 2,
    env: { combined: { STRATUS_LOCAL_SPREAD_MIN_IDLE_MILLICORES: '1000000', STRATUS_NODE_MAX_IN_FLIGHT: String(NODE_1_MAX_IN_FLIGHT) } },
  });
  watch = await watchNatsCalls(cluster);
  sentOverNats = watch.sentOverNats;
  await heartbeatsFrom(cluster.client, 2);
}, 120_000);
afterAll(async () => {
  await watch?.close();
  await cluster?.stop();
});

/** Calls node-1 has in flight now, from the combined process's metrics. */
async function node1InFlight(): Promise<number> {
  const text = await (await fetch(`http://${cluster.frontends[0]?.metricsAddress}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('stratus_node_in_flight '));
  return line === undefined ? -1 : Number(line.split(' ').pop());
}

const WAIT = indexJs(`exports.handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms ?? 300)); return 'done'; };`);

describe('the combined role on a machine with no idle cores', () => {
  it("keeps a concurrent load on its own node rather than spreading it to another node on the same machine, none over NATS", async () => {
    // Homed on node-2: placement alone would start it there, and spread calls past the load bound there too.
    const functionName = homedOn('busy-machine', 'node-2');
    await cluster.client.createFunction({ functionName, zipFile: WAIT });
    const before = { ...sentOverNats };
    const results = await Promise.all(Array.from({ length: NODE_1_MAX_IN_FLIGHT - 1 }, () => cluster.client.invoke({ functionName, payload: '{"ms":300}' })));
    expect(results.map((r) => r.nodeId)).toEqual(results.map(() => 'node-1'));
    expect(sentOverNats).toEqual(before);
    expect(sentOverNats['node-1']).toBe(0);
  });

  it('still sends calls to the other node when its own refuses them (at its in-flight limit), each run once and billed once', async () => {
    const functionName = homedOn('full-node', 'node-1');
    await cluster.client.createFunction({ functionName, zipFile: WAIT });
    const before = { ...sentOverNats };
    const calls = 3 * NODE_1_MAX_IN_FLIGHT;
    const results: InvokeResult[] = await Promise.all(Array.from({ length: calls }, () => cluster.client.invoke({ functionName, payload: '{"ms":500}' })));
    const onNode2 = results.filter((r) => r.nodeId === 'node-2').length;
    expect(results.every((r) => r.payloadText === '"done"')).toBe(true);
    expect(onNode2).toBeGreaterThan(0);
    expect(calls - onNode2).toBeGreaterThan(0);
    expect((sentOverNats['node-2'] ?? 0) - (before['node-2'] ?? 0)).toBe(onNode2);
    expect(sentOverNats['node-1']).toBe(0);
    const usage = await eventually(async () => {
      const fn = (await cluster.client.getUsage({ functionName })).functions.find((f) => f.functionName === functionName);
      return fn && fn.requests >= calls ? fn : undefined;
    }, 'every call billed');
    expect(usage.requests).toBe(calls);
    expect(usage.billedMs).toBe(results.reduce((sum, r) => sum + r.billedDurationMs, 0));
  });

  it("takes another node's idle environment of the function on the same machine rather than starting one here (a cold start costs more than the hop)", async () => {
    const functionName = homedOn('warm-there', 'node-1');
    await cluster.client.createFunction({ functionName, zipFile: WAIT });
    const filler = homedOn('filler', 'node-1');
    await cluster.client.createFunction({ functionName: filler, zipFile: WAIT });
    // node-1 full, so the first call of the function starts its environment on node-2.
    const filling = Promise.all(Array.from({ length: NODE_1_MAX_IN_FLIGHT }, () => cluster.client.invoke({ functionName: filler, payload: '{"ms":3000}' })));
    await eventually(async () => ((await node1InFlight()) === NODE_1_MAX_IN_FLIGHT ? true : undefined), 'node-1 full');
    expect(await cluster.client.invoke({ functionName, payload: '{"ms":1}' })).toMatchObject({ nodeId: 'node-2', coldStart: true });
    expect((await filling).every((r) => r.nodeId === 'node-1')).toBe(true);
    const before = { ...sentOverNats };
    expect(await cluster.client.invoke({ functionName, payload: '{"ms":1}' })).toMatchObject({ nodeId: 'node-2', coldStart: false });
    expect((sentOverNats['node-2'] ?? 0) - (before['node-2'] ?? 0)).toBe(1);
  });
});
