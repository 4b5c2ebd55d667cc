import type { JetStreamClient, NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Namespace } from '@stratus/contracts';
import { logEntryHeaders, type LogEntry } from './log-entry.js';

/** Options of {@link createLogPublisher}. */
export interface LogPublisherOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Bytes of log text held while waiting for JetStream; past it, new logs are dropped and counted. Default 16_777_216 (16 MiB). */
  readonly maxPendingBytes?: number;
  /**
   * One invocation's log is cut to this many bytes (its head and its tail,
   * where END and REPORT are, are kept), and never more than the server's
   * max_payload allows. Default 524_288 (512 KiB).
   */
  readonly maxMessageBytes?: number;
  /** Publish attempts per log before it is dropped. Default 3. */
  readonly maxAttempts?: number;
  /** Pause after a failed publish before the next attempt; doubles on each consecutive failure. Default 250. */
  readonly retryDelayMs?: number;
  /** How long `close()` waits for pending logs before abandoning them. Default 2_000. */
  readonly closeGraceMs?: number;
}

/**
 * Sends each invocation's log to the logs stream in the background. Logs are
 * worth less than the invocation that made them: when JetStream is slow or
 * down, they are retried a few times, then dropped and counted, and the
 * invocation path never waits or fails because of them.
 */
export interface LogPublisher {
  /** Queues the entry and returns at once; never throws. The request id is the JetStream message id. */
  publish(entry: LogEntry): void;
  /** Resolves when every entry accepted before the call has been stored or dropped. */
  flush(): Promise<void>;
  /** Stops accepting entries, waits up to the close grace period for the pending ones, then stops. Idempotent. */
  close(): Promise<void>;
  /** Entries accepted and not yet stored or dropped. */
  readonly pending: number;
  /** Entries dropped: too much pending, too many failed attempts, or published after close. */
  readonly dropped: number;
}

export function createLogPublisher(options: LogPublisherOptions): LogPublisher {
  return new JetStreamLogPublisher(options);
}

/** Publishes awaiting their ack at once. */
const PUBLISH_WINDOW = 32;
const MAX_RETRY_DELAY_MS = 5_000;
const DROP_LOG_INTERVAL_MS = 1_000;
/** Room left under max_payload for headers and protocol overhead. */
const HEADER_ALLOWANCE_BYTES = 4_096;

interface Pending {
  readonly entry: LogEntry;
  readonly subject: string;
  readonly body: Uint8Array;
  attempts: number;
}

const encoder = new TextEncoder();

class JetStreamLogPublisher implements LogPublisher {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #ns: Namespace;
  readonly #log: Logger;
  readonly #maxPendingBytes: number;
  readonly #maxMessageBytes: number;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;
  readonly #closeGraceMs: number;

  readonly #queue: Pending[] = [];
  #count = 0;
  #bytes = 0;
  #inFlight = 0;
  #failures = 0;
  #pausedUntil: NodeJS.Timeout | undefined;
  #dropped = 0;
  #droppedSinceLog = 0;
  #lastDropLogMs = Number.NEGATIVE_INFINITY;
  #idleWaiters: Array<() => void> = [];
  #state: 'open' | 'closing' | 'closed' = 'open';
  #closing: Promise<void> | undefined;

  constructor(options: LogPublisherOptions) {
    this.#nc = options.nc;
    this.#js = options.nc.jetstream();
    this.#ns = options.ns;
    this.#log = options.log;
    this.#maxPendingBytes = options.maxPendingBytes ?? 16 * 1024 * 1024;
    this.#maxMessageBytes = options.maxMessageBytes ?? 512 * 1024;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.#retryDelayMs = options.retryDelayMs ?? 250;
    this.#closeGraceMs = options.closeGraceMs ?? 2_000;
  }

  get pending(): number {
    return this.#count;
  }

  get dropped(): number {
    return this.#dropped;
  }

