import { randomUUID } from 'node:crypto';
import type { JetStreamClient, JsMsg, NatsConnection, Subscription } from 'nats';
import type { Logger } from 'pino';
import { toStratusError } from '@stratus/errors';
import {
  EVENT_SOURCE_MAPPING_LIMITS,
  eventSourceArn,
  parseDestination,
  parseEventSource,
  type EventSource,
  type InvocationResult,
  type InvocationTarget,
  type Namespace,
  type StoredEventSourceMapping,
  type StoredFunction,
} from '@stratus/contracts';
import type { Dispatcher } from '@stratus/placement';
import type { FunctionCatalog } from '../function-catalog.js';
import type { ConcurrencyGovernor } from '../concurrency.js';
import type { FrontendMetrics } from '../metrics.js';
import { describeFunctionError } from '../async-policy.js';
import type { AsyncEvents } from '../async-events.js';
import { batchEvent, batchEventBytes, eventRecordJson, failedItems, failureRecord, retriesExhausted, retryDelayMs, type SourceMessage } from './records.js';

/** How a frontend runs mappings, resolved. */
export interface MappingRunSettings {
  /**
   * How long a frontend may hold a JetStream batch without word before the
   * messages go to another frontend (a running batch says it is alive every
   * third of it). Set on a mapping's consumer when it is created. Default 30,000.
   */
  readonly ackWaitMs: number;
  /** First delay before a failed message comes back; doubles per delivery. Default 1,000. */
  readonly retryBaseDelayMs: number;
  /** Longest delay before a failed message comes back. Default 60,000. */
  readonly retryMaxDelayMs: number;
  /** First wait of a batch refused for concurrency or capacity (it is held, not counted as an attempt); doubles up to 30 s. Default 1,000. */
  readonly throttleBaseDelayMs: number;
}

export const DEFAULT_MAPPING_RUN: MappingRunSettings = Object.freeze({
  ackWaitMs: 30_000,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 60_000,
  throttleBaseDelayMs: 1_000,
});

const THROTTLE_MAX_DELAY_MS = 30_000;
/** How long one pull for a batch's first message waits before it looks again (and notices a stop). */
const FIRST_MESSAGE_WAIT_MS = 2_000;
/** Messages of a plain NATS source a frontend holds waiting for a batch; past it the oldest are dropped (at most once). */
const NATS_BUFFER_BATCHES = 4;
const NATS_BUFFER_MIN = 1_000;
const DESTINATION_TRIES = 3;

export interface MappingRunnerDeps {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly ns: Namespace;
  readonly catalog: FunctionCatalog;
  readonly governor: ConcurrencyGovernor;
  readonly dispatcher: Dispatcher;
  readonly metrics: FrontendMetrics;
  readonly asyncEvents: AsyncEvents;
  readonly targetOf: (fn: StoredFunction) => InvocationTarget;
  readonly settings: MappingRunSettings;
  readonly log: Logger;
  /**
   * The outcome of each batch, for `LastProcessingResult`, with when the batch was invoked and how long its
   * oldest message had waited by then (absent for a failure to read the source, which invoked nothing).
   */
  readonly onResult: (uuid: string, result: string, batch?: BatchTiming) => void;
  /** Messages dropped from a full NATS buffer, counted for /metrics. */
  readonly onDropped: (uuid: string, count: number) => void;
}

/** When a batch was invoked, and how long its oldest message had waited by then (ms). */
export interface BatchTiming {
  readonly invokedAtMs: number;
  readonly lagMs: number;
}

/** A message in hand, with what can be done with it. */
interface Delivery {
  readonly message: SourceMessage;
  readonly traceDepth: number;
  ack(): void;
  retry(delayMs: number): void;
  /** Tells the source the batch is still being worked on. */
  working(): void;
  /** Gives the message back at once, unprocessed (stopping). */
  release(): void;
}

/** Aborts a wait when the runner stops. */
class StopSignal {
  stopped = false;
  readonly #waiters = new Set<() => void>();

