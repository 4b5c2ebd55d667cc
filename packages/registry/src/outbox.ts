import type { Logger } from 'pino';

/** One batch as it is handed to {@link OutboxOptions.send}: the same id, sequence and records on every attempt. */
export interface OutboxBatch<T> {
  /** `<publisherId>.<sequence>`: the JetStream message id, so a retried batch is stored once within the duplicate window. */
  readonly id: string;
  /** The outbox's own publisher id, or a recovered batch's original one. */
  readonly publisherId: string;
  /** Increases by one per batch, in the order batches are stored: a reader keeps a high-water mark per publisher. */
  readonly sequence: number;
  /** The partition every record of the batch belongs to (`partitionOf`), e.g. the subject it goes to. */
  readonly partition: string;
  readonly records: readonly T[];
  /** 1 on the first try. */
  readonly attempt: number;
}

/** A batch sealed by an earlier process (its id, sequence and records as they were), sent again before anything new. */
export interface RecoveredBatch<T> {
  readonly publisherId: string;
  readonly sequence: number;
  readonly records: readonly T[];
}

/** The clock and timers the outbox runs on; tests pass their own. */
export interface OutboxTimers {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const SYSTEM_TIMERS: OutboxTimers = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
};

/** Options of {@link Outbox}. */
export interface OutboxOptions<T> {
  /** What the records are, for logs ("usage", "logs"). */
  readonly name: string;
  /** Who publishes: unique per process (e.g. node id and a random incarnation), the prefix of every batch id. */
  readonly publisherId: string;
  /** Stores one batch; resolving means stored. Throwing means try again later (the same batch, same id). */
  readonly send: (batch: OutboxBatch<T>) => Promise<void>;
  readonly log: Logger;
  /** Default: the system clock and timers. */
  readonly timers?: OutboxTimers;
  /** Records of one batch are sent together; a batch is sealed at this many. Default 256. */
  readonly maxBatchRecords?: number;
  /** A batch is sealed once its records' `sizeOf` reach this (one record larger than it goes alone). Default 262_144 (256 KiB). */
  readonly maxBatchBytes?: number;
  /** How long the oldest buffered record waits for more before its batch is sealed. Default 10 ms. */
  readonly flushIntervalMs?: number;
  /** Size of a record in bytes, for `maxBatchBytes` and `maxPendingBytes`. Default: 0 (only records are counted). */
  readonly sizeOf?: (record: T) => number;
  /** Records of one batch share a partition (one batch per partition and flush). Default: all one partition, "". */
  readonly partitionOf?: (record: T) => string;
  /** Records held (buffered or being sent) past which the outbox is full. Default 50_000. */
  readonly maxPendingRecords?: number;
  /** Bytes held past which the outbox is full. Default: no limit. */
  readonly maxPendingBytes?: number;
  /**
   * What `push` does while full. 'keep' (default): keeps the record anyway,
   * so nothing accepted is lost; the owner reads `full` and stops taking the
   * work that makes records (memory is then bounded by the cap plus what was
   * already under way). 'drop': drops it, counted in `dropped` and logged.
   */
  readonly whenFull?: 'keep' | 'drop';
  /** Attempts per batch before it is dropped (counted and logged). Default: no limit, retried until stored or closed. */
  readonly maxAttempts?: number;
  /** Pause after a failed attempt; doubles on each consecutive failure. Default 100 ms. */
  readonly retryDelayMs?: number;
  /** Ceiling of that pause. Default 5_000 ms. */
  readonly maxRetryDelayMs?: number;
  /** How long `close()` keeps sending what is held before abandoning it (counted as dropped, logged). Default 5_000 ms. */
  readonly closeGraceMs?: number;
  /**
   * Where records left unsent at `close()` still are, when something outside
   * the outbox keeps them for a later process to send (a spool): they are
   * then logged as kept there, not counted as dropped. Default: nowhere, so
   * they are lost, counted and logged as an error.
   */
  readonly keptAfterClose?: string;
  /**
   * Batches an earlier process sealed and may not have stored: sent first, in
   * this order, each under its original publisher id and sequence (so a
   * reader that keeps a high-water mark per publisher applies each once).
   * Default none.
   */
  readonly recovered?: readonly RecoveredBatch<T>[];
  /**
   * Called in the same turn a batch is sealed, before its first attempt,
   * with its records in the order they were pushed (for a write-ahead log).
   * With one partition, a sealed batch is always the oldest records not yet
   * sealed. Not called for recovered batches.
   */
  readonly onSealed?: (batch: Omit<OutboxBatch<T>, 'attempt'>) => void;
  /** Called once a batch (recovered ones too) is stored, before the next is sent. */
  readonly onStored?: (batch: Omit<OutboxBatch<T>, 'attempt'>) => void;
}

