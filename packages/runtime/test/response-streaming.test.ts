import { describe, expect, it } from 'vitest';
import { invoke, parsed, useEnvironments } from './fixtures.js';

// Lambda's response streaming in the runtime: awslambda.streamifyResponse and HttpResponseStream.from, through real isolates.
describe('response streaming (awslambda.streamifyResponse)', () => {
  const create = useEnvironments();

  it('gives a streaming handler a writable stream, and its bytes are the response', async () => {
    const env = await create(`
      export const handler = awslambda.streamifyResponse(async (event, responseStream, context) => {
        responseStream.setContentType('text/plain');
        responseStream.write('hello ');
        await new Promise((resolve) => setTimeout(resolve, 5));
        responseStream.write(new Uint8Array([0xe2, 0x82, 0xac]));
        responseStream.end(' ' + event.name + ' ' + typeof context.awsRequestId);
      });`);
    const outcome = await invoke(env, { name: 'world' });
    expect(outcome.outcome).toBe('success');
    expect(outcome.functionError).toBeUndefined();
    expect(outcome.resultJson).toBe('');
    expect(outcome.streamed?.contentType).toBe('text/plain');
    expect(outcome.streamed?.bytes.toString('utf8')).toBe('hello € world string');
    expect(env.usable).toBe(true);
    // The environment serves the next call with a fresh stream.
    expect((await invoke(env, { name: 'again' })).streamed?.bytes.toString('utf8')).toBe('hello € again string');
  });

  it('keeps binary bytes exactly and defaults the content type to application/octet-stream', async () => {
    const env = await create(`
      export const handler = awslambda.streamifyResponse(async (event, stream) => {
        const bytes = new Uint8Array(256);
        for (let i = 0; i < 256; i++) bytes[i] = i;
        stream.write(bytes);
        stream.end();
      });`);
    const outcome = await invoke(env);
    expect(outcome.streamed?.contentType).toBe('application/octet-stream');
    expect([...(outcome.streamed?.bytes ?? [])]).toEqual([...Array(256).keys()]);
  });

  it('writes HttpResponseStream.from prelude ahead of the body, as Lambda does for function URLs', async () => {
    const env = await create(`
      export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
        const stream = awslambda.HttpResponseStream.from(responseStream, { statusCode: 201, headers: { 'x-a': 'b' } });
        stream.write('body');
        stream.end();
      });`);
    const outcome = await invoke(env);
    expect(outcome.streamed?.contentType).toBe('application/vnd.awslambda.http-integration-response');
    const bytes = outcome.streamed?.bytes ?? Buffer.alloc(0);
    const prelude = JSON.stringify({ statusCode: 201, headers: { 'x-a': 'b' } });
    expect(bytes.subarray(0, prelude.length).toString()).toBe(prelude);
    expect([...bytes.subarray(prelude.length, prelude.length + 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(bytes.subarray(prelude.length + 8).toString()).toBe('body');
  });

  it('fails the call when the handler rejects, keeping what it streamed before', async () => {
    const env = await create(`
      export const handler = awslambda.streamifyResponse(async (event, stream) => {
        stream.write('partial');
        throw new TypeError('broke mid-stream');
      });`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('function_error');
    expect(outcome.functionError).toBe('Unhandled');
    expect(parsed(outcome)).toMatchObject({ errorType: 'TypeError', errorMessage: 'broke mid-stream' });
    expect(outcome.streamed?.bytes.toString()).toBe('partial');
    expect(outcome.logs).toContain('broke mid-stream');
  });

  it('throws ERR_STREAM_WRITE_AFTER_END for a write after end, and the first end stands', async () => {
    const env = await create(`
      export const handler = awslambda.streamifyResponse(async (event, stream) => {
        stream.end('done');
        try { stream.write('more'); } catch (err) { console.log('caught', err.code, err.message); }
      });`);
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('success');
    expect(outcome.streamed?.bytes.toString()).toBe('done');
    expect(outcome.logs).toContain('caught ERR_STREAM_WRITE_AFTER_END write after end');
  });

  it('refuses setContentType after the first write', async () => {
    const env = await create(`
      export const handler = awslambda.streamifyResponse(async (event, stream) => {
        stream.write('x');
        stream.setContentType('text/html');
      });`);
    const outcome = await invoke(env);
    expect(outcome.functionError).toBe('Unhandled');
    expect(parsed(outcome)).toMatchObject({ errorMessage: 'setContentType must be called before the first write' });
  });

  it('times out a handler that never ends its stream, with what it wrote so far', async () => {
    const env = await create(
      `export const handler = awslambda.streamifyResponse(async (event, stream) => { stream.write('started'); });`,
      { timeoutMs: 300 },
    );
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('timeout');
    expect(parsed(outcome)).toMatchObject({ errorType: 'Sandbox.Timedout' });
    expect(outcome.streamed?.bytes.toString()).toBe('started');
  });

  it('fails with Function.ResponseSizeTooLarge past 20 MB, and many tiny writes cross in batches', async () => {
    const env = await create(
      `export const handler = awslambda.streamifyResponse(async (event, stream) => {
        const mb = new Uint8Array(1024 * 1024);
        for (let i = 0; i < 200000; i++) stream.write('.');
        for (let i = 0; i < 25; i++) stream.write(mb);
        stream.end();
      });`,
      { memoryMb: 256, timeoutMs: 20_000 },
    );
    const outcome = await invoke(env);
    expect(outcome.outcome).toBe('function_error');
    expect(parsed(outcome)).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (20971520 bytes).',
    });
    expect(outcome.streamed?.bytes.byteLength).toBeLessThanOrEqual(20 * 1024 * 1024);
  });

  it('leaves ordinary handlers as they were: no stream, a JSON result', async () => {
    const env = await create(`export const handler = async () => ({ typeofAwslambda: typeof awslambda, streamify: typeof awslambda.streamifyResponse });`);
    const outcome = await invoke(env);
    expect(outcome.streamed).toBeUndefined();
    expect(parsed(outcome)).toEqual({ typeofAwslambda: 'object', streamify: 'function' });
  });
});
