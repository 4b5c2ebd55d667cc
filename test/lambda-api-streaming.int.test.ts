import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CreateFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  InvokeAsyncCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { startTestCluster } from '@stratus/testing';
import { asyncState } from './support/async.js';
import { eventually, indexJs } from './support/code.js';
import { readEventStream, useStreamingCluster } from './support/streaming.js';

// Lambda's response streaming and the old InvokeAsync, driven by @aws-sdk/client-lambda and plain fetch against a real cluster.

const STREAMER = `exports.handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
  responseStream.setContentType('text/plain');
  for (const part of event.parts ?? ['a', 'b', 'c']) {
    responseStream.write(part);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  console.log('streamed for', context.functionName);
  if (event.fail) throw new Error('failed after streaming');
  responseStream.end();
});`;
const SLOW_STREAMER = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  responseStream.write('first');
  await new Promise((resolve) => setTimeout(resolve, 60000));
  responseStream.end('never');
});`;
const PLAIN = `exports.handler = async (event) => ({ plain: true, event });`;
const FAILING = `exports.handler = async () => { throw new RangeError('plain failure'); };`;
const HTTP_STREAMER = `exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 201,
    headers: { 'content-type': 'text/html', 'x-custom': 'yes' },
    cookies: ['a=1', 'b=2'],
  });
  stream.write('<p>' + event.rawPath + '</p>');
  stream.end('<p>done</p>');
});`;

const streaming = useStreamingCluster({
  start: () => startTestCluster({ nodes: 1 }),
  functions: {
    streamer: { source: STREAMER, timeoutSec: 10 },
    'slow-streamer': { source: SLOW_STREAMER, timeoutSec: 1 },
    plain: { source: PLAIN, timeoutSec: 10 },
    failing: { source: FAILING, timeoutSec: 10 },
    'http-streamer': { source: HTTP_STREAMER, timeoutSec: 10 },
  },
});

describe('InvokeWithResponseStream over the Lambda REST API', () => {
  it('streams a streaming handler\'s bytes as PayloadChunks, in order, then InvokeComplete with the log tail when asked', async () => {
    const output = await streaming.client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: Buffer.from(JSON.stringify({ parts: ['one ', 'two ', 'three'] })), LogType: 'Tail' }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.ExecutedVersion).toBe('$LATEST');
    const { chunks, complete, order } = await readEventStream(output);
    expect(chunks.join('')).toBe('one two three');
    expect(order.at(-1)).toBe('complete');
    expect(order.filter((kind) => kind === 'complete')).toHaveLength(1);
    expect(complete?.ErrorCode).toBeUndefined();
    const tail = Buffer.from(complete?.LogResult ?? '', 'base64').toString('utf8');
    expect(tail).toContain('streamed for streamer');
    expect(tail).toMatch(/REPORT RequestId: /);
  });

  it('ends the stream with the function error after what was streamed before it', async () => {
    const output = await streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"parts":["kept"],"fail":true}') }));
    const { chunks, complete } = await readEventStream(output);
    expect(chunks.join('')).toBe('kept');
    expect(complete).toMatchObject({ ErrorCode: 'Error', ErrorDetails: 'failed after streaming' });
  });

  it('ends a timed-out call with Sandbox.Timedout after the bytes written before the timeout', async () => {
    const output = await streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'slow-streamer' }));
    const { chunks, complete } = await readEventStream(output);
    expect(chunks.join('')).toBe('first');
    expect(complete?.ErrorCode).toBe('Sandbox.Timedout');
    expect(complete?.ErrorDetails).toMatch(/Task timed out after 1\.00 seconds/);
  }, 30_000);

  it('answers a non-streaming handler\'s result as one PayloadChunk, and its error in InvokeComplete', async () => {
    const ok = await readEventStream(await streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'plain', Payload: Buffer.from('{"n":1}') })));
    expect(ok.order).toEqual(['chunk', 'complete']);
    expect(JSON.parse(ok.chunks[0] ?? '')).toEqual({ plain: true, event: { n: 1 } });
    const failed = await readEventStream(await streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'failing' })));
    expect(failed.order).toEqual(['complete']);
    expect(failed.complete).toMatchObject({ ErrorCode: 'RangeError', ErrorDetails: 'plain failure' });
  });

  it('takes DryRun, refuses Event, and answers a missing function as Invoke does', async () => {
    const dry = await streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    await expect(streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'streamer', InvocationType: 'Event' as 'DryRun' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
      message: expect.stringContaining('X-Amz-Invocation-Type: must be RequestResponse or DryRun') as unknown,
    });
    await expect(streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'nobody' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers a streaming handler invoked the ordinary way with the bytes it streamed', async () => {
    const output = await streaming.client.send(new InvokeCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"parts":["x","y"]}') }));
    expect(output.FunctionError).toBeUndefined();
    expect(Buffer.from(output.Payload ?? new Uint8Array()).toString()).toBe('xy');
    const failed = await streaming.client.send(new InvokeCommand({ FunctionName: 'streamer', Payload: Buffer.from('{"fail":true}') }));
    expect(failed.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(failed.Payload ?? new Uint8Array()).toString())).toMatchObject({ errorType: 'Error', errorMessage: 'failed after streaming' });
  });
});

describe('a streamed response reaches the client while the handler still runs', () => {
  let server: Server | undefined;
  afterAll(async () => {
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  });

  it('the client decodes the first chunk before the handler is released to write the second', async () => {
    // The handler writes, then waits on a request to this server, which answers only once the client holds chunk 1:
    // a buffered stream would deadlock until the function's timeout.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const order: string[] = [];
    server = createServer((_req, res) => {
      order.push('handler waiting');
      void released.then(() => res.end('go'));
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await streaming.cluster.client.createFunction({
      functionName: 'gated',
      timeoutSec: 20,
      egress: { mode: 'public', allow: [`127.0.0.1:${port}`] },
      zipFile: indexJs(`exports.handler = awslambda.streamifyResponse(async (event, stream) => {
        stream.write('one');
        await (await fetch('http://127.0.0.1:${port}/')).text();
        stream.write('two');
        stream.end();
      });`),
    });
    const output = await streaming.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'gated' }));
    const chunks: string[] = [];
    let complete: { ErrorCode?: string } | undefined;
    for await (const event of output.EventStream ?? []) {
      if (event.PayloadChunk?.Payload !== undefined) {
        const text = Buffer.from(event.PayloadChunk.Payload).toString('utf8');
        chunks.push(text);
        order.push(`got ${text}`);
        if (text === 'one') {
          order.push('released');
          release();
        }
      }
      if (event.InvokeComplete !== undefined) complete = event.InvokeComplete;
    }
    expect(chunks).toEqual(['one', 'two']);
    expect(complete?.ErrorCode).toBeUndefined();
    expect(order.indexOf('got one')).toBeLessThan(order.indexOf('released'));
    expect(order.indexOf('released')).toBeLessThan(order.indexOf('got two'));
  }, 60_000);

  it('a RESPONSE_STREAM function URL sends its head and first bytes before the handler is done', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gate = createServer((_req, res) => {
      void released.then(() => res.end('go'));
    });
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = gate.address() as AddressInfo;
      await streaming.cluster.client.createFunction({
        functionName: 'gated-url',
        timeoutSec: 20,
        egress: { mode: 'public', allow: [`127.0.0.1:${port}`] },
        zipFile: indexJs(`exports.handler = awslambda.streamifyResponse(async (event, responseStream) => {
          const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 200, headers: { 'content-type': 'text/event-stream' } });
          stream.write('data: one\\n\\n');
          await (await fetch('http://127.0.0.1:${port}/')).text();
          stream.end('data: two\\n\\n');
        });`),
      });
      const created = await streaming.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'gated-url', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }));
      const response = await fetch(created.FunctionUrl ?? '');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const first = await reader.read();
      expect(Buffer.from(first.value ?? new Uint8Array()).toString()).toBe('data: one\n\n');
      release();
      let rest = '';
      for (let part = await reader.read(); !part.done; part = await reader.read()) rest += Buffer.from(part.value).toString();
      expect(rest).toBe('data: two\n\n');
    } finally {
      release();
      await new Promise<void>((resolve) => gate.close(() => resolve()));
    }
  }, 60_000);
});

describe('function URLs with InvokeMode RESPONSE_STREAM', () => {
  it('stores the mode, and answers with the status, headers and cookies of HttpResponseStream.from and a chunked body', async () => {
    const created = await streaming.client.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'http-streamer', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' }));
    expect(created.InvokeMode).toBe('RESPONSE_STREAM');
    expect((await streaming.client.send(new GetFunctionUrlConfigCommand({ FunctionName: 'http-streamer' }))).InvokeMode).toBe('RESPONSE_STREAM');
    const url = created.FunctionUrl ?? '';
    const response = await eventually(async () => {
      const answer = await fetch(`${url}page`);
      return answer.status === 404 ? undefined : answer;
    }, 'the URL to be served');
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.headers.get('x-custom')).toBe('yes');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-length')).toBeNull();
    expect(await response.text()).toBe('<p>/page</p><p>done</p>');

    // Back to BUFFERED: the same answer, with a Content-Length.
    const updated = await streaming.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'http-streamer', InvokeMode: 'BUFFERED' }));
    expect(updated.InvokeMode).toBe('BUFFERED');
    const buffered = await eventually(async () => {
      const answer = await fetch(`${url}page`);
      return answer.headers.get('content-length') === null ? undefined : answer;
    }, 'the URL to answer buffered');
    expect(buffered.status).toBe(201);
    expect(await buffered.text()).toBe('<p>/page</p><p>done</p>');
  });

  it('refuses an InvokeMode Lambda does not have, naming the field', async () => {
    const answer = await streaming.client
      .send(new CreateFunctionUrlConfigCommand({ FunctionName: 'plain', AuthType: 'NONE', InvokeMode: 'SOMETIMES' as 'BUFFERED' }))
      .catch((err: unknown) => err as Error);
    expect(answer).toMatchObject({ $metadata: { httpStatusCode: 400 }, message: expect.stringContaining('InvokeMode') as unknown });
  });
});

describe('InvokeAsync (the deprecated form of an Event invoke)', () => {
  it('answers 202 with Status 202 once the event is stored, and the async layer runs it', async () => {
    const accepted = await streaming.client.send(new InvokeAsyncCommand({ FunctionName: 'plain', InvokeArgs: Buffer.from('{"n":2}') }));
    expect(accepted.Status).toBe(202);
    const requestId = accepted.$metadata.requestId ?? '';
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const done = await asyncState(streaming.cluster.client, requestId, ['succeeded']);
    expect(done).toMatchObject({ functionName: 'plain', attempts: 1 });
  });

  it('holds the Event invoke\'s limits: JSON only, at most 1 MB', async () => {
    await expect(streaming.client.send(new InvokeAsyncCommand({ FunctionName: 'plain', InvokeArgs: Buffer.from('{not json') }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      streaming.client.send(new InvokeAsyncCommand({ FunctionName: 'plain', InvokeArgs: Buffer.from(JSON.stringify({ big: 'x'.repeat(1024 * 1024) })) })),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 413 } });
  });
});
