import { describe, expect, it } from 'vitest';
import { InvokeCommand, InvokeWithResponseStreamCommand } from '@aws-sdk/client-lambda';
import { startTestCluster } from '@stratus/testing';
import { STREAMER, readEventStream, streamerText, useStreamingCluster } from './support/streaming.js';

// The combined role runs a call on the frontend's own node without a NATS request: its reply is in-process, and the
// streamed chunks still come over the call's stream subject, so the frontend must wait for them after the reply.
const streaming = useStreamingCluster({
  start: () => startTestCluster({ layout: 'combined', nodes: 1 }),
  functions: { streamer: { source: STREAMER } },
});

describe('response streaming on a combined frontend and node', () => {
  it('delivers every chunk, in order, before InvokeComplete, call after call', async () => {
    for (let round = 0; round < 5; round += 1) {
      const output = await streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"n":2000}') }));
      const { chunks, complete, order } = await readEventStream(output);
      expect(order.at(-1), 'InvokeComplete comes last').toBe('complete');
      expect(order.filter((kind) => kind === 'complete'), 'InvokeComplete comes once').toHaveLength(1);
      expect(complete?.ErrorCode).toBeUndefined();
      expect(chunks.join('')).toBe(streamerText(2000));
    }
    const plain = await streaming.client.send(new InvokeCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"n":3}') }));
    expect(Buffer.from(plain.Payload ?? new Uint8Array()).toString()).toBe('0,1,2,end');
  });
});
