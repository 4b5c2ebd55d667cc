import { createHash } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  StorageType,
  nuid,
  type JetStreamClient,
  type JetStreamManager,
  type KV,
  type NatsConnection,
  type StoredMsg,
} from 'nats';
import { StratusError } from '@stratus/errors';
import {
  DEFAULT_CONTENT_TYPE,
  OBJECT_LIMITS,
  bucketNameProblem,
  bucketNotificationsSchema,
  bucketOfNatsObjectBucket,
  contentTypeProblem,
  natsObjectBucket,
  objectKeyProblem,
  objectMetadataProblem,
  type BucketNotifications,
  type Namespace,
} from '@stratus/contracts';
import { jetStreamErrorCode, JS_ERR, retryingSetup } from '@stratus/registry';

/** What Stratus keeps beside the user's metadata in an object's info; upper case, which user metadata names never are. */
export const OBJECT_META = {
  etag: 'Stratus-Etag',
  contentType: 'Stratus-Content-Type',
  traceDepth: 'Stratus-Trace-Depth',
  principal: 'Stratus-Principal',
  sourceIp: 'Stratus-Source-Ip',
  requestId: 'Stratus-Request-Id',
} as const;
const RESERVED_META: ReadonlySet<string> = new Set(Object.values(OBJECT_META));

/** JetStream object store chunks: nats.js's default, and what `os.get` of another client expects to read. */
const CHUNK_BYTES = 128 * 1024;
/** Chunk publishes awaiting their acks at once: bounds what an upload holds in memory while JetStream stores it. */
const CHUNKS_IN_FLIGHT = 8;

/** An object's info as the object store's meta message holds it (nats.js's ObjectStoreMeta, on the wire). */
export interface StoredObjectInfo {
  name: string;
  description?: string;
  bucket: string;
  nuid: string;
  size: number;
  chunks: number;
  mtime: string;
  digest: string;
  deleted?: boolean;
  options?: { max_chunk_size?: number };
  metadata?: Record<string, string>;
}

export interface ObjectSummary {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** MD5 hex, unquoted. */
  readonly etag: string;
  readonly lastModified: string;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** The stream sequence of the object's info: increases with every change of the bucket. */
  readonly revision: number;
}

export interface BucketSummary {
  readonly name: string;
  readonly creationDate: string;
}

export interface PutObjectInput {
  readonly bucket: string;
  readonly key: string;
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly traceDepth?: number;
  readonly principal: string;
  readonly sourceIp: string;
  readonly requestId: string;
}

export interface ObjectStoreOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  /** Replicas of each bucket's stream and of the notification bucket when created here. Default 1. */
  readonly replicas?: number;
}

/**
 * Buckets of objects on JetStream object store buckets (one stream
 * `OBJ_<namespace>_obj_<bucket>` each, in nats.js's object store layout, so
 * any NATS client can read them), with S3's names, MD5 ETags and user
 * metadata. Bodies move in 128 KiB chunks with a bounded number in flight,
 * never whole in memory. Each bucket has a durable consumer on its objects'
 * info subjects from its creation on, which `ObjectNotifier` reads, so
 * changes made while no frontend runs are still notified.
 */
export class ObjectStore {
  readonly ns: Namespace;
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #notifications: KV;
  readonly #replicas: number;

  private constructor(ns: Namespace, nc: NatsConnection, js: JetStreamClient, jsm: JetStreamManager, notifications: KV, replicas: number) {
    this.ns = ns;
    this.#nc = nc;
    this.#js = js;
    this.#jsm = jsm;
    this.#notifications = notifications;
    this.#replicas = replicas;
  }

  static async open(options: ObjectStoreOptions): Promise<ObjectStore> {
    const replicas = options.replicas ?? 1;
    const jsm = await options.nc.jetstreamManager();
    const js = options.nc.jetstream();
    const kv = await retryingSetup(() => js.views.kv(options.ns.buckets.objectNotifications, { history: 1, replicas, storage: StorageType.File }));
    return new ObjectStore(options.ns, options.nc, js, jsm, kv, replicas);
  }

  streamOf(bucket: string): string {
    return `OBJ_${natsObjectBucket(this.ns.prefix, bucket)}`;
  }

