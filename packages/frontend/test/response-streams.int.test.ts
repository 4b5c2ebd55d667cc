import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { randomNamespacePrefix, startConnectedNats, type ConnectedTestNats } from '@stratus/testing';
import { ResponseStreams } from '../src/response-streams.js';

// The frontend's one response-stream subscription, against a real nats-server: a call's chunks reach its handler,
// a chunk for a call that finished or was never made is dropped and counted.
const log = pino({ level: 'silent' });
let nats: ConnectedTestNats;

beforeAll(async () => {
  nats = await startConnectedNats();
});
afterAll(async () => {
  await nats?.stop();
});

describe('ResponseStreams', () => {
  it('routes each call’s chunks to its own handler, and drops and counts the rest', async () => {
    const ns = createNamespace(randomNamespacePrefix());
    let counted = 0;
    const streams = await ResponseStreams.open({ nc: nats.nc, ns, log, onDropped: () => (counted += 1) });
    try {
      const a: string[] = [];
      const b: string[] = [];
      const callA = streams.open((data) => a.push(Buffer.from(data).toString()));
      const callB = streams.open((data) => b.push(Buffer.from(data).toString()));
      expect(callA.subject).not.toBe(callB.subject);
      expect(callA.subject.startsWith(`${ns.prefix}.stream.${streams.instanceId}.`)).toBe(true);
      nats.nc.publish(callA.subject, Buffer.from('a1'));
      nats.nc.publish(callB.subject, Buffer.from('b1'));
      nats.nc.publish(callA.subject, Buffer.from('a2'));
      nats.nc.publish(ns.subjects.responseStream(streams.instanceId, 'never-made'), Buffer.from('x'));
      await nats.nc.flush();
      await waitFor(() => a.length === 2 && b.length === 1 && streams.dropped === 1);
      callA.close();
      callA.close();
      nats.nc.publish(callA.subject, Buffer.from('late'));
      nats.nc.publish(callB.subject, Buffer.from('b2'));
      await nats.nc.flush();
      await waitFor(() => b.length === 2 && streams.dropped === 2);
      expect(a).toEqual(['a1', 'a2']);
      expect(b).toEqual(['b1', 'b2']);
      expect(counted).toBe(2);
      // Another frontend's calls are not this one's: its instance's subjects are not listened to here.
      nats.nc.publish(ns.subjects.responseStream('another-frontend', '1'), Buffer.from('y'));
      await nats.nc.flush();
      expect(streams.dropped).toBe(2);
    } finally {
      streams.close();
      streams.close();
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
