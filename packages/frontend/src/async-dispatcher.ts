import { createHash } from 'node:crypto';
import { AckPolicy, DeliverPolicy, nanos, type Consumer, type ConsumerMessages, type JsMsg, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { StratusError, toStratusError } from '@stratus/errors';
import {
  ASYNC_LIMITS,
  DEFAULT_EVENT_INVOKE_CONFIG,
  LATEST_VERSION,
  eventInvokeConfigFor,
  parseDestination,
  type EventInvokeConfig,
  type InvocationResult,
  type InvocationTarget,
  type StoredFunction,
} from '@stratus/contracts';
import { JS_ERR, jetStreamErrorCode } from '@stratus/registry';
import type { Dispatcher } from '@stratus/placement';
import type { FunctionCatalog } from './function-catalog.js';
import type { ConcurrencyGovernor } from './concurrency.js';
import type { FrontendMetrics } from './metrics.js';
import { isFinalState, type AsyncEvent, type AsyncEvents, type AsyncState, type AsyncStatus, eventFromMessage } from './async-events.js';
import {
  DEFAULT_ASYNC_BACKOFF,
  delayWithinAge,
  describeFunctionError,
  invocationRecord,
  isExpired,
  retryDelayMs,
  throttleDelayMs,
  type AsyncBackoff,
  type RecordCondition,
} from './async-policy.js';

/** The dispatcher's settings, resolved. */
export interface AsyncDispatchSettings {
  readonly backoff: AsyncBackoff;
  /**
   * How long a dispatcher may hold an event without word before JetStream
   * gives it to another (a running attempt says it is alive every third of
   * it): how soon the events of a dispatcher that died run elsewhere. Default 30,000.
   */
  readonly ackWaitMs: number;
  /** Events of one function a dispatcher runs at once (fewer when the function's reserved concurrency is lower). Default 32. */
  readonly functionConcurrency: number;
  /** How often a dispatcher looks for functions with waiting events. Default 1,000. */
  readonly scanIntervalMs: number;
}

export const DEFAULT_ASYNC_DISPATCH: AsyncDispatchSettings = Object.freeze({
  backoff: DEFAULT_ASYNC_BACKOFF,
  ackWaitMs: 30_000,
  functionConcurrency: 32,
  scanIntervalMs: 1_000,
});

export interface AsyncDispatcherOptions {
  readonly nc: NatsConnection;
  readonly events: AsyncEvents;
  readonly catalog: FunctionCatalog;
  readonly governor: ConcurrencyGovernor;
  readonly dispatcher: Dispatcher;
  readonly metrics: FrontendMetrics;
  readonly targetOf: (fn: StoredFunction) => InvocationTarget;
  readonly settings: AsyncDispatchSettings;
  readonly log: Logger;
  /** Where `stratus_async_destination_failures_total` is counted. Default: not counted. */
  readonly metricsRegistry?: Registry | undefined;
  /** Told of each invocation record a destination did not take (kept in the dead-letter stream instead). */
  readonly onDestinationFailed?: ((functionName: string, which: string) => void) | undefined;
  /** This frontend's registration id, written into the state of the attempts it runs. */
  readonly dispatcherId: string;
  /** Whether a frontend is registered (its lease alive): an attempt whose dispatcher is gone was interrupted. */
  readonly isDispatcherLive: (dispatcherId: string) => boolean;
}

/** What to do with a stream message once an event has been looked at. */
type Disposition = { readonly ack: true } | { readonly ack: false; readonly delayMs: number };
const ACK: Disposition = { ack: true };

/** Attempts to read-and-set one event's state before giving the message back for later. */
const STATE_RACE_ROUNDS = 5;
/** Tries of one destination delivery before its record is kept in the dead-letter stream instead. */
const DESTINATION_TRIES = 3;
/** How long a nats: destination's delivery waits for NATS to say nobody listens; listeners need not answer. */
const NATS_DESTINATION_WAIT_MS = 250;

/** NATS's answer to a request (or a JetStream publish) that no subscriber, or no stream, took. */
function isNoResponders(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '503';
}

function isTimeout(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'TIMEOUT';
}

/** What the lanes and attempts of one dispatcher share. */
interface DispatchContext extends AsyncDispatcherOptions {
  /** Request ids of the attempts this dispatcher is running now. */
  readonly attemptsHere: Set<string>;
}

/**
 * Runs accepted asynchronous invocations. Every frontend runs one: it looks
 * for functions with waiting events (the async stream's per-subject counts)
 * and, per such function, pulls from the function's durable consumer, shared
 * with every other dispatcher, at most `functionConcurrency` events at once.
 * Each function has a lane of its own, so a flood of one function's events
 * takes only its own lane's slots and never holds back another function's
 * events. An event runs through the same admission and placement as a
 * synchronous call; refused for concurrency or capacity, it waits with
 * backoff (never THROTTLED), up to its maximum age.
 */
export class AsyncDispatcher {
  readonly #options: DispatchContext;
  readonly #log: Logger;
  readonly #lanes = new Map<string, FunctionLane>();
  readonly #scanTimer: NodeJS.Timeout;
  #scanning: Promise<void> | undefined;
  #stopped = false;
  #closed: Promise<void> | undefined;

  private constructor(options: AsyncDispatcherOptions) {
    this.#options = { ...options, attemptsHere: new Set() };
    this.#log = options.log.child({ component: 'async-dispatcher' });
    this.#scanTimer = setInterval(() => {
      this.#scanning ??= this.#scan().finally(() => (this.#scanning = undefined));
    }, options.settings.scanIntervalMs);
  }

  static start(options: AsyncDispatcherOptions): AsyncDispatcher {
    let resolved = options;
    if (options.metricsRegistry !== undefined) {
      const failures = new Counter({
        name: 'stratus_async_destination_failures_total',
        help: 'Invocation records an on-success or on-failure destination did not take (kept in the dead-letter stream instead; the event state says why), by function and destination (on-success, on-failure).',
        labelNames: ['function', 'destination'],
        registers: [options.metricsRegistry],
      });
      resolved = {
        ...options,
        onDestinationFailed: (fn, which) => {
          failures.inc({ function: fn, destination: which });
          options.onDestinationFailed?.(fn, which);
        },
      };
    }
    const dispatcher = new AsyncDispatcher(resolved);
    dispatcher.#scanning = dispatcher.#scan().finally(() => (dispatcher.#scanning = undefined));
    return dispatcher;
  }

  /** Events of this function were just accepted here: start pulling them without waiting for the next scan. */
  nudge(functionName: string): void {
    this.#lane(functionName);
  }

  /** Events being run right now, all functions together. */
  get running(): number {
    let total = 0;
    for (const lane of this.#lanes.values()) total += lane.running;
    return total;
  }

  /** Stops pulling events and waits for the attempts running to end; events not yet pulled stay in the stream for other dispatchers. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#scanTimer);
    await this.#scanning;
    await Promise.all([...this.#lanes.values()].map((lane) => lane.stop()));
  }

  async #scan(): Promise<void> {
    if (this.#stopped) return;
    const { events } = this.#options;
    try {
      const info = await events.jsm.streams.info(events.ns.streams.async, { subjects_filter: events.ns.subjects.allAsyncEvents() });
      for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
        const fn = events.ns.subjects.asyncEventFunction(subject);
        if (fn !== undefined && count > 0) this.#lane(fn);
      }
    } catch (err) {
      this.#log.warn({ err }, 'cannot list functions with waiting async events; trying again');
    }
  }

  #lane(functionName: string): void {
    if (this.#stopped || this.#lanes.has(functionName)) return;
    const lane = new FunctionLane(functionName, this.#options, this.#log, () => this.#lanes.delete(functionName));
    this.#lanes.set(functionName, lane);
    lane.start();
  }
}

/** One function's events on one dispatcher: a pull loop with at most `functionConcurrency` events running. */
class FunctionLane {
  running = 0;
  readonly #fn: string;
  readonly #options: DispatchContext;
  readonly #log: Logger;
  readonly #onEnd: () => void;
  #stopped = false;
  #batch: ConsumerMessages | undefined;
  #loop: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  #slotFreed: (() => void) | undefined;

  constructor(fn: string, options: DispatchContext, log: Logger, onEnd: () => void) {
    this.#fn = fn;
    this.#options = options;
    this.#log = log.child({ fn });
    this.#onEnd = onEnd;
  }

  start(): void {
    this.#loop = this.#run()
      .catch((err: unknown) => this.#log.warn({ err }, 'async lane stopped on an error; the next scan starts it again'))
      .finally(() => this.#onEnd());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#batch?.stop();
    this.#slotFreed?.();
    await this.#loop;
    await Promise.all([...this.#inFlight]);
  }

  async #run(): Promise<void> {
    const consumer = await this.#consumer();
    let idleRounds = 0;
    while (!this.#stopped) {
      const free = this.#capacity() - this.running;
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.#slotFreed = resolve));
        continue;
      }
      const batch = await consumer.fetch({ max_messages: free, expires: 1000 });
      this.#batch = batch;
      let got = 0;
      for await (const message of batch) {
        got++;
        this.#handle(message);
      }
      this.#batch = undefined;
      // A lane with nothing to do for a few rounds ends; the scan starts it again when events arrive.
      idleRounds = got === 0 && this.running === 0 ? idleRounds + 1 : 0;
      if (idleRounds >= 3) return;
    }
  }

  #capacity(): number {
    const fn = this.#options.catalog.cached(this.#fn);
    const reserved = fn?.reservedConcurrency;
    const cap = this.#options.settings.functionConcurrency;
    return reserved !== undefined && reserved > 0 ? Math.min(cap, reserved) : cap;
  }

  async #consumer(): Promise<Consumer> {
    const { events, settings } = this.#options;
    const stream = events.ns.streams.async;
    const name = events.ns.consumers.asyncDispatch(this.#fn);
    try {
      await events.jsm.consumers.info(stream, name);
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_ERR.consumerNotFound) throw err;
      await events.jsm.consumers.add(stream, {
        durable_name: name,
        filter_subject: events.ns.subjects.asyncEvent(this.#fn),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: nanos(settings.ackWaitMs),
        // Waiting out a throttle or a retry backoff is a redelivery: never give up on an event for that.
        max_deliver: -1,
        max_ack_pending: 10_000,
        // A deleted function's consumer goes away by itself; a function with waiting events always has a lane pulling.
        inactive_threshold: nanos(24 * 3600 * 1000),
      });
    }
    return events.js.consumers.get(stream, name);
  }

  #handle(message: JsMsg): void {
    this.running++;
    const { ackWaitMs } = this.#options.settings;
    // Long attempts keep the event: without word within the ack wait, JetStream would give it to another dispatcher.
    const keepAlive = setInterval(() => message.working(), Math.max(100, Math.floor(ackWaitMs / 3)));
    const done = this.#process(message)
      .then(
        (disposition) => {
          if (disposition.ack) message.ack();
          else message.nak(disposition.delayMs);
        },
        (err: unknown) => {
          this.#log.warn({ err }, 'async event not handled; it comes back later');
          message.nak(this.#options.settings.backoff.throttleBaseDelayMs);
        },
      )
      .finally(() => {
        clearInterval(keepAlive);
        this.running--;
        this.#inFlight.delete(done);
        const wake = this.#slotFreed;
        this.#slotFreed = undefined;
        wake?.();
      });
    this.#inFlight.add(done);
  }

  async #process(message: JsMsg): Promise<Disposition> {
    let event: AsyncEvent;
    try {
      event = eventFromMessage(message.headers, message.data);
    } catch (err) {
      // Only frontends publish here; a message they did not make cannot be run.
      this.#log.error({ err, seq: message.seq }, 'dropping a malformed async event');
      return ACK;
    }
    const attempt = new EventAttempt(event, message.info.redeliveryCount, this.#options, this.#log.child({ requestId: event.requestId }));
    return attempt.run();
  }
}

/** One delivery of one event: decide, run at most one attempt, and record what happened. */
class EventAttempt {
  readonly #event: AsyncEvent;
  /** Deliveries of this message before this one (throttle refusals among them), for the refusal backoff. */
  readonly #redeliveries: number;
  readonly #options: DispatchContext;
  readonly #log: Logger;

  constructor(event: AsyncEvent, redeliveries: number, options: DispatchContext, log: Logger) {
    this.#event = event;
    this.#redeliveries = redeliveries;
    this.#options = options;
    this.#log = log;
  }

  async run(): Promise<Disposition> {
    const { events } = this.#options;
    for (let round = 0; round < STATE_RACE_ROUNDS; round++) {
      let current = await events.status(this.#event.requestId);
      if (current === undefined) {
        // The accepting frontend died between storing the event and its state.
        await events.createStatus(this.#initialStatus());
        current = await events.status(this.#event.requestId);
        if (current === undefined) continue;
      }
      const disposition = await this.#step(current.status, current.revision);
      if (disposition !== undefined) return disposition;
    }
    return { ack: false, delayMs: this.#options.settings.backoff.throttleBaseDelayMs };
  }

  /** One read-decide-write round; undefined when the state changed under it and the round must be redone. */
  async #step(status: AsyncStatus, revision: number): Promise<Disposition | undefined> {
    const { events, catalog, settings } = this.#options;
    if (isFinalState(status.state)) return ACK;
    const now = Date.now();
    let fn: StoredFunction;
    try {
      fn = await catalog.resolve(this.#event.functionName, this.#event.qualifier);
    } catch (err) {
      const error = toStratusError(err);
      if (error.retryable) return { ack: false, delayMs: settings.backoff.throttleBaseDelayMs };
      return this.#finish(status, revision, 'failed', 'RetriesExhausted', `${error.code}: ${error.message}`, DEFAULT_EVENT_INVOKE_CONFIG);
    }
    // The configuration of the qualifier the event named, kept with $LATEST (a version's snapshot carries none);
    // as on Lambda, an alias or version without its own gets the defaults, not the function's.
    let latest = catalog.cached(fn.name) ?? (fn.version === LATEST_VERSION ? fn : undefined);
    if (latest === undefined) {
      try {
        latest = (await catalog.get(fn.name)).fn;
      } catch (err) {
        const error = toStratusError(err);
        if (error.retryable) return { ack: false, delayMs: settings.backoff.throttleBaseDelayMs };
        return this.#finish(status, revision, 'failed', 'RetriesExhausted', `${error.code}: ${error.message}`, DEFAULT_EVENT_INVOKE_CONFIG);
      }
    }
    const config = eventInvokeConfigFor(latest, this.#event.qualifier) ?? DEFAULT_EVENT_INVOKE_CONFIG;
    if (this.#event.traceDepth > ASYNC_LIMITS.maxTraceDepth && config.recursiveLoop === 'Terminate') {
      this.#log.warn({ fn: fn.name, traceDepth: this.#event.traceDepth }, 'recursive invocation loop stopped');
      return this.#finish(
        status,
        revision,
        'failed',
        'RecursiveInvocationLoop',
        `RecursiveInvocationLoop: the event is ${this.#event.traceDepth} async invocations deep (more than ${ASYNC_LIMITS.maxTraceDepth}); set recursiveLoop to Allow to let this function loop`,
        config,
      );
    }
    let lastError = status.lastError;
    if (status.state === 'running' && this.#attemptStillOwned(status)) {
      // Its ack wait ran out while the attempt goes on (a dispatcher's event loop held up under load): not lost, wait.
      return { ack: false, delayMs: settings.ackWaitMs };
    }
    if (status.state === 'running') {
      // A dispatcher took this event, started an attempt and went silent (it died): that attempt counts.
      lastError = `attempt ${status.attempts} was interrupted: its dispatcher stopped answering`;
      this.#log.warn({ attempts: status.attempts }, 'async attempt interrupted; counting it as failed');
      if (status.attempts > config.maximumRetryAttempts) {
        return this.#finish(status, revision, 'failed', 'RetriesExhausted', lastError, config);
      }
    }
    if (isExpired(now, this.#event.acceptedAtMs, config.maximumEventAgeInSeconds)) {
      return this.#finish(status, revision, 'expired', 'EventAgeExceeded', lastError ?? `the event was older than ${config.maximumEventAgeInSeconds} s before it could run`, config);
    }
    let release: () => void;
    try {
      release = this.#options.governor.admit(catalog.admissionOf(fn));
    } catch (err) {
      return this.#refused(toStratusError(err), config);
    }
    try {
      const running: AsyncStatus = {
        ...status,
        state: 'running',
        attempts: status.attempts + 1,
        startedAtMs: now,
        updatedAtMs: now,
        dispatcherId: this.#options.dispatcherId,
        ...(lastError !== undefined ? { lastError } : {}),
      };
      if (!(await events.updateStatus(running, revision))) return undefined;
      this.#options.attemptsHere.add(this.#event.requestId);
      const runningRevision = (await events.status(this.#event.requestId))?.revision;
      return await this.#attempt(fn, config, running, runningRevision);
    } finally {
      this.#options.attemptsHere.delete(this.#event.requestId);
      release();
    }
  }

  /**
   * Whether the running attempt's dispatcher still has it: this process, if
   * it is running it now, or another frontend still registered. A dispatcher
   * that died leaves its attempt interrupted once its lease expires.
   */
  #attemptStillOwned(status: AsyncStatus): boolean {
    const owner = status.dispatcherId;
    if (owner === undefined) return false;
    if (owner === this.#options.dispatcherId) return this.#options.attemptsHere.has(this.#event.requestId);
    return this.#options.isDispatcherLive(owner);
  }

  async #attempt(fn: StoredFunction, config: EventInvokeConfig, running: AsyncStatus, revision: number | undefined): Promise<Disposition> {
    const { dispatcher, metrics, events } = this.#options;
    let result: InvocationResult;
    try {
      result = await dispatcher.dispatch({
        requestId: this.#event.requestId,
        target: this.#options.targetOf(fn),
        payload: this.#event.payload,
        tailLogs: false,
        attempt: Math.min(running.attempts, 255),
        ...(this.#event.qualifier !== '' ? { invokedQualifier: this.#event.qualifier } : {}),
      });
    } catch (err) {
      const error = toStratusError(err);
      metrics.failed(fn.name, error.code, error.details['reason']);
      if (error.code !== 'INVOCATION_LOST' && error.retryable) {
        // It never started: give the attempt back and wait like a throttled event.
        if (revision !== undefined) {
          const previous = await events.status(this.#event.requestId);
          if (previous !== undefined && previous.revision === revision) {
            await events.updateStatus({ ...running, state: running.attempts > 1 ? 'retrying' : 'queued', attempts: running.attempts - 1, updatedAtMs: Date.now() }, revision);
          }
        }
        return this.#refused(error, config);
      }
      // Lost with its node, or refused for good: the attempt counts as a failed one.
      return this.#failed(running, revision, config, `${error.code}: ${error.message}`, undefined);
    }
    metrics.invoked(fn.name, result);
    if (result.functionError === undefined) {
      return this.#finishFrom(running, revision, 'succeeded', 'Success', undefined, config, result);
    }
    return this.#failed(running, revision, config, describeFunctionError(result), result);
  }

  async #failed(running: AsyncStatus, revision: number | undefined, config: EventInvokeConfig, lastError: string, result: InvocationResult | undefined): Promise<Disposition> {
    const retriesDone = running.attempts - 1;
    const now = Date.now();
    if (retriesDone < config.maximumRetryAttempts && !isExpired(now, this.#event.acceptedAtMs, config.maximumEventAgeInSeconds)) {
      const retrying: AsyncStatus = { ...running, state: 'retrying', updatedAtMs: now, lastError };
      if (revision !== undefined) await this.#options.events.updateStatus(retrying, revision);
      const delayMs = delayWithinAge(retryDelayMs(this.#options.settings.backoff, retriesDone + 1), now, this.#event.acceptedAtMs, config.maximumEventAgeInSeconds);
      return { ack: false, delayMs };
    }
    const condition: RecordCondition = retriesDone < config.maximumRetryAttempts ? 'EventAgeExceeded' : 'RetriesExhausted';
    return this.#finishFrom(running, revision, condition === 'EventAgeExceeded' ? 'expired' : 'failed', condition, lastError, config, result);
  }

  #refused(error: StratusError, config: EventInvokeConfig): Disposition {
    const jitter = Math.random();
    const delayMs = throttleDelayMs(this.#options.settings.backoff, this.#redeliveries + 1, jitter);
    this.#log.debug({ code: error.code, delayMs }, 'async event refused for now; waiting');
    return { ack: false, delayMs: Math.max(1, delayWithinAge(delayMs, Date.now(), this.#event.acceptedAtMs, config.maximumEventAgeInSeconds)) };
  }

  /** Ends an event no attempt of this delivery ran; undefined when its state changed meanwhile (a cancel). */
  async #finish(status: AsyncStatus, revision: number, state: AsyncState, condition: RecordCondition, lastError: string | undefined, config: EventInvokeConfig): Promise<Disposition | undefined> {
    return this.#end(status, revision, state, condition, lastError, config, undefined, true);
  }

  async #finishFrom(
    status: AsyncStatus,
    revision: number | undefined,
    state: AsyncState,
    condition: RecordCondition,
    lastError: string | undefined,
    config: EventInvokeConfig,
    result: InvocationResult | undefined,
  ): Promise<Disposition> {
    return (await this.#end(status, revision, state, condition, lastError, config, result, false)) ?? ACK;
  }

  /**
   * Ends the event: a failed or expired one goes to the dead-letter stream
   * first (where redrive finds it), then to its destination, and only then
   * is its final state written and the message acked, so a dispatcher dying
   * on the way leaves the event to be finished again, never lost.
   */
  async #end(
    status: AsyncStatus,
    revision: number | undefined,
    state: AsyncState,
    condition: RecordCondition,
    lastError: string | undefined,
    config: EventInvokeConfig,
    result: InvocationResult | undefined,
    casRequired: boolean,
  ): Promise<Disposition | undefined> {
    const { events } = this.#options;
    const now = Date.now();
    let deadLetterSeq: number | undefined;
    if (state !== 'succeeded') deadLetterSeq = await events.deadLetter(this.#event);
    const destination = state === 'succeeded' ? config.onSuccess : config.onFailure;
    const destinationError =
      destination === undefined ? undefined : await this.#deliver(state === 'succeeded' ? 'on-success' : 'on-failure', destination, condition, status.attempts, result, now);
    const { destinationError: _previous, ...earlier } = status;
    const final: AsyncStatus = {
      ...earlier,
      state,
      updatedAtMs: now,
      finishedAtMs: now,
      ...(lastError !== undefined ? { lastError } : {}),
      ...(deadLetterSeq !== undefined ? { deadLetterSeq } : {}),
      ...(destinationError !== undefined ? { destinationError } : {}),
    };
    if (revision === undefined || !(await events.updateStatus(final, revision))) {
      if (casRequired) return undefined;
      // The state moved on meanwhile (only a cancel could, and a running event cannot be cancelled): write it anyway.
      const latest = await events.status(this.#event.requestId);
      if (latest !== undefined) await events.updateStatus(final, latest.revision);
    }
    return ACK;
  }

  /**
   * Hands the invocation record to the destination, trying DESTINATION_TRIES times. Nothing is lost when it
   * cannot: a record no destination took is kept in the dead-letter stream (`undeliveredRecord`), and the
   * returned text, which the event's state keeps as `destinationError`, says why and where it is. A function
   * destination that does not exist still gets the record as an event of its own, dead-lettered under that
   * function's name until it exists and is redriven. Undefined when the destination took the record.
   */
  async #deliver(
    which: 'on-success' | 'on-failure',
    destinationText: string,
    condition: RecordCondition,
    attempts: number,
    result: InvocationResult | undefined,
    nowMs: number,
  ): Promise<string | undefined> {
    const destination = parseDestination(destinationText);
    if (typeof destination === 'string') return `${which} destination ${destinationText} is not a destination: ${destination}`;
    const record = invocationRecord({
      requestId: this.#event.requestId,
      functionName: this.#event.functionName,
      qualifier: this.#event.qualifier,
      condition,
      approximateInvokeCount: attempts,
      nowMs,
      requestPayload: this.#event.payload,
      ...(result !== undefined ? { response: { executedVersion: result.executedVersion, functionError: result.functionError, payload: result.payload } } : {}),
    });
    const { events, nc, catalog } = this.#options;
    const deliveryId = `${this.#event.requestId}:${condition}`;
    for (let attempt = 1; ; attempt++) {
      try {
        switch (destination.kind) {
          case 'function': {
            const requestId = derivedRequestId(deliveryId);
            const exists = await catalog.resolve(destination.functionName, '').then(
              () => true,
              (err: unknown) => (toStratusError(err).code === 'FUNCTION_NOT_FOUND' ? false : Promise.reject(err)),
            );
            await events.enqueue({ requestId, functionName: destination.functionName, qualifier: '', acceptedAtMs: nowMs, traceDepth: this.#event.traceDepth + 1, payload: record });
            if (exists) return undefined;
            const error = `${which} destination ${destinationText}: the function does not exist; its record is the asynchronous invocation ${requestId}, dead-lettered until the function exists and it is redriven`;
            this.#destinationFailed(which, destinationText, error);
            return error;
          }
          case 'nats':
            // A request, not a publish, so NATS says when nobody listens (no responders) instead of dropping the record silently.
            // Listeners need not answer: a wait that times out means someone got it.
            await nc.request(events.ns.subjects.destination(destination.subject), record, { timeout: NATS_DESTINATION_WAIT_MS }).catch((err: unknown) => {
              if (isNoResponders(err)) throw new StratusError('UNAVAILABLE', `nobody listens on ${destination.subject}`);
              if (!isTimeout(err)) throw err;
            });
            return undefined;
          case 'jetstream':
            await events.js.publish(events.ns.subjects.destination(destination.subject), record, { msgID: deliveryId }).catch((err: unknown) => {
              throw isNoResponders(err) ? new StratusError('UNAVAILABLE', `no JetStream stream captures ${destination.subject}`) : err;
            });
            return undefined;
        }
      } catch (err) {
        const error = toStratusError(err);
        if (attempt >= DESTINATION_TRIES || error.code === 'PAYLOAD_TOO_LARGE') {
          // Stored, or thrown: the event is not acked without its record kept somewhere.
          const seq = await events.keepUndeliveredRecord(this.#event, destinationText, condition, record);
          const text = `${which} destination ${destinationText} not delivered after ${attempt} tries (${error.message}); the invocation record is kept in ${events.ns.streams.deadLetters} at sequence ${seq}`;
          this.#destinationFailed(which, destinationText, text, err);
          return text;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  #destinationFailed(which: string, destination: string, text: string, err?: unknown): void {
    this.#log.error({ err, destination, which, destinationError: text }, 'async destination not delivered');
    this.#options.onDestinationFailed?.(this.#event.functionName, which);
  }

  #initialStatus(): AsyncStatus {
    return {
      requestId: this.#event.requestId,
      functionName: this.#event.functionName,
      qualifier: this.#event.qualifier,
      state: 'queued',
      attempts: 0,
      acceptedAtMs: this.#event.acceptedAtMs,
      updatedAtMs: Date.now(),
      traceDepth: this.#event.traceDepth,
    };
  }
}

/** A request id made from another (UUID-shaped), so a destination delivered twice is one event: its message id dedupes it. */
function derivedRequestId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
