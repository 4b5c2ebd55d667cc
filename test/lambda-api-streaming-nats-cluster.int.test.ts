import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateFunctionCommand, InvokeWithResponseStreamCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { SHARED_SETTINGS } from '@stratus/contracts';
import { startNatsCluster, startTestCluster, type TestCluster, type TestNatsCluster } from '@stratus/testing';
import { eventually, indexJs } from './support/code.js';
import { lambdaApiAdmin, lambdaClient } from './support/lambda-api.js';

// A NATS cluster of 3, the frontend on one server and the node on another: the node's first chunk reaches its server
// at once, and is only forwarded to the frontend's if that server already knows of the frontend's interest. A
// subscription per call, made just before the call, lost first chunks that way; the frontend's one subscription,
// made when it started, has reached every server long before.
let nats: TestNatsCluster;
let cluster: TestCluster;
let client: LambdaClient;

beforeAll(async () => {
  nats = await startNatsCluster({ size: 3 });
  const [frontendServer, nodeServer] = nats.members;
  cluster = await startTestCluster({
    nodes: 1,
    natsUrl: frontendServer?.url ?? '',
    env: { node: { [SHARED_SETTINGS.natsServers.env]: nodeServer?.url ?? '' } },
  });
  client = lambdaClient(lambdaApiAdmin(cluster));
  await client.send(
    new CreateFunctionCommand({
      FunctionName: 'streamer',
      Role: 'r',
      Handler: 'index.handler',
      Runtime: 'nodejs20.x',
      // The first write is published before the handler yields: as early as a chunk can be.
      Code: {
        ZipFile: indexJs(`exports.handler = awslambda.streamifyResponse(async (event, stream) => {
          stream.write('first,');
          for (let i = 0; i < event.n; i++) stream.write(String(i) + ',');
          await new Promise((resolve) => setTimeout(resolve, 1));
          stream.end('end');
        });`),
      },
    }),
  );
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await cluster?.stop();
  await nats?.stop();
});

describe('response streaming across a NATS cluster', () => {
  it('the frontend and the node are on different servers', async () => {
    const serverOf = (name: string): Promise<string> =>
      eventually(async () => {
        for (const member of nats.members) if ((await member.clientNames()).includes(name)) return member.name;
        return undefined;
      }, `the ${name}'s nats-server`);
    const [frontendServer, nodeServer] = await Promise.all([serverOf('stratus-frontend'), serverOf('stratus-node')]);
    expect(frontendServer).not.toBe(nodeServer);
  });

  it('every chunk of every call arrives, call after call', async () => {
    const expected = 'first,' + Array.from({ length: 50 }, (_, i) => `${i},`).join('') + 'end';
    for (let round = 0; round < 40; round += 1) {
      const output = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"n":50}') }));
      let text = '';
      let errorCode: string | undefined;
      let completed = false;
      for await (const event of output.EventStream ?? []) {
        if (event.PayloadChunk?.Payload !== undefined) text += Buffer.from(event.PayloadChunk.Payload).toString('utf8');
        if (event.InvokeComplete !== undefined) {
          errorCode = event.InvokeComplete.ErrorCode;
          completed = true;
        }
      }
      expect({ round, errorCode, completed }).toEqual({ round, errorCode: undefined, completed: true });
      expect(text).toBe(expected);
    }
  }, 120_000);
});
