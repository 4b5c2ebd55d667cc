import type * as grpc from '@grpc/grpc-js';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, NatsConnection, StoredMsg } from 'nats';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import { parseFunctionName, type Namespace } from '@stratus/contracts';
import type {
  GetLogsRequestMessage,
  GetLogsResponseMessage,
  LogEventMessage,
  TailLogsRequestMessage,
} from '@stratus/contracts/grpc';
import { readLogEntries, readLogEntriesMetadata, splitLogEvents, type LogEntry, type LogEntryMetadata } from '@stratus/logs';
import { JS_ERR, jetStreamErrorCode } from '@stratus/registry';
import { toGrpcError } from './grpc-errors.js';

export interface LogsServiceOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  /** A history scan that receives nothing for this long gives up with UNAVAILABLE. Default 10000 ms. */
  readonly scanIdleTimeoutMs?: number;
}

const DEFAULT_GET_LIMIT = 100;
const DEFAULT_TAIL_LIMIT = 10;
const MAX_LIMIT = 10_000;
/** Log bodies fetched at once after the headers-only scan has chosen them. */
const FETCH_CONCURRENCY = 16;
/** JetStream API error codes. */

interface Query {
  readonly functionName: string;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  readonly limit: number;
  readonly requestId: string;
}

/** One invocation's log: the stream message holding it, and its place among that message's entries. */
interface Chosen {
  readonly seq: number;
  readonly index: number;
  readonly metadata: LogEntryMetadata;
}

/**
 * Serves the Logs gRPC service from the logs stream: GetLogs scans one
 * function's subject with an ordered consumer (headers only, then fetches the
 * bodies of the invocations it keeps), TailLogs sends the newest few and then
 * follows the subject until the client cancels or {@link close} is called.
 * Every consumer it makes is deleted when its call ends.
 */
export class LogsService {
  readonly #ns: Namespace;
  readonly #log: Logger;
  readonly #js: JetStreamClient;
  readonly #jsm: Promise<JetStreamManager>;
  readonly #scanIdleTimeoutMs: number;
  readonly #tails = new Set<AbortController>();
  #closed = false;

  constructor(options: LogsServiceOptions) {
    this.#ns = options.ns;
    this.#log = options.log.child({ component: 'logs' });
    this.#js = options.nc.jetstream();
    this.#jsm = options.nc.jetstreamManager();
    // A rejected manager is reported by the call that awaits it.
    this.#jsm.catch(() => undefined);
    this.#scanIdleTimeoutMs = options.scanIdleTimeoutMs ?? 10_000;
  }

