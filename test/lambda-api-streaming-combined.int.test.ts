import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, InvokeCommand, InvokeWithResponseStreamCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';
import { lambdaApiAdmin, lambdaClient } from './support/lambda-api.js';

// The combined role runs a call on the frontend's own node without a NATS request: its reply is in-process, and the
// streamed chunks still come over the call's stream subject, so the frontend must wait for them after the reply.
let cluster: TestCluster;
let client: LambdaClient;

beforeAll(async () => {
  cluster = await startTestCluster({ layout: 'combined', nodes: 1 });
  client = lambdaClient(lambdaApiAdmin(cluster));
  await client.send(
    new CreateFunctionCommand({
      FunctionName: 'streamer',
      Role: 'r',
      Handler: 'index.handler',
      Runtime: 'nodejs20.x',
      Code: {
        ZipFile: indexJs(`exports.handler = awslambda.streamifyResponse(async (event, stream) => {
          for (let i = 0; i < event.n; i++) stream.write(String(i) + ',');
          await new Promise((resolve) => setTimeout(resolve, 5));
          stream.end('end');
        });`),
      },
    }),
  );
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await cluster?.stop();
});

describe('response streaming on a combined frontend and node', () => {
  it('delivers every chunk, in order, before InvokeComplete, call after call', async () => {
    const expected = Array.from({ length: 2000 }, (_, i) => `${i},`).join('') + 'end';
    for (let round = 0; round < 5; round += 1) {
      const output = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"n":2000}') }));
      let text = '';
      let completed = false;
      for await (const event of output.EventStream ?? []) {
        if (event.PayloadChunk?.Payload !== undefined) {
          expect(completed).toBe(false);
          text += Buffer.from(event.PayloadChunk.Payload).toString('utf8');
        }
        if (event.InvokeComplete !== undefined) {
          expect(event.InvokeComplete.ErrorCode).toBeUndefined();
          completed = true;
        }
      }
      expect(completed).toBe(true);
      expect(text).toBe(expected);
    }
    const plain = await client.send(new InvokeCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"n":3}') }));
    expect(Buffer.from(plain.Payload ?? new Uint8Array()).toString()).toBe('0,1,2,end');
  });
});