export interface OutboxStats {
  /** Records accepted and not yet stored or dropped. */
  readonly pending: number;
  readonly pendingBytes: number;
  /** Records accepted and stored. */
  readonly stored: number;
  /** Records dropped: the outbox was full ('drop'), a batch ran out of attempts, or close abandoned them. */
  readonly dropped: number;
  /** Batches stored. */
  readonly batches: number;
  readonly full: boolean;
}

/** Past the cap, rejection and drop messages are logged at most this often. */
const LOG_INTERVAL_MS = 1_000;

interface Waiter {
  readonly through: number;
  readonly resolve: () => void;
}

interface Held<T> {
  readonly record: T;
  readonly bytes: number;
}

/** Batches sealed together in one flush (one per partition), settled together. */
interface Chunk<T> {
  readonly batches: { readonly publisherId: string; readonly sequence: number; readonly partition: string; readonly held: Held<T>[] }[];
  readonly records: number;
  readonly bytes: number;
  /** Accepted ordinal of the chunk's last record: everything up to it is settled when the chunk is. */
  readonly through: number;
}

/**
 * Buffers records and publishes them in batches: a batch is sealed when it
 * reaches `maxBatchRecords` or `maxBatchBytes`, or when its oldest record has
 * waited `flushIntervalMs`, never once per record. One batch is in flight at
 * a time and a failed one is retried (same id) before any later one, so
 * batches are stored in sequence order; a reader that remembers the highest
 * sequence it applied per publisher can refuse a duplicate that arrives after
 * JetStream's duplicate window. While a batch is in flight or waiting to be
 * retried, new records gather into the next one, so batches grow under load
 * and during an outage.
 *
 * Lifecycle: push while open; `flush()` sends what is held now; `drain()`
 * stops accepting and sends everything (within `closeGraceMs`); `close()`
 * drains, then abandons what is left. Both idempotent.
 */
export class Outbox<T> {
  readonly #name: string;
  readonly #publisherId: string;
  readonly #send: (batch: OutboxBatch<T>) => Promise<void>;
  readonly #log: Logger;
  readonly #timers: OutboxTimers;
  readonly #maxBatchRecords: number;
  readonly #maxBatchBytes: number;
  readonly #flushIntervalMs: number;
  readonly #sizeOf: ((record: T) => number) | undefined;
  readonly #partitionOf: ((record: T) => string) | undefined;
  readonly #maxPendingRecords: number;
  readonly #maxPendingBytes: number;
  readonly #whenFull: 'keep' | 'drop';
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #closeGraceMs: number;
  readonly #keptAfterClose: string | undefined;

  /** Accepted, not yet sealed into a batch. */
  #buffer: Held<T>[] = [];
  #bufferBytes = 0;
  /** The chunk being sent (its batches one after the other), if any. */
  #sending: Chunk<T> | undefined;
  /** Recovered batches not yet sent, one chunk each, sent before the buffer is sealed. */
  #recovered: Chunk<T>[] = [];
  #recoveredRecords = 0;
  #recoveredBytes = 0;
  readonly #onSealed: OutboxOptions<T>['onSealed'];
  readonly #onStored: OutboxOptions<T>['onStored'];
  #sendingBatch = 0;
  #attempt = 0;
  #consecutiveFailures = 0;
  #nextSequence = 1;
  #accepted = 0;
  #settledThrough = 0;
  /** flush()/drain() asked for everything accepted up to here to be sealed without waiting for the timer. */
  #urgentThrough = 0;
  #flushTimer: unknown;
  #retryTimer: unknown;
  #due = false;
  #inFlight = false;
  #waiters: Waiter[] = [];

