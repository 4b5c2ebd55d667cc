import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, nanos, type ConsumerConfig, type JetStreamManager, type NatsConnection } from 'nats';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'pino';
import { Gauge, Counter, type Registry } from 'prom-client';
import { StratusError, toStratusError } from '@stratus/errors';
import {
  STARTING_POSITIONS,
  eventSourceArn,
  eventSourceMappingSettingsSchema,
  functionArn,
  parseEventSource,
  storedEventSourceMappingSchema,
  type EventSourceMappingSettings,
  type Namespace,
  type StoredEventSourceMapping,
} from '@stratus/contracts';
import type {
  CreateEventSourceMappingRequestMessage,
  EventSourceMappingConfigurationMessage,
  ListEventSourceMappingsRequestMessage,
  ListEventSourceMappingsResponseMessage,
  UpdateEventSourceMappingRequestMessage,
} from '@stratus/contracts/grpc';
import { JS_ERR, ensureStream, jetStreamErrorCode } from '@stratus/registry';
import { splitQualifier } from '../invoke.js';
import type { FunctionCatalog } from '../function-catalog.js';
import { MappingStore, checkUuid } from './mapping-store.js';
import { MappingRunner, type BatchTiming, type MappingRunnerDeps } from './mapping-runner.js';
import type { TriggerRegistry, TriggerSource, TriggerStatus } from '../triggers.js';

/** Users' events are kept as long as SQS keeps messages by default. */
const USER_EVENTS_MAX_AGE_MS = 4 * 24 * 3600 * 1000;
/** NATS's default largest message, with room for headers. */
const USER_EVENTS_MAX_MSG_BYTES = 1024 * 1024 + 4096;
/** Messages of one mapping handed out and not yet acked, all frontends together. */
const CONSUMER_MAX_ACK_PENDING = 20_000;
const LIST_DEFAULT = 100;
/** How often a frontend writes a changed LastProcessingResult to etcd. */
const RESULT_FLUSH_MS = 5_000;
/** How long `stratus triggers ls` and /metrics reuse the consumers' backlog before asking JetStream again. */
const BACKLOG_FRESH_MS = 2_000;
/** The kind event source mappings are listed under in `stratus triggers ls`. */
export const MAPPING_TRIGGER_KIND = 'event-source-mapping';

export interface EventSourceMappingsOptions {
  readonly nc: NatsConnection;
  readonly etcd: Etcd3;
  readonly ns: Namespace;
  readonly catalog: FunctionCatalog;
  readonly log: Logger;
  readonly metricsRegistry: Registry;
  /** Where mappings are listed (`stratus triggers ls`, `/metrics`) and their batches counted. Default: not listed. */
  readonly triggers?: TriggerRegistry | undefined;
  /** Replicas of the user-events stream when this frontend creates it. Default 1. */
  readonly replicas?: number;
  /** What runners need to invoke; undefined for a frontend that serves the API but runs no mapping. */
  readonly run: Omit<MappingRunnerDeps, 'nc' | 'js' | 'ns' | 'catalog' | 'log' | 'onResult' | 'onDropped'> | undefined;
}

type RunnerDeps = MappingRunnerDeps;

/**
 * Event source mappings on one frontend: the API (Lambda's
 * Create/Get/Update/Delete/ListEventSourceMappings, stored in etcd) and the
 * runners of every enabled mapping. Every frontend runs every enabled
 * mapping: a JetStream source's durable consumer and a NATS source's queue
 * group hand each message to one of them.
 */
export class EventSourceMappings implements TriggerSource {
  readonly kind = MAPPING_TRIGGER_KIND;
  readonly #options: EventSourceMappingsOptions;
  readonly #jsm: JetStreamManager;
  readonly #log: Logger;
  readonly #runners = new Map<string, { runner: MappingRunner; runKey: string }>();
  readonly #results = new Map<string, { text: string; written: boolean }>();
  readonly #resultTimer: NodeJS.Timeout;
  /** This frontend's batches per mapping, for `stratus triggers ls`. */
  readonly #fires = new Map<string, { lastFireMs?: number; lagMs?: number; lastError?: string; lastErrorMs?: number }>();
  #backlog: { readonly atMs: number; readonly byUuid: ReadonlyMap<string, number> } | undefined;
  #backlogRead: Promise<ReadonlyMap<string, number>> | undefined;
  #unregister: (() => void) | undefined;
  #store: MappingStore | undefined;
  #deps: RunnerDeps | undefined;
  #closed = false;
  #changes: Promise<void> = Promise.resolve();

