import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumerEvents } from 'nats';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, NatsConnection, StreamInfo, Subscription } from 'nats';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DEFAULT_PRICES } from '@stratus/contracts';
import type { Namespace, PriceTable, UsageQuery, UsageRecord, UsageReport } from '@stratus/contracts';
import { StratusError } from '@stratus/errors';
import { AggregateStore } from './aggregate-store.js';
import { applyBatch, type RecordAdmission } from './batch-applier.js';
import type { SequencedMessage } from './batch-applier.js';
import { createConsumerIfMissing, positionConsumer } from './billing-consumer.js';
import type { BillingConsumerSpec } from './billing-consumer.js';
import { JS_ERR, jetStreamErrorCode } from './nats-errors.js';
import { serveUsageQueries } from './query-responder.js';
import { BILLING_STATE_FILE, readStateFile, writeStateFile } from './state-file.js';
import { parseUsageQuery } from './usage-query.js';

/** Options of {@link createBillingAggregator}. */
export interface BillingAggregatorOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  /** Directory of the aggregate store (created if missing). One aggregator per directory. */
  readonly dataDir: string;
  /** Default {@link DEFAULT_PRICES}: $0.20 per million requests, $0.0000166667 per GB-second. */
  readonly prices?: PriceTable;
  /** Most records applied, persisted and acked as one batch. Default 256. */
  readonly batchSize?: number;
  /**
   * The shortest time between the starts of two applied batches smaller than
   * batchSize. Every batch costs one write of the whole store with fsync, so
   * a steady stream of deliveries gathers into one write per window; but a
   * delivery that arrives after a quiet spell (nodes send a batch every 50 ms
   * or so) is applied at once rather than waiting a whole window, so usage
   * shows up later only when writes would come closer than this. Default
   * 50 ms (each write costs the aggregator about 2 ms of CPU, measured, so at
   * most twenty a second whatever the number of nodes, while usage lags the
   * nodes' own 50 ms by at most as much again); 0 applies at once.
   */
  readonly lingerMs?: number;
  /** Size of the time buckets, the resolution of time-range queries. Default 3_600_000 (1 hour). Fixed for the life of a store. */
  readonly periodMs?: number;
  /**
   * Durable consumer name. Default `ns.consumers.billing`. Aggregators that
   * answer queries side by side each need their own name and data directory:
   * sharing one consumer would split the records between them.
   */
  readonly consumerName?: string;
  /**
   * Whether a function exists (billing's main asks etcd). Records for a
   * function it says does not exist are refused: counted, logged, not billed.
   * Throwing leaves the record to be redelivered. Default: every function exists.
   */
  readonly functionExists?: (functionName: string) => Promise<boolean>;
}

/** The exactly-once usage aggregate, answering usage queries. */
export interface BillingAggregator {
  /** Usage of the periods whose start lies in the query's range; throws INVALID_ARGUMENT on a bad query. */
  query(query: UsageQuery): UsageReport;
  /** Stops consuming, applies, persists and acks the records in hand. Queries are still answered. Idempotent. */
  drain(): Promise<void>;
  /** Drains (giving up on a store that cannot be written: unacked records are redelivered later), then stops answering queries. Idempotent. */
  close(): Promise<void>;
  /** The last usage-stream sequence applied to the aggregate. */
  readonly appliedThroughSequence: number;
  /** Well-formed records refused since start (a forged node id, a function that does not exist). */
  readonly refusedRecords: number;
}

const optionsSchema = z.object({
  dataDir: z.string().min(1),
  prices: z
    .object({ perMillionRequestsUsd: z.number().nonnegative(), perGbSecondUsd: z.number().nonnegative() })
    .default(DEFAULT_PRICES),
  batchSize: z.number().int().positive().max(10_000).default(256),
  lingerMs: z.number().int().nonnegative().max(10_000).default(50),
  periodMs: z.number().int().positive().default(3_600_000),
  consumerName: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
});

