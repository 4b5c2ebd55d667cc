import { AckPolicy } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { randomNamespacePrefix, startConnectedNats, type ConnectedTestNats } from '@stratus/testing';
import { AsyncEvents } from '../src/async-events.js';

// What exactly-once schedule ticks rest on: every frontend stores every tick under the same message id, and the async
// stream keeps one, even when a copy arrives after the first was run and acked (work-queue retention removed it).
let nats: ConnectedTestNats;
beforeAll(async () => {
  nats = await startConnectedNats();
});
afterAll(async () => {
  await nats?.stop();
});

describe('the async stream and schedule ticks', () => {
  it('drops a tick stored again under its message id, before and after the first copy was consumed and acked', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    const events = await AsyncEvents.open({ nc: nats.nc, ns });
    const tick = { requestId: 'a1b2c3d4-0000-5000-8000-000000000001', functionName: 'ticked', qualifier: '', acceptedAtMs: Date.now(), traceDepth: 0, payload: Buffer.from('{}') };
    await events.enqueue(tick);
    await events.enqueue({ ...tick, acceptedAtMs: Date.now() + 1 });
    expect((await events.jsm.streams.info(ns.streams.async)).state.messages).toBe(1);

    await events.jsm.consumers.add(ns.streams.async, { durable_name: 'probe', ack_policy: AckPolicy.Explicit });
    const message = await (await events.js.consumers.get(ns.streams.async, 'probe')).next({ expires: 5_000 });
    expect(message?.seq).toBe(1);
    await message?.ackAck();
    expect((await events.jsm.streams.info(ns.streams.async)).state.messages).toBe(0);

    // A late frontend's copy, after the tick ran: still dropped (within the 120 s duplicate window).
    await events.enqueue({ ...tick, acceptedAtMs: Date.now() + 2 });
    const info = await events.jsm.streams.info(ns.streams.async);
    expect(info.state.messages).toBe(0);
    expect(info.state.last_seq).toBe(1);
  });
});
