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

const streaming = useStreamingCluster({
  start: () => startHostileCluster({ nodes: 1, env: { frontend: { STRATUS_HTTP_STREAM_BUDGET_MB: String(BUDGET_MB) } } }),
  functions: {
    flood: {
      source: `exports.handler = awslambda.streamifyResponse(async (event, stream) => {
        const piece = new Uint8Array(64 * 1024).fill(120);
        for (let i = 0; i < 19 * 16; i++) {
          stream.write(piece);
          if (i % 16 === 15) await new Promise((resolve) => setTimeout(resolve, 0));
        }
        stream.end();
      });`,
      timeoutSec: 60,
      memoryMb: 256,
      url: 'RESPONSE_STREAM',
    },
  },
});

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
        // Every call ran to its end, cut off or not: each is billed.
        await eventually(
          async () => {
            const fn = (await cluster.client.getUsage({ functionName: 'flood' })).functions.find((f) => f.functionName === 'flood');
            return fn !== undefined && fn.requests >= CLIENTS ? true : undefined;
          },
          `${CLIENTS} calls of flood to be billed`,
          120_000,
        );
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
