import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  headers as natsHeaders,
  type JetStreamClient,
  type JetStreamManager,
  type KV,
  type MsgHdrs,
  type NatsConnection,
  type StoredMsg,
} from 'nats';
import { z } from 'zod';
import { StratusError } from '@stratus/errors';
import { ASYNC_LIMITS, LIMITS, type Namespace } from '@stratus/contracts';
import { ensureStream, jetStreamErrorCode, JS_ERR, retryingSetup } from '@stratus/registry';

/** What an accepted asynchronous invocation is doing. */
export const ASYNC_STATES = ['queued', 'running', 'retrying', 'succeeded', 'failed', 'expired', 'cancelled'] as const;
export type AsyncState = (typeof ASYNC_STATES)[number];
const FINAL_STATES: ReadonlySet<AsyncState> = new Set(['succeeded', 'failed', 'expired', 'cancelled']);

export function isFinalState(state: AsyncState): boolean {
  return FINAL_STATES.has(state);
}

export const asyncStatusSchema = z.object({
  requestId: z.string(),
  functionName: z.string(),
  qualifier: z.string(),
  state: z.enum(ASYNC_STATES),
  attempts: z.number().int().nonnegative(),
  acceptedAtMs: z.number(),
  updatedAtMs: z.number(),
  startedAtMs: z.number().optional(),
  finishedAtMs: z.number().optional(),
  lastError: z.string().optional(),
  traceDepth: z.number().int().nonnegative(),
  /** Sequence of the event in the dead-letter stream, while it is there. */
  deadLetterSeq: z.number().int().positive().optional(),
  /** Why its destination did not get the invocation record, and where the record is kept instead. */
  destinationError: z.string().optional(),
  /** The frontend running the current attempt (its registration id, one per process), while running. */
  dispatcherId: z.string().optional(),
});
export type AsyncStatus = z.infer<typeof asyncStatusSchema>;

/** An accepted event as the async stream carries it: the payload as sent, everything else in headers. */
export interface AsyncEvent {
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier: string;
  readonly acceptedAtMs: number;
  readonly traceDepth: number;
  readonly payload: Uint8Array;
}

const HEADER = {
  requestId: 'Stratus-Request-Id',
  functionName: 'Stratus-Function',
  qualifier: 'Stratus-Qualifier',
  acceptedAt: 'Stratus-Accepted-At',
  traceDepth: 'Stratus-Trace-Depth',
  /** On a kept invocation record: the destination that did not take it, and the record's condition. */
  destination: 'Stratus-Destination',
  condition: 'Stratus-Condition',
} as const;

/** Room for the headers beside the largest event. */
const EVENT_MESSAGE_MAX_BYTES = LIMITS.asyncPayloadMaxBytes + 4096;
/** Dead letters and state are kept this long: twice Lambda's longest event age would be too short to notice and redrive. */
const DEAD_LETTER_RETENTION_MS = 14 * 24 * 3600 * 1000;

export function eventHeaders(event: AsyncEvent): MsgHdrs {
  const h = natsHeaders();
  h.set(HEADER.requestId, event.requestId);
  h.set(HEADER.functionName, event.functionName);
  h.set(HEADER.qualifier, event.qualifier);
  h.set(HEADER.acceptedAt, String(event.acceptedAtMs));
  h.set(HEADER.traceDepth, String(event.traceDepth));
  return h;
}

/** The event a stream message holds; INTERNAL naming what is missing for a message not made by `eventHeaders`. */
export function eventFromMessage(headers: MsgHdrs | undefined, data: Uint8Array): AsyncEvent {
  const get = (name: string): string => {
    const value = headers?.get(name) ?? '';
    if (value === '') throw new StratusError('INTERNAL', `async event without ${name} header`);
    return value;
  };
  const acceptedAtMs = Number(get(HEADER.acceptedAt));
  const traceDepth = Number(get(HEADER.traceDepth));
  if (!Number.isSafeInteger(acceptedAtMs) || !Number.isSafeInteger(traceDepth) || traceDepth < 0) {
    throw new StratusError('INTERNAL', 'async event with malformed headers');
  }
  return {
    requestId: get(HEADER.requestId),
    functionName: get(HEADER.functionName),
    qualifier: headers?.get(HEADER.qualifier) ?? '',
    acceptedAtMs,
    traceDepth,
    payload: data,
  };
}

