import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { LIMITS } from '@stratus/contracts';
import type { AsyncInvocationMessage } from '@stratus/contracts/grpc';
import type { StratusClient } from '@stratus/client';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { runStratus, type CliRun } from './support/cli.js';
import { FAST_ASYNC, asyncState } from './support/async.js';

// Asynchronous (Event) invocations end to end: accepted into JetStream, run by the frontends' dispatchers,
// retried, dead-lettered, redriven, cancelled, sent to destinations. Backoffs are shortened so retries take
// a fraction of a second instead of Lambda's minutes.
let cluster: TestCluster;
let client: StratusClient;

beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 1, frontends: 2, env: { frontend: FAST_ASYNC, combined: FAST_ASYNC } });
  client = cluster.client;
});
afterAll(async () => {
  await cluster?.stop();
});

// Logs its event (so a test can read what a destination received) and fails while FAIL is set.
const SINK = `exports.handler = async (event) => { console.log('EVENT ' + JSON.stringify(event)); if (process.env.FAIL === '1') throw new Error('told to fail'); return { ok: true, got: event }; };`;

async function deploy(functionName: string, environment: Record<string, string> = {}, source = SINK): Promise<void> {
  await client.createFunction({ functionName, zipFile: indexJs(source), timeoutSec: 10, environment });
}

async function invokeAsync(functionName: string, payload: unknown): Promise<string> {
  const accepted = await client.invoke({ functionName, payload: JSON.stringify(payload), invocationType: 'EVENT' });
  expect(accepted.statusCode).toBe(202);
  expect(accepted.requestId).toMatch(/^[0-9a-f-]{36}$/);
  return accepted.requestId;
}

function settled(requestId: string, states: readonly string[], timeoutMs = 30_000): Promise<AsyncInvocationMessage> {
  return asyncState(client, requestId, states, timeoutMs);
}

/** The events a function logged, parsed, oldest first. */
async function loggedEvents(functionName: string, atLeast: number): Promise<unknown[]> {
  return eventually(async () => {
    const events = (await client.getLogs({ functionName, limit: 1000 }))
      .flatMap((entry) => entry.message.split('\n'))
      .map((line) => /EVENT (.*)$/.exec(line)?.[1])
      .filter((text): text is string => text !== undefined)
      .map((text) => JSON.parse(text) as unknown);
    return events.length >= atLeast ? events : undefined;
  }, `${atLeast} logged events of ${functionName}`);
}