/** How long a delivery may stay unacked before JetStream redelivers it; a batch's fsync is far shorter. */
const ACK_WAIT_MS = 30_000;
const RESTART_DELAY_MS = 1_000;
const NAK_DELAY_MS = 1_000;
const MAX_PERSIST_RETRY_MS = 5_000;
const ACK_FLUSH_TIMEOUT_MS = 2_000;

/**
 * Starts the aggregator and resolves once it is consuming and answering
 * queries. Each record is applied exactly once: the aggregate and the last
 * applied stream sequence are written together, atomically, before the
 * batch is acked, and a record at or below that sequence is never applied
 * again. If the store is missing (or older than what the consumer acked),
 * the consumer is recreated to deliver from the store's next sequence, so
 * the aggregate is rebuilt from the stream.
 */
export async function createBillingAggregator(options: BillingAggregatorOptions): Promise<BillingAggregator> {
  const parsed = optionsSchema.safeParse({
    dataDir: options.dataDir,
    prices: options.prices,
    batchSize: options.batchSize,
    lingerMs: options.lingerMs,
    periodMs: options.periodMs,
    consumerName: options.consumerName,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? 'options';
    throw new StratusError('INVALID_ARGUMENT', `billing aggregator option ${path}: ${issue?.message ?? 'invalid'}`, {
      details: { field: path },
    });
  }
  const resolved = parsed.data;
  const { nc, ns } = options;
  const log = options.log;
  const statePath = join(resolved.dataDir, BILLING_STATE_FILE);

  await mkdir(resolved.dataDir, { recursive: true });
  const store = await loadStore(statePath, resolved.periodMs, log);
  const jsm = await nc.jetstreamManager();
  const stream = await usageStreamInfo(jsm, ns.streams.usage);
  const binding = store.bindStream(stream.created);
  if (binding === 'replaced') {
    log.warn({ stream: ns.streams.usage }, 'usage stream was created again; applying it from its start, keeping earlier totals');
  }
  const spec: BillingConsumerSpec = {
    stream: ns.streams.usage,
    name: resolved.consumerName ?? ns.consumers.billing,
    filterSubject: ns.subjects.allUsageRecords(),
    ackWaitMs: ACK_WAIT_MS,
    maxAckPending: Math.max(1_000, resolved.batchSize * 4),
  };
  const position = await positionConsumer(jsm, spec, store.lastAppliedSeq);
  if (position.action === 'recreated') {
    log.warn({ consumer: spec.name, ...position }, 'usage consumer recreated at the store; applying the stream from there');
  } else {
    log.info({ consumer: spec.name, lastAppliedSeq: store.lastAppliedSeq, ...position }, 'usage consumer ready');
  }

  const aggregator = new JetStreamBillingAggregator({
    nc,
    ns,
    log,
    jsm,
    js: nc.jetstream(),
    store,
    statePath,
    spec,
    prices: resolved.prices,
    batchSize: resolved.batchSize,
    lingerMs: resolved.lingerMs,
    dirty: binding !== 'same',
    functionExists: options.functionExists,
  });
  aggregator.start();
  return aggregator;
}

async function loadStore(statePath: string, periodMs: number, log: Logger): Promise<AggregateStore> {
  const read = await readStateFile(statePath);
  switch (read.kind) {
    case 'missing':
      log.info({ statePath }, 'no billing state yet; building it from the usage stream');
      return new AggregateStore(periodMs);
    case 'unreadable': {
      // Kept aside rather than deleted: it is evidence, and the stream can rebuild the totals.
      const aside = `${statePath}.unreadable-${Date.now()}`;
      await rename(statePath, aside);
      log.error({ statePath, movedTo: aside, reason: read.reason }, 'billing state unreadable; rebuilding it from the usage stream');
      return new AggregateStore(periodMs);
    }
    case 'ok':
      if (read.state.periodMs !== periodMs) {
        throw new StratusError(
          'INVALID_ARGUMENT',
          `billing state in ${statePath} uses periodMs ${read.state.periodMs}, not ${periodMs}; keep the period, or delete the file to rebuild from the usage stream`,
          { details: { field: 'periodMs' } },
        );
      }
      return AggregateStore.fromState(read.state);
  }
}

async function usageStreamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo> {
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if (jetStreamErrorCode(err) === JS_ERR.streamNotFound) {
      throw new StratusError('UNAVAILABLE', `usage stream ${name} does not exist (ensureUsageStream creates it)`, { cause: err });
    }
    throw err;
  }
}

