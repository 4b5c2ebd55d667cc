import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRequestBody, startLoopbackHttpServer, type LoopbackHttpServer } from '@stratus/testing/http';
import { EgressClient, EGRESS_CHUNK_BYTES, type EgressEvent } from '../src/egress/egress-client.js';
import { EgressPolicy } from '../src/egress/egress-policy.js';

let server: LoopbackHttpServer;
let port: number;

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/echo') {
    void readRequestBody(req).then((body) => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.end(JSON.stringify({ method: req.method, header: req.headers['x-test'] ?? null, body: body.toString() }));
    });
    return;
  }
  if (url.pathname === '/big') {
    const total = Number(url.searchParams.get('bytes'));
    const piece = Buffer.alloc(64 * 1024, 120);
    let sent = 0;
    const more = (): void => {
      while (sent < total) {
        const n = Math.min(piece.length, total - sent);
        sent += n;
        if (!res.write(piece.subarray(0, n))) {
          res.once('drain', more);
          return;
        }
      }
      res.end();
    };
    more();
    return;
  }
  if (url.pathname === '/redirect') {
    res.statusCode = 302;
    res.setHeader('location', '/echo');
    res.end();
    return;
  }
  if (url.pathname === '/hang') {
    res.writeHead(200);
    res.write('started');
    return;
  }
  res.statusCode = 404;
  res.end();
}

beforeAll(async () => {
  server = await startLoopbackHttpServer(route);
  port = server.port;
});

afterAll(async () => {
  await server?.close();
});

const clients: EgressClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

/** A client whose events are collected as they come; `until` waits for one that matches. */
function harness(options: { allow?: string[]; maxConcurrentRequests?: number; maxBytesPerInvocation?: number } = {}) {
  const events: EgressEvent[] = [];
  let notify: () => void = () => undefined;
  const client: EgressClient = new EgressClient({
    policy: new EgressPolicy({ mode: 'public', allow: options.allow ?? [`127.0.0.1:${port}`] }),
    ...(options.maxConcurrentRequests !== undefined ? { maxConcurrentRequests: options.maxConcurrentRequests } : {}),
    ...(options.maxBytesPerInvocation !== undefined ? { maxBytesPerInvocation: options.maxBytesPerInvocation } : {}),
    onEvents: () => queueMicrotask(() => {
      events.push(...client.takeEvents());
      notify();
    }),
  });
  clients.push(client);
  const until = async (match: (event: EgressEvent) => boolean): Promise<EgressEvent> => {
    for (;;) {
      const found = events.find(match);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => {
        notify = resolve;
      });
    }
  };
  /** Reads the whole body of request `id`, one `read` per chunk as the isolate does. */
  const readAll = async (id: number): Promise<{ bytes: number; chunks: number; largest: number }> => {
    let bytes = 0;
    let chunks = 0;
    let largest = 0;
    for (;;) {
      const seen = events.length;
      client.read(id);
      const event = await until((e, i = events.indexOf(e)) => i >= seen && e.id === id && (e.type === 'data' || e.type === 'end' || e.type === 'error'));
      if (event.type === 'end') return { bytes, chunks, largest };
      if (event.type === 'error') throw new Error(event.error.message);
      if (event.type === 'data') {
        bytes += event.chunk.byteLength;
        chunks += 1;
        largest = Math.max(largest, event.chunk.byteLength);
      }
    }
  };
  return { client, events, until, readAll };
}

