import { randomBytes } from 'node:crypto';
import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Namespace } from '@stratus/contracts';
import { Outbox, type OutboxStats, type OutboxTimers } from '@stratus/registry';
import { encodeLogBatch, type LogEntry } from './log-entry.js';
import { cutEventSpans, type EventSpans } from './log-events.js';

/** Options of {@link createLogPublisher}. */
export interface LogPublisherOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  /** The node publishing: every entry it stores is reported as this node's. */
  readonly nodeId: string;
  /** Bytes of log text held while waiting for JetStream; past it, new logs are dropped and counted. Default 16_777_216 (16 MiB). */
  readonly maxPendingBytes?: number;
  /**
   * One invocation's log is cut to this many bytes (its head and its tail,
   * where END and REPORT are, are kept), and never more than the server's
   * max_payload allows. Default 524_288 (512 KiB).
   */
  readonly maxMessageBytes?: number;
  /** Logs per batch (one message per function per batch) at most. Default 256. */
  readonly maxBatchRecords?: number;
  /** Bytes of log text per batch at most (a single longer log goes alone). Default 262_144 (256 KiB), less under a small max_payload. */
  readonly maxBatchBytes?: number;
  /** How long a log waits for others before its batch is sent. Default 50 ms, as usage's: each batch is a JetStream publish and ack whatever it holds, and the two outboxes' timers then fire in the same turn. */
  readonly flushIntervalMs?: number;
  /** Publish attempts per batch before its logs are dropped. Default 3. */
  readonly maxAttempts?: number;
  /** Pause after a failed publish before the next attempt; doubles on each consecutive failure. Default 250. */
  readonly retryDelayMs?: number;
  /** How long `close()` waits for pending logs before abandoning them. Default 2_000. */
  readonly closeGraceMs?: number;
  /** Default: the system clock. */
  readonly timers?: OutboxTimers;
}

/**
 * Sends invocations' logs to the logs stream in the background, in batches
 * (one message per function per batch). Logs are worth less than the
 * invocation that made them: when JetStream is slow or down, a batch is
 * retried a few times, then dropped and counted, and the invocation path
 * never waits or fails because of them.
 */
export interface LogPublisher {
  /** Queues the entry and returns at once; never throws. */
  publish(entry: LogEntry): void;
  /** Sends what is queued now; resolves when every entry accepted before the call has been stored or dropped. */
  flush(): Promise<void>;
  /** Stops accepting entries and sends the pending ones, for up to the close grace period. Idempotent. */
  drain(): Promise<void>;
  /** Drains, then abandons what is left (counted as dropped). Idempotent. */
  close(): Promise<void>;
  /** Entries accepted and not yet stored or dropped. */
  readonly pending: number;
  /** Entries dropped: too much pending, too many failed attempts, or published after close. */
  readonly dropped: number;
  stats(): OutboxStats;
}

export function createLogPublisher(options: LogPublisherOptions): LogPublisher {
  return new JetStreamLogPublisher(options);
}

/** Room left under max_payload for headers (the batch index) and protocol overhead. */
const HEADER_ALLOWANCE_BYTES = 32 * 1024;

/** An entry with its text's UTF-8 length, counted once. */
interface Sized {
  readonly entry: LogEntry;
  readonly bodyBytes: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class JetStreamLogPublisher implements LogPublisher {
  readonly #nc: NatsConnection;
  readonly #ns: Namespace;
  readonly #log: Logger;
  readonly #maxMessageBytes: number;
  readonly #outbox: Outbox<Sized>;

  constructor(options: LogPublisherOptions) {
    const { nc, ns, nodeId } = options;
    this.#nc = nc;
    this.#ns = ns;
    this.#log = options.log;
    this.#maxMessageBytes = options.maxMessageBytes ?? 512 * 1024;
    const js = nc.jetstream();
    const streamName = ns.streams.logs;
    this.#outbox = new Outbox<Sized>({
      name: 'logs',
      publisherId: `${nodeId}.${randomBytes(6).toString('hex')}`,
      log: options.log,
      ...(options.timers === undefined ? {} : { timers: options.timers }),
      maxBatchRecords: options.maxBatchRecords ?? 256,
      maxBatchBytes: Math.min(options.maxBatchBytes ?? 256 * 1024, this.#messageLimitBytes()),
      flushIntervalMs: options.flushIntervalMs ?? 50,
      sizeOf: (sized) => sized.bodyBytes,
      // The stream has a subject per function, which readers filter on.
      partitionOf: (sized) => sized.entry.functionName,
      maxPendingBytes: options.maxPendingBytes ?? 16 * 1024 * 1024,
      whenFull: 'drop',
      maxAttempts: Math.max(1, options.maxAttempts ?? 3),
      retryDelayMs: options.retryDelayMs ?? 250,
      closeGraceMs: options.closeGraceMs ?? 2_000,
      send: async (batch) => {
        const { headers, body } = encodeLogBatch(batch.partition, nodeId, batch.records);
        await js.publish(ns.subjects.functionLogs(batch.partition), body, { msgID: batch.id, headers, expect: { streamName } });
      },
    });
  }

  get pending(): number {
    return this.#outbox.pending;
  }

  get dropped(): number {
    return this.#outbox.dropped;
  }

  stats(): OutboxStats {
    return this.#outbox.stats();
  }

  publish(entry: LogEntry): void {
    try {
      // Validated here, not when the batch is sent, so one bad name cannot sink a batch of good ones.
      this.#ns.subjects.functionLogs(entry.functionName);
      let bodyBytes = Buffer.byteLength(entry.message);
      const limit = this.#messageLimitBytes();
      if (bodyBytes > limit) {
        const cut = capped(encoder.encode(entry.message), limit, entry.eventSpans);
        const { requestId, functionName, version, nodeId, timestampMs } = entry;
        const message = decoder.decode(cut.body);
        entry = { requestId, functionName, version, nodeId, timestampMs, message, ...(cut.eventSpans.length > 0 ? { eventSpans: cut.eventSpans } : {}) };
        bodyBytes = Buffer.byteLength(entry.message);
      }
      this.#outbox.push({ entry, bodyBytes });
    } catch (err) {
      // Nothing about a log may fail an invocation.
      this.#log.error({ err, requestId: entry.requestId }, 'could not queue an invocation log');
    }
  }

  flush(): Promise<void> {
    return this.#outbox.flush();
  }

  drain(): Promise<void> {
    return this.#outbox.drain();
  }

  close(): Promise<void> {
    return this.#outbox.close();
  }

  #messageLimitBytes(): number {
    const maxPayload = this.#nc.info?.max_payload;
    return maxPayload === undefined ? this.#maxMessageBytes : Math.min(this.#maxMessageBytes, maxPayload - HEADER_ALLOWANCE_BYTES);
  }
}

/**
 * Keeps the head and the tail of an over-long log, cut at line boundaries,
 * with a line saying how much is missing: the tail holds END and REPORT.
 * The event spans follow the cut (the marker line is an event of its own).
 */
export function capped(body: Uint8Array, limitBytes: number, eventSpans: EventSpans = []): { readonly body: Uint8Array; readonly eventSpans: EventSpans } {
  if (body.length <= limitBytes) return { body, eventSpans };
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
  if (eventSpans.length === 0) return { body: out, eventSpans };
  return { body: out, eventSpans: cutEventSpans(eventSpans, countNewlines(body, 0, headEnd), countNewlines(body, headEnd, tailStart), 1) };
}

function countNewlines(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a, from); i !== -1 && i < to; i = bytes.indexOf(0x0a, i + 1)) n += 1;
  return n;
}