interface AggregatorParts {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly log: Logger;
  readonly jsm: JetStreamManager;
  readonly js: JetStreamClient;
  readonly store: AggregateStore;
  readonly statePath: string;
  readonly spec: BillingConsumerSpec;
  readonly prices: PriceTable;
  readonly batchSize: number;
  readonly lingerMs: number;
  readonly dirty: boolean;
  readonly functionExists: ((functionName: string) => Promise<boolean>) | undefined;
}

/**
 * Two loops share an in-memory buffer: the pump moves deliveries from the
 * consumer into it, the applier takes up to a batch at a time. Under load
 * deliveries pile up while a batch is persisted, so batches grow; when idle,
 * a single record is applied at once.
 */
class JetStreamBillingAggregator implements BillingAggregator {
  readonly #parts: AggregatorParts;
  readonly #store: AggregateStore;
  readonly #log: Logger;
  #dirty: boolean;

  readonly #buffer: JsMsg[] = [];
  #wakeApplier: (() => void) | undefined;
  #applying = false;
  /** When the last batch began to be applied (performance.now()), for `lingerMs`. */
  #lastApplyAtMs = Number.NEGATIVE_INFINITY;
  #idleWaiters: (() => void)[] = [];
  #messages: ConsumerMessages | undefined;
  #pumpDone = false;
  #pumpLoop: Promise<void> = Promise.resolve();
  #applyLoop: Promise<void> = Promise.resolve();
  #subscription: Subscription | undefined;

