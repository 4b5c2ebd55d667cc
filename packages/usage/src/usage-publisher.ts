import type { JetStreamClient, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { encodeJson } from '@stratus/contracts';
import type { Namespace, UsageRecord } from '@stratus/contracts';

/** Options of {@link createUsagePublisher}. */
export interface UsagePublisherOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Records accepted but not yet acked by JetStream; past it, new records are dropped and counted. Default 10_000. */
  readonly maxPending?: number;
  /** Delay before the first retry after a failed publish; doubles on each consecutive failure. Default 200. */
  readonly retryDelayMs?: number;
  /** Ceiling of the retry delay. Default 5_000. */
  readonly maxRetryDelayMs?: number;
  /** How long `close()` waits for pending records to be acked before abandoning them. Default 5_000. */
  readonly closeGraceMs?: number;
  /**
   * How long a record is retried before it is given up (logged and counted as
   * dropped). It must stay inside the usage stream's duplicate window
   * (default 2 min): a retry after the window, of a record whose first
   * publish was stored but not acked, would be stored, and billed, twice.
   * Default 100_000.
   */
  readonly retryForMs?: number;
}

/** Sends usage records to the usage stream without ever making an invocation wait for it. */
export interface UsagePublisher {
  /**
   * Queues the record and returns at once. It is published with the request
   * id as JetStream message id, so a retry after a lost ack is not counted
   * twice, and retried with backoff until acked or until `close()` gives up.
   */
  publish(record: UsageRecord): void;
  /** Resolves when every record accepted before the call has been acked (or abandoned by `close()`). */
  flush(): Promise<void>;
  /** Stops accepting records, waits up to the close grace period for the pending ones, then stops. Idempotent. */
  close(): Promise<void>;
  /** Records accepted and not yet acked. */
  readonly pending: number;
  /** Records dropped because too many were pending, because they could not be stored within `retryForMs`, or because the publisher was closed. */
  readonly dropped: number;
}

/** Publishes awaiting their ack at once; more would only queue inside the client. */
const PUBLISH_WINDOW = 64;
/** Dropping happens under overload, so its error log is rate-limited. */
const DROP_LOG_INTERVAL_MS = 1_000;

interface Entry {
  readonly requestId: string;
  readonly acceptedAtMs: number;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly settled: Promise<void>;
  readonly settle: () => void;
}

export function createUsagePublisher(options: UsagePublisherOptions): UsagePublisher {
  return new JetStreamUsagePublisher(options);
}

class JetStreamUsagePublisher implements UsagePublisher {
  readonly #ns: Namespace;
  readonly #log: Logger;
  readonly #js: JetStreamClient;
  readonly #maxPending: number;
  readonly #retryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #retryForMs: number;
  readonly #closeGraceMs: number;

  /** Entries waiting to be sent, in arrival order (retries go back to the front). */
  #queue: Entry[] = [];
  readonly #unsettled = new Set<Entry>();
  #inFlight = 0;
  #consecutiveFailures = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #dropped = 0;
  #droppedSinceLog = 0;
  #lastDropLogMs = Number.NEGATIVE_INFINITY;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #closing: Promise<void> | undefined;

  constructor(options: UsagePublisherOptions) {
    this.#ns = options.ns;
    this.#log = options.log;
    this.#js = options.nc.jetstream();
    this.#maxPending = options.maxPending ?? 10_000;
    this.#retryDelayMs = options.retryDelayMs ?? 200;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
    this.#retryForMs = options.retryForMs ?? 100_000;
    this.#closeGraceMs = options.closeGraceMs ?? 5_000;
  }

  get pending(): number {
    return this.#unsettled.size;
  }

  get dropped(): number {
    return this.#dropped;
  }

