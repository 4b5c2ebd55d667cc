import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from 'nats';
import { pino } from 'pino';
import { createNamespace } from '@stratus/contracts';
import type { Namespace, UsageRecord } from '@stratus/contracts';
import { createUsagePublisher, ensureUsageStream } from '../src/index.js';
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

function publisher(options: { maxPending?: number; closeGraceMs?: number } = {}): UsagePublisher {
  const p = createUsagePublisher({ nc, ns, log, retryDelayMs: 20, maxRetryDelayMs: 100, ...options });
  publishers.push(p);
  return p;
}

async function storedCount(): Promise<number> {
  const jsm = await nc.jetstreamManager();
  return (await jsm.streams.info(ns.streams.usage)).state.messages;
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
  it('flush resolves once every record is stored, and a republished request id is stored once', async () => {
    newNamespace();
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    const p = publisher();
    for (let i = 0; i < 200; i++) p.publish(record(`req-${i}`, i % 2 === 0 ? 'even' : 'odd'));
    p.publish(record('req-7', 'odd'));
    expect(p.pending).toBeGreaterThan(0);
    await p.flush();
    expect(p.pending).toBe(0);
    expect(await storedCount()).toBe(200);
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
    expect(await storedCount()).toBe(2);
  });

  it('drops and counts records beyond maxPending instead of blocking', async () => {
    newNamespace();
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    const p = publisher({ maxPending: 3 });
    for (let i = 0; i < 10; i++) p.publish(record(`burst-${i}`));
    expect(p.pending).toBe(3);
    expect(p.dropped).toBe(7);
    await p.flush();
    expect(await storedCount()).toBe(3);
  });

  it('close waits for pending records, then refuses new ones', async () => {
    newNamespace();
    await ensureUsageStream(await nc.jetstreamManager(), ns);
    const p = publisher();
    for (let i = 0; i < 20; i++) p.publish(record(`closing-${i}`));
    await p.close();
    await p.close();
    expect(await storedCount()).toBe(20);
    p.publish(record('after-close'));
    expect(p.dropped).toBe(1);
    expect(p.pending).toBe(0);
  });

  it('close gives up after its grace period when JetStream never acks', async () => {
    newNamespace();
    const p = publisher({ closeGraceMs: 100 });
    p.publish(record('never'));
    await p.close();
    expect(p.pending).toBe(0);
    expect(p.dropped).toBe(1);
  });
});
