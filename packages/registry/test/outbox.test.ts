import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Outbox, type OutboxBatch, type OutboxOptions, type OutboxTimers } from '../src/index.js';

const log = pino({ level: 'silent' });

/** Timers that fire only when the test moves the clock. */
class ManualClock implements OutboxTimers {
  #nowMs = 0;
  #nextId = 1;
  readonly #pending = new Map<number, { atMs: number; callback: () => void }>();

  now(): number {
    return this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++;
    this.#pending.set(id, { atMs: this.#nowMs + delayMs, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  get timers(): number {
    return this.#pending.size;
  }

  /** Moves the clock, firing every timer that falls due (in time order), letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.#nowMs + ms;
    for (;;) {
      await settle();
      const due = [...this.#pending].filter(([, t]) => t.atMs <= target).sort((a, b) => a[1].atMs - b[1].atMs)[0];
      if (due === undefined) break;
      this.#pending.delete(due[0]);
      this.#nowMs = due[1].atMs;
      due[1].callback();
    }
    this.#nowMs = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A send whose every call the test answers. */
class Sink<T> {
  readonly sent: OutboxBatch<T>[] = [];
  #answers: { resolve: () => void; reject: (err: Error) => void }[] = [];
  /** When set, calls resolve at once. */
  autoAck = false;