  private constructor(options: EventSourceMappingsOptions, jsm: JetStreamManager) {
    this.#options = options;
    this.#jsm = jsm;
    this.#log = options.log.child({ component: 'event-source-mappings' });
    this.#resultTimer = setInterval(() => void this.#flushResults(), RESULT_FLUSH_MS);
    this.#resultTimer.unref();
  }

  static async open(options: EventSourceMappingsOptions): Promise<EventSourceMappings> {
    const { nc, ns } = options;
    const jsm = await nc.jetstreamManager();
    await ensureStream(jsm, {
      name: ns.streams.userEvents,
      subjects: [ns.subjects.allUserEvents()],
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      num_replicas: options.replicas ?? 1,
      discard: DiscardPolicy.Old,
      max_age: nanos(USER_EVENTS_MAX_AGE_MS),
      max_msg_size: USER_EVENTS_MAX_MSG_BYTES,
      duplicate_window: nanos(120_000),
    });
    const mappings = new EventSourceMappings(options, jsm);
    mappings.#registerMetrics(options.metricsRegistry);
    if (options.run !== undefined) {
      const dropped = mappings.#droppedCounter(options.metricsRegistry);
      mappings.#deps = {
        ...options.run,
        nc,
        js: nc.jetstream(),
        ns,
        catalog: options.catalog,
        log: options.log,
        onResult: (uuid, text, batch) => mappings.#recordResult(uuid, text, batch),
        onDropped: (uuid, count) => dropped.inc({ mapping: uuid }, count),
      };
    }
    mappings.#store = await MappingStore.open({
      etcd: options.etcd,
      ns,
      log: options.log,
      onChange: (uuid, mapping) => mappings.#onChange(uuid, mapping),
    });
    for (const mapping of mappings.#store.cached()) mappings.#onChange(mapping.uuid, mapping);
    mappings.#unregister = options.triggers?.register(mappings);
    return mappings;
  }

  /**
   * One trigger per mapping: its state, source, backlog (a jetstream: source's consumer pending and
   * unacknowledged counts, read at most every 2 s; a nats: source's messages this frontend holds), and
   * this frontend's last batch (when, how long its oldest message had waited) and last problem, or the
   * stored LastProcessingResult's problem when another frontend ran it.
   */
  async triggers(): Promise<readonly TriggerStatus[]> {
    const mappings = [...(this.#store?.cached() ?? [])];
    const backlog = await this.#backlogs(mappings);
    return mappings.map((mapping) => {
      const fires = this.#fires.get(mapping.uuid);
      const stored = mapping.lastProcessingResult.startsWith('PROBLEM: ') ? mapping.lastProcessingResult.slice('PROBLEM: '.length) : undefined;
      const lastError = fires?.lastError ?? stored;
      return {
        kind: MAPPING_TRIGGER_KIND,
        name: mapping.uuid,
        functionName: mapping.functionName,
        qualifier: mapping.qualifier,
        state: mapping.state.toUpperCase(),
        source: mapping.source,
        backlog: mapping.source.startsWith('jetstream:') ? backlog.get(mapping.uuid) : (this.#runners.get(mapping.uuid)?.runner.buffered ?? 0),
        lastFireMs: fires?.lastFireMs,
        lagMs: fires?.lagMs,
        lastError,
        lastErrorMs: lastError === undefined ? undefined : fires?.lastErrorMs,
      };
    });
  }

  /** Each jetstream: mapping's backlog, from JetStream at most every BACKLOG_FRESH_MS, one read at a time. */
  async #backlogs(mappings: readonly StoredEventSourceMapping[]): Promise<ReadonlyMap<string, number>> {
    if (this.#backlog !== undefined && Date.now() - this.#backlog.atMs < BACKLOG_FRESH_MS) return this.#backlog.byUuid;
    this.#backlogRead ??= (async () => {
      const byUuid = new Map<string, number>();
      await Promise.all(
        mappings
          .filter((mapping) => mapping.source.startsWith('jetstream:') && mapping.state !== 'Deleting')
          .map(async (mapping) => {
            const lag = await this.#lag(mapping);
            if (lag >= 0) byUuid.set(mapping.uuid, lag);
          }),
      );
      this.#backlog = { atMs: Date.now(), byUuid };
      return byUuid;
    })().finally(() => {
      this.#backlogRead = undefined;
    });
    return this.#backlogRead;
  }

  get #mappingStore(): MappingStore {
    if (this.#store === undefined) throw new StratusError('UNAVAILABLE', 'event source mappings are starting');
    return this.#store;
  }

  async create(request: CreateEventSourceMappingRequestMessage): Promise<EventSourceMappingConfigurationMessage> {
    const source = parseEventSource(request.eventSourceArn);
    if (typeof source === 'string') throw invalid('eventSourceArn', source);
    const { name, qualifier } = splitQualifier(request.functionName, '');
    // The function must exist now, as Lambda checks; it may be deleted later (its batches then fail).
    await this.#options.catalog.resolve(name, qualifier);
    const settings = parseSettings({
      ...(request.batchSize !== 0 ? { batchSize: request.batchSize } : {}),
      maximumBatchingWindowInSeconds: request.maximumBatchingWindowInSeconds,
      ...(request.enabled !== undefined ? { enabled: request.enabled } : {}),
      functionResponseTypes: request.functionResponseTypes,
      ...(request.maximumRetryAttempts !== undefined ? { maximumRetryAttempts: request.maximumRetryAttempts } : {}),
      ...(request.destinationConfig?.onFailure ? { onFailure: request.destinationConfig.onFailure } : {}),
    });
    let startingPosition: StoredEventSourceMapping['startingPosition'];
    let startingPositionTimestampMs: number | undefined;
    if (source.kind === 'jetstream') {
      const position = request.startingPosition === '' ? 'LATEST' : request.startingPosition;
      if (!(STARTING_POSITIONS as readonly string[]).includes(position)) throw invalid('startingPosition', `must be one of ${STARTING_POSITIONS.join(', ')}; got ${JSON.stringify(position.slice(0, 50))}`);
      startingPosition = position as StoredEventSourceMapping['startingPosition'];
      if (startingPosition === 'AT_TIMESTAMP') {
        if (request.startingPositionTimestampMs <= 0) throw invalid('startingPositionTimestampMs', 'AT_TIMESTAMP needs a time in ms since the epoch');
        startingPositionTimestampMs = request.startingPositionTimestampMs;
      } else if (request.startingPositionTimestampMs !== 0) {
        throw invalid('startingPositionTimestampMs', 'is only for AT_TIMESTAMP');
      }
    } else if (request.startingPosition !== '' || request.startingPositionTimestampMs !== 0) {
      throw invalid('startingPosition', 'a nats: source is read live, from when the mapping starts: it takes no starting position (use a jetstream: source to read stored events)');
    }
    const mapping = storedEventSourceMappingSchema.parse({
      ...settings,
      uuid: randomUUID(),
      functionName: name,
      qualifier,
      source: `${source.kind}:${source.subject}`,
      ...(startingPosition !== undefined ? { startingPosition } : {}),
      ...(startingPositionTimestampMs !== undefined ? { startingPositionTimestampMs } : {}),
      state: settings.enabled ? 'Enabled' : 'Disabled',
      lastModified: new Date().toISOString(),
    });
    // The consumer first: a mapping is never stored without the position it starts from.
    if (source.kind === 'jetstream') await this.#createConsumer(mapping);
    try {
      await this.#mappingStore.create(mapping);
    } catch (err) {
      if (source.kind === 'jetstream') await this.#deleteConsumer(mapping.uuid);
      throw err;
    }
    return this.#toMessage(mapping);
  }

  async get(uuid: string): Promise<EventSourceMappingConfigurationMessage> {
    const { mapping } = await this.#mappingStore.get(uuid);
    return this.#toMessage(mapping, await this.#lag(mapping));
  }

  async update(request: UpdateEventSourceMappingRequestMessage): Promise<EventSourceMappingConfigurationMessage> {
    const uuid = checkUuid(request.uuid);
    for (let round = 0; ; round++) {
      const { mapping, revision } = await this.#mappingStore.get(uuid);
      if (mapping.state === 'Deleting') throw new StratusError('RESOURCE_IN_USE', `event source mapping ${uuid} is being deleted`);
      let functionName = mapping.functionName;
      let qualifier = mapping.qualifier;
      if (request.functionName !== '') {
        ({ name: functionName, qualifier } = splitQualifier(request.functionName, ''));
        await this.#options.catalog.resolve(functionName, qualifier);
      }
      const destination = request.destinationConfig;
      const settings = parseSettings({
        batchSize: request.batchSize ?? mapping.batchSize,
        maximumBatchingWindowInSeconds: request.maximumBatchingWindowInSeconds ?? mapping.maximumBatchingWindowInSeconds,
        enabled: request.enabled ?? mapping.enabled,
        functionResponseTypes: request.replaceFunctionResponseTypes ? request.functionResponseTypes : mapping.functionResponseTypes,
        maximumRetryAttempts: request.maximumRetryAttempts ?? mapping.maximumRetryAttempts,
        ...(destination === null || destination === undefined
          ? mapping.onFailure !== undefined
            ? { onFailure: mapping.onFailure }
            : {}
          : destination.onFailure !== ''
            ? { onFailure: destination.onFailure }
            : {}),
      });
      const next: StoredEventSourceMapping = {
        ...mapping,
        ...settings,
        functionName,
        qualifier,
        state: settings.enabled ? 'Enabled' : 'Disabled',
        lastModified: new Date().toISOString(),
      };
      if (settings.onFailure === undefined) delete next.onFailure;
      try {
        await this.#mappingStore.replace(next, revision);
        return this.#toMessage(next);
      } catch (err) {
        if (toStratusError(err).code !== 'CONFLICT' || round >= 4) throw err;
      }
    }
  }

  async delete(uuid: string): Promise<EventSourceMappingConfigurationMessage> {
    const { mapping, revision } = await this.#mappingStore.get(checkUuid(uuid));
    const deleting: StoredEventSourceMapping = { ...mapping, state: 'Deleting', lastModified: new Date().toISOString() };
    // Deleting first, so every frontend stops running it before its consumer goes.
    await this.#mappingStore.replace(deleting, revision).catch((err: unknown) => {
      if (toStratusError(err).code !== 'CONFLICT') throw err;
    });
    if (mapping.source.startsWith('jetstream:')) await this.#deleteConsumer(mapping.uuid);
    await this.#mappingStore.delete(mapping.uuid);
    return this.#toMessage(deleting);
  }

  async list(request: ListEventSourceMappingsRequestMessage): Promise<ListEventSourceMappingsResponseMessage> {
    let functionName: string | undefined;
    if (request.functionName !== '') functionName = splitQualifier(request.functionName, '').name;
    let sourceText: string | undefined;
    if (request.eventSourceArn !== '') {
      const source = parseEventSource(request.eventSourceArn);
      if (typeof source === 'string') throw invalid('eventSourceArn', source);
      sourceText = `${source.kind}:${source.subject}`;
    }
    const maxItems = request.maxItems === 0 ? LIST_DEFAULT : request.maxItems;
    const all = (await this.#mappingStore.list())
      .filter((mapping) => (functionName === undefined || mapping.functionName === functionName) && (sourceText === undefined || mapping.source === sourceText))
      .sort((a, b) => a.uuid.localeCompare(b.uuid));
    const start = request.marker === '' ? 0 : all.findIndex((mapping) => mapping.uuid > request.marker);
    const page = start < 0 ? [] : all.slice(start, start + maxItems);
    const last = page.at(-1);
    const nextMarker = last !== undefined && all.indexOf(last) < all.length - 1 ? last.uuid : '';
    return { eventSourceMappings: await Promise.all(page.map(async (mapping) => this.#toMessage(mapping, await this.#lag(mapping)))), nextMarker };
  }

  /** Stops every runner here: batches in hand finish; the messages not yet in a batch stay for other frontends. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unregister?.();
    clearInterval(this.#resultTimer);
    await this.#changes;
    await Promise.all([...this.#runners.values()].map(({ runner }) => runner.stop()));
    this.#runners.clear();
    await this.#flushResults();
    await this.#store?.close();
  }

  #onChange(uuid: string, mapping: StoredEventSourceMapping | undefined): void {
    this.#changes = this.#changes.then(() => this.#apply(uuid, mapping)).catch((err: unknown) => this.#log.error({ err, mapping: uuid }, 'cannot apply a change of an event source mapping'));
  }

  async #apply(uuid: string, mapping: StoredEventSourceMapping | undefined): Promise<void> {
    if (this.#closed || this.#deps === undefined) return;
    const current = this.#runners.get(uuid);
    const wanted = mapping !== undefined && mapping.state === 'Enabled' ? mapping : undefined;
    const runKey = wanted === undefined ? '' : runKeyOf(wanted);
    if (current !== undefined && current.runKey === runKey) return;
    if (current !== undefined) {
      this.#runners.delete(uuid);
      await current.runner.stop();
    }
    if (wanted !== undefined && !this.#closed) {
      const runner = new MappingRunner(wanted, this.#deps);
      this.#runners.set(uuid, { runner, runKey });
      runner.start();
    }
  }

  async #createConsumer(mapping: StoredEventSourceMapping): Promise<void> {
    const { ns } = this.#options;
    const source = parseEventSource(mapping.source);
    if (typeof source === 'string') throw invalid('eventSourceArn', source);
    const config: Partial<ConsumerConfig> = {
      durable_name: ns.consumers.eventSourceMapping(mapping.uuid),
      filter_subject: ns.subjects.userEvent(source.subject),
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(this.#deps?.settings.ackWaitMs ?? 30_000),
      // Retries are counted by the runner from the delivery count, so JetStream never gives up on a message itself.
      max_deliver: -1,
      max_ack_pending: CONSUMER_MAX_ACK_PENDING,
      ...(mapping.startingPosition === 'TRIM_HORIZON'
        ? { deliver_policy: DeliverPolicy.All }
        : mapping.startingPosition === 'AT_TIMESTAMP'
          ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(mapping.startingPositionTimestampMs ?? 0).toISOString() }
          : { deliver_policy: DeliverPolicy.New }),
    };
    await this.#jsm.consumers.add(ns.streams.userEvents, config);
  }

  async #deleteConsumer(uuid: string): Promise<void> {
    const { ns } = this.#options;
    try {
      await this.#jsm.consumers.delete(ns.streams.userEvents, ns.consumers.eventSourceMapping(uuid));
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_ERR.consumerNotFound) this.#log.warn({ err, mapping: uuid }, 'cannot delete the consumer of a deleted event source mapping');
    }
  }

  /** Messages not yet delivered to the function: the consumer's pending and unacknowledged counts; -1 when unknown (plain NATS). */
  async #lag(mapping: StoredEventSourceMapping): Promise<number> {
    if (!mapping.source.startsWith('jetstream:')) return -1;
    try {
      const info = await this.#jsm.consumers.info(this.#options.ns.streams.userEvents, this.#options.ns.consumers.eventSourceMapping(mapping.uuid));
      return info.num_pending + info.num_ack_pending;
    } catch {
      return -1;
    }
  }

  #recordResult(uuid: string, text: string, batch?: BatchTiming): void {
    const fires = this.#fires.get(uuid) ?? {};
    const problem = text.startsWith('PROBLEM: ') ? text.slice('PROBLEM: '.length) : undefined;
    if (batch !== undefined) Object.assign(fires, { lastFireMs: batch.invokedAtMs, lagMs: batch.lagMs });
    if (problem !== undefined) Object.assign(fires, { lastError: problem, lastErrorMs: Date.now() });
    else delete fires.lastError;
    this.#fires.set(uuid, fires);
    if (batch !== undefined) this.#options.triggers?.fired(MAPPING_TRIGGER_KIND, uuid, problem === undefined ? 'ok' : 'error');
    const previous = this.#results.get(uuid);
    if (previous?.text === text) return;
    this.#results.set(uuid, { text, written: false });
  }

  async #flushResults(): Promise<void> {
    const store = this.#store;
    if (store === undefined) return;
    for (const [uuid, result] of this.#results) {
      if (result.written) continue;
      result.written = true;
      try {
        const { mapping, revision } = await store.get(uuid);
        if (mapping.lastProcessingResult !== result.text && mapping.state !== 'Deleting') await store.replace({ ...mapping, lastProcessingResult: result.text }, revision);
      } catch (err) {
        const code = toStratusError(err).code;
        if (code === 'EVENT_SOURCE_MAPPING_NOT_FOUND') this.#results.delete(uuid);
        else if (code === 'CONFLICT') result.written = false;
        else this.#log.warn({ err, mapping: uuid }, 'cannot record the last processing result');
      }
    }
  }

  #toMessage(mapping: StoredEventSourceMapping, lag = -1): EventSourceMappingConfigurationMessage {
    const source = parseEventSource(mapping.source);
    const local = this.#results.get(mapping.uuid)?.text;
    return {
      uuid: mapping.uuid,
      functionArn: mapping.qualifier === '' ? functionArn(mapping.functionName) : `${functionArn(mapping.functionName)}:${mapping.qualifier}`,
      eventSourceArn: typeof source === 'string' ? mapping.source : eventSourceArn(source),
      batchSize: mapping.batchSize,
      maximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
      startingPosition: mapping.startingPosition ?? '',
      startingPositionTimestampMs: mapping.startingPositionTimestampMs ?? 0,
      state: mapping.state,
      stateTransitionReason: mapping.stateTransitionReason,
      lastModified: mapping.lastModified,
      lastProcessingResult: local ?? mapping.lastProcessingResult,
      functionResponseTypes: [...mapping.functionResponseTypes],
      maximumRetryAttempts: mapping.maximumRetryAttempts,
      destinationConfig: { onFailure: mapping.onFailure ?? '' },
      lag,
    };
  }

  #registerMetrics(registry: Registry): void {
    const lagOf = (mapping: StoredEventSourceMapping): Promise<number> => this.#lag(mapping);
    const store = (): MappingStore | undefined => this.#store;
    const runners = this.#runners;
    new Gauge({
      name: 'stratus_event_source_mapping_lag',
      help: 'Messages of an event source mapping not yet delivered to its function: a jetstream: source consumer pending and unacknowledged counts; a nats: source the messages this frontend holds.',
      labelNames: ['mapping', 'function', 'source'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const mapping of store()?.cached() ?? []) {
          if (mapping.state === 'Deleting') continue;
          const labels = { mapping: mapping.uuid, function: mapping.functionName, source: mapping.source };
          if (mapping.source.startsWith('jetstream:')) {
            const lag = await lagOf(mapping);
            if (lag >= 0) this.set(labels, lag);
          } else {
            this.set(labels, runners.get(mapping.uuid)?.runner.buffered ?? 0);
          }
        }
      },
    });
  }

  #droppedCounter(registry: Registry): Counter<'mapping'> {
    return new Counter({
      name: 'stratus_event_source_mapping_dropped_total',
      help: 'Messages of a nats: event source mapping dropped because this frontend held too many waiting for a batch (at most once).',
      labelNames: ['mapping'],
      registers: [registry],
    });
  }
}

/** What a runner depends on: a change of anything else (the last result, the time) does not restart it. */
function runKeyOf(mapping: StoredEventSourceMapping): string {
  const { lastProcessingResult: _result, lastModified: _modified, stateTransitionReason: _reason, ...rest } = mapping;
  return JSON.stringify(rest);
}

function parseSettings(input: unknown): EventSourceMappingSettings {
  const parsed = eventSourceMappingSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  const name = field === 'onFailure' ? 'destinationConfig.onFailure' : field;
  return invalidThrow(name, issue?.message ?? 'is not valid');
}

function invalid(field: string, message: string): StratusError {
  return new StratusError('INVALID_ARGUMENT', `${field}: ${message}`, { details: { field } });
}

function invalidThrow(field: string, message: string): never {
  throw invalid(field, message);
}
