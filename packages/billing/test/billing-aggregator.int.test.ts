import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NatsConnection } from 'nats';
import { pino } from 'pino';
import { createNamespace, decodeJson, encodeJson, gbSecondsFor } from '@stratus/contracts';
import type { Namespace, UsageQuery, UsageQueryReply, UsageRecord } from '@stratus/contracts';
import { hasCode } from '@stratus/errors';
import { createUsagePublisher, encodeUsageBatch, ensureUsageStream, usageBatchHeaders } from '@stratus/usage';
import type { UsagePublisher } from '@stratus/usage';
import { BILLING_STATE_FILE, createBillingAggregator } from '../src/index.js';
import type { BillingAggregator, BillingAggregatorOptions } from '../src/index.js';
import { startConnectedNats, type ConnectedTestNats } from '@stratus/testing';
import { usageRecord } from './records.js';

const log = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
const MINUTE_MS = 60_000;
const BASE_MS = Date.UTC(2025, 0, 1, 10);

let nats: ConnectedTestNats;
let nc: NatsConnection;
let ns: Namespace;
let dataDir: string;
let publisher: UsagePublisher;
const aggregators: BillingAggregator[] = [];

beforeAll(async () => {
  nats = await startConnectedNats();
  nc = nats.nc;
});

afterAll(() => nats?.stop());

beforeEach(async () => {
  ns = createNamespace(`t${randomBytes(6).toString('hex')}`);
  dataDir = await mkdtemp(join(tmpdir(), 'stratus-billing-'));
  await ensureUsageStream(await nc.jetstreamManager(), ns);
  publisher = createUsagePublisher({ nc, ns, log, nodeId: 'node-1' });
});