  #subjects(bucket: string): { meta: (key: string) => string; allMeta: string; chunks: (id: string) => string } {
    const name = natsObjectBucket(this.ns.prefix, bucket);
    return {
      meta: (key) => `$O.${name}.M.${base64UrlPadded(Buffer.from(key, 'utf8'))}`,
      allMeta: `$O.${name}.M.>`,
      chunks: (id) => `$O.${name}.C.${id}`,
    };
  }

  async createBucket(bucket: string): Promise<BucketSummary> {
    checkBucketName(bucket);
    if ((await this.#streamInfo(bucket)) !== undefined) {
      throw new StratusError('BUCKET_ALREADY_EXISTS', `bucket ${bucket} already exists`);
    }
    if ((await this.listBuckets()).length >= OBJECT_LIMITS.bucketsMax) {
      throw new StratusError('INVALID_ARGUMENT', `this cluster holds at most ${OBJECT_LIMITS.bucketsMax} buckets`);
    }
    await retryingSetup(() => this.#js.views.os(natsObjectBucket(this.ns.prefix, bucket), { replicas: this.#replicas, storage: StorageType.File }));
    await this.ensureNotifierConsumer(bucket);
    const info = await this.#streamInfo(bucket);
    return { name: bucket, creationDate: info?.created ?? new Date().toISOString() };
  }

  /** The durable consumer notifications are read from; made with the bucket, so it sees every change from the first. */
  async ensureNotifierConsumer(bucket: string): Promise<void> {
    try {
      await this.#jsm.consumers.info(this.streamOf(bucket), this.ns.consumers.objectNotifier);
      return;
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_ERR.consumerNotFound) throw err;
    }
    await this.#jsm.consumers.add(this.streamOf(bucket), {
      durable_name: this.ns.consumers.objectNotifier,
      filter_subject: this.#subjects(bucket).allMeta,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: 30 * 1e9,
      max_ack_pending: 1000,
    });
  }

  async deleteBucket(bucket: string): Promise<void> {
    checkBucketName(bucket);
    await this.#requireBucket(bucket);
    const first = await this.listObjects(bucket, { maxKeys: 1 });
    if (first.objects.length > 0) throw new StratusError('BUCKET_NOT_EMPTY', `bucket ${bucket} is not empty: delete its objects first`);
    await this.#jsm.streams.delete(this.streamOf(bucket)).catch((err: unknown) => {
      if (jetStreamErrorCode(err) !== JS_ERR.streamNotFound) throw err;
    });
    await this.#notifications.delete(bucket);
  }

  async listBuckets(): Promise<BucketSummary[]> {
    const buckets: BucketSummary[] = [];
    for await (const info of this.#jsm.streams.list()) {
      if (!info.config.name.startsWith('OBJ_')) continue;
      const name = bucketOfNatsObjectBucket(this.ns.prefix, info.config.name.slice('OBJ_'.length));
      if (name !== undefined) buckets.push({ name, creationDate: info.created });
    }
    return buckets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** When the bucket's stream was made; with the stream sequence it names one change of one incarnation of the bucket. */
  async bucketCreated(bucket: string): Promise<string | undefined> {
    return (await this.#streamInfo(bucket))?.created;
  }

  /**
   * Stores an object from `body` (chunks of any size), replacing any object
   * of that key. The info (with the MD5, known only at the end) is written
   * after every chunk is stored, so readers never see a partial object, and
   * the replaced object's chunks are purged afterwards.
   */
  async putObject(input: PutObjectInput, body: AsyncIterable<Uint8Array>): Promise<ObjectSummary> {
    checkBucketName(input.bucket);
    checkKey(input.key);
    const metadata = { ...input.metadata };
    const problem = objectMetadataProblem(metadata) ?? contentTypeProblem(input.contentType ?? '');
    if (problem !== undefined) throw new StratusError('INVALID_ARGUMENT', problem);
    const traceDepth = input.traceDepth ?? 0;
    if (!Number.isSafeInteger(traceDepth) || traceDepth < 0 || traceDepth > 1000) {
      throw new StratusError('INVALID_ARGUMENT', `traceDepth must be a whole number from 0 to 1000; got ${traceDepth}`);
    }
    await this.#requireBucket(input.bucket);
    const subjects = this.#subjects(input.bucket);
    const old = await this.#info(input.bucket, input.key);
    const id = nuid.next();
    const md5 = createHash('md5');
    const sha = createHash('sha256');
    let size = 0;
    let chunks = 0;
    let pending = Buffer.alloc(0);
    const inFlight = new Set<Promise<unknown>>();
    const publishChunk = async (chunk: Buffer): Promise<void> => {
      sha.update(chunk);
      chunks++;
      const ack = this.#js.publish(subjects.chunks(id), chunk);
      inFlight.add(ack);
      void ack.finally(() => inFlight.delete(ack)).catch(() => undefined);
      if (inFlight.size >= CHUNKS_IN_FLIGHT) await Promise.race(inFlight);
    };
    try {
      for await (const part of body) {
        size += part.byteLength;
        if (size > OBJECT_LIMITS.objectMaxBytes) {
          throw new StratusError('PAYLOAD_TOO_LARGE', `an object is at most ${OBJECT_LIMITS.objectMaxBytes} bytes (5 GiB, S3's single-PUT limit)`);
        }
        md5.update(part);
        pending = pending.length === 0 ? Buffer.from(part) : Buffer.concat([pending, part]);
        while (pending.length >= CHUNK_BYTES) {
          await publishChunk(pending.subarray(0, CHUNK_BYTES));
          pending = pending.subarray(CHUNK_BYTES);
        }
      }
      if (pending.length > 0) await publishChunk(pending);
      await Promise.all(inFlight);
      const info: StoredObjectInfo = {
        name: input.key,
        description: '',
        bucket: natsObjectBucket(this.ns.prefix, input.bucket),
        nuid: id,
        size,
        chunks,
        mtime: new Date().toISOString(),
        digest: `SHA-256=${base64UrlPadded(sha.digest())}`,
        deleted: false,
        options: { max_chunk_size: CHUNK_BYTES },
        metadata: {
          ...metadata,
          [OBJECT_META.etag]: md5.digest('hex'),
          [OBJECT_META.contentType]: input.contentType === undefined || input.contentType === '' ? DEFAULT_CONTENT_TYPE : input.contentType,
          [OBJECT_META.traceDepth]: String(traceDepth),
          [OBJECT_META.principal]: input.principal,
          [OBJECT_META.sourceIp]: input.sourceIp,
          [OBJECT_META.requestId]: input.requestId,
        },
      };
      const ack = await this.#publishInfo(subjects.meta(input.key), info);
      if (old !== undefined && !old.info.deleted) await this.#purgeChunks(input.bucket, old.info.nuid);
      return summaryOf(input.bucket, info, ack);
    } catch (err) {
      await Promise.allSettled(inFlight);
      await this.#purgeChunks(input.bucket, id).catch(() => undefined);
      if (err instanceof StratusError) throw err;
      throw new StratusError('UNAVAILABLE', `the object was not stored: ${err instanceof Error ? err.message : String(err)}`, { cause: err, retryable: true });
    }
  }

  async headObject(bucket: string, key: string): Promise<ObjectSummary> {
    checkBucketName(bucket);
    checkKey(key);
    const found = await this.#info(bucket, key);
    if (found === undefined || found.info.deleted === true) {
      await this.#requireBucket(bucket);
      throw new StratusError('OBJECT_NOT_FOUND', `no object ${JSON.stringify(key)} in bucket ${bucket}`);
    }
    return summaryOf(bucket, found.info, found.seq);
  }

  /** The object's info and its body, read chunk by chunk as the consumer asks for them. */
  async getObject(bucket: string, key: string): Promise<{ info: ObjectSummary; body: AsyncIterable<Uint8Array> }> {
    const info = await this.headObject(bucket, key);
    const found = await this.#info(bucket, key);
    if (found === undefined || found.info.deleted === true) throw new StratusError('OBJECT_NOT_FOUND', `no object ${JSON.stringify(key)} in bucket ${bucket}`);
    const stored = found.info;
    const stream = this.streamOf(bucket);
    const subject = this.#subjects(bucket).chunks(stored.nuid);
    const jsm = this.#jsm;
    async function* body(): AsyncGenerator<Uint8Array> {
      let next = 1;
      for (let i = 0; i < stored.chunks; i++) {
        let chunk: StoredMsg;
        try {
          chunk = await directGet(jsm).getMessage(stream, { next_by_subj: subject, seq: next });
        } catch (err) {
          if (jetStreamErrorCode(err) === JS_ERR.noMessageFound || (err as { code?: unknown }).code === '404') {
            throw new StratusError('OBJECT_NOT_FOUND', `object ${JSON.stringify(key)} in bucket ${bucket} was replaced or deleted while it was read`);
          }
          throw err;
        }
        next = chunk.seq + 1;
        yield chunk.data;
      }
    }
    return { info, body: body() };
  }

  /** Deletes an object: an info marked deleted (what notifications see), then its chunks. Deleting what is not there changes nothing. */
  async deleteObject(bucket: string, key: string, who: { principal: string; sourceIp: string; requestId: string }): Promise<void> {
    checkBucketName(bucket);
    checkKey(key);
    await this.#requireBucket(bucket);
    const found = await this.#info(bucket, key);
    if (found === undefined || found.info.deleted === true) return;
    const info: StoredObjectInfo = {
      ...found.info,
      size: 0,
      chunks: 0,
      digest: '',
      deleted: true,
      mtime: new Date().toISOString(),
      metadata: { [OBJECT_META.principal]: who.principal, [OBJECT_META.sourceIp]: who.sourceIp, [OBJECT_META.requestId]: who.requestId, [OBJECT_META.traceDepth]: '0' },
    };
    await this.#publishInfo(this.#subjects(bucket).meta(key), info);
    await this.#purgeChunks(bucket, found.info.nuid);
  }

  /** Objects in UTF-8 byte order of their keys. */
  async listObjects(bucket: string, query: { prefix?: string; startAfter?: string; maxKeys?: number }): Promise<{ objects: ObjectSummary[]; isTruncated: boolean }> {
    checkBucketName(bucket);
    await this.#requireBucket(bucket);
    const prefix = query.prefix ?? '';
    const startAfter = Buffer.from(query.startAfter ?? '', 'utf8');
    const maxKeys = query.maxKeys === undefined || query.maxKeys === 0 ? OBJECT_LIMITS.listMaxKeys : query.maxKeys;
    if (!Number.isInteger(maxKeys) || maxKeys < 1 || maxKeys > OBJECT_LIMITS.listMaxKeys) {
      throw new StratusError('INVALID_ARGUMENT', `maxKeys must be a whole number from 1 to ${OBJECT_LIMITS.listMaxKeys}`);
    }
    const found: { key: Buffer; summary: ObjectSummary }[] = [];
    // The last info of every key (nats.js's watch over the info subjects, which ends once it has caught up).
    const os = await this.#js.views.os(natsObjectBucket(this.ns.prefix, bucket));
    for (const listed of await os.list()) {
      const info = listed as unknown as StoredObjectInfo;
      if (info.deleted === true || !info.name.startsWith(prefix)) continue;
      const key = Buffer.from(info.name, 'utf8');
      if (Buffer.compare(key, startAfter) > 0) found.push({ key, summary: summaryOf(bucket, info, 0) });
    }
    found.sort((a, b) => Buffer.compare(a.key, b.key));
    return { objects: found.slice(0, maxKeys).map((f) => f.summary), isTruncated: found.length > maxKeys };
  }

  async getNotifications(bucket: string): Promise<BucketNotifications> {
    checkBucketName(bucket);
    const entry = await this.#notifications.get(bucket);
    if (entry === null || entry.operation !== 'PUT' || entry.value.byteLength === 0) return { configurations: [] };
    return bucketNotificationsSchema.parse(JSON.parse(entry.string()));
  }

  async putNotifications(bucket: string, notifications: BucketNotifications): Promise<void> {
    checkBucketName(bucket);
    await this.#requireBucket(bucket);
    await this.#notifications.put(bucket, Buffer.from(JSON.stringify(bucketNotificationsSchema.parse(notifications))));
  }

  /**
   * Publishes an object's info. Not with nats.js's `Nats-Rollup: sub` header:
   * nats-server 2.9 moves every consumer of the stream past a rolled-up
   * message, so the notifier's durable consumer would skip every change
   * before it. Earlier infos of the key stay until the notifier, having
   * handled them, deletes them (`compactInfos`).
   */
  async #publishInfo(subject: string, info: StoredObjectInfo): Promise<number> {
    const ack = await this.#js.publish(subject, Buffer.from(JSON.stringify(info)));
    return ack.seq;
  }

  /**
   * Deletes the key's infos that a later one replaced and that are older
   * than `beforeSeq` (each already handled by the notifier); one message at
   * a time, which moves no consumer. The current info always stays.
   */
  async compactInfos(bucket: string, key: string, beforeSeq: number): Promise<void> {
    const stream = this.streamOf(bucket);
    const subject = this.#subjects(bucket).meta(key);
    const current = await this.#info(bucket, key);
    if (current === undefined) return;
    const limit = Math.min(beforeSeq, current.seq);
    for (;;) {
      let found: StoredMsg;
      try {
        found = await directGet(this.#jsm).getMessage(stream, { next_by_subj: subject, seq: 1 });
      } catch (err) {
        if (jetStreamErrorCode(err) === JS_ERR.noMessageFound || (err as { code?: unknown }).code === '404') return;
        throw err;
      }
      if (found.seq >= limit) return;
      await this.#jsm.streams.deleteMessage(stream, found.seq, false).catch((err: unknown) => {
        if (jetStreamErrorCode(err) !== JS_ERR.noMessageFound) throw err;
      });
    }
  }

  async #purgeChunks(bucket: string, id: string): Promise<void> {
    await this.#jsm.streams.purge(this.streamOf(bucket), { filter: this.#subjects(bucket).chunks(id) });
  }

  async #info(bucket: string, key: string): Promise<{ info: StoredObjectInfo; seq: number } | undefined> {
    try {
      const m = await this.#jsm.streams.getMessage(this.streamOf(bucket), { last_by_subj: this.#subjects(bucket).meta(key) });
      return { info: JSON.parse(m.string()) as StoredObjectInfo, seq: m.seq };
    } catch (err) {
      const code = jetStreamErrorCode(err);
      if (code === JS_ERR.noMessageFound || (err as { code?: unknown }).code === '404') return undefined;
      if (code === JS_ERR.streamNotFound) throw new StratusError('BUCKET_NOT_FOUND', `no bucket ${bucket}`);
      throw err;
    }
  }

  async #streamInfo(bucket: string): Promise<{ created: string } | undefined> {
    try {
      return await this.#jsm.streams.info(this.streamOf(bucket));
    } catch (err) {
      if (jetStreamErrorCode(err) === JS_ERR.streamNotFound) return undefined;
      throw err;
    }
  }

  async #requireBucket(bucket: string): Promise<void> {
    if ((await this.#streamInfo(bucket)) === undefined) throw new StratusError('BUCKET_NOT_FOUND', `no bucket ${bucket}`);
  }

  /** For tests and the notifier: the connection this store uses. */
  get connection(): NatsConnection {
    return this.#nc;
  }
}