  publish(record: UsageRecord): void {
    if (this.#state !== 'open') {
      this.#drop(record, 'publisher closed');
      return;
    }
    if (this.#unsettled.size >= this.#maxPending) {
      this.#drop(record, 'too many pending');
      return;
    }
    let subject: string;
    try {
      subject = this.#ns.subjects.usageRecord(record.nodeId, record.functionName);
    } catch (err) {
      this.#log.error({ err, requestId: record.requestId }, 'usage record has a function name unusable in a subject; dropped');
      this.#dropped++;
      return;
    }
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => {
      settle = resolve;
    });
    const entry: Entry = { requestId: record.requestId, acceptedAtMs: Date.now(), subject, data: encodeJson(record), settled, settle };
    this.#unsettled.add(entry);
    this.#queue.push(entry);
    this.#pump();
  }

  async flush(): Promise<void> {
    await Promise.all(Array.from(this.#unsettled, (entry) => entry.settled));
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#state = 'closing';
    let graceTimer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      graceTimer = setTimeout(resolve, this.#closeGraceMs);
    });
    try {
      await Promise.race([this.flush(), grace]);
    } finally {
      clearTimeout(graceTimer);
    }
    this.#state = 'closed';
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const abandoned = this.#unsettled.size;
    if (abandoned > 0) {
      this.#dropped += abandoned;
      this.#log.error({ abandoned }, 'usage publisher closed with records not acked by JetStream; they are lost');
    }
    for (const entry of this.#unsettled) entry.settle();
    this.#unsettled.clear();
    this.#queue = [];
  }

  #pump(): void {
    while (
      this.#state !== 'closed' &&
      this.#retryTimer === undefined &&
      this.#inFlight < PUBLISH_WINDOW &&
      this.#queue.length > 0
    ) {
      const entry = this.#queue.shift();
      if (entry === undefined) return;
      this.#inFlight++;
      void this.#send(entry);
    }
  }

  async #send(entry: Entry): Promise<void> {
    try {
      // A duplicate ack means an earlier attempt was stored: that is success too.
      await this.#js.publish(entry.subject, entry.data, {
        msgID: entry.requestId,
        expect: { streamName: this.#ns.streams.usage },
      });
      if (this.#consecutiveFailures > 0) {
        this.#log.info({ failures: this.#consecutiveFailures }, 'usage publishing recovered');
        this.#consecutiveFailures = 0;
      }
      this.#unsettled.delete(entry);
      entry.settle();
    } catch (err) {
      if (this.#state === 'closed') return;
      this.#consecutiveFailures++;
      if (this.#consecutiveFailures === 1) {
        this.#log.warn({ err, pending: this.#unsettled.size }, 'usage publish failed; retrying with backoff');
      }
      if (Date.now() - entry.acceptedAtMs > this.#retryForMs) {
        // Past here a retry could be stored twice (the duplicate window has passed): losing one record beats billing it twice.
        this.#log.error({ err, requestId: entry.requestId, retriedForMs: Date.now() - entry.acceptedAtMs }, 'usage record given up after retrying; dropped');
        this.#dropped++;
        this.#unsettled.delete(entry);
        entry.settle();
        return;
      }
      this.#queue.unshift(entry);
      this.#scheduleRetry();
    } finally {
      this.#inFlight--;
      this.#pump();
    }
  }

  /** One timer pauses the whole queue: when JetStream is unreachable, every record would fail alike. */
  #scheduleRetry(): void {
    if (this.#retryTimer !== undefined) return;
    const exponent = Math.min(this.#consecutiveFailures - 1, 30);
    const delayMs = Math.min(this.#retryDelayMs * 2 ** exponent, this.#maxRetryDelayMs);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#pump();
    }, delayMs);
  }

  #drop(record: UsageRecord, reason: string): void {
    this.#dropped++;
    this.#droppedSinceLog++;
    const nowMs = Date.now();
    if (nowMs - this.#lastDropLogMs >= DROP_LOG_INTERVAL_MS) {
      this.#log.error(
        { reason, requestId: record.requestId, droppedSinceLastLog: this.#droppedSinceLog, droppedTotal: this.#dropped },
        'usage record dropped',
      );
      this.#lastDropLogMs = nowMs;
      this.#droppedSinceLog = 0;
    }
  }
}
