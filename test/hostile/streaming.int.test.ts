import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, InvokeWithResponseStreamCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { TestCluster } from '@stratus/testing';
import { eventually, indexJs } from '../support/code.js';
import { lambdaApiAdmin, lambdaClient } from '../support/lambda-api.js';
import { besideHello, expectHelloServedBeside } from './support/beside-hello.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';

// Streaming handlers (awslambda.streamifyResponse) that abuse their response stream: never ending it, writing past
// Lambda's 20 MB limit, writing after the end, or writing a million tiny chunks. Each call ends with Lambda's error
// (or its whole answer), is billed, and the node and frontend keep serving their neighbours.
let cluster: TestCluster;
let client: LambdaClient;

const SLOW_CASE_MS = 120_000;

const ABUSER = `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
  switch (event.mode) {
    case 'no-end':
      stream.write('open');
      return;
    case 'over-limit': {
      const mb = new Uint8Array(1024 * 1024).fill(120);
      for (let i = 0; i < 25; i++) stream.write(mb);
      stream.end();
      return;
    }
    case 'after-end': {
      stream.end('first answer');
      let refused = 0;
      for (let i = 0; i < 10000; i++) {
        try { stream.write('more'); } catch (err) { if (err.code === 'ERR_STREAM_WRITE_AFTER_END') refused++; }
      }
      console.log('refused', refused);
      return;
    }
    case 'tiny': {
      for (let i = 0; i < 1000000; i++) stream.write('x');
      stream.end();
      return;
    }
  }
});`;

beforeAll(async () => {
  cluster = await startHostileCluster({ nodes: 1 });
  client = lambdaClient(lambdaApiAdmin(cluster));
  await client.send(
    new CreateFunctionCommand({ FunctionName: 'abuser', Role: 'r', Handler: 'index.handler', Runtime: 'nodejs20.x', Timeout: 5, MemorySize: 256, Code: { ZipFile: indexJs(ABUSER) } }),
  );
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await cluster?.stop();
});

interface Streamed {
  readonly bytes: number;
  readonly text: string;
  readonly complete: { ErrorCode?: string; ErrorDetails?: string } | undefined;
}

async function stream(mode: string): Promise<Streamed> {
  const output = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'abuser', Payload: Buffer.from(JSON.stringify({ mode })) }));
  const parts: Buffer[] = [];
  let complete: Streamed['complete'];
  for await (const event of output.EventStream ?? []) {
    if (event.PayloadChunk?.Payload !== undefined) parts.push(Buffer.from(event.PayloadChunk.Payload));
    if (event.InvokeComplete !== undefined) complete = event.InvokeComplete;
  }
  const all = Buffer.concat(parts);
  return { bytes: all.byteLength, text: all.byteLength <= 1024 ? all.toString('utf8') : '', complete };
}

async function billedRequests(atLeast: number): Promise<number> {
  return eventually(async () => {
    const fn = (await cluster.client.getUsage({ functionName: 'abuser' })).functions.find((f) => f.functionName === 'abuser');
    return fn !== undefined && fn.requests >= atLeast ? fn.requests : undefined;
  }, `${atLeast} calls of abuser to be billed`);
}

describe('a streaming handler abusing its response stream', () => {
  it('never ending the stream: the call ends at the timeout with Sandbox.Timedout after what it wrote', { timeout: SLOW_CASE_MS }, async () => {
    const { result, hello } = await besideHello(cluster, () => stream('no-end'));
    expect(result.text).toBe('open');
    expect(result.complete?.ErrorCode).toBe('Sandbox.Timedout');
    expect(result.complete?.ErrorDetails).toMatch(/Task timed out after 5\.00 seconds/);
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });

  it('writing past 20 MB: Function.ResponseSizeTooLarge, and the node never holds more than the limit', { timeout: SLOW_CASE_MS }, async () => {
    const result = await stream('over-limit');
    expect(result.complete).toMatchObject({ ErrorCode: 'Function.ResponseSizeTooLarge' });
    expect(result.bytes).toBeLessThanOrEqual(20 * 1024 * 1024);
    await expectClusterHealthy(cluster);
  });

  it('writing after the end: every write is refused ERR_STREAM_WRITE_AFTER_END and the first answer stands', { timeout: SLOW_CASE_MS }, async () => {
    const result = await stream('after-end');
    expect(result.text).toBe('first answer');
    expect(result.complete?.ErrorCode).toBeUndefined();
    await expectClusterHealthy(cluster);
  });

  it('a million one-byte writes cross in batches: the whole answer arrives and neighbours keep answering', { timeout: SLOW_CASE_MS }, async () => {
    const { result, hello } = await besideHello(cluster, () => stream('tiny'));
    expect(result.complete?.ErrorCode).toBeUndefined();
    expect(result.bytes).toBe(1_000_000);
    expectHelloServedBeside(hello);
    await expectClusterHealthy(cluster);
  });

  it('every one of those calls was billed', { timeout: SLOW_CASE_MS }, async () => {
    expect(await billedRequests(4)).toBeGreaterThanOrEqual(4);
  });
});
