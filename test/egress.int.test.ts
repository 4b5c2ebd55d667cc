import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRequestBody, startLoopbackHttpServer, type LoopbackHttpServer } from '@stratus/testing/http';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { indexJs } from './support/code.js';

// Functions calling HTTP servers this test starts on loopback, which each function's egress setting allows
// explicitly (loopback is refused by default), through a real cluster: deploy, NATS, a node, an isolate, and
// the node's own HTTP client.
let cluster: TestCluster;
let server: LoopbackHttpServer;
let base: string;
const received: string[] = [];

function route(req: IncomingMessage, res: ServerResponse): void {
  received.push(`${req.method ?? ''} ${req.url ?? ''}`);
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/echo') {
    void readRequestBody(req).then((body) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          type: req.headers['content-type'] ?? null,
          custom: req.headers['x-custom'] ?? null,
          ...(req.headers['accept-encoding'] !== undefined && url.searchParams.has('encoding') ? { encoding: req.headers['accept-encoding'] } : {}),
          body: body.toString(),
        }),
      );
    });
    return;
  }
  if (url.pathname === '/stream') {
    // Written in pieces with pauses, so the function sees a body arrive over time.
    const pieces = Number(url.searchParams.get('pieces'));
    res.setHeader('content-type', 'application/octet-stream');
    let sent = 0;
    const next = (): void => {
      if (sent === pieces) {
        res.end();
        return;
      }
      sent += 1;
      res.write(Buffer.alloc(256 * 1024, 65 + (sent % 26)));
      setTimeout(next, 5);
    };
    next();
    return;
  }
  res.statusCode = 404;
  res.end();
}

/** What /stream?pieces=n sends, summed as the function sums it. */
function expectedStreamSum(pieces: number): number {
  let sum = 0;
  for (let piece = 1; piece <= pieces; piece++) sum = (sum + (65 + (piece % 26)) * 256 * 1024) % 1000000007;
  return sum;
}

beforeAll(async () => {
  server = await startLoopbackHttpServer(route);
  base = server.url;
  cluster = await startTestCluster({ nodes: 1 });
});

afterAll(async () => {
  await cluster?.stop();
  await server?.close();
});

async function deploy(name: string, source: string, allow: readonly string[]): Promise<void> {
  await cluster.client.createFunction({ functionName: name, zipFile: indexJs(source), egress: { mode: 'public', allow } });
}

async function call(name: string, event: unknown): Promise<{ functionError: string; payload: unknown }> {
  const result = await cluster.client.invoke({ functionName: name, payload: JSON.stringify(event) });
  return { functionError: result.functionError, payload: JSON.parse(result.payloadText) as unknown };
}

describe('network egress through a real cluster', () => {
  it('fetch GETs and POSTs with a body to a server its allow list names', async () => {
    await deploy(
      'egress-fetch',
      `exports.handler = async ({ base }) => {
        const get = await fetch(base + '/echo', { headers: { 'x-custom': 'yes' } });
        const post = await fetch(base + '/echo', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'two words' }) });
        return { get: await get.json(), post: await post.json(), status: get.status };
      };`,
      [new URL(base).host],
    );
    expect(await call('egress-fetch', { base })).toEqual({
      functionError: '',
      payload: {
        get: { method: 'GET', type: null, custom: 'yes', body: '' },
        post: { method: 'POST', type: 'application/x-www-form-urlencoded;charset=UTF-8', custom: null, body: 'a=1&b=two+words' },
        status: 200,
      },
    });
  });

  it('http.request streams a response in as it arrives', async () => {
    await deploy(
      'egress-http-stream',
      `const http = require('http');
      exports.handler = ({ base }) => new Promise((resolve, reject) => {
        const req = http.request(base + '/stream?pieces=16', { method: 'GET' }, (res) => {
          let bytes = 0, events = 0;
          let sum = 0;
          res.on('data', (chunk) => { bytes += chunk.length; events += 1; for (const b of chunk) sum = (sum + b) % 1000000007; });
          res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], bytes, sum, streamed: events > 1 }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });`,
      [new URL(base).host],
    );
    expect(await call('egress-http-stream', { base })).toEqual({
      functionError: '',
      // The sum checks the bytes are the server's, in full, and nothing else.
      payload: { status: 200, type: 'application/octet-stream', bytes: 16 * 256 * 1024, sum: expectedStreamSum(16), streamed: true },
    });
  });

  it('http.request posts a body and asks for it uncompressed, as zlib has no streams to decode one', async () => {
    await deploy(
      'egress-http-post',
      `const http = require('http');
      exports.handler = ({ base }) => new Promise((resolve, reject) => {
        const req = http.request(base + '/echo?encoding', { method: 'POST', headers: { 'content-type': 'text/plain', 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => { text += chunk; });
          res.on('end', () => resolve({ status: res.statusCode, message: res.statusMessage, echoed: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.write('hello ');
        req.end('world');
      });`,
      [new URL(base).host],
    );
    expect(await call('egress-http-post', { base })).toEqual({
      functionError: '',
      payload: { status: 200, message: 'OK', echoed: { method: 'POST', type: 'text/plain', custom: null, encoding: 'identity', body: 'hello world' } },
    });
  });

  it('refuses loopback by default, also through a name that resolves to it, before connecting', async () => {
    await deploy(
      'egress-default',
      `const http = require('http');
      exports.handler = async ({ urls }) => {
        const out = [];
        for (const url of urls) {
          out.push(await fetch(url).then(() => 'reached', (e) => e.cause.code + ': ' + e.cause.message));
          out.push(await new Promise((resolve) => http.get(url, () => resolve('reached')).on('error', (e) => resolve(e.code))));
        }
        return out;
      };`,
      [],
    );
    const before = received.length;
    const port = new URL(base).port;
    const outcome = await call('egress-default', { urls: [`${base}/echo`, `http://localhost:${port}/echo`] });
    expect(outcome.functionError).toBe('');
    const [byAddress, httpByAddress, byName, httpByName] = outcome.payload as string[];
    expect(byAddress).toBe(
      `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port} (refused by the function's egress policy: loopback addresses are not allowed by default; to allow it, deploy with --egress-allow 127.0.0.1:${port})`,
    );
    expect(byName).toMatch(new RegExp(`^ECONNREFUSED: connect ECONNREFUSED (127\\.0\\.0\\.1|::1):${port} \\(refused by the function's egress policy: localhost resolves to`));
    expect([httpByAddress, httpByName]).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(received.length).toBe(before);
  });

  it('shows and changes the setting: none refuses even public addresses', async () => {
    const updated = await cluster.client.updateFunction({ functionName: 'egress-fetch', egress: { mode: 'none', allow: [] } });
    expect(updated.egress).toEqual({ mode: 'none', allow: [] });
    const outcome = await call('egress-fetch', { base });
    expect(outcome).toMatchObject({ functionError: 'Unhandled', payload: { errorType: 'TypeError', errorMessage: 'fetch failed' } });
    await expect(cluster.client.updateFunction({ functionName: 'egress-fetch', egress: { allow: ['10.0.0.0/99'] } })).rejects.toThrow(
      'egress.allow.0: "10.0.0.0/99": the prefix length must be a number from 0 to 32',
    );
  });
});
