import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from 'nats';
import { createNamespace } from '@stratus/contracts';
import type { AsyncInvocationMessage } from '@stratus/contracts/grpc';
import type { StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { runStratus } from './support/cli.js';
import { FAST_ASYNC, asyncState } from './support/async.js';

// What happens when an asynchronous invocation's destination fails: a function that does not exist, a NATS
// subject nobody listens on, a JetStream subject no stream captures. Nothing accepted is lost (the record is
// kept in the dead-letter stream, or as an event of the missing function), the event's state says so, and
// the failure is logged and counted.
let cluster: TestCluster;
let client: StratusClient;
let frontendConnection: NatsConnection;
let listener: NatsConnection;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, env: { frontend: FAST_ASYNC, combined: FAST_ASYNC } });
  client = cluster.client;
  // The frontends' own NATS user may read the dead-letter stream.
  frontendConnection = await connect(cluster.natsConnectOptions('frontend'));
  // Users' programs listen to nats: destinations as the events user.
  listener = await connect(cluster.natsConnectOptions('events'));
}, 120_000);
afterAll(async () => {
  await listener?.close();
  await frontendConnection?.close();
  await cluster?.stop();
});

const SINK = `exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); if (process.env.FAIL === '1') throw new Error('told to fail'); return { ok: true }; };`;

async function deploy(functionName: string, environment: Record<string, string> = {}): Promise<void> {
  await client.createFunction({ functionName, zipFile: indexJs(SINK), timeoutSec: 10, environment });
}

async function invokeAsync(functionName: string, payload: unknown): Promise<string> {
  return (await client.invoke({ functionName, payload: JSON.stringify(payload), invocationType: 'EVENT' })).requestId;
}

function settled(requestId: string, states: readonly string[], timeoutMs = 90_000): Promise<AsyncInvocationMessage> {
  return asyncState(client, requestId, states, timeoutMs);
}

/** The invocation record kept for an event whose destination did not take it, from the dead-letter stream. */
async function keptRecord(functionName: string, seq: number): Promise<{ record: Record<string, unknown>; destination: string }> {
  const ns = createNamespace(cluster.namespace);
  const jsm = await frontendConnection.jetstreamManager();
  const stored = await jsm.streams.getMessage(ns.streams.deadLetters, { seq });
  expect(stored.subject).toBe(ns.subjects.undeliveredRecord(functionName));
  return { record: JSON.parse(new TextDecoder().decode(stored.data)) as Record<string, unknown>, destination: stored.header?.get('Stratus-Destination') ?? '' };
}

function keptSeq(status: AsyncInvocationMessage): number {
  const seq = /at sequence (\d+)/.exec(status.destinationError)?.[1];
  expect(seq, status.destinationError).toBeDefined();
  return Number(seq);
}

describe('a destination that fails', () => {
  it('keeps the record of a JetStream destination no stream captures, and says so in the state, the CLI and /metrics', { timeout: 120_000 }, async () => {
    await deploy('adf-js');
    await client.putFunctionEventInvokeConfig({ functionName: 'adf-js', onSuccess: 'jetstream:no.stream.here' });
    const requestId = await invokeAsync('adf-js', { n: 1 });
    const done = await settled(requestId, ['succeeded']);
    // The function's outcome stands; the destination's failure is reported beside it.
    expect(done).toMatchObject({ state: 'succeeded', attempts: 1, deadLettered: false });
    expect(done.destinationError).toContain('on-success destination jetstream:no.stream.here not delivered after 3 tries');
    expect(done.destinationError).toContain('no JetStream stream captures no.stream.here');
    const { record, destination } = await keptRecord('adf-js', keptSeq(done));
    expect(destination).toBe('jetstream:no.stream.here');
    expect(record).toMatchObject({ requestContext: { requestId, condition: 'Success' }, requestPayload: { n: 1 }, responsePayload: { ok: true } });

    const text = await runStratus(cluster, ['async', 'status', requestId]);
    expect(text.stdout).toMatch(/destination\s+on-success destination jetstream:no\.stream\.here not delivered/);
    const metrics = await (await fetch(`http://${cluster.frontends[0]?.metricsAddress ?? ''}/metrics`)).text();
    expect(metrics).toContain('stratus_async_destination_failures_total{function="adf-js",destination="on-success"} 1');
    // Redrive does not mistake a kept record for a dead-lettered event.
    expect(await client.redriveAsyncInvocations({ functionName: 'adf-js' })).toEqual([]);
  });

  it('keeps the record of a NATS subject nobody listens on, and delivers it once someone does', { timeout: 120_000 }, async () => {
    await deploy('adf-nats', { FAIL: '1' });
    await client.putFunctionEventInvokeConfig({ functionName: 'adf-nats', maximumRetryAttempts: 0, onFailure: 'nats:adf.failures' });
    const unheard = await invokeAsync('adf-nats', { n: 2 });
    const failed = await settled(unheard, ['failed']);
    expect(failed).toMatchObject({ attempts: 1, deadLettered: true });
    expect(failed.destinationError).toContain('nobody listens on adf.failures');
    const { record } = await keptRecord('adf-nats', keptSeq(failed));
    expect(record).toMatchObject({ requestContext: { requestId: unheard, condition: 'RetriesExhausted' }, requestPayload: { n: 2 } });

    // A listener that never answers still gets the record: the delivery is not an error.
    const ns = createNamespace(cluster.namespace);
    const subscription = listener.subscribe(ns.subjects.destination('adf.failures'), { max: 1 });
    await listener.flush();
    const heard = await invokeAsync('adf-nats', { n: 3 });
    const received = (async () => {
      for await (const message of subscription) return JSON.parse(new TextDecoder().decode(message.data)) as Record<string, unknown>;
      return undefined;
    })();
    expect(await received).toMatchObject({ requestContext: { requestId: heard, condition: 'RetriesExhausted' }, requestPayload: { n: 3 } });
    expect((await settled(heard, ['failed'])).destinationError).toBe('');
  });

  it('queues the record for a destination function that does not exist, dead-lettered under its name until it exists and is redriven', { timeout: 120_000 }, async () => {
    await deploy('adf-fn', { FAIL: '1' });
    await client.putFunctionEventInvokeConfig({ functionName: 'adf-fn', maximumRetryAttempts: 0, onFailure: 'function:adf-later' });
    const requestId = await invokeAsync('adf-fn', { n: 4 });
    const failed = await settled(requestId, ['failed']);
    expect(failed.destinationError).toContain('on-failure destination function:adf-later: the function does not exist');
    const recordId = /asynchronous invocation ([0-9a-f-]{36})/.exec(failed.destinationError)?.[1] ?? '';
    expect(recordId).not.toBe('');
    expect(await settled(recordId, ['failed'])).toMatchObject({ functionName: 'adf-later', deadLettered: true, lastError: expect.stringContaining('FUNCTION_NOT_FOUND') as unknown });

    await deploy('adf-later');
    expect(await client.redriveAsyncInvocations({ requestId: recordId })).toEqual([recordId]);
    await settled(recordId, ['succeeded']);
    const logged = await eventually(async () => {
      const lines = (await client.getLogs({ functionName: 'adf-later', limit: 100 })).flatMap((entry) => entry.message.split('\n')).filter((line) => line.includes('EVENT '));
      return lines.length > 0 ? lines : undefined;
    }, "adf-later's logged record");
    expect(logged[0]).toContain(requestId);
    expect(logged[0]).toContain('RetriesExhausted');
  });
});