  /** Stops taking deliveries (drain). */
  readonly #stopTaking = new AbortController();
  /** Stops retrying a failing store write (close). */
  readonly #giveUp = new AbortController();
  #draining: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(parts: AggregatorParts) {
    this.#parts = parts;
    this.#store = parts.store;
    this.#log = parts.log;
    this.#dirty = parts.dirty;
  }

  get appliedThroughSequence(): number {
    return this.#store.lastAppliedSeq;
  }

  start(): void {
    this.#pumpLoop = this.#pump();
    this.#applyLoop = this.#apply();
    this.#subscription = serveUsageQueries(this.#parts.nc, this.#parts.ns, this.#log, (query) => this.query(query));
  }

  query(query: UsageQuery): UsageReport {
    return this.#store.report(parseUsageQuery(query), this.#parts.prices);
  }

  drain(): Promise<void> {
    this.#draining ??= this.#drain();
    return this.#draining;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #drain(): Promise<void> {
    this.#stopTaking.abort();
    await this.#messages?.close();
    await this.#pumpLoop;
    await this.#applyLoop;
    // Acks are plain publishes: see them leave before saying we are drained, but
    // do not wait out a NATS outage for it (an unsent ack only means a redelivery that is skipped).
    const flushed = await withinMs(this.#parts.nc.flush(), ACK_FLUSH_TIMEOUT_MS);
    if (flushed !== 'done') this.#log.warn({ flushed }, 'acks not confirmed sent; those records will be redelivered and skipped');
  }

  async #close(): Promise<void> {
    this.#giveUp.abort();
    await this.drain();
    // Replies are sent synchronously in the callback, so there is nothing in flight to wait for.
    this.#subscription?.unsubscribe();
  }

  async #pump(): Promise<void> {
    const { js, spec } = this.#parts;
    const stop = this.#stopTaking.signal;
    let reattach = false;
    while (!stop.aborted) {
      try {
        if (reattach) await this.#reattach();
        reattach = true;
        const consumer = await js.consumers.get(spec.stream, spec.name);
        const messages = await consumer.consume({ max_messages: this.#parts.batchSize });
        this.#messages = messages;
        // A drain that began while consume() was pending found nothing to close. nats.js settles close() only
        // when the iterator is run to its end, so the loop below must run it: awaiting close() here hung forever.
        if (stop.aborted) messages.close().catch((err: unknown) => this.#log.debug({ err }, 'closing the usage consumer failed'));
        this.#watch(messages).catch((err: unknown) => this.#log.debug({ err }, 'usage consumer status stream ended'));
        for await (const message of messages) {
          this.#buffer.push(message);
          this.#wake();
        }
      } catch (err) {
        if (stop.aborted) break;
        this.#log.warn({ err }, 'usage consumer failed; attaching again');
      }
      try {
        await sleep(RESTART_DELAY_MS, undefined, { signal: stop });
      } catch {
        break;
      }
    }
    this.#pumpDone = true;
    this.#wake();
  }

  /** A deleted consumer is recreated from the store, so consumption resumes by itself. */
  async #watch(messages: ConsumerMessages): Promise<void> {
    for await (const status of await messages.status()) {
      if (status.type === ConsumerEvents.ConsumerNotFound || status.type === ConsumerEvents.ConsumerDeleted || status.type === ConsumerEvents.StreamNotFound) {
        this.#log.warn({ event: status.type }, 'usage consumer lost; attaching again');
        await messages.close();
        return;
      }
      if (status.type === ConsumerEvents.HeartbeatsMissed) {
        this.#log.warn({ missed: status.data }, 'usage consumer missed heartbeats');
      }
    }
  }

  async #reattach(): Promise<void> {
    const { jsm, spec } = this.#parts;
    // The buffer may still hold deliveries of a stream about to be replaced: let them settle first.
    await this.#applierIdle();
    const stream = await usageStreamInfo(jsm, spec.stream);
    if (this.#store.bindStream(stream.created) === 'replaced') {
      this.#dirty = true;
      this.#log.warn({ stream: spec.stream }, 'usage stream was created again; applying it from its start, keeping earlier totals');
    }
    if (await createConsumerIfMissing(jsm, spec, this.#store.lastAppliedSeq)) {
      this.#log.warn({ consumer: spec.name, fromSeq: this.#store.lastAppliedSeq + 1 }, 'usage consumer was missing; created it again');
    }
  }

  async #apply(): Promise<void> {
    for (;;) {
      if (this.#buffer.length === 0) {
        this.#applying = false;
        for (const resolve of this.#idleWaiters.splice(0)) resolve();
        if (this.#pumpDone) return;
        await new Promise<void>((resolve) => {
          this.#wakeApplier = resolve;
        });
        continue;
      }
      this.#applying = true;
      const waitMs = this.#lastApplyAtMs + this.#parts.lingerMs - performance.now();
      if (this.#buffer.length < this.#parts.batchSize && waitMs > 0 && !this.#stopTaking.signal.aborted) {
        // Deliveries close behind the last write gather into the next one: one store write per window at most.
        await sleep(waitMs);
      }
      this.#lastApplyAtMs = performance.now();
      await this.#applyBatch(this.#buffer.splice(0, this.#parts.batchSize));
    }
  }

  async #applyBatch(batch: JsMsg[]): Promise<void> {
    const before = this.#store.lastAppliedSeq;
    try {
      const messages = batch.map((m) => ({ seq: m.seq, data: m.data, subject: m.subject, headers: m.headers, storedAtMs: Math.floor(m.info.timestampNanos / 1e6) }));
      await applyBatch(this.#store, messages, this.#loadGap, this.#log, this.#admit);
    } catch (err) {
      this.#log.error({ err }, 'applying usage records failed; the unapplied ones will be redelivered');
    }
    if (this.#store.lastAppliedSeq !== before) this.#dirty = true;
    if (this.#dirty && !(await this.#persist())) return;
    // Everything at or below the persisted sequence is in the store, including redeliveries skipped above.
    const through = this.#store.lastAppliedSeq;
    for (const message of batch) {
      if (message.seq <= through) message.ack();
      else message.nak(NAK_DELAY_MS);
    }
  }

  /** Retries until the write succeeds: nothing may be acked before it does. False only when closing gave up. */
  async #persist(): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await writeStateFile(this.#parts.statePath, this.#store.toState());
        this.#dirty = false;
        return true;
      } catch (err) {
        this.#log.error({ err, attempt }, 'writing billing state failed; nothing is acked until it succeeds');
        try {
          await sleep(Math.min(100 * 2 ** Math.min(attempt, 16), MAX_PERSIST_RETRY_MS), undefined, { signal: this.#giveUp.signal });
        } catch {
          return false;
        }
      }
    }
  }

  get refusedRecords(): number {
    return this.#refused;
  }

  #refused = 0;
  /** Functions known to exist: a function is looked up once, not once per record. */
  readonly #knownFunctions = new Set<string>();

  /**
   * The subject is the publisher's identity (NATS lets a node publish only
   * under its own id), so a record must name the node it came from; and only
   * functions that exist are billed.
   */
  readonly #admit: RecordAdmission = (record, subject) => {
    const refusal = this.#refusalOf(record, subject);
    if (refusal instanceof Promise) {
      return refusal.then((asked) => {
        if (asked !== undefined) this.#refused++;
        return asked;
      });
    }
    if (refusal !== undefined) this.#refused++;
    return refusal;
  };

  /** Synchronous unless etcd must be asked about a function not seen yet: most records of a batch cost no promise. */
  #refusalOf(record: UsageRecord, subject: string | undefined): Promise<string | undefined> | string | undefined {
    const publisher = subject === undefined ? undefined : this.#parts.ns.subjects.usageRecordNodeId(subject);
    if (publisher === undefined) return 'published on a subject that names no node';
    if (publisher !== record.nodeId) return `names node ${record.nodeId} but was published by node ${publisher}`;
    const { functionExists } = this.#parts;
    if (functionExists === undefined || this.#knownFunctions.has(record.functionName)) return undefined;
    return functionExists(record.functionName).then((exists) => {
      if (!exists) return `function ${record.functionName} does not exist`;
      this.#knownFunctions.add(record.functionName);
      return undefined;
    });
  }

  readonly #loadGap = async (fromSeq: number, toSeq: number): Promise<SequencedMessage[]> => {
    const { jsm, spec } = this.#parts;
    const { state } = await jsm.streams.info(spec.stream);
    const found: SequencedMessage[] = [];
    for (let seq = Math.max(fromSeq, state.first_seq); seq <= Math.min(toSeq, state.last_seq); seq++) {
      try {
        const message = await jsm.streams.getMessage(spec.stream, { seq });
        found.push({ seq: message.seq, data: message.data, subject: message.subject, headers: message.header, storedAtMs: message.time.getTime() });
      } catch (err) {
        if (jetStreamErrorCode(err) !== JS_ERR.noMessageFound) throw err;
      }
    }
    if (found.length > 0) {
      this.#log.warn({ fromSeq, toSeq, found: found.length }, 'filled a gap in usage deliveries from the stream');
    }
    return found;
  };

  #wake(): void {
    const wake = this.#wakeApplier;
    this.#wakeApplier = undefined;
    wake?.();
  }

  #applierIdle(): Promise<void> {
    if (!this.#applying && this.#buffer.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}

async function withinMs(promise: Promise<unknown>, timeoutMs: number): Promise<'done' | 'failed' | 'timed out'> {
  const timeout = new AbortController();
  try {
    return await Promise.race([
      promise.then(
        () => 'done' as const,
        () => 'failed' as const,
      ),
      sleep(timeoutMs, 'timed out' as const, { signal: timeout.signal }),
    ]);
  } finally {
    timeout.abort();
  }
}
