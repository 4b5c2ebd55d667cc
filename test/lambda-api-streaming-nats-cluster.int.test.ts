import { describe, expect, it } from 'vitest';
import { InvokeWithResponseStreamCommand } from '@aws-sdk/client-lambda';
import { SHARED_SETTINGS } from '@stratus/contracts';
import { startNatsCluster, startTestCluster, type TestNatsCluster } from '@stratus/testing';
import { eventually } from './support/code.js';
import { STREAMER, readEventStream, streamerText, useStreamingCluster } from './support/streaming.js';

// A NATS cluster of 3, the frontend on one server and the node on another: the node's first chunk reaches its server
// at once, and is only forwarded to the frontend's if that server already knows of the frontend's interest. A
// subscription per call, made just before the call, lost first chunks that way; the frontend's one subscription,
// made when it started, has reached every server long before. The streamer's first batch is published before it
// yields: as early as a chunk can be.
let nats: TestNatsCluster | undefined;
const streaming = useStreamingCluster({
  start: async () => {
    nats = await startNatsCluster({ size: 3 });
    const [frontendServer, nodeServer] = nats.members;
    return startTestCluster({
      nodes: 1,
      natsUrl: frontendServer?.url ?? '',
      env: { node: { [SHARED_SETTINGS.natsServers.env]: nodeServer?.url ?? '' } },
    });
  },
  functions: { streamer: { source: STREAMER } },
  afterStop: async () => {
    await nats?.stop();
  },
});

describe('response streaming across a NATS cluster', () => {
  it('the frontend and the node are on different servers', async () => {
    const members = nats?.members ?? [];
    const serverOf = (name: string): Promise<string> =>
      eventually(async () => {
        for (const member of members) if ((await member.clientNames()).includes(name)) return member.name;
        return undefined;
      }, `the ${name}'s nats-server`);
    const [frontendServer, nodeServer] = await Promise.all([serverOf('stratus-frontend'), serverOf('stratus-node')]);
    expect(frontendServer).not.toBe(nodeServer);
  });

  it('every chunk of every call arrives, call after call', async () => {
    for (let round = 0; round < 40; round += 1) {
      const output = await streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"n":50}') }));
      const { chunks, complete, order } = await readEventStream(output);
      expect({ round, errorCode: complete?.ErrorCode, completed: order.at(-1) === 'complete' }).toEqual({ round, errorCode: undefined, completed: true });
      expect(chunks.join('')).toBe(streamerText(50));
    }
  }, 120_000);
});
