import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveEcho } from '../src/echo-server.js';
import { runLoad, runOpenLoop } from '@stratus/loadgen';

// The load generator against real local servers: the gRPC echo baseline and a tiny HTTP server.
let echo: Awaited<ReturnType<typeof serveEcho>>;
let http: Server;
let httpCalls = 0;

beforeAll(async () => {
  echo = await serveEcho('127.0.0.1:0');
  http = createServer((req, res) => {
    httpCalls += 1;
    req.resume();
    req.on('end', () => {
      res.statusCode = httpCalls % 5 === 0 ? 429 : 200;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await echo?.close();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
});

describe('runLoad', () => {
  it('makes exactly the requested number of calls', async () => {
    const run = await runLoad({
      target: { kind: 'stratus', endpoint: `127.0.0.1:${echo.port}`, functionName: 'f', payload: '{"a":1}' },
      concurrency: 20,
      requests: 200,
      channels: 2,
    });
    expect(run.ok).toBe(200);
    expect(run.latenciesMs).toHaveLength(200);
    expect(run.errors).toEqual({});
    expect(run.elapsedMs).toBeGreaterThan(0);
    expect(run.clientCpuMs).toBeGreaterThanOrEqual(0);
  });

  it('stops starting calls when the duration is up', async () => {
    const run = await runLoad({
      target: { kind: 'stratus', endpoint: `127.0.0.1:${echo.port}`, functionName: 'f', payload: '{}' },
      concurrency: 5,
      durationMs: 300,
    });
    expect(run.ok).toBeGreaterThan(0);
    expect(run.elapsedMs).toBeGreaterThanOrEqual(300);
  });

  it('counts HTTP 429 answers as throttles', async () => {
    httpCalls = 0;
    const { port } = http.address() as AddressInfo;
    const run = await runLoad({ target: { kind: 'http', url: `http://127.0.0.1:${port}/`, payload: '{}' }, concurrency: 1, requests: 10 });
    expect(run.ok).toBe(8);
    expect(run.throttles).toBe(2);
  });

  it('counts calls to an endpoint that is not there as errors by code', async () => {
    const run = await runLoad({
      target: { kind: 'http', url: 'http://127.0.0.1:1/', payload: '{}' },
      concurrency: 2,
      requests: 4,
    });
    expect(run.ok).toBe(0);
    expect(Object.values(run.errors).reduce((a, b) => a + b, 0)).toBe(4);
  });
});

describe('runOpenLoop', () => {
  it('sends the scheduled calls at the rate from every thread and times each one', async () => {
    const run = await runOpenLoop({
      target: { kind: 'stratus', endpoint: `127.0.0.1:${echo.port}`, functionName: 'f', payload: '{}' },
      ratePerSec: 400,
      durationMs: 300,
      threads: 2,
    });
    expect(run.scheduled).toBe(120);
    expect(run.sent + run.dropped).toBe(run.scheduled);
    expect(run.ok).toBe(run.sent);
    expect(run.latency.count).toBe(run.ok);
    expect(run.latency.p999Ms).toBeLessThanOrEqual(run.latency.maxMs);
  });
});