  stop(): void {
    this.stopped = true;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }

  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }
}

/**
 * Runs one mapping on this frontend: pulls batches from its source, invokes
 * the function with each as an SQS-shaped event (one batch at a time here,
 * so messages of one batch are in the source's order), and settles each
 * message by the outcome: acked on success, retried with backoff on failure
 * (only the items a `batchItemFailures` answer names, with
 * ReportBatchItemFailures), and past `maximumRetryAttempts` sent to the
 * on-failure destination and acked.
 */
export class MappingRunner {
  readonly mapping: StoredEventSourceMapping;
  readonly #deps: MappingRunnerDeps;
  readonly #log: Logger;
  readonly #source: EventSource;
  readonly #sourceArn: string;
  readonly #signal = new StopSignal();
  #loop: Promise<void> | undefined;
  #subscription: Subscription | undefined;
  /** Plain NATS source: messages received and not yet in a batch, oldest first. */
  readonly #buffer: Delivery[] = [];
  #bufferWake: (() => void) | undefined;
  readonly #retryTimers = new Set<NodeJS.Timeout>();

  constructor(mapping: StoredEventSourceMapping, deps: MappingRunnerDeps) {
    this.mapping = mapping;
    this.#deps = deps;
    this.#log = deps.log.child({ component: 'event-source-mapping', mapping: mapping.uuid, fn: mapping.functionName });
    const source = parseEventSource(mapping.source);
    if (typeof source === 'string') throw new Error(source);
    this.#source = source;
    this.#sourceArn = eventSourceArn(source);
  }

  /** Messages this frontend holds for the mapping and has not yet run (plain NATS sources). */
  get buffered(): number {
    return this.#buffer.length;
  }

  start(): void {
    const run = this.#source.kind === 'jetstream' ? this.#runJetStream() : this.#runNats();
    this.#loop = run.catch((err: unknown) => this.#log.error({ err }, 'event source mapping stopped on an error'));
  }

