import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats';
import { pino } from 'pino';
import { createNamespace } from '@stratus/contracts';
import type { Namespace, UsageRecord } from '@stratus/contracts';
import { createUsagePublisher, ensureUsageStream, readUsageMessage } from '../src/index.js';
import type { UsagePublisher } from '../src/index.js';
import { startConnectedNats, type ConnectedTestNats } from '@stratus/testing';

const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

function record(requestId: string, functionName = 'hello'): UsageRecord {
  return {
    requestId,
    functionName,
    functionVersion: '$LATEST',
    nodeId: 'node-1',
    startTimeMs: Date.now(),
    durationMs: 3.2,
    billedMs: 4,
    initMs: 0,
    memoryMb: 128,
    maxMemoryUsedMb: 20,
    cpuMs: 1,
    queuedMs: 0,
    outcome: 'success',
    cold: false,
  };
}

let nats: ConnectedTestNats;
let nc: NatsConnection;
let ns: Namespace;
const publishers: UsagePublisher[] = [];

beforeAll(async () => {
  nats = await startConnectedNats();
  nc = nats.nc;
});

afterAll(() => nats?.stop());

afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.close()));
});

function newNamespace(): Namespace {
  ns = createNamespace(`t${randomBytes(6).toString('hex')}`);
  return ns;
}

function publisher(options: { maxPending?: number; closeGraceMs?: number; spoolDir?: string } = {}): UsagePublisher {
  const p = createUsagePublisher({ nc, ns, log, nodeId: 'node-1', retryDelayMs: 20, maxRetryDelayMs: 100, ...options });
  publishers.push(p);
  return p;
}

/** Every stored message of the usage stream, read as billing reads it. */
async function storedMessages() {
  const jsm = await nc.jetstreamManager();
  const { state } = await jsm.streams.info(ns.streams.usage);
  const messages = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const stored = await jsm.streams.getMessage(ns.streams.usage, { seq });
    messages.push({ subject: stored.subject, msgId: stored.header.get('Nats-Msg-Id'), ...readUsageMessage(stored.header, stored.data) });
  }
  return messages;
}

/** Request ids of every stored record, in stream order. */
async function storedRequestIds(): Promise<string[]> {
  return (await storedMessages()).flatMap((m) => (m.kind === 'batch' ? m.records.map((r) => (r as UsageRecord).requestId) : []));
}

describe('ensureUsageStream', () => {
  it('is safe to call from many processes at once, and updates changed settings', async () => {
    newNamespace();
    const managers = await Promise.all([1, 2, 3, 4].map(() => nc.jetstreamManager()));
    await Promise.all(managers.map((jsm) => ensureUsageStream(jsm, ns)));
    const jsm = await nc.jetstreamManager();
    const updated = await ensureUsageStream(jsm, ns, { maxAgeMs: 60_000, duplicateWindowMs: 30_000 });
    expect(updated.config.subjects).toEqual([ns.subjects.allUsageRecords()]);
    expect(updated.config.max_age).toBe(60_000 * 1e6);
    expect(updated.config.duplicate_window).toBe(30_000 * 1e6);
  });
});

