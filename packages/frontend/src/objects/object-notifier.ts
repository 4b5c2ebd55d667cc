import { createHash } from 'node:crypto';
import type { Consumer, ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from 'nats';
import type { Logger } from 'pino';
import {
  bucketOfNatsObjectBucket,
  notificationMatches,
  s3EventDocument,
  type BucketNotifications,
  type ObjectChange,
} from '@stratus/contracts';
import { jetStreamErrorCode, JS_ERR } from '@stratus/registry';
import type { AsyncEvents } from '../async-events.js';
import type { TriggerRegistry, TriggerSource, TriggerStatus } from '../triggers.js';
import { OBJECT_META, type ObjectStore, type StoredObjectInfo } from './object-store.js';

export interface ObjectNotifierOptions {
  readonly store: ObjectStore;
  readonly events: AsyncEvents;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly log: Logger;
  /** The region written into S3 event documents. Default 'local'. */
  readonly region?: string;
  /** An event was enqueued for this function here: its dispatcher may start on it at once. */
  readonly onEnqueued?: (functionName: string) => void;
  /** Where bucket notifications are listed (`stratus triggers ls`, `/metrics`) and their firings counted. Default: not listed. */
  readonly triggers?: TriggerRegistry | undefined;
  /** How often the buckets are looked at for changes not yet notified (a change made here is handled at once), in ms. Default 5000. */
  readonly scanIntervalMs?: number;
}

/** The kind bucket notifications are listed under in `stratus triggers ls`. */
export const OBJECT_TRIGGER_KIND = 'object-notification';

/** Changes handled at once per bucket on one frontend. */
const BATCH = 64;
/** How long notification settings read from the key-value bucket are used before they are read again, in ms. */
const SETTINGS_TTL_MS = 1000;

/**
 * Turns changes of buckets into asynchronous invocations, as S3 invokes
 * Lambda: each bucket's object infos are read from its durable consumer
 * (shared by every frontend, so each change is handled by one of them at a
 * time, and one made while no frontend ran waits for the next), matched
 * against the bucket's notification configurations, and each match is
 * enqueued in the async stream with a request id derived from the bucket's
 * incarnation, the change's stream sequence and the configuration id: a
 * change handled twice (a frontend dying before its ack) is enqueued once,
 * by JetStream's deduplication within two minutes and by the event's state
 * record (kept 14 days) after that. The change is acked only once its events
 * are stored.
 */
export class ObjectNotifier implements TriggerSource {
  readonly kind = OBJECT_TRIGGER_KIND;
  readonly #options: ObjectNotifierOptions;
  /** What `triggers()` answers from: each notified bucket's configurations and backlog, refreshed by every scan. */
  readonly #reported = new Map<string, { notifications: BucketNotifications; backlog: number }>();
  readonly #fires = new Map<string, { lastFireMs?: number; lastError?: string; lastErrorMs?: number }>();
  readonly #unregister: (() => void) | undefined;
  readonly #log: Logger;
  readonly #lanes = new Map<string, BucketLane>();
  readonly #lastSeq = new Map<string, number>();
  readonly #settings = new Map<string, { at: number; notifications: BucketNotifications; created: string }>();
  readonly #timer: NodeJS.Timeout;
  #scanning: Promise<void> | undefined;
  #stopped = false;
  #closed: Promise<void> | undefined;

  private constructor(options: ObjectNotifierOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'object-notifier' });
    this.#timer = setInterval(() => this.#scanSoon(), options.scanIntervalMs ?? 5000);
    this.#unregister = options.triggers?.register(this);
  }

  /** One trigger per notification configuration of every bucket, as of the last scan. */
  triggers(): readonly TriggerStatus[] {
    const out: TriggerStatus[] = [];
    for (const [bucket, { notifications, backlog }] of this.#reported) {
      for (const config of notifications.configurations) {
        const name = `${bucket}/${config.id}`;
        const fires = this.#fires.get(name);
        out.push({
          kind: OBJECT_TRIGGER_KIND,
          name,
          functionName: config.functionName,
          qualifier: config.qualifier,
          state: 'ENABLED',
          source: `s3://${bucket}/${config.prefix}*${config.suffix} ${config.events.join(',')}`,
          backlog,
          lastFireMs: fires?.lastFireMs,
          lastError: fires?.lastError,
          lastErrorMs: fires?.lastErrorMs,
        });
      }
    }
    return out;
  }

  /** Counts one change enqueued (or not) for a configuration. */
  fired(bucket: string, configurationId: string, error?: unknown): void {
    const name = `${bucket}/${configurationId}`;
    const now = Date.now();
    const fires = this.#fires.get(name) ?? {};
    if (error === undefined) fires.lastFireMs = now;
    else Object.assign(fires, { lastError: error instanceof Error ? error.message : JSON.stringify(error), lastErrorMs: now });
    this.#fires.set(name, fires);
    this.#options.triggers?.fired(OBJECT_TRIGGER_KIND, name, error === undefined ? 'ok' : 'error');
  }

  static start(options: ObjectNotifierOptions): ObjectNotifier {
    const notifier = new ObjectNotifier(options);
    notifier.#scanSoon();
    return notifier;
  }

  /** A change was just made to this bucket here: handle it without waiting for the next scan. */
  nudge(bucket: string): void {
    this.#lane(bucket);
  }

  /** Changes of each bucket not yet handled (waiting, or being handled), from its durable consumer. */
  async lag(bucket: string): Promise<number> {
    const { store, jsm } = this.#options;
    try {
      const info = await jsm.consumers.info(store.streamOf(bucket), store.ns.consumers.objectNotifier);
      return info.num_pending + info.num_ack_pending;
    } catch (err) {
      if (jetStreamErrorCode(err) === JS_ERR.consumerNotFound || jetStreamErrorCode(err) === JS_ERR.streamNotFound) return 0;
      throw err;
    }
  }

  /** Stops pulling changes and waits for those in hand; the rest stay for the next notifier. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#unregister?.();
    await this.#scanning;
    await Promise.all([...this.#lanes.values()].map((lane) => lane.stop()));
  }

  #scanSoon(): void {
    this.#scanning ??= this.#scan().finally(() => (this.#scanning = undefined));
  }

  /** A lane for every bucket whose stream moved since its last lane went idle (and for every bucket at start). */
  async #scan(): Promise<void> {
    if (this.#stopped) return;
    const { store, jsm } = this.#options;
    try {
      for await (const info of jsm.streams.list()) {
        if (!info.config.name.startsWith('OBJ_')) continue;
        const bucket = bucketOfNatsObjectBucket(store.ns.prefix, info.config.name.slice('OBJ_'.length));
        if (bucket === undefined) continue;
        if (this.#lastSeq.get(bucket) !== info.state.last_seq) this.#lane(bucket, info.state.last_seq);
        if (this.#options.triggers !== undefined) await this.#report(bucket);
      }
    } catch (err) {
      this.#log.warn({ err }, 'cannot list buckets for notifications; trying again');
    }
  }

  async #report(bucket: string): Promise<void> {
    const settings = await this.settings(bucket);
    if (settings === undefined || settings.notifications.configurations.length === 0) {
      this.#reported.delete(bucket);
      return;
    }
    this.#reported.set(bucket, { notifications: settings.notifications, backlog: await this.lag(bucket) });
  }

  #lane(bucket: string, seenSeq?: number): void {
    if (this.#stopped || this.#lanes.has(bucket)) return;
    const lane = new BucketLane(bucket, this, this.#options, this.#log.child({ bucket }), () => {
      this.#lanes.delete(bucket);
      if (seenSeq !== undefined) this.#lastSeq.set(bucket, seenSeq);
    });
    this.#lanes.set(bucket, lane);
    lane.start();
  }

  /** The bucket's notification settings and incarnation, read again at most once a second. */
  async settings(bucket: string): Promise<{ notifications: BucketNotifications; created: string } | undefined> {
    const cached = this.#settings.get(bucket);
    if (cached !== undefined && Date.now() - cached.at < SETTINGS_TTL_MS) return cached;
    const created = await this.#options.store.bucketCreated(bucket);
    if (created === undefined) return undefined;
    const fresh = { at: Date.now(), notifications: await this.#options.store.getNotifications(bucket), created };
    this.#settings.set(bucket, fresh);
    return fresh;
  }
}

