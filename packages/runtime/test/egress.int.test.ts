import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRequestBody, startLoopbackHttpServer, type LoopbackHttpServer } from '@stratus/testing/http';
import { invoke, parsed, useEnvironments } from './fixtures.js';

let server: LoopbackHttpServer;
let port: number;
let served = 0;

function route(req: IncomingMessage, res: ServerResponse): void {
  served += 1;
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/echo') {
    void readRequestBody(req).then((body) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'] ?? null, body: body.toString() }));
    });
    return;
  }
  if (url.pathname === '/big') {
    const total = Number(url.searchParams.get('bytes'));
    res.setHeader('content-length', String(total));
    res.end(Buffer.alloc(total, 97));
    return;
  }
  if (url.pathname === '/hang') {
    res.writeHead(200);
    res.write('partial');
    return;
  }
  res.statusCode = 404;
  res.end('nope');
}

beforeAll(async () => {
  server = await startLoopbackHttpServer(route);
  port = server.port;
});

afterAll(() => server?.close());

const environment = useEnvironments();
const allowed = () => ({ egress: { mode: 'public' as const, allow: [`127.0.0.1:${port}`] } });

describe('fetch inside a function, performed by the host', () => {
  it('GETs and POSTs with a body, reading JSON and text', async () => {
    const env = await environment(
      `export const handler = async (event) => {
        const get = await fetch(event.base + '/echo');
        const post = await fetch(event.base + '/echo', { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' } });
        const missing = await fetch(event.base + '/missing');
        return { get: await get.json(), post: await post.json(), ok: post.ok, status: missing.status, text: await missing.text(), type: post.headers.get('content-type') };
      };`,
      allowed(),
    );
    const outcome = await invoke(env, { base: `http://127.0.0.1:${port}` });
    expect(parsed(outcome)).toEqual({
      get: { method: 'GET', type: null, body: '' },
      post: { method: 'POST', type: 'application/json', body: '{"a":1}' },
      ok: true,
      status: 404,
      text: 'nope',
      type: 'application/json',
    });
  });

  it('streams a large body through body.getReader()', async () => {
    const env = await environment(
      `export const handler = async (event) => {
        const response = await fetch(event.url);
        const reader = response.body.getReader();
        let bytes = 0, parts = 0;
        for (;;) { const { done, value } = await reader.read(); if (done) break; bytes += value.byteLength; parts++; }
        return { bytes, parts };
      };`,
      { ...allowed(), memoryMb: 256 },
    );
    const outcome = await invoke(env, { url: `http://127.0.0.1:${port}/big?bytes=${10 * 1024 * 1024}` });
    const result = parsed(outcome) as { bytes: number; parts: number };
    expect(result.bytes).toBe(10 * 1024 * 1024);
    expect(result.parts).toBeGreaterThanOrEqual(10);
  });

  it('refuses loopback by default with fetch failed, caused by ECONNREFUSED naming the policy', async () => {
    const before = served;
    const env = await environment(
      `export const handler = async (event) => {
        try { await fetch(event.url); return 'reached'; }
        catch (err) { return { name: err.name, message: err.message, code: err.cause.code, cause: err.cause.message }; }
      };`,
    );
    const outcome = await invoke(env, { url: `http://127.0.0.1:${port}/echo` });
    expect(parsed(outcome)).toEqual({
      name: 'TypeError',
      message: 'fetch failed',
      code: 'ECONNREFUSED',
      cause: expect.stringContaining("refused by the function's egress policy: loopback addresses are not allowed by default") as unknown,
    });
    const named = await invoke(env, { url: `http://localhost:${port}/echo` });
    expect(parsed(named)).toMatchObject({ code: 'ECONNREFUSED', cause: expect.stringContaining('localhost resolves to') as unknown });
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://[::1]:2379/']) {
      expect(parsed(await invoke(env, { url })), url).toMatchObject({ code: 'ECONNREFUSED' });
    }
    expect(served).toBe(before);
  });

  it('ends requests still open when the invocation ends, and counts waiting on them toward the timeout', async () => {
    const env = await environment(
      `let pending;
      export const handler = async (event) => {
        if (event.step === 1) {
          const response = await fetch(event.url);
          pending = response.text().catch((err) => 'failed: ' + err.message + ' ' + err.cause.code);
          return 'started';
        }
        if (event.step === 2) return await pending;
        await fetch(event.url).then((r) => r.text());
        return 'never';
      };`,
      { ...allowed(), timeoutMs: 1000 },
    );
    const url = `http://127.0.0.1:${port}/hang`;
    expect(parsed(await invoke(env, { step: 1, url }))).toBe('started');
    // The headers came in the first call; the body, still arriving when it ended, fails as undici's does.
    expect(parsed(await invoke(env, { step: 2 }))).toBe('failed: terminated ECONNRESET');
    const timedOut = await invoke(env, { step: 3, url });
    expect(timedOut.outcome).toBe('timeout');
  });

  it('keeps a callback handler waiting for a response, as an open socket keeps Node busy', async () => {
    const env = await environment(
      `export const handler = (event, context, callback) => {
        const state = { seen: null };
        fetch(event.url).then((r) => r.text()).then((text) => { state.seen = text.length; });
        // Serialised once the event loop is empty, as Lambda's runtime does.
        callback(null, state);
      };`,
      allowed(),
    );
    expect(parsed(await invoke(env, { url: `http://127.0.0.1:${port}/big?bytes=1000` }))).toEqual({ seen: 1000 });
  });
});
