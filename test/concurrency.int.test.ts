import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode, type StratusError } from '@stratus/errors';
import { createStratusClient, type InvokeResult, type StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';

// Two worker nodes, the default account limit of 1000.
let cluster: TestCluster;
let client: StratusClient;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2 });
  // Several HTTP/2 connections, as a load generator would use.
  client = createStratusClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey, channels: 4 });
});
afterAll(async () => {
  await client?.close();
  await cluster?.stop();
});

const WAIT_200MS = indexJs(`exports.handler = async () => { await new Promise((r) => setTimeout(r, 200)); return 'done'; };`);

async function burst(functionName: string, count: number): Promise<Array<InvokeResult | StratusError>> {
  return Promise.all(
    Array.from({ length: count }, () => client.invoke({ functionName }).catch((err: unknown) => err as StratusError)),
  );
}

/** The most invocations of `functionName` the nodes reported busy at once while `work` ran. */
async function peakBusy(functionName: string, work: Promise<unknown>): Promise<number> {
  let peak = 0;
  let done = false;
  void work.finally(() => (done = true));
  while (!done) {
    const account = await client.getAccountConcurrency();
    peak = Math.max(peak, account.functions.find((f) => f.functionName === functionName)?.inFlight ?? 0);
    await new Promise((r) => setTimeout(r, 50));
  }
  return peak;
}

describe('concurrency at scale', () => {
  it('runs 1000 concurrent invocations on two nodes with none throttled', async () => {
    await client.createFunction({ functionName: 'wait200', zipFile: WAIT_200MS });
    const results = await burst('wait200', 1000);
    const failures = results.filter((r): r is StratusError => r instanceof Error);
    expect(failures.map((f) => `${f.code}: ${f.message}`).slice(0, 3)).toEqual([]);
    const ok = results as InvokeResult[];
    expect(ok.every((r) => r.payloadText === '"done"')).toBe(true);
    expect(new Set(ok.map((r) => r.nodeId)).size).toBe(2);
  }, 180_000);

  it('caps a function at its reserved concurrency and throttles the rest with the reason', async () => {
    await client.createFunction({ functionName: 'reserved100', zipFile: WAIT_200MS });
    const reserved = await client.putFunctionConcurrency('reserved100', 100);
    expect(reserved).toMatchObject({ functionName: 'reserved100', hasReservation: true, reservedConcurrentExecutions: 100 });
    expect((await client.getAccountConcurrency()).unreservedConcurrentExecutions).toBe(900);

    const work = burst('reserved100', 400);
    const [results, peak] = await Promise.all([work, peakBusy('reserved100', work)]);
    const throttled = results.filter((r) => hasCode(r, 'THROTTLED')) as StratusError[];
    const succeeded = results.filter((r) => !(r instanceof Error));
    expect(succeeded.length).toBeGreaterThanOrEqual(100);
    expect(throttled.length + succeeded.length).toBe(400);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((t) => t.details['reason'] === 'ReservedFunctionConcurrentInvocationLimitExceeded')).toBe(true);
    expect(Number(throttled[0]?.details['retryAfterMs'])).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(100);
  }, 120_000);

  it('disables a function with reserved concurrency 0 and restores it when the reservation is removed', async () => {
    await client.createFunction({ functionName: 'switch', zipFile: indexJs(`exports.handler = async () => 'on';`) });
    await client.putFunctionConcurrency('switch', 0);
    await expect(client.invoke({ functionName: 'switch' })).rejects.toSatisfy((err) => hasCode(err, 'THROTTLED'));
    await client.deleteFunctionConcurrency('switch');
    expect((await client.invoke({ functionName: 'switch' })).payloadText).toBe('"on"');
  });

  it('refuses a reservation that leaves less than 100 unreserved', async () => {
    await client.createFunction({ functionName: 'greedy', zipFile: indexJs(`exports.handler = async () => 1;`) });
    // 100 are already reserved for reserved100.
    await expect(client.putFunctionConcurrency('greedy', 801)).rejects.toSatisfy(
      (err) => hasCode(err, 'INVALID_ARGUMENT') && /at most 800 can be reserved/.test((err as Error).message),
    );
    await expect(client.putFunctionConcurrency('missing', 1)).rejects.toSatisfy((err) => hasCode(err, 'FUNCTION_NOT_FOUND'));
  });
});