describe('EgressClient against a real server on loopback', () => {
  it('fetches with a body, headers and cookies, following redirects', async () => {
    const { client, until, readAll } = harness();
    const id = client.start(
      { kind: 'fetch', url: `http://127.0.0.1:${port}/echo`, method: 'POST', headers: [['x-test', 'yes']] },
      new TextEncoder().encode('hello'),
    );
    const response = await until((e) => e.id === id && e.type === 'response');
    expect(response).toMatchObject({ type: 'response', status: 200, statusText: 'OK' });
    const headers = response.type === 'response' ? response.headers : [];
    expect(headers.filter(([name]) => name === 'set-cookie').map(([, v]) => v)).toEqual(['a=1', 'b=2']);
    const { bytes } = await readAll(id);
    expect(bytes).toBeGreaterThan(0);

    const redirected = client.start({ kind: 'fetch', url: `http://127.0.0.1:${port}/redirect`, method: 'GET', headers: [] }, undefined);
    expect(await until((e) => e.id === redirected && e.type === 'response')).toMatchObject({ status: 200, redirected: true, url: `http://127.0.0.1:${port}/echo` });
    await readAll(redirected);
    expect(client.openRequests).toBe(0);
  });

  it('streams a large body in chunks of at most about 1 MiB, one per read', async () => {
    const { client, until, readAll } = harness();
    const total = 8 * 1024 * 1024 + 5;
    const id = client.start({ kind: 'http', url: `http://127.0.0.1:${port}/big?bytes=${total}`, method: 'GET', headers: [] }, undefined);
    await until((e) => e.id === id && e.type === 'response');
    const { bytes, largest } = await readAll(id);
    expect(bytes).toBe(total);
    expect(largest).toBeLessThanOrEqual(EGRESS_CHUNK_BYTES + 64 * 1024);
  });

  it('refuses loopback by default, as ECONNREFUSED naming the policy', async () => {
    const { client, until } = harness({ allow: [] });
    const id = client.start({ kind: 'fetch', url: `http://127.0.0.1:${port}/echo`, method: 'GET', headers: [] }, undefined);
    const event = await until((e) => e.id === id);
    expect(event).toMatchObject({
      type: 'error',
      error: { code: 'ECONNREFUSED', address: '127.0.0.1', port, message: expect.stringContaining("refused by the function's egress policy: loopback") as unknown },
    });
    const named = client.start({ kind: 'http', url: `http://localhost:${port}/echo`, method: 'GET', headers: [] }, undefined);
    expect(await until((e) => e.id === named)).toMatchObject({ type: 'error', error: { code: 'ECONNREFUSED', message: expect.stringContaining('localhost resolves to') as unknown } });
  });

  it('limits requests at once and bytes per invocation', async () => {
    const { client, until } = harness({ maxConcurrentRequests: 1, maxBytesPerInvocation: 1024 * 1024 });
    const first = client.start({ kind: 'http', url: `http://127.0.0.1:${port}/hang`, method: 'GET', headers: [] }, undefined);
    const second = client.start({ kind: 'http', url: `http://127.0.0.1:${port}/echo`, method: 'GET', headers: [] }, undefined);
    expect(await until((e) => e.id === second)).toMatchObject({ type: 'error', error: { code: 'ERR_EGRESS_LIMIT', message: expect.stringContaining('the limit is 1 per invocation') as unknown } });
    await until((e) => e.id === first && e.type === 'response');
    client.endPhase();
    expect(await until((e) => e.id === first && e.type === 'error')).toMatchObject({ error: { code: 'ECONNRESET', message: expect.stringContaining('invocation that started this request ended') as unknown } });
    expect(client.openRequests).toBe(0);

    const big = client.start({ kind: 'http', url: `http://127.0.0.1:${port}/big?bytes=${4 * 1024 * 1024}`, method: 'GET', headers: [] }, undefined);
    await until((e) => e.id === big && e.type === 'response');
    for (let i = 0; i < 4; i++) client.read(big);
    expect(await until((e) => e.id === big && e.type === 'error')).toMatchObject({ error: { code: 'ERR_EGRESS_LIMIT', message: expect.stringContaining('passed 1048576 bytes') as unknown } });
  });

  it('refuses other protocols and bad URLs', async () => {
    const { client, until } = harness();
    const file = client.start({ kind: 'fetch', url: 'file:///etc/passwd', method: 'GET', headers: [] }, undefined);
    expect(await until((e) => e.id === file)).toMatchObject({ type: 'error', error: { code: 'ERR_INVALID_PROTOCOL' } });
    const bad = client.start({ kind: 'http', url: 'not a url', method: 'GET', headers: [] }, undefined);
    expect(await until((e) => e.id === bad)).toMatchObject({ type: 'error', error: { code: 'ERR_INVALID_URL' } });
  });
});
