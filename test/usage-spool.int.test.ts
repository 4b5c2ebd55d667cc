import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeResult } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

let cluster: TestCluster;

async function invokeMany(functionName: string, count: number): Promise<InvokeResult[]> {
  const results: InvokeResult[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = Array.from({ length: Math.min(20, count - i) }, (_, j) => cluster.client.invoke({ functionName, payload: JSON.stringify({ ms: (i + j) % 5 }) }));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

async function billed(functionName: string): Promise<{ requests: number; billedMs: number }> {
  const fn = (await cluster.client.getUsage({ functionName })).functions.find((f) => f.functionName === functionName);
  return { requests: fn?.requests ?? 0, billedMs: fn?.billedMs ?? 0 };
}

// Split: the calls come to the node over NATS. Combined: the node is the frontend's own and runs them in-process,
// answering through the frontend's gRPC server, with no NATS reply; the kill takes the frontend down too.
describe.each(['split', 'combined'] as const)('a worker node SIGKILLed right after answering calls (%s layout)', (layout) => {
  beforeAll(async () => {
    cluster = await startTestCluster({
      nodes: 1,
      layout,
      // Usage batches leave only when full (256 records): the records of the calls answered last stay in the
      // node's outbox until the kill, every time, instead of for the 50 ms a race would leave them.
      env: { [layout === 'split' ? 'node' : 'combined']: { STRATUS_NODE_USAGE_FLUSH_MS: '3600000' } },
    });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('bills every call it answered exactly once, once the supervisor has restarted it with the same id and data dir', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'spooled',
      zipFile: indexJs(`exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms)); return e.ms; };`),
    });
    const node = cluster.nodes[0];
    if (node === undefined) throw new Error('one node expected');

    // 256 records leave as one batch (stored before the kill, or resent under its own id after it); the
    // other 44 were answered, never sealed, and exist only in the node's memory and its spool.
    const answered = await invokeMany('spooled', 300);
    expect(answered.filter((r) => r.functionError)).toEqual([]);
    await eventually(async () => ((await billed('spooled')).requests === 256 ? true : undefined), 'the full batch to be billed');
    process.kill(node.pid, 'SIGKILL');
    await cluster.waitForRestarts(node.nodeId, 1);

    const expected = { requests: 300, billedMs: answered.reduce((sum, r) => sum + r.billedDurationMs, 0) };
    await eventually(async () => ((await billed('spooled')).requests >= 300 ? true : undefined), '300 requests to be billed');
    // Give a double count the chance to show up before asserting exactness.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await billed('spooled')).toEqual(expected);

    // And again, with what the restarted node answered: its own records are spooled the same way.
    const again = await invokeMany('spooled', 40);
    const restarted = cluster.nodes.find((n) => n.nodeId === node.nodeId);
    if (restarted === undefined) throw new Error('the node is back');
    process.kill(restarted.pid, 'SIGKILL');
    await cluster.waitForRestarts(node.nodeId, 2);
    const total = { requests: 340, billedMs: expected.billedMs + again.reduce((sum, r) => sum + r.billedDurationMs, 0) };
    await eventually(async () => ((await billed('spooled')).requests >= 340 ? true : undefined), '340 requests to be billed');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await billed('spooled')).toEqual(total);
  }, 90_000);
});