  #stored = 0;
  #dropped = 0;
  #batches = 0;
  #wasFull = false;
  #lastFullLogMs = Number.NEGATIVE_INFINITY;
  #droppedSinceLog = 0;
  #lastDropLogMs = Number.NEGATIVE_INFINITY;
  #state: 'open' | 'draining' | 'closed' = 'open';
  #draining: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: OutboxOptions<T>) {
    this.#name = options.name;
    this.#publisherId = options.publisherId;
    this.#send = options.send;
    this.#log = options.log;
    this.#timers = options.timers ?? SYSTEM_TIMERS;
    this.#maxBatchRecords = positive('maxBatchRecords', options.maxBatchRecords ?? 256);
    this.#maxBatchBytes = positive('maxBatchBytes', options.maxBatchBytes ?? 256 * 1024);
    this.#flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 10);
    this.#sizeOf = options.sizeOf;
    this.#partitionOf = options.partitionOf;
    this.#maxPendingRecords = positive('maxPendingRecords', options.maxPendingRecords ?? 50_000);
    this.#maxPendingBytes = options.maxPendingBytes ?? Number.POSITIVE_INFINITY;
    this.#whenFull = options.whenFull ?? 'keep';
    this.#maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.#retryDelayMs = options.retryDelayMs ?? 100;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.#closeGraceMs = options.closeGraceMs ?? 5_000;
    this.#keptAfterClose = options.keptAfterClose;
    this.#onSealed = options.onSealed;
    this.#onStored = options.onStored;
    for (const batch of options.recovered ?? []) {
      const held = batch.records.map((record) => ({ record, bytes: this.#sizeOf?.(record) ?? 0 }));
      const bytes = held.reduce((sum, h) => sum + h.bytes, 0);
      // Counted as accepted, so flush(), drain() and close() wait for them like any record.
      this.#accepted += held.length;
      this.#recovered.push({ batches: [{ publisherId: batch.publisherId, sequence: batch.sequence, partition: '', held }], records: held.length, bytes, through: this.#accepted });
      this.#recoveredRecords += held.length;
      this.#recoveredBytes += bytes;
    }
    if (this.#recovered.length > 0) this.#pump();
  }

  /** Records held, buffered or being sent. */
  get pending(): number {
    return this.#buffer.length + (this.#sending?.records ?? 0) + this.#recoveredRecords;
  }

  get pendingBytes(): number {
    return this.#bufferBytes + (this.#sending?.bytes ?? 0) + this.#recoveredBytes;
  }

  /** At or past `maxPendingRecords` or `maxPendingBytes`: the owner should stop making records. */
  get full(): boolean {
    return this.pending >= this.#maxPendingRecords || this.pendingBytes >= this.#maxPendingBytes;
  }

  get dropped(): number {
    return this.#dropped;
  }

  stats(): OutboxStats {
    return { pending: this.pending, pendingBytes: this.pendingBytes, stored: this.#stored, dropped: this.#dropped, batches: this.#batches, full: this.full };
  }

  /**
   * Accepts a record and returns at once; it is sent with the next batch.
   * Never throws. After `drain()` began, a record is dropped (counted, logged).
   */
  push(record: T): void {
    if (this.#state !== 'open') {
      this.#drop(1, `${this.#name} outbox is closed`);
      return;
    }
    const bytes = this.#sizeOf?.(record) ?? 0;
    if (this.pending + 1 > this.#maxPendingRecords || this.pendingBytes + bytes > this.#maxPendingBytes) {
      this.#reportFull();
      if (this.#whenFull === 'drop') {
        this.#drop(1, `${this.#name} outbox is full`);
        return;
      }
    } else if (this.#wasFull) {
      this.#wasFull = false;
      this.#log.info({ outbox: this.#name, pending: this.pending }, 'outbox below its cap again');
    }
    this.#buffer.push({ record, bytes });
    this.#bufferBytes += bytes;
    this.#accepted++;
    if (this.#buffer.length >= this.#maxBatchRecords || this.#bufferBytes >= this.#maxBatchBytes) {
      this.#due = true;
      this.#pump();
    } else if (this.#flushTimer === undefined && !this.#due) {
      this.#flushTimer = this.#timers.setTimeout(() => {
        this.#flushTimer = undefined;
        this.#due = true;
        this.#pump();
      }, this.#flushIntervalMs);
    }
  }

  /** Sends what is held now without waiting for the timer; resolves when it is stored (or dropped). */
  flush(): Promise<void> {
    const through = this.#accepted;
    if (this.#settledThrough >= through) return Promise.resolve();
    this.#urgentThrough = Math.max(this.#urgentThrough, through);
    const settled = new Promise<void>((resolve) => this.#waiters.push({ through, resolve }));
    this.#pump();
    return settled;
  }

  /** Stops accepting records and sends what is held, for up to `closeGraceMs`. Idempotent. */
  drain(): Promise<void> {
    this.#draining ??= this.#drain();
    return this.#draining;
  }

  /** Drains, then abandons whatever could not be stored (counted as dropped, logged). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #drain(): Promise<void> {
    if (this.#state === 'open') this.#state = 'draining';
    let graceTimer: unknown;
    const grace = new Promise<void>((resolve) => {
      graceTimer = this.#timers.setTimeout(resolve, this.#closeGraceMs);
    });
    try {
      await Promise.race([this.flush(), grace]);
    } finally {
      this.#timers.clearTimeout(graceTimer);
    }
  }

  async #close(): Promise<void> {
    await this.drain();
    this.#state = 'closed';
    this.#timers.clearTimeout(this.#flushTimer);
    this.#timers.clearTimeout(this.#retryTimer);
    this.#flushTimer = undefined;
    this.#retryTimer = undefined;
    const abandoned = this.pending;
    if (abandoned > 0 && this.#keptAfterClose !== undefined) {
      this.#log.warn({ outbox: this.#name, unsent: abandoned, keptIn: this.#keptAfterClose }, 'outbox closed with records not stored yet; the next process sends them');
    } else if (abandoned > 0) {
      this.#dropped += abandoned;
      this.#log.error({ outbox: this.#name, abandoned }, 'outbox closed with records not stored; they are lost');
    }
    this.#buffer = [];
    this.#bufferBytes = 0;
    this.#sending = undefined;
    this.#recovered = [];
    this.#recoveredRecords = 0;
    this.#recoveredBytes = 0;
    this.#settle(this.#accepted);
  }

  #pump(): void {
    if (this.#state === 'closed' || this.#inFlight || this.#retryTimer !== undefined) return;
    if (this.#sending === undefined && this.#recovered.length > 0) {
      const chunk = this.#recovered.shift()!;
      this.#recoveredRecords -= chunk.records;
      this.#recoveredBytes -= chunk.bytes;
      this.#sending = chunk;
      this.#sendingBatch = 0;
      this.#attempt = 0;
    }
    if (this.#sending === undefined) {
      if (this.#buffer.length === 0) return;
      const urgent = this.#urgentThrough > this.#settledThrough || this.#state === 'draining';
      if (!this.#due && !urgent) return;
      this.#sending = this.#seal();
      this.#sendingBatch = 0;
      this.#attempt = 0;
    }
    this.#inFlight = true;
    void this.#sendNext(this.#sending);
  }

  /** Takes the head of the buffer, up to one batch's worth, into a chunk of one batch per partition. */
  #seal(): Chunk<T> {
    let count = 0;
    let bytes = 0;
    while (count < this.#buffer.length && count < this.#maxBatchRecords) {
      const next = this.#buffer[count]!.bytes;
      if (count > 0 && bytes + next > this.#maxBatchBytes) break;
      bytes += next;
      count++;
    }
    const taken = this.#buffer.splice(0, count);
    this.#bufferBytes -= bytes;
    const byPartition = new Map<string, Held<T>[]>();
    for (const held of taken) {
      const partition = this.#partitionOf?.(held.record) ?? '';
      let list = byPartition.get(partition);
      if (list === undefined) byPartition.set(partition, (list = []));
      list.push(held);
    }
    const batches = [...byPartition].map(([partition, held]) => ({ publisherId: this.#publisherId, sequence: this.#nextSequence++, partition, held }));
    if (this.#onSealed !== undefined) {
      for (const batch of batches) {
        this.#onSealed({ id: `${batch.publisherId}.${batch.sequence}`, publisherId: batch.publisherId, sequence: batch.sequence, partition: batch.partition, records: batch.held.map((h) => h.record) });
      }
    }
    const through = this.#accepted - this.#buffer.length;
    // What is left waits for its own timer, unless it already makes a full batch.
    this.#timers.clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    this.#due = this.#buffer.length >= this.#maxBatchRecords || this.#bufferBytes >= this.#maxBatchBytes;
    if (this.#buffer.length > 0 && !this.#due) {
      this.#flushTimer = this.#timers.setTimeout(() => {
        this.#flushTimer = undefined;
        this.#due = true;
        this.#pump();
      }, this.#flushIntervalMs);
    }
    return { batches, records: count, bytes, through };
  }

  async #sendNext(chunk: Chunk<T>): Promise<void> {
    const batch = chunk.batches[this.#sendingBatch]!;
    this.#attempt++;
    const records = batch.held.map((held) => held.record);
    const id = `${batch.publisherId}.${batch.sequence}`;
    try {
      await this.#send({ id, publisherId: batch.publisherId, sequence: batch.sequence, partition: batch.partition, records, attempt: this.#attempt });
      if (this.#sending !== chunk) return;
      this.#onStored?.({ id, publisherId: batch.publisherId, sequence: batch.sequence, partition: batch.partition, records });
      if (this.#consecutiveFailures > 0) {
        this.#log.info({ outbox: this.#name, failures: this.#consecutiveFailures, pending: this.pending }, 'outbox publishing recovered');
        this.#consecutiveFailures = 0;
      }
      this.#stored += records.length;
      this.#batches++;
      this.#nextBatch(chunk);
    } catch (err) {
      if (this.#sending !== chunk) return;
      this.#consecutiveFailures++;
      if (this.#consecutiveFailures === 1) {
        this.#log.warn({ err, outbox: this.#name, pending: this.pending }, 'outbox publish failed; retrying with backoff');
      }
      if (this.#attempt >= this.#maxAttempts) {
        this.#drop(records.length, `${this.#name} batch not stored after ${this.#attempt} attempts`, err);
        this.#nextBatch(chunk);
      } else {
        const exponent = Math.min(this.#consecutiveFailures - 1, 30);
        this.#retryTimer = this.#timers.setTimeout(() => {
          this.#retryTimer = undefined;
          this.#pump();
        }, Math.min(this.#retryDelayMs * 2 ** exponent, this.#maxRetryDelayMs));
      }
    } finally {
      this.#inFlight = false;
      this.#pump();
    }
  }

  #nextBatch(chunk: Chunk<T>): void {
    this.#attempt = 0;
    this.#sendingBatch++;
    if (this.#sendingBatch < chunk.batches.length) return;
    this.#sending = undefined;
    this.#settle(chunk.through);
  }

  #settle(through: number): void {
    this.#settledThrough = Math.max(this.#settledThrough, through);
    if (this.#waiters.length === 0) return;
    const waiting: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.through <= this.#settledThrough) waiter.resolve();
      else waiting.push(waiter);
    }
    this.#waiters = waiting;
  }

  #reportFull(): void {
    this.#wasFull = true;
    const nowMs = this.#timers.now();
    if (nowMs - this.#lastFullLogMs < LOG_INTERVAL_MS) return;
    this.#lastFullLogMs = nowMs;
    this.#log.error(
      { outbox: this.#name, pending: this.pending, pendingBytes: this.pendingBytes, whenFull: this.#whenFull },
      this.#whenFull === 'drop' ? 'outbox full: new records are dropped until it empties' : 'outbox full: records are still kept; their producer should stop',
    );
  }

  #drop(count: number, reason: string, err?: unknown): void {
    this.#dropped += count;
    this.#droppedSinceLog += count;
    const nowMs = this.#timers.now();
    if (nowMs - this.#lastDropLogMs < LOG_INTERVAL_MS) return;
    this.#log.error({ err, outbox: this.#name, reason, droppedSinceLastLog: this.#droppedSinceLog, droppedTotal: this.#dropped }, 'outbox records dropped');
    this.#lastDropLogMs = nowMs;
    this.#droppedSinceLog = 0;
  }
}

function positive(name: string, value: number): number {
  if (!(value > 0)) throw new RangeError(`outbox ${name} must be positive, got ${value}`);
  return value;
}