export interface AsyncEventsOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  /** Replicas of the streams and the state bucket when this frontend creates them. Default 1. */
  readonly replicas?: number;
}

/**
 * Where asynchronous invocations live: the async stream (accepted events,
 * work-queue retention, file storage), the dead-letter stream, and the state
 * of each event by request id in a key-value bucket. Every write that decides
 * a state is a compare-and-set, so a cancel and a dispatcher starting the same
 * event cannot both win.
 */
export class AsyncEvents {
  readonly ns: Namespace;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly #kv: KV;

  private constructor(ns: Namespace, js: JetStreamClient, jsm: JetStreamManager, kv: KV) {
    this.ns = ns;
    this.js = js;
    this.jsm = jsm;
    this.#kv = kv;
  }

  static async open(options: AsyncEventsOptions): Promise<AsyncEvents> {
    const { nc, ns } = options;
    const replicas = options.replicas ?? 1;
    const jsm = await nc.jetstreamManager();
    await ensureStream(jsm, {
      name: ns.streams.async,
      subjects: [ns.subjects.allAsyncEvents()],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      num_replicas: replicas,
      discard: DiscardPolicy.New,
      max_msg_size: EVENT_MESSAGE_MAX_BYTES,
      // Past the longest event age, with room for the dispatcher to expire the event itself.
      max_age: (ASYNC_LIMITS.eventAgeMaxSec + 3600) * 1e9,
      duplicate_window: 120 * 1e9,
    });
    await ensureStream(jsm, {
      name: ns.streams.deadLetters,
      subjects: [ns.subjects.allDeadLetters()],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: replicas,
      max_msg_size: EVENT_MESSAGE_MAX_BYTES,
      max_age: DEAD_LETTER_RETENTION_MS * 1e6,
      // Redrive walks one function's dead letters by subject.
      allow_direct: true,
    });
    const js = nc.jetstream();
    const kv = await retryingSetup(() =>
      js.views.kv(ns.buckets.asyncStatus, { history: 1, ttl: DEAD_LETTER_RETENTION_MS, replicas, storage: StorageType.File }),
    );
    return new AsyncEvents(ns, js, jsm, kv);
  }

  /** Stores the event (the request id is its message id, so a retried publish is stored once) and then its state. */
  async enqueue(event: AsyncEvent, msgId = event.requestId): Promise<void> {
    if (event.payload.byteLength > LIMITS.asyncPayloadMaxBytes) {
      throw new StratusError(
        'PAYLOAD_TOO_LARGE',
        `Request must be smaller than ${LIMITS.asyncPayloadMaxBytes} bytes for an asynchronous (Event) invocation (got ${event.payload.byteLength})`,
      );
    }
    try {
      await this.js.publish(this.ns.subjects.asyncEvent(event.functionName), event.payload, { msgID: msgId, headers: eventHeaders(event) });
    } catch (err) {
      throw new StratusError('UNAVAILABLE', `the event was not stored: ${err instanceof Error ? err.message : String(err)}`, { cause: err, retryable: true });
    }
    const now = Date.now();
    // A dispatcher may have started it already: its state wins.
    await this.createStatus({
      requestId: event.requestId,
      functionName: event.functionName,
      qualifier: event.qualifier,
      state: 'queued',
      attempts: 0,
      acceptedAtMs: event.acceptedAtMs,
      updatedAtMs: now,
      traceDepth: event.traceDepth,
    }).catch(() => undefined);
  }

  async status(requestId: string): Promise<{ status: AsyncStatus; revision: number } | undefined> {
    const entry = await this.#kv.get(statusKey(requestId));
    if (entry === null || entry.operation !== 'PUT' || entry.value.byteLength === 0) return undefined;
    return { status: asyncStatusSchema.parse(JSON.parse(entry.string())), revision: entry.revision };
  }

  /** Writes a first state; false when one exists. */
  async createStatus(status: AsyncStatus): Promise<boolean> {
    try {
      await this.#kv.create(statusKey(status.requestId), Buffer.from(JSON.stringify(status)));
      return true;
    } catch (err) {
      if (isWrongRevision(err)) return false;
      throw err;
    }
  }

