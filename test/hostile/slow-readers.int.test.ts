import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/code.js';
import { useStreamingCluster } from '../support/streaming.js';
import { besideHello, expectHelloServedBeside } from './support/beside-hello.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';

// A streaming function writing as fast as it can to clients that never read: nothing slows the handler, so without a
// bound the frontend would hold every byte the clients' sockets refuse (19 MB a call here). The frontend's stream
// budget holds at most its size across all of them and cuts off the streams that would take it past; the calls
// still run and are billed, and a neighbour keeps answering.
const BUDGET_MB = 8;
const CLIENTS = 4;
// One chunk past the budget per stream still being written to: a write to a socket that keeps up is never refused.
const SLACK_BYTES = CLIENTS * 300 * 1024;

const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';

/** A streaming handler that runs `setup`, then writes 19 MB as fast as it can (64 KiB a write, yielding every MB). */
function floodSource(setup: string): string {
  return `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
    ${setup}
    const piece = new Uint8Array(64 * 1024).fill(120);
    for (let i = 0; i < 19 * 16; i++) {
      stream.write(piece);
      if (i % 16 === 15) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    stream.end();
  });`;
}

const streaming = useStreamingCluster({
  start: () => startHostileCluster({ nodes: 1, env: { frontend: { STRATUS_HTTP_STREAM_BUDGET_MB: String(BUDGET_MB) } } }),
  functions: {
    flood: { source: floodSource(''), timeoutSec: 60, memoryMb: 256, url: 'RESPONSE_STREAM' },
    // Lambda's content type for a prelude, and no prelude: the frontend can send no head before the stream ends.
    unframed: { source: floodSource(`stream.setContentType('${HTTP_INTEGRATION}');`), timeoutSec: 60, memoryMb: 256, url: 'RESPONSE_STREAM' },
  },
});

/** Waits until `count` calls of `functionName` are billed (every call runs to its end, cut off or not). */
async function billed(functionName: string, count: number): Promise<void> {
  await eventually(
    async () => {
      const fn = (await streaming.cluster.client.getUsage({ functionName })).functions.find((f) => f.functionName === functionName);
      return fn !== undefined && fn.requests >= count ? true : undefined;
    },
    `${count} calls of ${functionName} to be billed`,
    120_000,
  );
}

/** The frontend's stream budget as its metrics show it. */
async function streamMetrics(): Promise<{ held: number; peak: number; cutOffs: number }> {
  const text = await (await fetch(`http://${streaming.cluster.frontends[0]?.metricsAddress ?? ''}/metrics`)).text();
  const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    held: value('stratus_response_stream_bytes_held'),
    peak: value('stratus_response_stream_bytes_held_peak'),
    cutOffs: value('stratus_response_streams_cut_off_total'),
  };
}

/** A client that sends its request and never reads a byte of the answer. */
function neverReading(): Promise<Socket> {
  const { cluster } = streaming;
  const urlPath = new URL(streaming.urlOf('flood')).pathname;
  const [host = '', port = ''] = (cluster.httpAddress ?? '').split(/:(?=\d+$)/);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port: Number(port) }, () => {
      socket.pause();
      socket.write(`GET ${urlPath} HTTP/1.1\r\nHost: ${cluster.httpAddress ?? ''}\r\n\r\n`);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

describe('streaming to clients that never read', () => {
  it('the frontend holds no more than its stream budget, cuts off the streams past it, bills them, and serves its neighbours', { timeout: 180_000 }, async () => {
    const { cluster } = streaming;
    const sockets: Socket[] = [];
    try {
      const { hello } = await besideHello(cluster, async () => {
        for (let i = 0; i < CLIENTS; i += 1) sockets.push(await neverReading());
        await billed('flood', CLIENTS);
      });
      expectHelloServedBeside(hello);
      const during = await streamMetrics();
      expect(during.cutOffs, 'streams cut off for their readers').toBeGreaterThanOrEqual(1);
      expect(during.peak, 'the most streamed bytes the frontend held at once').toBeLessThanOrEqual(BUDGET_MB * 1024 * 1024 + SLACK_BYTES);
      expect(during.peak).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    // Clients that left release what was held for them.
    await eventually(async () => ((await streamMetrics()).held === 0 ? true : undefined), 'the stream budget to be released');
    await expectClusterHealthy(cluster);
  });
});

describe('streaming without a whole prelude', () => {
  // Under Lambda's prelude content type, no head can leave until the prelude's 8 NUL bytes arrive, so the frontend
  // keeps what the handler writes whatever the client reads: those bytes count against the budget too, and a call
  // that would take it past is answered 502 at once (what such a stream gets when it ends) and runs on, billed.
  it('counts the bytes held before the head against the budget, answers 502 past it, bills the calls, and serves its neighbours', { timeout: 180_000 }, async () => {
    const { cluster } = streaming;
    const before = await streamMetrics();
    let mostHeld = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        mostHeld = Math.max(mostHeld, (await streamMetrics()).held);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      const { result: answers, hello } = await besideHello(cluster, async () => {
        const answers = await Promise.all(
          Array.from({ length: CLIENTS }, async () => {
            const response = await fetch(streaming.urlOf('unframed'));
            return { status: response.status, body: await response.text() };
          }),
        );
        await billed('unframed', CLIENTS);
        return answers;
      });
      expectHelloServedBeside(hello);
      expect(answers).toEqual(Array.from({ length: CLIENTS }, () => ({ status: 502, body: '{"Message":"Internal Server Error"}' })));
    } finally {
      sampling = false;
      await sampler;
    }
    const after = await streamMetrics();
    expect(mostHeld, 'the most streamed bytes the frontend held at once, sampled').toBeLessThanOrEqual(BUDGET_MB * 1024 * 1024);
    expect(mostHeld).toBeGreaterThan(0);
    expect(after.cutOffs - before.cutOffs, 'answers cut off for the budget').toBe(CLIENTS);
    await eventually(async () => ((await streamMetrics()).held === 0 ? true : undefined), 'the stream budget to be released');
    await expectClusterHealthy(cluster);
  });
});