  async getLogs(request: GetLogsRequestMessage): Promise<GetLogsResponseMessage> {
    const query: Query = {
      functionName: parseFunctionName(request.functionName),
      startTimeMs: request.startTimeMs,
      endTimeMs: request.endTimeMs,
      limit: limitOf(request.limit === 0 ? undefined : request.limit, DEFAULT_GET_LIMIT),
      requestId: request.requestId,
    };
    if (query.endTimeMs > 0 && query.endTimeMs <= query.startTimeMs) {
      throw new StratusError('INVALID_ARGUMENT', 'end_time_ms must be after start_time_ms');
    }
    const last = await this.#lastOf(query.functionName);
    if (last === undefined) return { events: [] };
    const eventsOnly = request.eventsOnly;
    return { events: (await this.#newest(query, last)).map((entry) => toEvent(entry, eventsOnly)) };
  }

  /** The TailLogs handler: history, then new invocations' logs as they are stored. */
  readonly tailLogs: grpc.handleServerStreamingCall<TailLogsRequestMessage, LogEventMessage> = (call) => {
    const abort = new AbortController();
    call.on('cancelled', () => abort.abort());
    this.#tails.add(abort);
    void this.#tail(call, abort.signal).then(
      () => call.end(),
      // Once the client has gone or the frontend is draining, the call just ends.
      (err: unknown) => (abort.signal.aborted ? call.end() : call.emit('error', toGrpcError(err, this.#log))),
    ).finally(() => this.#tails.delete(abort));
  };

  /** Refuses new tails and ends every one in progress. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const abort of this.#tails) abort.abort();
  }

  async #tail(call: grpc.ServerWritableStream<TailLogsRequestMessage, LogEventMessage>, signal: AbortSignal): Promise<void> {
    if (this.#closed) throw new StratusError('SHUTTING_DOWN', 'this frontend is shutting down; retry on another');
    const functionName = parseFunctionName(call.request.functionName);
    const limit = limitOf(call.request.limit, DEFAULT_TAIL_LIMIT);
    const eventsOnly = call.request.eventsOnly;
    const stream = this.#ns.streams.logs;
    const jsm = await this.#jsm;
    let streamLastSeq: number;
    try {
      streamLastSeq = (await jsm.streams.info(stream)).state.last_seq;
    } catch (err) {
      if (jetStreamErrorCode(err) === JS_ERR.streamNotFound) {
        throw new StratusError('UNAVAILABLE', 'there is no logs stream yet: no worker node has started', { cause: err });
      }
      throw err;
    }
    // Taken after the stream's last sequence, so nothing stored in between is missed or sent twice.
    const last = await this.#lastOf(functionName);
    if (last !== undefined && limit > 0) {
      const history = await this.#newest({ functionName, startTimeMs: 0, endTimeMs: 0, limit, requestId: '' }, last);
      for (const entry of history) {
        if (signal.aborted) return;
        await write(call, toEvent(entry, eventsOnly), signal);
      }
    }
    if (signal.aborted) return;
    const consumer = await this.#js.consumers.get(stream, {
      filterSubjects: this.#ns.subjects.functionLogs(functionName),
      opt_start_seq: (last?.seq ?? streamLastSeq) + 1,
    });
    let messages: ConsumerMessages | undefined;
    const stop = (): void => void messages?.stop();
    try {
      messages = await consumer.consume();
      signal.addEventListener('abort', stop, { once: true });
      if (signal.aborted) return;
      for await (const m of messages) {
        for (const entry of readLogEntries(m.headers, m.data)) {
          if (signal.aborted) break;
          await write(call, toEvent(entry, eventsOnly), signal);
        }
        if (signal.aborted) break;
      }
    } finally {
      signal.removeEventListener('abort', stop);
      messages?.stop();
      await consumer.delete().catch((err: unknown) => this.#log.debug({ err }, 'could not delete a tail consumer; it expires on its own'));
    }
  }

  /** The function's newest stored log, or undefined when it has none (or there is no stream yet). */
  async #lastOf(functionName: string): Promise<StoredMsg | undefined> {
    const jsm = await this.#jsm;
    try {
      return await jsm.streams.getMessage(this.#ns.streams.logs, { last_by_subj: this.#ns.subjects.functionLogs(functionName) });
    } catch (err) {
      const code = jetStreamErrorCode(err);
      if (code === JS_ERR.noMessageFound || code === JS_ERR.streamNotFound) return undefined;
      throw err;
    }
  }

  /**
   * The newest `limit` entries matching the query and stored at or before
   * `last`, oldest first. A headers-only pass picks them; only the bodies
   * of the messages holding them are then read.
   */
  async #newest(query: Query, last: StoredMsg): Promise<LogEntry[]> {
    // The consumer starts at a stored time: with nothing stored since, it would wait for ever.
    if (query.startTimeMs > 0 && last.time.getTime() < query.startTimeMs) return [];
    const chosen = await this.#scan(query, last.seq);
    const jsm = await this.#jsm;
    const seqs = [...new Set(chosen.map((c) => c.seq))];
    const bySeq = new Map<number, LogEntry[]>();
    for (let i = 0; i < seqs.length; i += FETCH_CONCURRENCY) {
      await Promise.all(
        seqs.slice(i, i + FETCH_CONCURRENCY).map(async (seq) => {
          try {
            const stored = seq === last.seq ? last : await jsm.streams.getMessage(this.#ns.streams.logs, { seq });
            bySeq.set(seq, readLogEntries(stored.header, stored.data));
          } catch (err) {
            // Aged out between the scan and now.
            if (jetStreamErrorCode(err) !== JS_ERR.noMessageFound) throw err;
          }
        }),
      );
    }
    const entries: LogEntry[] = [];
    for (const { seq, index } of chosen) {
      const entry = bySeq.get(seq)?.[index];
      if (entry !== undefined) entries.push(entry);
    }
    return entries;
  }

  async #scan(query: Query, lastSeq: number): Promise<Chosen[]> {
    const consumer = await this.#js.consumers.get(this.#ns.streams.logs, {
      filterSubjects: this.#ns.subjects.functionLogs(query.functionName),
      headers_only: true,
      ...(query.startTimeMs > 0 ? { opt_start_time: new Date(query.startTimeMs).toISOString() } : {}),
    });
    // Newest `limit` kept in a ring; the scan is in stream order.
    const ring: Chosen[] = [];
    let messages: ConsumerMessages | undefined;
    let idle: NodeJS.Timeout | undefined;
    let timedOut = false;
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        timedOut = true;
        void messages?.stop();
      }, this.#scanIdleTimeoutMs);
    };
    try {
      messages = await consumer.consume({ max_messages: 512 });
      armIdle();
      for await (const m of messages) {
        armIdle();
        if (m.seq > lastSeq) break;
        readLogEntriesMetadata(m.headers).forEach((metadata, index) => {
          if (!matches(metadata, query)) return;
          ring.push({ seq: m.seq, index, metadata });
          if (ring.length > query.limit) ring.shift();
        });
        if (m.seq === lastSeq || m.info.pending === 0) break;
      }
    } finally {
      clearTimeout(idle);
      messages?.stop();
      await consumer.delete().catch((err: unknown) => this.#log.debug({ err }, 'could not delete a scan consumer; it expires on its own'));
    }
    if (timedOut) throw new StratusError('UNAVAILABLE', `reading the logs stream stalled for ${this.#scanIdleTimeoutMs} ms`);
    return ring;
  }
}

function matches(metadata: LogEntryMetadata, query: Query): boolean {
  if (query.requestId !== '' && metadata.requestId !== query.requestId) return false;
  if (query.startTimeMs > 0 && metadata.timestampMs < query.startTimeMs) return false;
  if (query.endTimeMs > 0 && metadata.timestampMs >= query.endTimeMs) return false;
  return true;
}

function limitOf(requested: number | undefined, fallback: number): number {
  if (requested === undefined) return fallback;
  if (!Number.isInteger(requested) || requested < 0 || requested > MAX_LIMIT) {
    throw new StratusError('INVALID_ARGUMENT', `limit must be between 0 and ${MAX_LIMIT}, got ${requested}`);
  }
  return requested;
}

/**
 * An invocation's log as its whole text, or with `eventsOnly` as its events instead (the entry's spans joining the
 * lines of multi-line ones): never both, as the events hold the same text and both would double what a reply carries.
 */
export function toEvent(entry: LogEntry, eventsOnly = false): LogEventMessage {
  const { requestId, functionName, version, nodeId, timestampMs, message } = entry;
  if (!eventsOnly) return { requestId, functionName, version, nodeId, timestampMs, message, events: [] };
  return { requestId, functionName, version, nodeId, timestampMs, message: '', events: splitLogEvents(message, entry.eventSpans, timestampMs) };
}

/** Writes one event, waiting while the client is slow to read (unless the call ends first). */
async function write(call: grpc.ServerWritableStream<unknown, LogEventMessage>, event: LogEventMessage, signal: AbortSignal): Promise<void> {
  if (call.write(event)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    call.on('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