  /** Stops pulling; the batch in hand finishes (its messages are settled); messages not yet in a batch go back to the source. */
  async stop(): Promise<void> {
    this.#signal.stop();
    this.#bufferWake?.();
    if (this.#subscription !== undefined) this.#subscription.unsubscribe();
    for (const timer of this.#retryTimers) clearTimeout(timer);
    this.#retryTimers.clear();
    await this.#loop;
  }

  async #runJetStream(): Promise<void> {
    const { js, ns } = this.#deps;
    const stream = ns.streams.userEvents;
    const durable = ns.consumers.eventSourceMapping(this.mapping.uuid);
    const consumer = await js.consumers.get(stream, durable);
    const windowMs = this.mapping.maximumBatchingWindowInSeconds * 1000;
    let failures = 0;
    while (!this.#signal.stopped) {
      let batch: JsMsg[];
      try {
        const first = await consumer.next({ expires: FIRST_MESSAGE_WAIT_MS });
        if (first === null) continue;
        batch = [first];
        if (this.mapping.batchSize > 1) {
          const more = js.fetch(stream, durable, windowMs > 0 ? { batch: this.mapping.batchSize - 1, expires: windowMs } : { batch: this.mapping.batchSize - 1, no_wait: true });
          for await (const message of more) batch.push(message);
        }
        failures = 0;
      } catch (err) {
        failures++;
        // A consumer deleted under a running runner is a mapping being deleted: the watch stops this runner next.
        if (this.#signal.stopped) break;
        this.#log[failures > 1 ? 'warn' : 'debug']({ err }, 'cannot pull from the event source; trying again');
        this.#deps.onResult(this.mapping.uuid, `PROBLEM: cannot read the source: ${toStratusError(err).message}`);
        await this.#signal.sleep(Math.min(30_000, 500 * 2 ** Math.min(6, failures)));
        continue;
      }
      await this.#process(batch.map((message) => this.#jetStreamDelivery(message)));
    }
  }

  #jetStreamDelivery(message: JsMsg): Delivery {
    const sentAtMs = Math.floor(message.info.timestampNanos / 1e6);
    const prefix = `${this.#deps.ns.subjects.allUserEvents().slice(0, -1)}`;
    return {
      message: {
        messageId: String(message.seq),
        subject: message.subject.startsWith(prefix) ? message.subject.slice(prefix.length) : message.subject,
        data: message.data,
        headers: message.headers,
        deliveryCount: message.info.redeliveryCount,
        sentAtMs,
        // JetStream does not say when a message was first delivered; its first delivery follows its publication closely.
        firstReceivedAtMs: message.info.redeliveryCount <= 1 ? Date.now() : sentAtMs,
      },
      traceDepth: traceDepthOf(message.headers?.get('Stratus-Trace-Depth')),
      ack: () => message.ack(),
      retry: (delayMs) => message.nak(delayMs),
      working: () => message.working(),
      release: () => message.nak(),
    };
  }

  async #runNats(): Promise<void> {
    const { nc, ns } = this.#deps;
    const prefix = `${ns.subjects.allUserEvents().slice(0, -1)}`;
    const limit = Math.max(NATS_BUFFER_MIN, this.mapping.batchSize * NATS_BUFFER_BATCHES);
    this.#subscription = nc.subscribe(ns.subjects.userEvent(this.#source.subject), {
      queue: ns.subjects.eventSourceMappingQueue(this.mapping.uuid),
      callback: (err, msg) => {
        if (err !== null || this.#signal.stopped) return;
        const now = Date.now();
        const message: SourceMessage = {
          messageId: randomUUID(),
          subject: msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : msg.subject,
          data: msg.data,
          headers: msg.headers,
          deliveryCount: 1,
          sentAtMs: now,
          firstReceivedAtMs: now,
        };
        this.#enqueue(this.#natsDelivery(message, traceDepthOf(msg.headers?.get('Stratus-Trace-Depth'))), limit);
      },
    });
    const windowMs = this.mapping.maximumBatchingWindowInSeconds * 1000;
    while (!this.#signal.stopped || this.#buffer.length > 0) {
      if (this.#buffer.length === 0) {
        await new Promise<void>((resolve) => (this.#bufferWake = resolve));
        this.#bufferWake = undefined;
        continue;
      }
      if (windowMs > 0 && this.#buffer.length < this.mapping.batchSize && !this.#signal.stopped) {
        // The window opens with the batch's first message.
        await this.#signal.sleep(windowMs);
      }
      const batch = this.#buffer.splice(0, this.mapping.batchSize);
      await this.#process(batch);
    }
  }

  #enqueue(delivery: Delivery, limit: number): void {
    this.#buffer.push(delivery);
    if (this.#buffer.length > limit) {
      const dropped = this.#buffer.splice(0, this.#buffer.length - limit).length;
      this.#deps.onDropped(this.mapping.uuid, dropped);
    }
    this.#bufferWake?.();
  }

  #natsDelivery(message: SourceMessage, traceDepth: number): Delivery {
    return {
      message,
      traceDepth,
      ack: () => {},
      retry: (delayMs) => {
        if (this.#signal.stopped) return;
        const timer = setTimeout(() => {
          this.#retryTimers.delete(timer);
          const again: SourceMessage = { ...message, deliveryCount: message.deliveryCount + 1 };
          this.#enqueue(this.#natsDelivery(again, traceDepth), Number.MAX_SAFE_INTEGER);
        }, delayMs);
        this.#retryTimers.add(timer);
      },
      working: () => {},
      release: () => {},
    };
  }

