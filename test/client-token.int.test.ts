import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { createStratusClient, type InvokeResult, type StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';

// Two frontends: a retry may reach either.
let cluster: TestCluster;
let first: StratusClient;
let second: StratusClient;
let third: StratusClient;

// Each run answers with a value no other run gives, and the request id is the run's own.
const UNIQUE = `exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms ?? 0)); return { run: Math.random(), got: e }; };`;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2, frontends: 3 });
  [first, second, third] = cluster.frontends.map((f) => createStratusClient({ endpoint: f.grpcAddress, apiKey: cluster.apiKey })) as [
    StratusClient,
    StratusClient,
    StratusClient,
  ];
});
afterAll(async () => {
  for (const client of [first, second, third]) await client?.close();
  await cluster?.stop();
});

async function deploy(functionName: string, source = UNIQUE): Promise<void> {
  await cluster.client.createFunction({ functionName, zipFile: indexJs(source), timeoutSec: 10 });
}

async function billedRequests(functionName: string, atLeast: number): Promise<number> {
  const fn = await eventually(async () => {
    const usage = await cluster.client.getUsage({ functionName });
    const found = usage.functions.find((f) => f.functionName === functionName);
    return found && found.requests >= atLeast ? found : undefined;
  }, `${atLeast} billed requests of ${functionName}`);
  // Anything billed twice would show up within a moment more.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return (await cluster.client.getUsage({ functionName })).functions.find((f) => f.functionName === functionName)?.requests ?? fn.requests;
}

const same = (a: InvokeResult, b: InvokeResult): void => {
  expect(b.requestId).toBe(a.requestId);
  expect(b.payloadText).toBe(a.payloadText);
};

describe('Invoke with a client token runs the function once', () => {
  it('answers a retry on the same frontend, or on another, with the first result', async () => {
    await deploy('once');
    const clientToken = randomUUID();
    const call = { functionName: 'once', payload: '{"n":1}', clientToken };
    const original = await first.invoke(call);
    same(original, await first.invoke(call));
    same(original, await second.invoke(call));
    // Without the token, or with another, it runs again.
    expect((await first.invoke({ functionName: 'once', payload: '{"n":1}' })).requestId).not.toBe(original.requestId);
    expect((await first.invoke({ ...call, clientToken: randomUUID() })).requestId).not.toBe(original.requestId);
    expect(await billedRequests('once', 3)).toBe(3);
  });

  it('makes retries that arrive while the first call runs wait for its result, on every frontend', async () => {
    await deploy('slow');
    const call = { functionName: 'slow', payload: '{"ms":1500}', clientToken: randomUUID() };
    const results = await Promise.all([first.invoke(call), first.invoke(call), second.invoke(call), third.invoke(call)]);
    for (const result of results.slice(1)) same(results[0], result);
    expect(await billedRequests('slow', 1)).toBe(1);
  });

  it('keeps a handler error as the outcome, and refuses the token for a different request', async () => {
    await deploy('throws', `exports.handler = async () => { throw new Error('boom ' + Math.random()); };`);
    const call = { functionName: 'throws', clientToken: randomUUID() };
    const failed = await first.invoke(call);
    expect(failed.functionError).toBe('Unhandled');
    same(failed, await second.invoke(call));
    const other = await first.invoke({ ...call, payload: '{"other":true}' }).catch((err: unknown) => err);
    expect(hasCode(other, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('lets a retry run the call when the first attempt did not run (a retryable failure)', async () => {
    await deploy('gated');
    await cluster.client.putFunctionConcurrency('gated', 0);
    const call = { functionName: 'gated', clientToken: randomUUID() };
    const throttled = await first.invoke(call).catch((err: unknown) => err);
    expect(hasCode(throttled, 'THROTTLED')).toBe(true);
    await cluster.client.deleteFunctionConcurrency('gated');
    const ran = await eventually(() => second.invoke(call).catch((err: unknown) => (hasCode(err, 'THROTTLED') ? undefined : Promise.reject(err))), 'the reservation to be gone');
    same(ran, await first.invoke(call));
    expect(await billedRequests('gated', 1)).toBe(1);
  });

  it('never runs a call twice when its frontend dies mid-call: the retry elsewhere says INVOCATION_LOST', async () => {
    await deploy('orphaned');
    const victim = cluster.frontends[2]!;
    const call = { functionName: 'orphaned', payload: '{"ms":3000}', clientToken: randomUUID() };
    const pending = third.invoke(call).catch((err: unknown) => err);
    // Once the node has the call (its in-flight count shows it), kill the frontend that sent it.
    await eventually(async () => ((await cluster.client.listNodes()).some((n) => n.inFlight > 0) ? true : undefined), 'the call to be running', 10_000);
    process.kill(victim.pid, 'SIGKILL');
    const lostInTransit = await pending;
    expect(hasCode(lostInTransit, 'INVOCATION_LOST')).toBe(true);
    // The client sent a token, so it may retry: the frontend it reaches does not run the call again.
    expect((lostInTransit as { retryable: boolean }).retryable).toBe(true);
    const retried = await first.invoke(call).catch((err: unknown) => err);
    expect(hasCode(retried, 'INVOCATION_LOST')).toBe(true);
    expect(await billedRequests('orphaned', 1)).toBe(1);
  }, 60_000);
});