  /** Compare-and-set: false when the state changed since `revision` was read. */
  async updateStatus(status: AsyncStatus, revision: number): Promise<boolean> {
    try {
      await this.#kv.update(statusKey(status.requestId), Buffer.from(JSON.stringify(status)), revision);
      return true;
    } catch (err) {
      if (isWrongRevision(err)) return false;
      throw err;
    }
  }

  /** Stores an event that failed or expired in the dead-letter stream; returns its sequence there. */
  async deadLetter(event: AsyncEvent): Promise<number> {
    const ack = await this.js.publish(this.ns.subjects.deadLetter(event.functionName), event.payload, {
      msgID: `${event.requestId}:dead:${event.acceptedAtMs}`,
      headers: eventHeaders(event),
    });
    return ack.seq;
  }

  /**
   * Keeps an invocation record its destination did not take in the dead-letter stream, beside the
   * function's dead letters but on a subject of its own (redrive never mistakes it for an event), under the
   * event's request id and the destination it was for; returns its sequence there.
   */
  async keepUndeliveredRecord(event: AsyncEvent, destination: string, condition: string, record: Uint8Array): Promise<number> {
    const h = eventHeaders(event);
    h.set(HEADER.destination, destination);
    h.set(HEADER.condition, condition);
    const ack = await this.js.publish(this.ns.subjects.undeliveredRecord(event.functionName), record, { msgID: `${event.requestId}:record:${condition}`, headers: h });
    return ack.seq;
  }

  /** The dead-lettered event at `seq`, or undefined when it is gone (redriven or aged out). */
  async deadLettered(seq: number): Promise<AsyncEvent | undefined> {
    try {
      const stored = await this.jsm.streams.getMessage(this.ns.streams.deadLetters, { seq });
      return eventFromMessage(stored.header, stored.data);
    } catch (err) {
      if (jetStreamErrorCode(err) === JS_ERR.noMessageFound) return undefined;
      throw err;
    }
  }

  /** Sequences of every dead-lettered event of one function, oldest first. */
  async deadLetteredSeqs(functionName: string): Promise<number[]> {
    const seqs: number[] = [];
    let next = 1;
    const subject = this.ns.subjects.deadLetter(functionName);
    for (;;) {
      let found;
      try {
        found = await directApi(this.jsm).getMessage(this.ns.streams.deadLetters, { next_by_subj: subject, seq: next });
      } catch (err) {
        // Direct gets answer "none left" with a 404 status rather than a JetStream error code.
        if (jetStreamErrorCode(err) === JS_ERR.noMessageFound || (err as { code?: unknown }).code === '404') return seqs;
        throw err;
      }
      seqs.push(found.seq);
      next = found.seq + 1;
    }
  }

  async removeDeadLetter(seq: number): Promise<void> {
    await this.jsm.streams.deleteMessage(this.ns.streams.deadLetters, seq, false).catch((err: unknown) => {
      if (jetStreamErrorCode(err) !== JS_ERR.noMessageFound) throw err;
    });
  }
}

/** nats.js 2.29 implements the direct-get API on the manager without declaring it on JetStreamManager. */
function directApi(jsm: JetStreamManager): { getMessage(stream: string, query: { next_by_subj: string; seq: number }): Promise<StoredMsg> } {
  const direct = (jsm as unknown as { direct?: { getMessage(stream: string, query: { next_by_subj: string; seq: number }): Promise<StoredMsg> } }).direct;
  if (direct === undefined) throw new StratusError('INTERNAL', 'this nats.js has no direct-get API');
  return direct;
}

function statusKey(requestId: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(requestId)) throw new StratusError('INVALID_ARGUMENT', `requestId: ${JSON.stringify(requestId)} is not a request id`);
  return requestId;
}

/** nats.js reports a failed compare-and-set as JetStream's "wrong last sequence" (10071). */
function isWrongRevision(err: unknown): boolean {
  return jetStreamErrorCode(err) === 10071 || (err instanceof Error && /wrong last sequence/i.test(err.message));
}
