import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nanos, RetentionPolicy, type NatsConnection } from 'nats';
import { pino } from 'pino';
import { createNamespace, type Namespace } from '@stratus/contracts';
import { startConnectedNats, type ConnectedTestNats } from '@stratus/testing';
import { createLogPublisher, ensureLogsStream, readLogEntries, type LogEntry, type LogPublisher, type LogPublisherOptions } from '../src/index.js';

const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

let nats: ConnectedTestNats;
let nc: NatsConnection;
const publishers: LogPublisher[] = [];

beforeAll(async () => {
  nats = await startConnectedNats();
  nc = nats.nc;
});
afterAll(() => nats?.stop());
afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.close()));
});

function newNamespace(): Namespace {
  return createNamespace(`t${randomBytes(6).toString('hex')}`);
}

function publisher(ns: Namespace, options: Partial<LogPublisherOptions> = {}): LogPublisher {
  const p = createLogPublisher({ nc, ns, log, nodeId: 'node-1', retryDelayMs: 10, closeGraceMs: 500, ...options });
  publishers.push(p);
  return p;
}

function entry(requestId: string, message = `START RequestId: ${requestId}\nhello\nEND RequestId: ${requestId}\n`, functionName = 'hello'): LogEntry {
  return { requestId, functionName, version: '$LATEST', nodeId: 'node-1', timestampMs: 1_700_000_000_000, message };
}

/** The entries stored in message `seq`. */
async function stored(ns: Namespace, seq: number): Promise<LogEntry[]> {
  const jsm = await nc.jetstreamManager();
  const msg = await jsm.streams.getMessage(ns.streams.logs, { seq });
  return readLogEntries(msg.header, msg.data);
}

describe('ensureLogsStream', () => {
  it('creates a limits stream kept 7 days and 1 GiB by default, and is idempotent', async () => {
    const ns = newNamespace();
    const jsm = await nc.jetstreamManager();
    const first = await ensureLogsStream(jsm, ns);
    expect(first.config).toMatchObject({
      name: ns.streams.logs,
      subjects: [ns.subjects.allFunctionLogs()],
      retention: RetentionPolicy.Limits,
      max_age: nanos(7 * 24 * 60 * 60 * 1000),
      max_bytes: 1024 * 1024 * 1024,
    });
    const again = await ensureLogsStream(jsm, ns);
    expect(again.config).toEqual(first.config);
  });

  it('applies changed retention to an existing stream', async () => {
    const ns = newNamespace();
    const jsm = await nc.jetstreamManager();
    await ensureLogsStream(jsm, ns);
    const updated = await ensureLogsStream(jsm, ns, { maxAgeMs: 60_000, maxBytes: 1024 * 1024 });
    expect(updated.config).toMatchObject({ max_age: nanos(60_000), max_bytes: 1024 * 1024 });
  });
});

describe('createLogPublisher', () => {
  it('stores logs in batches, one message per function, each under its batch id, and reads every entry back', async () => {
    const ns = newNamespace();
    await ensureLogsStream(await nc.jetstreamManager(), ns);
    const p = publisher(ns);
    p.publish(entry('req-1'));
    p.publish(entry('req-2', 'ünïcödé line\n', 'other'));
    p.publish(entry('req-3', ''));
    await p.flush();
    expect(p.pending).toBe(0);
    const jsm = await nc.jetstreamManager();
    const first = await jsm.streams.getMessage(ns.streams.logs, { seq: 1 });
    expect(first.subject).toBe(ns.subjects.functionLogs('hello'));
    expect(first.header.get('Nats-Msg-Id')).toMatch(/^node-1\.[0-9a-f]+\.1$/);
    expect(await stored(ns, 1)).toEqual([entry('req-1'), entry('req-3', '')]);
    const second = await jsm.streams.getMessage(ns.streams.logs, { seq: 2 });
    expect(second.subject).toBe(ns.subjects.functionLogs('other'));
    expect(await stored(ns, 2)).toEqual([entry('req-2', 'ünïcödé line\n', 'other')]);
  });

  it('splits many logs over several batches without losing or reordering one', async () => {
    const ns = newNamespace();
    const jsm = await nc.jetstreamManager();
    await ensureLogsStream(jsm, ns);
    const p = publisher(ns, { maxBatchRecords: 7, maxBatchBytes: 2_000 });
    const sent = Array.from({ length: 100 }, (_, i) => entry(`req-${i}`, `line ${i}\n`.repeat(i % 13)));
    for (const e of sent) p.publish(e);
    await p.flush();
    const { state } = await jsm.streams.info(ns.streams.logs);
    expect(state.messages).toBeGreaterThanOrEqual(15);
    const read: LogEntry[] = [];
    for (let seq = 1; seq <= state.last_seq; seq++) read.push(...(await stored(ns, seq)));
    expect(read).toEqual(sent);
  });

  it('never throws when JetStream cannot store: the log is retried, then dropped and counted', async () => {
    const ns = newNamespace(); // no stream: every publish fails
    const p = publisher(ns, { maxAttempts: 2 });
    expect(() => p.publish(entry('lost'))).not.toThrow();
    await p.flush();
    expect(p.dropped).toBe(1);
    expect(p.pending).toBe(0);
  });

  it('drops what does not fit in the pending bound instead of holding it', async () => {
    const ns = newNamespace(); // no stream, so nothing leaves the queue quickly
    const p = publisher(ns, { maxPendingBytes: 100, maxAttempts: 1 });
    p.publish(entry('a', 'x'.repeat(80)));
    p.publish(entry('b', 'x'.repeat(80)));
    expect(p.dropped).toBe(1);
    expect(p.pending).toBe(1);
    await p.flush();
  });

  it('drops logs published after close', async () => {
    const ns = newNamespace();
    await ensureLogsStream(await nc.jetstreamManager(), ns);
    const p = publisher(ns);
    await p.close();
    await p.close();
    p.publish(entry('late'));
    expect(p.dropped).toBe(1);
  });

  it('cuts an over-long log to its head and tail, keeping END and REPORT', async () => {
    const ns = newNamespace();
    await ensureLogsStream(await nc.jetstreamManager(), ns);
    const p = publisher(ns, { maxMessageBytes: 4096 });
    const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    p.publish(entry('long', `START RequestId: long\n${lines}\nEND RequestId: long\nREPORT RequestId: long\n`));
    await p.flush();
    const [got] = await stored(ns, 1);
    expect(Buffer.byteLength(got?.message ?? '')).toBeLessThanOrEqual(4096);
    expect(got?.message).toMatch(/^START RequestId: long\n/);
    expect(got?.message).toMatch(/END RequestId: long\nREPORT RequestId: long\n$/);
    expect(got?.message).toMatch(/\[stratus\] \d+ bytes of this invocation's log omitted\n/);
  });
});