  readonly send = (batch: OutboxBatch<T>): Promise<void> => {
    this.sent.push(batch);
    if (this.autoAck) return Promise.resolve();
    return new Promise((resolve, reject) => this.#answers.push({ resolve, reject }));
  };

  get waiting(): number {
    return this.#answers.length;
  }

  async ack(): Promise<void> {
    this.#answers.shift()?.resolve();
    await settle();
  }

  async fail(): Promise<void> {
    this.#answers.shift()?.reject(new Error('JetStream unavailable'));
    await settle();
  }
}

function outbox<T = number>(clock: ManualClock, sink: Sink<T>, options: Partial<OutboxOptions<T>> = {}): Outbox<T> {
  return new Outbox<T>({ name: 'test', publisherId: 'node-1.abc', send: sink.send, log, timers: clock, ...options });
}

describe('Outbox', () => {
  it('sends nothing per record: records wait for the flush interval and leave as one batch', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    sink.autoAck = true;
    const box = outbox(clock, sink, { flushIntervalMs: 10 });
    for (let i = 0; i < 5; i++) box.push(i);
    await clock.advance(9);
    expect(sink.sent).toHaveLength(0);
    await clock.advance(1);
    expect(sink.sent).toEqual([{ id: 'node-1.abc.1', publisherId: 'node-1.abc', sequence: 1, partition: '', records: [0, 1, 2, 3, 4], attempt: 1 }]);
    expect(box.stats()).toMatchObject({ pending: 0, stored: 5, batches: 1 });
    expect(clock.timers).toBe(0);
  });

  it('seals a batch as soon as it reaches maxBatchRecords or maxBatchBytes', async () => {
    const clock = new ManualClock();
    const sink = new Sink<string>();
    sink.autoAck = true;
    const box = outbox(clock, sink, { maxBatchRecords: 3, maxBatchBytes: 10, sizeOf: (s) => s.length });
    box.push('a');
    box.push('b');
    box.push('c');
    await settle();
    expect(sink.sent.map((b) => b.records)).toEqual([['a', 'b', 'c']]);
    box.push('123456');
    box.push('7890');
    await settle();
    expect(sink.sent.map((b) => b.records)).toEqual([['a', 'b', 'c'], ['123456', '7890']]);
    // One record larger than a batch goes alone rather than never.
    box.push('x'.repeat(25));
    await settle();
    expect(sink.sent.at(-1)?.records).toEqual(['x'.repeat(25)]);
  });

  it('splits records over batches in order, and gathers what arrives while a batch is in flight into the next', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const box = outbox(clock, sink, { maxBatchRecords: 4 });
    for (let i = 0; i < 10; i++) box.push(i);
    await settle();
    expect(sink.sent.map((b) => b.records)).toEqual([[0, 1, 2, 3]]);
    for (let i = 10; i < 13; i++) box.push(i);
    await sink.ack();
    await sink.ack();
    await sink.ack();
    await clock.advance(10);
    await sink.ack();
    expect(sink.sent.map((b) => b.records)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12]]);
    expect(sink.sent.map((b) => b.sequence)).toEqual([1, 2, 3, 4]);
    expect(box.pending).toBe(0);
  });

  it('retries a failed batch with backoff under the same id before sending any later record', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const box = outbox(clock, sink, { retryDelayMs: 100, maxRetryDelayMs: 300 });
    box.push(1);
    await clock.advance(10);
    await sink.fail();
    box.push(2);
    await clock.advance(99);
    expect(sink.sent).toHaveLength(1);
    await clock.advance(1);
    expect(sink.sent).toHaveLength(2);
    await sink.fail();
    await clock.advance(199);
    expect(sink.sent).toHaveLength(2);
    await clock.advance(1);
    await sink.fail();
    // The delay stops growing at maxRetryDelayMs.
    await clock.advance(300);
    await sink.ack();
    await clock.advance(10);
    await sink.ack();
    expect(sink.sent.map((b) => [b.id, b.records, b.attempt])).toEqual([
      ['node-1.abc.1', [1], 1],
      ['node-1.abc.1', [1], 2],
      ['node-1.abc.1', [1], 3],
      ['node-1.abc.1', [1], 4],
      ['node-1.abc.2', [2], 1],
    ]);
    expect(box.stats()).toMatchObject({ stored: 2, dropped: 0 });
  });

  it('drops a batch after maxAttempts, when asked to, and goes on with the next', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const box = outbox(clock, sink, { maxAttempts: 2, retryDelayMs: 5 });
    box.push(1);
    await clock.advance(10);
    await sink.fail();
    await clock.advance(5);
    await sink.fail();
    expect(box.dropped).toBe(1);
    box.push(2);
    await clock.advance(10);
    await sink.ack();
    expect(sink.sent.at(-1)).toMatchObject({ sequence: 2, records: [2] });
  });

  it('sends one batch per partition, each with its own sequence', async () => {
    const clock = new ManualClock();
    const sink = new Sink<{ fn: string; n: number }>();
    sink.autoAck = true;
    const box = outbox(clock, sink, { partitionOf: (r) => r.fn });
    box.push({ fn: 'a', n: 1 });
    box.push({ fn: 'b', n: 2 });
    box.push({ fn: 'a', n: 3 });
    await box.flush();
    expect(sink.sent.map((b) => [b.sequence, b.partition, b.records.map((r) => r.n)])).toEqual([
      [1, 'a', [1, 3]],
      [2, 'b', [2]],
    ]);
  });

  it('keeps records past its cap and says it is full (the default), or drops them when told to', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const keeping = outbox(clock, sink, { maxPendingRecords: 2 });
    keeping.push(1);
    expect(keeping.full).toBe(false);
    keeping.push(2);
    expect(keeping.full).toBe(true);
    keeping.push(3);
    expect(keeping.stats()).toMatchObject({ pending: 3, dropped: 0, full: true });

    const dropping = outbox(clock, new Sink<number>(), { maxPendingBytes: 100, sizeOf: (n) => n, whenFull: 'drop' });
    dropping.push(80);
    dropping.push(30);
    expect(dropping.stats()).toMatchObject({ pending: 1, pendingBytes: 80, dropped: 1 });
  });

  it('flush sends at once and resolves when everything accepted before it is stored', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const box = outbox(clock, sink, { flushIntervalMs: 1_000 });
    box.push(1);
    let flushed = false;
    const flushing = box.flush().then(() => (flushed = true));
    await settle();
    expect(sink.sent).toHaveLength(1);
    box.push(2);
    expect(flushed).toBe(false);
    await sink.ack();
    await flushing;
    expect(box.pending).toBe(1);
  });

  it('drain sends what is held and refuses new records; close abandons what could not be stored within the grace period', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const box = outbox(clock, sink, { closeGraceMs: 1_000, retryDelayMs: 50 });
    box.push(1);
    box.push(2);
    const closed = box.close();
    await settle();
    expect(sink.sent.map((b) => b.records)).toEqual([[1, 2]]);
    box.push(3);
    expect(box.dropped).toBe(1);
    await sink.fail();
    await clock.advance(50);
    await sink.fail();
    await clock.advance(1_000);
    await closed;
    expect(box.stats()).toMatchObject({ pending: 0, dropped: 3, stored: 0 });
    expect(clock.timers).toBe(0);
    await box.close();
  });

  it('counts nothing as dropped at close when the records are kept elsewhere for the next process (a spool)', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const box = outbox(clock, sink, { closeGraceMs: 1_000, retryDelayMs: 50, keptAfterClose: '/var/lib/stratus/node/usage-n1.spool' });
    box.push(1);
    const closed = box.close();
    await settle();
    await sink.fail();
    await clock.advance(1_050);
    await closed;
    expect(box.stats()).toMatchObject({ pending: 0, dropped: 0, stored: 0 });
  });

  it('sends recovered batches first, under their original publisher and sequence, and waits for them on flush', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const stored: string[] = [];
    const box = outbox(clock, sink, {
      recovered: [
        { publisherId: 'node-1.old', sequence: 7, records: [70, 71] },
        { publisherId: 'node-1.old', sequence: 8, records: [80] },
      ],
      onStored: (batch) => stored.push(batch.id),
    });
    box.push(1);
    expect(box.pending).toBe(4);
    const flushed = box.flush();
    await settle();
    expect(sink.sent.map((b) => [b.id, b.publisherId, b.records])).toEqual([['node-1.old.7', 'node-1.old', [70, 71]]]);
    await sink.fail();
    await clock.advance(100);
    await sink.ack();
    await sink.ack();
    await sink.ack();
    await flushed;
    expect(sink.sent.map((b) => b.id)).toEqual(['node-1.old.7', 'node-1.old.7', 'node-1.old.8', 'node-1.abc.1']);
    expect(stored).toEqual(['node-1.old.7', 'node-1.old.8', 'node-1.abc.1']);
    expect(box.stats()).toMatchObject({ pending: 0, stored: 4 });
    await box.close();
  });

  it('tells its owner which records each batch holds when it is sealed, before the first attempt', async () => {
    const clock = new ManualClock();
    const sink = new Sink<number>();
    const sealed: [string, readonly number[], number][] = [];
    const box = outbox(clock, sink, { maxBatchRecords: 2, onSealed: (batch) => sealed.push([batch.id, batch.records, sink.sent.length]) });
    box.push(1);
    box.push(2);
    box.push(3);
    await settle();
    expect(sealed).toEqual([['node-1.abc.1', [1, 2], 0]]);
    await sink.ack();
    await clock.advance(10);
    expect(sealed).toEqual([['node-1.abc.1', [1, 2], 0], ['node-1.abc.2', [3], 1]]);
    await sink.ack();
    await box.close();
  });
});