  /** Runs a batch, split into invocations of at most the sync payload limit, one after another. */
  async #process(batch: readonly Delivery[]): Promise<void> {
    const context = { source: this.#source, sourceArn: this.#sourceArn, region: 'local' };
    let chunk: Delivery[] = [];
    let records: string[] = [];
    let bytes = 0;
    for (const delivery of batch) {
      const record = eventRecordJson(delivery.message, context);
      const recordBytes = Buffer.byteLength(record);
      if (chunk.length > 0 && batchEventBytes(bytes + recordBytes, records.length + 1) > EVENT_SOURCE_MAPPING_LIMITS.batchPayloadMaxBytes) {
        await this.#invokeChunk(chunk, records);
        chunk = [];
        records = [];
        bytes = 0;
      }
      chunk.push(delivery);
      records.push(record);
      bytes += recordBytes;
    }
    if (chunk.length > 0) await this.#invokeChunk(chunk, records);
  }

  async #invokeChunk(chunk: readonly Delivery[], records: readonly string[]): Promise<void> {
    if (this.#signal.stopped && this.#source.kind === 'jetstream') {
      for (const delivery of chunk) delivery.release();
      return;
    }
    const payload = batchEvent(records);
    const invokedAtMs = Date.now();
    const timing: BatchTiming = { invokedAtMs, lagMs: Math.max(0, invokedAtMs - Math.min(...chunk.map((delivery) => delivery.message.sentAtMs))) };
    const keepAlive = setInterval(() => chunk.forEach((delivery) => delivery.working()), Math.max(100, Math.floor(this.#deps.settings.ackWaitMs / 3)));
    let outcome: { readonly result: InvocationResult } | { readonly error: string } | 'stopped';
    try {
      outcome = await this.#invoke(payload);
    } finally {
      clearInterval(keepAlive);
    }
    if (outcome === 'stopped') {
      for (const delivery of chunk) delivery.release();
      return;
    }
    let failed: ReadonlySet<Delivery>;
    let lastError: string;
    if ('error' in outcome) {
      failed = new Set(chunk);
      lastError = outcome.error;
    } else if (outcome.result.functionError !== undefined) {
      failed = new Set(chunk);
      lastError = describeFunctionError(outcome.result);
    } else if (this.mapping.functionResponseTypes.includes('ReportBatchItemFailures')) {
      const reported = failedItems(outcome.result.payload, chunk.map((delivery) => delivery.message.messageId));
      failed = reported.all ? new Set(chunk) : new Set(chunk.filter((delivery) => reported.ids.has(delivery.message.messageId)));
      lastError = reported.all ? 'the function answered batchItemFailures that name no item of the batch' : 'the function reported these items as failed';
    } else {
      failed = new Set();
      lastError = '';
    }
    const exhausted: Delivery[] = [];
    for (const delivery of chunk) {
      if (!failed.has(delivery)) {
        delivery.ack();
      } else if (retriesExhausted(delivery.message.deliveryCount, this.mapping.maximumRetryAttempts)) {
        exhausted.push(delivery);
      } else {
        const { retryBaseDelayMs, retryMaxDelayMs } = this.#deps.settings;
        delivery.retry(retryDelayMs(delivery.message.deliveryCount, retryBaseDelayMs, retryMaxDelayMs));
      }
    }
    if (exhausted.length > 0) await this.#giveUp(exhausted, lastError);
    this.#deps.onResult(this.mapping.uuid, failed.size === 0 ? 'OK' : `PROBLEM: ${lastError}`.slice(0, 1024), timing);
  }

  /**
   * Invokes the function once with the batch: waits (holding the batch, not
   * counting an attempt) while it is refused for concurrency or capacity.
   */
  async #invoke(payload: Uint8Array): Promise<{ readonly result: InvocationResult } | { readonly error: string } | 'stopped'> {
    const { catalog, governor, dispatcher, metrics, targetOf, settings } = this.#deps;
    for (let refusals = 0; ; refusals++) {
      if (refusals > 0) {
        await this.#signal.sleep(Math.min(THROTTLE_MAX_DELAY_MS, settings.throttleBaseDelayMs * 2 ** Math.min(10, refusals - 1)));
        if (this.#signal.stopped) return 'stopped';
      }
      let fn: StoredFunction;
      try {
        fn = await catalog.resolve(this.mapping.functionName, this.mapping.qualifier);
      } catch (err) {
        const error = toStratusError(err);
        if (error.retryable) continue;
        return { error: `${error.code}: ${error.message}` };
      }
      let release: () => void;
      try {
        release = governor.admit(catalog.admissionOf(fn));
      } catch (err) {
        const error = toStratusError(err);
        metrics.failed(fn.name, error.code, error.details['reason']);
        continue;
      }
      try {
        const result = await dispatcher.dispatch({
          requestId: randomUUID(),
          target: targetOf(fn),
          payload,
          tailLogs: false,
          ...(this.mapping.qualifier !== '' ? { invokedQualifier: this.mapping.qualifier } : {}),
        });
        metrics.invoked(fn.name, result);
        return { result };
      } catch (err) {
        const error = toStratusError(err);
        metrics.failed(fn.name, error.code, error.details['reason']);
        // It never started: wait like a throttled batch. Lost with its node: the attempt counts.
        if (error.retryable && error.code !== 'INVOCATION_LOST') continue;
        return { error: `${error.code}: ${error.message}` };
      } finally {
        release();
      }
    }
  }

  /** Messages out of retries: their event goes to the on-failure destination (when there is one), then they are acked. */
  async #giveUp(exhausted: readonly Delivery[], lastError: string): Promise<void> {
    const destinationText = this.mapping.onFailure;
    if (destinationText === undefined) {
      this.#log.warn({ messages: exhausted.length, lastError }, 'messages out of retries dropped: the mapping has no on-failure destination');
    } else {
      const context = { source: this.#source, sourceArn: this.#sourceArn, region: 'local' };
      const event = batchEvent(exhausted.map((delivery) => eventRecordJson(delivery.message, context)));
      const requestId = randomUUID();
      const record = failureRecord({
        requestId,
        functionName: this.mapping.functionName,
        qualifier: this.mapping.qualifier,
        mappingUuid: this.mapping.uuid,
        sourceArn: this.#sourceArn,
        approximateInvokeCount: Math.max(...exhausted.map((delivery) => delivery.message.deliveryCount)),
        lastError,
        nowMs: Date.now(),
        event,
      });
      const delivered = await this.#deliver(destinationText, record, requestId, Math.max(...exhausted.map((delivery) => delivery.traceDepth)) + 1);
      if (!delivered) {
        // Not delivered: the messages come back later and are tried again, rather than lost.
        for (const delivery of exhausted) delivery.retry(this.#deps.settings.retryMaxDelayMs);
        return;
      }
    }
    for (const delivery of exhausted) delivery.ack();
  }

  async #deliver(destinationText: string, record: Uint8Array, requestId: string, traceDepth: number): Promise<boolean> {
    const destination = parseDestination(destinationText);
    if (typeof destination === 'string') return false;
    const { asyncEvents, nc, js, ns } = this.#deps;
    for (let attempt = 1; ; attempt++) {
      try {
        switch (destination.kind) {
          case 'function':
            await asyncEvents.enqueue({ requestId, functionName: destination.functionName, qualifier: '', acceptedAtMs: Date.now(), traceDepth, payload: record });
            break;
          case 'nats':
            nc.publish(ns.subjects.destination(destination.subject), record);
            break;
          case 'jetstream':
            await js.publish(ns.subjects.destination(destination.subject), record, { msgID: requestId });
            break;
        }
        return true;
      } catch (err) {
        const error = toStratusError(err);
        if (attempt >= DESTINATION_TRIES || error.code === 'PAYLOAD_TOO_LARGE') {
          this.#log.error({ err, destination: destinationText }, 'on-failure destination not delivered');
          return error.code === 'PAYLOAD_TOO_LARGE';
        }
        await this.#signal.sleep(200 * attempt);
      }
    }
  }
}

function traceDepthOf(header: string | undefined): number {
  const depth = Number(header ?? '0');
  return Number.isSafeInteger(depth) && depth >= 0 ? depth : 0;
}