describe('Invoke with invocationType EVENT', () => {
  it('answers 202 with a request id once stored, runs the event once, and reports it succeeded', async () => {
    await deploy('async-ok');
    const requestId = await invokeAsync('async-ok', { n: 1 });
    const status = await settled(requestId, ['succeeded']);
    expect(status).toMatchObject({ requestId, functionName: 'async-ok', state: 'succeeded', attempts: 1, deadLettered: false, lastError: '' });
    expect(status.acceptedAtMs).toBeGreaterThan(0);
    expect(status.startedAtMs).toBeGreaterThanOrEqual(status.acceptedAtMs);
    expect(status.finishedAtMs).toBeGreaterThanOrEqual(status.startedAtMs);
    expect(await loggedEvents('async-ok', 1)).toEqual([{ n: 1 }]);
  });

  it('refuses an event over the async limit and one that is not JSON, and an unknown function, before accepting anything', async () => {
    await deploy('async-limits');
    const tooLarge = JSON.stringify({ pad: 'x'.repeat(LIMITS.asyncPayloadMaxBytes) });
    await expect(client.invoke({ functionName: 'async-limits', payload: tooLarge, invocationType: 'EVENT' })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      message: expect.stringContaining(`${LIMITS.asyncPayloadMaxBytes} bytes for an asynchronous (Event) invocation`),
    });
    await expect(client.invoke({ functionName: 'async-limits', payload: '{not json', invocationType: 'EVENT' })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await expect(client.invoke({ functionName: 'async-missing', payload: '{}', invocationType: 'EVENT' })).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
  });

  it('retries a failing handler MaximumRetryAttempts times, dead-letters it, sends the record on failure, and redrives it', async () => {
    await deploy('async-fails', { FAIL: '1' });
    await deploy('async-failure-sink');
    await client.putFunctionEventInvokeConfig({ functionName: 'async-fails', maximumRetryAttempts: 1, onFailure: 'function:async-failure-sink' });
    const requestId = await invokeAsync('async-fails', { n: 2 });
    const failed = await settled(requestId, ['failed']);
    expect(failed).toMatchObject({ state: 'failed', attempts: 2, deadLettered: true, lastError: 'Error: told to fail' });
    const [record] = (await loggedEvents('async-failure-sink', 1)) as [Record<string, unknown>];
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { requestId, functionArn: expect.stringMatching(/:function:async-fails:\$LATEST$/), condition: 'RetriesExhausted', approximateInvokeCount: 2 },
      requestPayload: { n: 2 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'told to fail' },
    });
    expect(Date.parse(record['timestamp'] as string)).toBeGreaterThan(0);

    // Fixed, and driven again from the dead-letter stream: it runs under the same request id.
    await client.updateFunction({ functionName: 'async-fails', environment: { FAIL: '0' } });
    expect(await client.redriveAsyncInvocations({ requestId })).toEqual([requestId]);
    const redriven = await settled(requestId, ['succeeded']);
    expect(redriven).toMatchObject({ attempts: 1, deadLettered: false });
    // Nothing left to redrive.
    expect(await client.redriveAsyncInvocations({ functionName: 'async-fails' })).toEqual([]);
  });

  it('gives every attempt the same request id, and the handler its attempt number as context.attempt', async () => {
    await client.createFunction({
      functionName: 'async-second-time',
      zipFile: indexJs(
        "exports.handler = async (event, context) => { console.log('EVENT ' + JSON.stringify({ attempt: context.attempt, requestId: context.awsRequestId })); if (context.attempt < 2) throw new Error('first time'); return 'ok'; };",
      ),
    });
    const requestId = await invokeAsync('async-second-time', {});
    expect(await settled(requestId, ['succeeded'])).toMatchObject({ attempts: 2, lastError: 'Error: first time' });
    expect(await loggedEvents('async-second-time', 2)).toEqual([
      { attempt: 1, requestId },
      { attempt: 2, requestId },
    ]);
    // A synchronous call is a first attempt.
    const sync = await client.invoke({ functionName: 'async-second-time', payload: '{}' });
    expect(sync.functionError).toBe('Unhandled');
  });

  it('sends the invocation record of a success to the on-success destination', async () => {
    await deploy('async-chain');
    await deploy('async-success-sink');
    await client.putFunctionEventInvokeConfig({ functionName: 'async-chain', onSuccess: 'function:async-success-sink' });
    const requestId = await invokeAsync('async-chain', { n: 3 });
    await settled(requestId, ['succeeded']);
    const [record] = (await loggedEvents('async-success-sink', 1)) as [Record<string, unknown>];
    expect(record).toMatchObject({
      requestContext: { requestId, condition: 'Success', approximateInvokeCount: 1 },
      requestPayload: { n: 3 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { ok: true, got: { n: 3 } },
    });
  });

  it('never throttles an event over the reserved concurrency: it waits, can be cancelled while it waits, and runs once allowed', async () => {
    await deploy('async-held');
    await client.putFunctionConcurrency('async-held', 0);
    const cancelled = await invokeAsync('async-held', { n: 'cancel me' });
    const waiting = await invokeAsync('async-held', { n: 'wait' });
    // Refused over and over for a while: still queued, no attempt counted.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await client.getAsyncInvocation(waiting)).toMatchObject({ state: 'queued', attempts: 0 });
    expect(await client.cancelAsyncInvocation(cancelled)).toMatchObject({ state: 'cancelled' });
    await client.deleteFunctionConcurrency('async-held');
    expect(await settled(waiting, ['succeeded'])).toMatchObject({ attempts: 1 });
    expect(await client.getAsyncInvocation(cancelled)).toMatchObject({ state: 'cancelled', attempts: 0 });
    // The cancelled one never ran, and one that ran cannot be cancelled.
    expect(await loggedEvents('async-held', 1)).toEqual([{ n: 'wait' }]);
    await expect(client.cancelAsyncInvocation(waiting)).rejects.toMatchObject({ code: 'ASYNC_INVOCATION_NOT_CANCELLABLE' });
  });

  it('expires an event that could not start within its maximum age, dead-letters it and reports it to the on-failure destination', { timeout: 150_000 }, async () => {
    await deploy('async-expires');
    await deploy('async-expiry-sink');
    await client.putFunctionConcurrency('async-expires', 0);
    await client.putFunctionEventInvokeConfig({ functionName: 'async-expires', maximumEventAgeInSeconds: 60, onFailure: 'function:async-expiry-sink' });
    const requestId = await invokeAsync('async-expires', { n: 'too late' });
    const expired = await settled(requestId, ['expired', 'failed', 'succeeded'], 120_000);
    expect(expired).toMatchObject({ state: 'expired', attempts: 0, deadLettered: true });
    expect(expired.finishedAtMs - expired.acceptedAtMs).toBeGreaterThanOrEqual(60_000);
    const [record] = (await loggedEvents('async-expiry-sink', 1)) as [Record<string, unknown>];
    expect(record).toMatchObject({ requestContext: { requestId, condition: 'EventAgeExceeded', approximateInvokeCount: 0 }, requestPayload: { n: 'too late' } });
    expect(record).not.toHaveProperty('responsePayload');
  });

  it('keeps and validates each function’s event invoke configuration', async () => {
    await deploy('async-config');
    await expect(client.getFunctionEventInvokeConfig('async-config')).rejects.toMatchObject({ code: 'EVENT_INVOKE_CONFIG_NOT_FOUND' });
    const put = await client.putFunctionEventInvokeConfig({ functionName: 'async-config', maximumEventAgeInSeconds: 120, onSuccess: 'nats:orders.done' });
    expect(put).toMatchObject({ maximumRetryAttempts: 2, maximumEventAgeInSeconds: 120, destinationConfig: { onSuccess: { destination: 'nats:orders.done' }, onFailure: { destination: '' } }, recursiveLoop: 'Terminate' });
    const updated = await client.updateFunctionEventInvokeConfig({ functionName: 'async-config', maximumRetryAttempts: 0 });
    expect(updated).toMatchObject({ maximumRetryAttempts: 0, maximumEventAgeInSeconds: 120, destinationConfig: { onSuccess: { destination: 'nats:orders.done' } } });
    // A deploy keeps it.
    await client.updateFunction({ functionName: 'async-config', timeoutSec: 5 });
    expect(await client.listFunctionEventInvokeConfigs('async-config')).toHaveLength(1);
    for (const [input, message] of [
      [{ maximumRetryAttempts: 3 }, 'maximumRetryAttempts must be a whole number from 0 to 2'],
      [{ maximumEventAgeInSeconds: 59 }, 'maximumEventAgeInSeconds must be a whole number from 60 to 21600'],
      [{ onFailure: 'nats:stratus.>' }, 'no wildcards'],
      [{ onFailure: 'sqs:queue' }, 'is not a destination'],
      [{ recursiveLoop: 'Sometimes' }, 'must be "Terminate" or "Allow"'],
    ] as const) {
      const refused = await client.updateFunctionEventInvokeConfig({ functionName: 'async-config', ...input }).catch((err: unknown) => err);
      expect(hasCode(refused) && refused.code, JSON.stringify(input)).toBe('INVALID_ARGUMENT');
      expect((refused as Error).message).toContain(message);
    }
    await client.deleteFunctionEventInvokeConfig('async-config');
    await expect(client.getFunctionEventInvokeConfig('async-config')).rejects.toMatchObject({ code: 'EVENT_INVOKE_CONFIG_NOT_FOUND' });
    await expect(client.getAsyncInvocation('no-such-request')).rejects.toMatchObject({ code: 'ASYNC_INVOCATION_NOT_FOUND' });
    await expect(client.getAsyncInvocation('../../x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

/** Runs the real `stratus` executable against the test cluster. */
function stratus(...args: string[]): Promise<CliRun> {
  return runStratus(cluster, args);
}

describe('stratus invoke --async and stratus async', { timeout: 120_000 }, () => {
  it('prints the request id, then the state, configuration, cancel and redrive in text and JSON', async () => {
    await deploy('async-cli');
    const accepted = await stratus('invoke', 'async-cli', '--async', '--payload', '{"n":5}', '--json');
    expect(accepted.code, accepted.stderr).toBe(0);
    const { requestId, statusCode } = JSON.parse(accepted.stdout) as { requestId: string; statusCode: number };
    expect(statusCode).toBe(202);
    await settled(requestId, ['succeeded']);
    const status = await stratus('async', 'status', requestId, '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ requestId, state: 'succeeded', attempts: 1 });
    const text = await stratus('async', 'status', requestId);
    expect(text.stdout).toMatch(/state\s+succeeded/);

    const plain = await stratus('invoke', 'async-cli', '--async');
    expect(plain.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);

    const configured = await stratus('async', 'config', 'async-cli', '--retries', '0', '--on-failure', 'function:async-cli', '--json');
    expect(configured.code, configured.stderr).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ maximumRetryAttempts: 0, destinationConfig: { onFailure: { destination: 'function:async-cli' } } });
    const refused = await stratus('async', 'config', 'async-cli', '--on-failure', 'nats:>');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('INVALID_ARGUMENT');

    const cancelDone = await stratus('async', 'cancel', requestId);
    expect(cancelDone.code).toBe(1);
    expect(cancelDone.stderr).toContain('ASYNC_INVOCATION_NOT_CANCELLABLE');
    const nothing = await stratus('async', 'redrive', '--all', 'async-cli', '--json');
    expect(JSON.parse(nothing.stdout)).toEqual({ requestIds: [] });
  });
});