afterEach(async () => {
  await Promise.all(aggregators.splice(0).map((a) => a.close()));
  await publisher.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function startAggregator(options: Partial<BillingAggregatorOptions> = {}): Promise<BillingAggregator> {
  const aggregator = await createBillingAggregator({ nc, ns, log, dataDir, batchSize: 16, ...options });
  aggregators.push(aggregator);
  return aggregator;
}

async function stopAggregator(aggregator: BillingAggregator): Promise<void> {
  aggregators.splice(aggregators.indexOf(aggregator), 1);
  await aggregator.close();
}

async function lastStreamSeq(): Promise<number> {
  const jsm = await nc.jetstreamManager();
  return (await jsm.streams.info(ns.streams.usage)).state.last_seq;
}

async function caughtUp(aggregator: BillingAggregator): Promise<void> {
  const last = await lastStreamSeq();
  await vi.waitFor(() => expect(aggregator.appliedThroughSequence).toBe(last), { timeout: 15_000, interval: 20 });
}

/** Stores one batch as a node's publisher would: on the node's subject, with the batch's id and headers. */
async function publishBatch(records: readonly UsageRecord[], publisherId: string, sequence: number, msgID = `${publisherId}.${sequence}`, nodeId = 'node-1'): Promise<{ seq: number; duplicate: boolean }> {
  const ack = await nc.jetstream().publish(ns.subjects.usageBatch(nodeId), encodeUsageBatch(records), { msgID, headers: usageBatchHeaders(publisherId, sequence) });
  return { seq: ack.seq, duplicate: ack.duplicate };
}

async function ask(query: unknown): Promise<UsageQueryReply> {
  const reply = await nc.request(ns.subjects.billingQuery(), encodeJson(query), { timeout: 5_000 });
  return decodeJson(reply.data) as UsageQueryReply;
}

/** Publishes `count` records with distinct billed durations; returns them. */
async function publishRecords(count: number, from = 0, overrides: Partial<UsageRecord> = {}): Promise<UsageRecord[]> {
  const records: UsageRecord[] = [];
  for (let i = from; i < from + count; i++) {
    const record = usageRecord({
      requestId: `req-${i}`,
      functionName: i % 3 === 0 ? 'alpha' : 'beta',
      billedMs: i + 1,
      durationMs: i + 0.5,
      memoryMb: 256,
      outcome: i % 5 === 0 ? 'function_error' : 'success',
      cold: i % 7 === 0,
      ...overrides,
    });
    records.push(record);
    publisher.publish(record);
  }
  await publisher.flush();
  return records;
}

function sums(records: readonly UsageRecord[]) {
  return {
    requests: records.length,
    billedMs: records.reduce((sum, r) => sum + r.billedMs, 0),
    errors: records.filter((r) => r.outcome !== 'success').length,
    coldStarts: records.filter((r) => r.cold).length,
  };
}

describe('billing aggregator', () => {
  it('counts every record once and answers queries over NATS', async () => {
    const records = await publishRecords(100);
    const aggregator = await startAggregator();
    await caughtUp(aggregator);

    const report = aggregator.query({});
    expect(report.total).toMatchObject(sums(records));
    expect(report.total.gbSeconds).toBeCloseTo(records.reduce((s, r) => s + gbSecondsFor(r.billedMs, r.memoryMb), 0), 9);
    expect(report.functions.map((f) => f.functionName)).toEqual(['alpha', 'beta']);
    expect(report.functions[0]).toMatchObject(sums(records.filter((r) => r.functionName === 'alpha')));

    const reply = await ask({ functionName: 'beta' });
    expect(reply.ok).toBe(true);
    if (reply.ok) {
      expect(reply.report.functions).toHaveLength(1);
      expect(reply.report.total).toMatchObject(sums(records.filter((r) => r.functionName === 'beta')));
      expect(reply.report.appliedThroughSequence).toBe(await lastStreamSeq());
    }
  });

  it('rejects a bad query with INVALID_ARGUMENT', async () => {
    await startAggregator();
    const reply = await ask({ startTimeMs: 'last week' });
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('INVALID_ARGUMENT');
    const notJson = await nc.request(ns.subjects.billingQuery(), new TextEncoder().encode('{'), { timeout: 5_000 });
    expect(decodeJson(notJson.data)).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('loses nothing and counts nothing twice across a restart', async () => {
    const first = await publishRecords(40);
    const aggregator = await startAggregator();
    await caughtUp(aggregator);
    await stopAggregator(aggregator);

    const second = await publishRecords(30, 40);
    const restarted = await startAggregator();
    await caughtUp(restarted);
    expect(restarted.query({}).total).toMatchObject(sums([...first, ...second]));
    expect(restarted.appliedThroughSequence).toBe(await lastStreamSeq());
  });

  it('rebuilds from the stream when the state file is lost', async () => {
    const records = await publishRecords(50);
    const aggregator = await startAggregator();
    await caughtUp(aggregator);
    const before = aggregator.query({});
    await stopAggregator(aggregator);

    await rm(join(dataDir, BILLING_STATE_FILE));
    const rebuilt = await startAggregator();
    await caughtUp(rebuilt);
    expect(rebuilt.query({})).toEqual(before);
    expect(rebuilt.query({}).total).toMatchObject(sums(records));
  });

  it('catches up when the state file is older than what the consumer acked', async () => {
    const first = await publishRecords(20);
    const aggregator = await startAggregator();
    await caughtUp(aggregator);
    // Applied in memory comes just before written to the file.
    const last = await lastStreamSeq();
    await vi.waitFor(async () => expect(JSON.parse(await readFile(join(dataDir, BILLING_STATE_FILE), 'utf8'))).toMatchObject({ lastAppliedSeq: last }), {
      timeout: 5_000,
      interval: 20,
    });
    await copyFile(join(dataDir, BILLING_STATE_FILE), join(dataDir, 'backup.json'));
    const second = await publishRecords(20, 20);
    await caughtUp(aggregator);
    await stopAggregator(aggregator);

    // Restore an older copy: the consumer has acked records the store does not hold.
    await copyFile(join(dataDir, 'backup.json'), join(dataDir, BILLING_STATE_FILE));
    const restored = await startAggregator();
    await caughtUp(restored);
    expect(restored.query({}).total).toMatchObject(sums([...first, ...second]));
  });

  it('skips malformed messages and keeps going', async () => {
    const js = nc.jetstream();
    const good = await publishRecords(3);
    await js.publish(ns.subjects.usageRecord('node-x', 'broken'), new TextEncoder().encode('not json'));
    await js.publish(ns.subjects.usageRecord('node-x', 'broken'), encodeJson({ requestId: 'x', billedMs: -1 }));
    const more = await publishRecords(2, 3);
    const aggregator = await startAggregator();
    await caughtUp(aggregator);
    expect(aggregator.appliedThroughSequence).toBe(await lastStreamSeq());
    expect(aggregator.query({}).total).toMatchObject(sums([...good, ...more]));
  });

  it('filters a time range by period', async () => {
    const at = (minute: number, i: number): UsageRecord =>
      usageRecord({ requestId: `t-${minute}-${i}`, startTimeMs: BASE_MS + minute * MINUTE_MS + 1_000, billedMs: 10 ** minute });
    for (const minute of [0, 1, 2, 3]) for (const i of [0, 1]) publisher.publish(at(minute, i));
    await publisher.flush();
    const aggregator = await startAggregator({ periodMs: MINUTE_MS });
    await caughtUp(aggregator);

    const billed = (q: UsageQuery): number => aggregator.query(q).total.billedMs;
    expect(billed({})).toBe(2 * 1111);
    expect(billed({ startTimeMs: BASE_MS + MINUTE_MS, endTimeMs: BASE_MS + 3 * MINUTE_MS })).toBe(2 * 110);
    expect(billed({ startTimeMs: BASE_MS + 3 * MINUTE_MS })).toBe(2 * 1000);
    expect(billed({ endTimeMs: BASE_MS + MINUTE_MS })).toBe(2);
    const reply = await ask({ startTimeMs: BASE_MS + 2 * MINUTE_MS, endTimeMs: BASE_MS + 3 * MINUTE_MS });
    expect(reply.ok && reply.report.total.billedMs).toBe(200);
  });

  it('keeps applying records published while it runs, and drains them on close', async () => {
    const aggregator = await startAggregator();
    const first = await publishRecords(25);
    await caughtUp(aggregator);
    const second = await publishRecords(25, 25);
    await caughtUp(aggregator);
    expect(aggregator.query({}).total).toMatchObject(sums([...first, ...second]));
    await aggregator.drain();
    await aggregator.drain();
  });

  it('recreates its consumer when someone deletes it, and carries on', async () => {
    const first = await publishRecords(10);
    const aggregator = await startAggregator();
    await caughtUp(aggregator);
    const jsm = await nc.jetstreamManager();
    await jsm.consumers.delete(ns.streams.usage, ns.consumers.billing);
    const second = await publishRecords(10, 10);
    await caughtUp(aggregator);
    expect(aggregator.query({}).total).toMatchObject(sums([...first, ...second]));
  });

  it('lets aggregators with their own consumer and store answer side by side', async () => {
    const records = await publishRecords(30);
    const otherDir = await mkdtemp(join(tmpdir(), 'stratus-billing-other-'));
    try {
      const a = await startAggregator();
      const b = await startAggregator({ dataDir: otherDir, consumerName: `${ns.prefix}_billing_b` });
      await caughtUp(a);
      await caughtUp(b);
      expect(b.query({})).toEqual(a.query({}));
      for (let i = 0; i < 4; i++) {
        const reply = await ask({});
        expect(reply.ok && reply.report.total.requests).toBe(records.length);
      }
    } finally {
      await Promise.all(aggregators.splice(0).map((agg) => agg.close()));
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  it('counts records split over many batches exactly, across deliveries that cut batches anywhere and a restart', async () => {
    await publisher.close();
    publisher = createUsagePublisher({ nc, ns, log, nodeId: 'node-1', maxBatchRecords: 7 });
    const first = await publishRecords(100);
    expect(await lastStreamSeq()).toBeGreaterThanOrEqual(15);
    const aggregator = await startAggregator({ batchSize: 4, lingerMs: 0 });
    await caughtUp(aggregator);
    expect(aggregator.query({}).total).toMatchObject(sums(first));
    await stopAggregator(aggregator);
    const second = await publishRecords(51, 100);
    const restarted = await startAggregator({ batchSize: 3, lingerMs: 0 });
    await caughtUp(restarted);
    expect(restarted.query({}).total).toMatchObject(sums([...first, ...second]));
  });

  it('applies a batch retried within the duplicate window once, and one stored again after it once too', async () => {
    const jsm = await nc.jetstreamManager();
    await ensureUsageStream(jsm, ns, { duplicateWindowMs: 300 });
    const batch = Array.from({ length: 5 }, (_, i) => usageRecord({ requestId: `dup-${i}`, billedMs: 10 + i }));
    const next = [usageRecord({ requestId: 'after', billedMs: 1000 })];
    const stored = await publishBatch(batch, 'node-1.p1', 1);
    // A retry whose first attempt was stored but not acked: JetStream drops it by message id.
    expect(await publishBatch(batch, 'node-1.p1', 1)).toEqual({ seq: stored.seq, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 600));
    // The same retry once the window has passed is stored a second time; billing knows the publisher's mark.
    expect((await publishBatch(batch, 'node-1.p1', 1)).duplicate).toBe(false);
    await publishBatch(next, 'node-1.p1', 2);
    // Another process of the same node (a restart) counts from 1 again under its own publisher id.
    await publishBatch([usageRecord({ requestId: 'restarted', billedMs: 5 })], 'node-1.p2', 1);
    const aggregator = await startAggregator();
    await caughtUp(aggregator);
    expect(aggregator.query({}).total).toMatchObject({ requests: 7, billedMs: 60 + 1000 + 5 });

    // The publishers' marks are stored with the totals: a restarted aggregator still refuses the duplicate.
    await stopAggregator(aggregator);
    await publishBatch(batch, 'node-1.p1', 1, 'late-retry');
    const restarted = await startAggregator();
    await caughtUp(restarted);
    expect(restarted.query({}).total.requests).toBe(7);

    // Rebuilt from the stream alone, the same.
    await stopAggregator(restarted);
    await rm(join(dataDir, BILLING_STATE_FILE));
    const rebuilt = await startAggregator();
    await caughtUp(rebuilt);
    expect(rebuilt.query({}).total).toMatchObject({ requests: 7, billedMs: 1065 });
  });

  it('refuses, record by record within a batch, records that name a node other than the subject’s or a function that does not exist', async () => {
    const good = usageRecord({ requestId: 'good', billedMs: 7 });
    const forged = usageRecord({ requestId: 'forged', nodeId: 'node-2', billedMs: 1000 });
    const ghost = usageRecord({ requestId: 'ghost', functionName: 'ghost', billedMs: 100 });
    await publishBatch([good, forged, ghost, { ...good, requestId: 'good-2' }], 'node-1.p1', 1);
    const aggregator = await startAggregator({ functionExists: async (name) => name !== 'ghost' });
    await caughtUp(aggregator);
    expect(aggregator.query({}).total).toMatchObject({ requests: 2, billedMs: 14 });
    expect(aggregator.refusedRecords).toBe(2);
  });

  it('applies nothing of a batch while admission cannot answer, then all of it once it can', async () => {
    let etcdUp = false;
    const batch = Array.from({ length: 6 }, (_, i) => usageRecord({ requestId: `wait-${i}`, functionName: i < 3 ? 'alpha' : 'beta', billedMs: 1 }));
    await publishBatch(batch, 'node-1.p1', 1);
    const aggregator = await startAggregator({
      functionExists: async (name) => {
        if (name === 'beta' && !etcdUp) throw new Error('etcd unavailable');
        return true;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(aggregator.appliedThroughSequence).toBe(0);
    expect(aggregator.query({}).total.requests).toBe(0);
    etcdUp = true;
    await caughtUp(aggregator);
    expect(aggregator.query({}).total.requests).toBe(6);
  });

  it('refuses to reuse a store built with another period', async () => {
    await publishRecords(1);
    const aggregator = await startAggregator();
    await caughtUp(aggregator);
    await stopAggregator(aggregator);
    const attempt = createBillingAggregator({ nc, ns, log, dataDir, periodMs: MINUTE_MS });
    await expect(attempt).rejects.toSatisfy((err: unknown) => hasCode(err, 'INVALID_ARGUMENT'));
  });
});
