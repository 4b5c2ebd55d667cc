import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeResult } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
});
afterAll(async () => {
  await cluster?.stop();
});

async function invokeMany(functionName: string, count: number): Promise<InvokeResult[]> {
  const results: InvokeResult[] = [];
  // Batches of 10 in parallel: enough to spread over both nodes and isolates.
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) =>
      cluster.client.invoke({ functionName, payload: JSON.stringify({ ms: (i + j) % 7 }) }),
    );
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

async function usageOf(functionName: string, expectedRequests: number) {
  return eventually(async () => {
    const usage = await cluster.client.getUsage({ functionName });
    const fn = usage.functions.find((f) => f.functionName === functionName);
    return fn && fn.requests >= expectedRequests ? fn : undefined;
  }, `${expectedRequests} requests of ${functionName} to be billed`);
}

describe('billing counts every invocation exactly once', () => {
  it('reports exactly K requests and the exact sum of billed ms, across an aggregator restart', async () => {
    const { client } = cluster;
    await client.createFunction({
      functionName: 'billed',
      memorySizeMb: 512,
      zipFile: indexJs(`exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms)); return e.ms; };`),
    });

    const firstRound = await invokeMany('billed', 30);
    const billedFirst = firstRound.reduce((sum, r) => sum + r.billedDurationMs, 0);
    const afterFirst = await usageOf('billed', 30);
    expect(afterFirst.requests).toBe(30);
    expect(afterFirst.billedMs).toBe(billedFirst);
    expect(afterFirst.gbSeconds).toBeCloseTo((billedFirst / 1000) * (512 / 1024), 9);
    expect(afterFirst.costUsd).toBeCloseTo((30 / 1e6) * 0.2 + afterFirst.gbSeconds * 0.0000166667, 12);

    await cluster.restartBilling();

    const secondRound = await invokeMany('billed', 25);
    const billedTotal = billedFirst + secondRound.reduce((sum, r) => sum + r.billedDurationMs, 0);
    const afterRestart = await usageOf('billed', 55);
    // Give a double count the chance to show up before asserting exactness.
    await new Promise((r) => setTimeout(r, 1000));
    const settled = (await client.getUsage({ functionName: 'billed' })).functions[0];
    expect(settled?.requests).toBe(55);
    expect(settled?.billedMs).toBe(billedTotal);
    expect(afterRestart.billedMs).toBe(billedTotal);
  });

  it('counts failed invocations too, as Lambda bills them', async () => {
    const { client } = cluster;
    await client.createFunction({ functionName: 'failing', zipFile: indexJs(`exports.handler = async () => { throw new Error('no'); };`) });
    const results = await invokeMany('failing', 5);
    expect(results.every((r) => r.functionError === 'Unhandled')).toBe(true);
    const usage = await usageOf('failing', 5);
    expect(usage.requests).toBe(5);
    expect(usage.errors).toBe(5);
  });
});