describe('UsagePublisher', () => {
  it('stores records in batches on the node’s subject, each batch under its own id, in order, and flush waits for them', async () => {
    newNamespace();
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    const p = publisher();
    for (let i = 0; i < 600; i++) p.publish(record(`req-${i}`, i % 2 === 0 ? 'even' : 'odd'));
    expect(p.pending).toBe(600);
    await p.flush();
    expect(p.pending).toBe(0);
    const messages = await storedMessages();
    // 600 records at most 256 a batch: at least three messages, not one per record.
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expect(messages.length).toBeLessThan(20);
    expect(messages.every((m) => m.subject === ns.subjects.usageBatch('node-1'))).toBe(true);
    expect(messages.map((m) => (m.kind === 'batch' ? m.sequence : 0))).toEqual(messages.map((_, i) => i + 1));
    expect(messages.map((m) => m.msgId)).toEqual(messages.map((_, i) => `${p.publisherId}.${i + 1}`));
    expect(await storedRequestIds()).toEqual(Array.from({ length: 600 }, (_, i) => `req-${i}`));
  });

  it('gives each process its own publisher id, so a restarted node’s sequences do not collide', () => {
    newNamespace();
    const a = publisher();
    const b = publisher();
    expect(a.publisherId).toMatch(/^node-1\./);
    expect(b.publisherId).not.toBe(a.publisherId);
  });

  it('keeps retrying while the stream is missing, and delivers once it exists', async () => {
    newNamespace();
    const p = publisher();
    p.publish(record('early-1'));
    p.publish(record('early-2'));
    const flushed = p.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(p.pending).toBe(2);
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    await flushed;
    expect(await storedRequestIds()).toEqual(['early-1', 'early-2']);
  });

  it('keeps records beyond maxPending, never dropping usage, and says it is full until they are stored', async () => {
    newNamespace();
    const p = publisher({ maxPending: 3 });
    for (let i = 0; i < 10; i++) p.publish(record(`burst-${i}`));
    expect(p.full).toBe(true);
    expect(p.pending).toBe(10);
    expect(p.dropped).toBe(0);
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    await p.flush();
    expect(p.full).toBe(false);
    expect(await storedRequestIds()).toHaveLength(10);
  });

  it('close publishes pending records, then refuses new ones', async () => {
    newNamespace();
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    const p = publisher();
    for (let i = 0; i < 20; i++) p.publish(record(`closing-${i}`));
    await p.close();
    await p.close();
    expect(await storedRequestIds()).toHaveLength(20);
    p.publish(record('after-close'));
    expect(p.dropped).toBe(1);
    expect(p.pending).toBe(0);
  });

  it('close gives up after its grace period when JetStream never acks, and counts what it lost', async () => {
    newNamespace();
    const p = publisher({ closeGraceMs: 100 });
    p.publish(record('never'));
    await p.close();
    expect(p.pending).toBe(0);
    expect(p.dropped).toBe(1);
  });

  describe('with a spool', () => {
    let spoolDir: string;
    beforeAll(async () => {
      spoolDir = await mkdtemp(join(tmpdir(), 'usage-spool-'));
    });
    afterAll(() => rm(spoolDir, { recursive: true, force: true }));

    it('spooled() resolves once every record published before it is in the spool: one commit for the records of a loop turn', async () => {
      newNamespace();
      await ensureUsageStream(await nc.jetstreamManager(), ns);
      const dir = await mkdtemp(join(tmpdir(), 'usage-spool-'));
      try {
        const p = publisher({ spoolDir: dir });
        p.publish(record('x'));
        p.publish(record('y'));
        const spooled = p.spooled();
        expect(p.spooled()).toBe(spooled);
        await spooled;
        const lines = (await readFile(join(dir, 'usage-node-1.spool'), 'utf8')).split('\n').filter((line) => line.startsWith('{'));
        expect(lines.map((line) => (JSON.parse(line) as UsageRecord).requestId)).toEqual(['x', 'y']);
        // The next turn's records wait for a commit of their own.
        p.publish(record('z'));
        const next = p.spooled();
        expect(next).not.toBe(spooled);
        await next;
        expect(await readFile(join(dir, 'usage-node-1.spool'), 'utf8')).toContain('"requestId":"z"');
        await p.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('the next process with the same node id and directory sends what one that stopped had not stored: its sealed batch under its original id, the rest in new batches', async () => {
      newNamespace();
      // No stream yet: every attempt of the first process fails, as while JetStream is out of reach.
      const first = publisher({ spoolDir, closeGraceMs: 0 });
      for (const id of ['a', 'b', 'c']) first.publish(record(id));
      const spoolPath = join(spoolDir, 'usage-node-1.spool');
      await expect.poll(async () => (await readFile(spoolPath, 'utf8')).includes(`S ${first.publisherId} 1 3`)).toBe(true);
      // Gathers behind the batch being retried, never sealed.
      first.publish(record('d'));
      await first.close();
      // Unsent, not lost: the spool keeps them for the next process.
      expect(first.dropped).toBe(0);

      await ensureUsageStream(await nc.jetstreamManager(), ns);
      const second = publisher({ spoolDir });
      await second.flush();
      const messages = await storedMessages();
      expect(messages.map((m) => m.msgId)).toEqual([`${first.publisherId}.1`, `${second.publisherId}.1`]);
      expect(messages.map((m) => (m.kind === 'batch' ? [m.publisherId, m.sequence] : []))).toEqual([
        [first.publisherId, 1],
        [second.publisherId, 1],
      ]);
      expect(await storedRequestIds()).toEqual(['a', 'b', 'c', 'd']);
      await second.close();
      const third = publisher({ spoolDir });
      await third.flush();
      expect(await storedRequestIds()).toEqual(['a', 'b', 'c', 'd']);
    });
  });
});
