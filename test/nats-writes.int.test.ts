import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectedNats, type ConnectedTestNats } from '@stratus/testing';

// patches/nats+2.29.3.patch: nats.js flushes once per event-loop turn, so a
// service handling many calls in one turn writes them to its socket together.
// Unpatched, every gRPC call or NATS message (each its own microtask
// checkpoint) costs a write() and a nats-server wake-up of its own.

let nats: ConnectedTestNats;
beforeAll(async () => {
  nats = await startConnectedNats();
});
afterAll(async () => {
  await nats?.stop();
});

/** The connection's transport, whose send() is one socket write. nats.js does not export it: reached through the connection's protocol handler. */
function transportOf(nc: ConnectedTestNats['nc']): { send(frame: Uint8Array): void } {
  const protocol = (nc as unknown as { protocol?: { transport?: { send(frame: Uint8Array): void } } }).protocol;
  if (protocol?.transport === undefined) throw new Error('nats.js changed shape: the connection has no protocol.transport; revisit patches/nats+*.patch');
  return protocol.transport;
}

describe('NATS writes', () => {
  it('coalesces publishes made by many callbacks of one event-loop turn into one socket write', async () => {
    const { nc } = nats;
    const subject = `writes.${Math.random().toString(36).slice(2)}`;
    const received = new Promise<number>((resolve) => {
      let n = 0;
      nc.subscribe(subject, { callback: () => (++n === 50 ? resolve(n) : undefined) });
    });
    await nc.flush();
    const transport = transportOf(nc);
    const send = transport.send.bind(transport);
    let writes = 0;
    transport.send = (frame) => {
      writes += 1;
      send(frame);
    };
    try {
      // 50 callbacks in one turn, as 50 gRPC calls arriving together are: Node drains microtasks between them.
      await new Promise<void>((resolve) => {
        for (let i = 0; i < 50; i++) setImmediate(() => nc.publish(subject, new Uint8Array([i])));
        setImmediate(resolve);
      });
      expect(await received).toBe(50);
    } finally {
      transport.send = send;
    }
    expect(writes).toBeLessThanOrEqual(2);
  });

  it('still delivers a request and its reply at once when nothing else is happening', async () => {
    const { nc } = nats;
    const subject = `echo.${Math.random().toString(36).slice(2)}`;
    nc.subscribe(subject, { callback: (_err, msg) => msg.respond(msg.data) });
    const reply = await nc.request(subject, new Uint8Array([7]), { timeout: 2000 });
    expect([...reply.data]).toEqual([7]);
  });
});