export function summaryOf(bucket: string, info: StoredObjectInfo, revision: number): ObjectSummary {
  const all = info.metadata ?? {};
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) if (!RESERVED_META.has(name)) metadata[name] = value;
  return {
    bucket,
    key: info.name,
    size: info.size,
    etag: all[OBJECT_META.etag] ?? '',
    lastModified: info.mtime,
    contentType: all[OBJECT_META.contentType] ?? DEFAULT_CONTENT_TYPE,
    metadata,
    revision,
  };
}

/** nats.js's object store names subjects and digests in padded base64url. */
function base64UrlPadded(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

function checkBucketName(bucket: string): void {
  const problem = bucketNameProblem(bucket);
  if (problem !== undefined) throw new StratusError('INVALID_ARGUMENT', problem);
}

function checkKey(key: string): void {
  const problem = objectKeyProblem(key);
  if (problem !== undefined) throw new StratusError('INVALID_ARGUMENT', problem);
}

/** nats.js 2.29 implements the direct-get API on the manager without declaring it on JetStreamManager. */
function directGet(jsm: JetStreamManager): { getMessage(stream: string, query: { next_by_subj: string; seq: number }): Promise<StoredMsg> } {
  const direct = (jsm as unknown as { direct?: { getMessage(stream: string, query: { next_by_subj: string; seq: number }): Promise<StoredMsg> } }).direct;
  if (direct === undefined) throw new StratusError('INTERNAL', 'this nats.js has no direct-get API');
  return direct;
}
