import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AsyncInvocationMessage } from '@stratus/contracts/grpc';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { FAST_ASYNC, asyncState } from './support/async.js';

// Accepted asynchronous invocations survive what kills the processes running them (SIGKILL, for real):
// the frontends dispatching them and the node running an attempt. Each event still runs to completion,
// its state tells the truth, and billing counts every attempt that ran.
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 2, frontends: 2, env: { frontend: FAST_ASYNC } });
  await cluster.client.createFunction({
    functionName: 'async-slow',
    zipFile: indexJs('exports.handler = async (e) => { await new Promise((r) => setTimeout(r, e.ms)); return { done: e.ms }; };'),
    timeoutSec: 30,
  });
});
afterAll(async () => {
  await cluster?.stop();
});

function stateOf(requestId: string, states: readonly string[]): Promise<AsyncInvocationMessage> {
  return asyncState(cluster.client, requestId, states);
}

// The attempt has reached its node: the status says 'running' as soon as a dispatcher takes the event, a moment
// before the call is sent, and a dispatcher killed in that moment cut off nothing that ran.
async function runningOnANode(): Promise<void> {
  await eventually(async () => ((await cluster.client.getFunctionConcurrency('async-slow')).inFlight > 0 ? true : undefined), 'async-slow to run on a node', 30_000);
}

async function billedRequests(): Promise<number> {
  const usage = await cluster.client.getUsage({ functionName: 'async-slow' }).catch(() => undefined);
  return usage?.functions.find((f) => f.functionName === 'async-slow')?.requests ?? 0;
}

describe('asynchronous invocations under process kills', () => {
  it('an event whose dispatcher is SIGKILLed mid-attempt runs again elsewhere, and the cut-off attempt counts', { timeout: 120_000 }, async () => {
    const accepted = await cluster.client.invoke({ functionName: 'async-slow', payload: JSON.stringify({ ms: 4000 }), invocationType: 'EVENT' });
    await stateOf(accepted.requestId, ['running']);
    await runningOnANode();
    // Whichever frontend took it, both die with it; the supervisor brings them back.
    const restartsBefore = { ...cluster.restarts };
    for (const frontend of cluster.frontends) process.kill(frontend.pid, 'SIGKILL');
    for (const name of ['frontend', 'frontend-2']) await cluster.waitForRestarts(name, (restartsBefore[name] ?? 0) + 1);
    const done = await stateOf(accepted.requestId, ['succeeded', 'failed']);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(done.lastError).toContain('interrupted');
    // The cut-off attempt ran to its end on its node, and so did the second: both are billed, once each.
    // Under load the cut-off attempt's usage can take a while: its node sends it when the batch seals.
    await eventually(async () => ((await billedRequests()) >= 2 ? true : undefined), 'two billed attempts', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await billedRequests()).toBe(2);
  });

  it('an event whose node is SIGKILLed mid-attempt is retried on another node', { timeout: 120_000 }, async () => {
    const accepted = await cluster.client.invoke({ functionName: 'async-slow', payload: JSON.stringify({ ms: 4000 }), invocationType: 'EVENT' });
    await stateOf(accepted.requestId, ['running']);
    await runningOnANode();
    // Kill the node that holds the call (the busy one, as its heartbeats tell).
    const busy = await eventually(async () => (await cluster.client.listNodes()).find((node) => node.inFlight > 0), 'a node running the attempt', 10_000);
    await cluster.killNode(busy.nodeId);
    const done = await stateOf(accepted.requestId, ['succeeded', 'failed']);
    expect(done).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(done.lastError).toContain('INVOCATION_LOST');
  });
});
