import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamBudget } from '../src/lambda-api/stream-budget.js';

// The stream budget against real sockets on loopback: a client that never reads, one that leaves, one that keeps up.
const log = pino({ level: 'silent' });
const CHUNK = Buffer.alloc(256 * 1024, 120);
const LIMIT = 2 * 1024 * 1024;
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A server streaming `totalBytes` to each request, a chunk per `everyMs`, through the budget, without waiting for 'drain' (as nodes do not). */
async function streamingServer(budget: StreamBudget, totalBytes: number, everyMs: number, ended: (outcome: { written: number; cut: boolean }) => void): Promise<number> {
  const server = createServer((_req, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const writer = budget.writer(res, 'r1', () => Buffer.from('CUT'));
    let written = 0;
    const next = (): void => {
      if (written >= totalBytes) {
        if (!res.writableEnded && !res.destroyed) res.end();
        ended({ written, cut: false });
        return;
      }
      if (!writer.write(CHUNK)) {
        ended({ written, cut: true });
        return;
      }
      written += CHUNK.byteLength;
      setTimeout(next, everyMs);
    };
    next();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function request(port: number, read: boolean): Promise<{ socket: Socket; received: () => Buffer }> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => {
      if (!read) socket.pause();
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      resolve({ socket, received: () => Buffer.concat(parts) });
    });
    if (read) socket.on('data', (data: Buffer) => parts.push(data));
    sockets.push(socket);
  });
}

describe('StreamBudget', () => {
  it('cuts off an answer whose client never reads once it would pass the budget, ends it with the cut-off bytes, and releases it when the client leaves', async () => {
    const budget = new StreamBudget(LIMIT, log);
    let outcome: { written: number; cut: boolean } | undefined;
    const port = await streamingServer(budget, 256 * 1024 * 1024, 0, (o) => (outcome = o));
    const { socket } = await request(port, false);
    await waitFor(() => outcome !== undefined);
    expect(outcome?.cut).toBe(true);
    expect(budget.cutOffs).toBe(1);
    // The kernel takes some, the budget the rest: far less than the 256 MB the handler would have written.
    expect(budget.peakBytes).toBeGreaterThan(0);
    expect(budget.peakBytes).toBeLessThanOrEqual(LIMIT + CHUNK.byteLength + 1024);
    expect(budget.heldBytes).toBeGreaterThan(0);
    socket.destroy();
    await waitFor(() => budget.heldBytes === 0);
  });

  it('never cuts a client that keeps up, however much is streamed', async () => {
    const budget = new StreamBudget(LIMIT, log);
    let outcome: { written: number; cut: boolean } | undefined;
    const port = await streamingServer(budget, 32 * 1024 * 1024, 2, (o) => (outcome = o));
    const { received } = await request(port, true);
    await waitFor(() => outcome !== undefined && received().includes(Buffer.from('\r\n0\r\n\r\n')));
    expect(outcome).toEqual({ written: 32 * 1024 * 1024, cut: false });
    expect(budget.cutOffs).toBe(0);
    await waitFor(() => budget.heldBytes === 0);
  });

  it('refuses a budget that is not a whole number of bytes above 0, naming it', () => {
    expect(() => new StreamBudget(0, log)).toThrow(/stream budget/);
    expect(() => new StreamBudget(1.5, log)).toThrow(/stream budget/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