class BucketLane {
  readonly #bucket: string;
  readonly #notifier: ObjectNotifier;
  readonly #options: ObjectNotifierOptions;
  readonly #log: Logger;
  readonly #onEnd: () => void;
  #stopped = false;
  #batch: ConsumerMessages | undefined;
  #loop: Promise<void> | undefined;

  constructor(bucket: string, notifier: ObjectNotifier, options: ObjectNotifierOptions, log: Logger, onEnd: () => void) {
    this.#bucket = bucket;
    this.#notifier = notifier;
    this.#options = options;
    this.#log = log;
    this.#onEnd = onEnd;
  }

  start(): void {
    this.#loop = this.#run()
      .catch((err: unknown) => {
        if (jetStreamErrorCode(err) === JS_ERR.streamNotFound) return;
        this.#log.warn({ err }, 'bucket notifications stopped on an error; the next scan starts them again');
      })
      .finally(() => this.#onEnd());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#batch?.stop();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const consumer = await this.#consumer();
    let idleRounds = 0;
    while (!this.#stopped) {
      const batch = await consumer.fetch({ max_messages: BATCH, expires: 1000 });
      this.#batch = batch;
      const handled: Promise<string | undefined>[] = [];
      for await (const message of batch) handled.push(this.#handle(message));
      const keys = await Promise.all(handled);
      this.#batch = undefined;
      if (keys.some((key) => key !== undefined)) await this.#compact(keys);
      idleRounds = handled.length === 0 ? idleRounds + 1 : 0;
      if (idleRounds >= 2) return;
    }
  }

  async #consumer(): Promise<Consumer> {
    const { store, js } = this.#options;
    await store.ensureNotifierConsumer(this.#bucket);
    return js.consumers.get(store.streamOf(this.#bucket), store.ns.consumers.objectNotifier);
  }

  /** Handles one change; gives its key once it is acked. */
  async #handle(message: JsMsg): Promise<string | undefined> {
    try {
      const key = await this.#notify(message);
      await message.ackAck();
      return key;
    } catch (err) {
      this.#log.warn({ err, seq: message.seq }, 'object change not notified yet; it comes back');
      message.nak(1000);
      return undefined;
    }
  }

  /**
   * Deletes infos that later ones replaced, once every notifier is past them
   * (below the consumer's ack floor): the object store keeps no history of
   * a key beyond what notifications still need.
   */
  async #compact(keys: readonly (string | undefined)[]): Promise<void> {
    const { store, jsm } = this.#options;
    try {
      const floor = (await jsm.consumers.info(store.streamOf(this.#bucket), store.ns.consumers.objectNotifier)).ack_floor.stream_seq;
      for (const key of new Set(keys)) if (key !== undefined) await store.compactInfos(this.#bucket, key, floor + 1);
    } catch (err) {
      this.#log.debug({ err }, 'object infos not compacted; the next change of each key does it');
    }
  }

  /** Enqueues the change's events; gives the changed key. */
  async #notify(message: JsMsg): Promise<string | undefined> {
    let info: StoredObjectInfo;
    try {
      info = JSON.parse(message.string()) as StoredObjectInfo;
    } catch {
      this.#log.warn({ seq: message.seq }, 'an object info that is not JSON: skipped');
      return undefined;
    }
    const settings = await this.#notifier.settings(this.#bucket);
    if (settings === undefined || settings.notifications.configurations.length === 0) return info.name;
    const change: ObjectChange = info.deleted === true ? 'ObjectRemoved:Delete' : 'ObjectCreated:Put';
    const metadata = info.metadata ?? {};
    const traceDepth = Number(metadata[OBJECT_META.traceDepth] ?? '0');
    const { events } = this.#options;
    for (const config of settings.notifications.configurations) {
      if (!notificationMatches(config, change, info.name)) continue;
      const requestId = changeRequestId(events.ns.prefix, this.#bucket, settings.created, message.seq, config.id);
      // Handled before, and its event stored (and perhaps already run): never twice.
      if ((await events.status(requestId)) !== undefined) continue;
      const document = s3EventDocument({
        bucket: this.#bucket,
        key: info.name,
        change,
        eventTime: new Date(info.mtime),
        ...(change === 'ObjectCreated:Put' ? { size: info.size, etag: metadata[OBJECT_META.etag] ?? '' } : {}),
        streamSequence: message.seq,
        configurationId: config.id,
        principalId: metadata[OBJECT_META.principal] ?? '',
        sourceIp: metadata[OBJECT_META.sourceIp] ?? '',
        requestId: metadata[OBJECT_META.requestId] ?? requestId,
        region: this.#options.region ?? 'local',
      });
      try {
        await events.enqueue(
          {
            requestId,
            functionName: config.functionName,
            qualifier: config.qualifier,
            acceptedAtMs: Date.now(),
            traceDepth: Number.isSafeInteger(traceDepth) && traceDepth >= 0 ? traceDepth : 0,
            payload: Buffer.from(JSON.stringify(document)),
          },
          requestId,
        );
      } catch (err) {
        this.#notifier.fired(this.#bucket, config.id, err);
        throw err;
      }
      this.#notifier.fired(this.#bucket, config.id);
      this.#options.onEnqueued?.(config.functionName);
    }
    return info.name;
  }
}

/** The request id of one change's event for one configuration: the same wherever and however often the change is handled. */
export function changeRequestId(namespace: string, bucket: string, bucketCreated: string, seq: number, configurationId: string): string {
  const hex = createHash('sha256').update(`${namespace}\0${bucket}\0${bucketCreated}\0${seq}\0${configurationId}`).digest('hex');
  // UUID-shaped (version 8: custom), as Lambda's request ids are UUIDs.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
