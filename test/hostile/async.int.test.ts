import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCluster } from '@stratus/testing';
import { eventually, indexJs } from '../support/code.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';

// Asynchronous invocations a hostile or careless tenant would send: a flood of one function's events, and a
// function that invokes itself asynchronously forever (through its own on-success destination).
let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startHostileCluster({
    nodes: 2,
    // Few events per function at once, so a flood is a backlog of many seconds.
    env: { frontend: { STRATUS_ASYNC_FUNCTION_CONCURRENCY: '4' } },
  });
});
afterAll(async () => {
  await cluster?.stop();
});

const SLOW_CASE_MS = 120_000;

async function acceptAsync(functionName: string, payload: unknown): Promise<string> {
  const accepted = await cluster.client.invoke({ functionName, payload: JSON.stringify(payload), invocationType: 'EVENT' });
  expect(accepted.statusCode).toBe(202);
  return accepted.requestId;
}

async function billedRequests(functionName: string): Promise<number> {
  const usage = await cluster.client.getUsage({ functionName });
  return usage.functions.find((f) => f.functionName === functionName)?.requests ?? 0;
}

describe('asynchronous invocations from a hostile tenant', () => {
  it('a flood of one function’s events does not hold up another function’s event', { timeout: SLOW_CASE_MS }, async () => {
    await cluster.client.createFunction({
      functionName: 'async-flood',
      zipFile: indexJs('exports.handler = async () => { await new Promise((r) => setTimeout(r, 2000)); return 1; };'),
      timeoutSec: 5,
    });
    await cluster.client.createFunction({ functionName: 'async-quiet', zipFile: indexJs('exports.handler = async (e) => e;') });
    // 120 events of 2 s at 4 at once: a backlog of a minute.
    const flood = await Promise.all(Array.from({ length: 120 }, (_, i) => acceptAsync('async-flood', { i })));
    const quiet = await acceptAsync('async-quiet', { hello: 'neighbour' });
    const startedAt = Date.now();
    const done = await eventually(
      async () => {
        const status = await cluster.client.getAsyncInvocation(quiet);
        return status.state === 'succeeded' ? status : undefined;
      },
      'the quiet function’s event to run',
      15_000,
    );
    expect(done.attempts).toBe(1);
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    // The flood is still being worked through, a few at a time: most of it still waits.
    const states = await Promise.all(flood.slice(-20).map(async (id) => (await cluster.client.getAsyncInvocation(id)).state));
    expect(states.filter((state) => state === 'queued').length).toBeGreaterThan(10);
    // Cancelled, the rest of the flood never runs.
    await Promise.all(flood.map((id) => cluster.client.cancelAsyncInvocation(id).catch(() => undefined)));
    await expectClusterHealthy(cluster);
  });

  it('a function that invokes itself asynchronously forever is stopped after 16 loops', { timeout: SLOW_CASE_MS }, async () => {
    await cluster.client.createFunction({ functionName: 'async-looper', zipFile: indexJs('exports.handler = async (e) => ({ again: true });') });
    await cluster.client.putFunctionEventInvokeConfig({ functionName: 'async-looper', maximumRetryAttempts: 0, onSuccess: 'function:async-looper' });
    await acceptAsync('async-looper', { start: true });
    // The first event and 16 loops run; the 17th loop is stopped before it runs.
    await eventually(async () => ((await billedRequests('async-looper')) >= 17 ? true : undefined), '17 runs of the looper', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    expect(await billedRequests('async-looper')).toBe(17);
    await expectClusterHealthy(cluster);
  });

  it('a function allowed to loop keeps looping until it is deleted', { timeout: SLOW_CASE_MS }, async () => {
    await cluster.client.createFunction({ functionName: 'async-allowed', zipFile: indexJs('exports.handler = async (e) => ({ again: true });') });
    await cluster.client.putFunctionEventInvokeConfig({ functionName: 'async-allowed', maximumRetryAttempts: 0, onSuccess: 'function:async-allowed', recursiveLoop: 'Allow' });
    await acceptAsync('async-allowed', { start: true });
    await eventually(async () => ((await billedRequests('async-allowed')) >= 20 ? true : undefined), 'more than 17 runs of the allowed looper', 60_000);
    await cluster.client.deleteFunction('async-allowed');
    await expectClusterHealthy(cluster);
  });
});