  publish(entry: LogEntry): void {
    try {
      if (this.#state !== 'open') {
        this.#drop(entry, 'publisher closed');
        return;
      }
      const body = capped(encoder.encode(entry.message), this.#messageLimitBytes());
      if (this.#bytes + body.length > this.#maxPendingBytes) {
        this.#drop(entry, 'too many bytes pending');
        return;
      }
      const subject = this.#ns.subjects.functionLogs(entry.functionName);
      this.#count++;
      this.#bytes += body.length;
      this.#queue.push({ entry, subject, body, attempts: 0 });
      this.#pump();
    } catch (err) {
      // Nothing about a log may fail an invocation.
      this.#log.error({ err, requestId: entry.requestId }, 'could not queue an invocation log');
      this.#dropped++;
    }
  }

  flush(): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#state = 'closing';
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (timer = setTimeout(resolve, this.#closeGraceMs)))]);
    clearTimeout(timer);
    this.#state = 'closed';
    clearTimeout(this.#pausedUntil);
    this.#pausedUntil = undefined;
    if (this.#count > 0) {
      this.#log.warn({ abandoned: this.#count }, 'log publisher closed with invocation logs not stored; they are lost');
      this.#dropped += this.#count;
    }
    this.#queue.length = 0;
    this.#count = 0;
    this.#bytes = 0;
    this.#settleIdle();
  }

  #messageLimitBytes(): number {
    const maxPayload = this.#nc.info?.max_payload;
    return maxPayload === undefined ? this.#maxMessageBytes : Math.min(this.#maxMessageBytes, maxPayload - HEADER_ALLOWANCE_BYTES);
  }

  #pump(): void {
    while (this.#state !== 'closed' && this.#pausedUntil === undefined && this.#inFlight < PUBLISH_WINDOW) {
      const item = this.#queue.shift();
      if (item === undefined) return;
      this.#inFlight++;
      void this.#send(item);
    }
  }

  async #send(item: Pending): Promise<void> {
    item.attempts++;
    try {
      await this.#js.publish(item.subject, item.body, {
        msgID: item.entry.requestId,
        headers: logEntryHeaders(item.entry),
        expect: { streamName: this.#ns.streams.logs },
      });
      this.#failures = 0;
      this.#done(item);
    } catch (err) {
      if (this.#state === 'closed') return;
      this.#failures++;
      if (this.#failures === 1) this.#log.warn({ err }, 'publishing an invocation log failed; retrying');
      if (item.attempts >= this.#maxAttempts) {
        this.#done(item);
        this.#drop(item.entry, `not stored after ${item.attempts} attempts`);
      } else {
        this.#queue.unshift(item);
        this.#pause();
      }
    } finally {
      this.#inFlight--;
      this.#pump();
    }
  }

  #done(item: Pending): void {
    this.#count--;
    this.#bytes -= item.body.length;
    if (this.#count === 0) this.#settleIdle();
  }

  /** When one publish fails the rest would too: the whole queue waits. */
  #pause(): void {
    if (this.#pausedUntil !== undefined) return;
    const delayMs = Math.min(this.#retryDelayMs * 2 ** Math.min(this.#failures - 1, 20), MAX_RETRY_DELAY_MS);
    this.#pausedUntil = setTimeout(() => {
      this.#pausedUntil = undefined;
      this.#pump();
    }, delayMs);
  }

  #settleIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #drop(entry: LogEntry, reason: string): void {
    this.#dropped++;
    this.#droppedSinceLog++;
    const nowMs = Date.now();
    if (nowMs - this.#lastDropLogMs >= DROP_LOG_INTERVAL_MS) {
      this.#log.error(
        { reason, requestId: entry.requestId, droppedSinceLastLog: this.#droppedSinceLog, droppedTotal: this.#dropped },
        'invocation log dropped',
      );
      this.#lastDropLogMs = nowMs;
      this.#droppedSinceLog = 0;
    }
  }
}

/**
 * Keeps the head and the tail of an over-long log, cut at line boundaries,
 * with a line saying how much is missing: the tail holds END and REPORT.
 */
export function capped(body: Uint8Array, limitBytes: number): Uint8Array {
  if (body.length <= limitBytes) return body;
  const NEWLINE = 0x0a;
  const half = Math.floor((limitBytes - 100) / 2);
  let headEnd = body.lastIndexOf(NEWLINE, half - 1) + 1;
  if (headEnd === 0) headEnd = Math.max(0, half);
  let tailStart = body.indexOf(NEWLINE, body.length - half) + 1;
  if (tailStart === 0 || tailStart >= body.length) tailStart = body.length - half;
  const marker = encoder.encode(`[stratus] ${tailStart - headEnd} bytes of this invocation's log omitted\n`);
  const out = new Uint8Array(headEnd + marker.length + (body.length - tailStart));
  out.set(body.subarray(0, headEnd), 0);
  out.set(marker, headEnd);
  out.set(body.subarray(tailStart), headEnd + marker.length);
  return out;
}
