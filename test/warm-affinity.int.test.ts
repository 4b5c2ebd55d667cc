import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeResult } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
});
afterAll(async () => {
  await cluster?.stop();
});

/** `callers` loops invoking back to back until `durationMs` has passed. */
async function steadyLoad(functionName: string, callers: number, durationMs: number): Promise<InvokeResult[]> {
  const results: InvokeResult[] = [];
  const end = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (Date.now() < end) results.push(await cluster.client.invoke({ functionName, payload: '{}' }));
    }),
  );
  return results;
}

describe('warm-aware placement', () => {
  it('keeps a steady load at least 99% warm after a warm-up', async () => {
    await cluster.client.createFunction({
      functionName: 'steady',
      zipFile: indexJs(`exports.handler = async () => { await new Promise((r) => setTimeout(r, 20)); return 1; };`),
    });
    await steadyLoad('steady', 16, 2000);
    const measured = await steadyLoad('steady', 16, 4000);
    const warm = measured.filter((r) => !r.coldStart).length;
    const ratio = warm / measured.length;
    expect(measured.length).toBeGreaterThan(200);
    expect(ratio, `${measured.length - warm} cold of ${measured.length}`).toBeGreaterThanOrEqual(0.99);
  }, 60_000);
});
