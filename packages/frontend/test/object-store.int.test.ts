import { createHash, randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace, s3Sequencer, type Namespace } from '@stratus/contracts';
import { randomNamespacePrefix, startConnectedNats, type ConnectedTestNats } from '@stratus/testing';
import { AsyncEvents, eventFromMessage } from '../src/async-events.js';
import { ObjectStore } from '../src/objects/object-store.js';
import { ObjectNotifier, changeRequestId } from '../src/objects/object-notifier.js';

// The object store and its notifier against a real JetStream (nats-server 2.9 from Debian), as frontends share them.
const log = pino({ level: process.env['STRATUS_TEST_LOG'] ?? 'silent' });
let nats: ConnectedTestNats;

beforeAll(async () => {
  nats = await startConnectedNats();
});
afterAll(async () => {
  await nats?.stop();
});

const who = { principal: 'SKTEST', sourceIp: '127.0.0.1', requestId: 'r1' };

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

async function open(): Promise<{ ns: Namespace; store: ObjectStore; events: AsyncEvents }> {
  const ns = createNamespace(randomNamespacePrefix());
  return { ns, store: await ObjectStore.open({ nc: nats.nc, ns }), events: await AsyncEvents.open({ nc: nats.nc, ns }) };
}

/** Every event the async stream holds for one function, oldest first. */
async function queuedEvents(events: AsyncEvents, functionName: string): Promise<{ requestId: string; traceDepth: number; document: { Records: Record<string, unknown>[] } }[]> {
  const found = [];
  for (let seq = 1; ; seq++) {
    try {
      const m = await events.jsm.streams.getMessage(events.ns.streams.async, { seq });
      const event = eventFromMessage(m.header, m.data);
      if (event.functionName === functionName) {
        found.push({ requestId: event.requestId, traceDepth: event.traceDepth, document: JSON.parse(Buffer.from(event.payload).toString()) as { Records: Record<string, unknown>[] } });
      }
    } catch {
      const info = await events.jsm.streams.info(events.ns.streams.async);
      if (seq > info.state.last_seq) return found;
    }
  }
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ObjectStore', () => {
  it('stores a multi-chunk object streamed in uneven parts, with S3 ETag, metadata and content type, and reads it back', async () => {
    const { store } = await open();
    await store.createBucket('photos.2026');
    const body = randomBytes(3 * 1024 * 1024 + 17);
    const put = await store.putObject(
      { bucket: 'photos.2026', key: 'a/b c.bin', contentType: 'image/png', metadata: { owner: 'ada' }, ...who },
      chunksOf(body, 100_003),
    );
    expect(put).toMatchObject({ key: 'a/b c.bin', size: body.byteLength, etag: createHash('md5').update(body).digest('hex'), contentType: 'image/png', metadata: { owner: 'ada' } });
    const got = await store.getObject('photos.2026', 'a/b c.bin');
    expect(got.info).toMatchObject({ size: body.byteLength, etag: put.etag, metadata: { owner: 'ada' } });
    expect((await readAll(got.body)).equals(body)).toBe(true);

    // Another NATS client reading the bucket as a nats.js object store sees the same bytes (the layout is nats.js's).
    const os = await nats.nc.jetstream().views.os(`${store.ns.prefix}_obj_photos_2026`);
    const viaNats = await os.getBlob('a/b c.bin');
    expect(viaNats !== null && Buffer.from(viaNats).equals(body)).toBe(true);

    // Replaced: the old chunks are purged, so the stream holds one object's chunks.
    await store.putObject({ bucket: 'photos.2026', key: 'a/b c.bin', ...who }, chunksOf(Buffer.from('small'), 5));
    expect((await readAll((await store.getObject('photos.2026', 'a/b c.bin')).body)).toString()).toBe('small');
    const jsm = await nats.nc.jetstreamManager();
    const info = await jsm.streams.info(store.streamOf('photos.2026'), { subjects_filter: `$O.${store.ns.prefix}_obj_photos_2026.C.>` });
    expect(Object.values(info.state.subjects ?? {})).toEqual([1]);
  });

  it('lists in key order with prefix and pages, refuses to delete a bucket that is not empty, and reports what is missing', async () => {
    const { store } = await open();
    await store.createBucket('docs');
    for (const key of ['b/2', 'a', 'b/1', 'é', 'c']) await store.putObject({ bucket: 'docs', key, ...who }, chunksOf(Buffer.from(key), 10));
    expect((await store.listObjects('docs', {})).objects.map((o) => o.key)).toEqual(['a', 'b/1', 'b/2', 'c', 'é']);
    expect((await store.listObjects('docs', { prefix: 'b/' })).objects.map((o) => o.key)).toEqual(['b/1', 'b/2']);
    const page = await store.listObjects('docs', { maxKeys: 2, startAfter: 'a' });
    expect(page).toMatchObject({ isTruncated: true });
    expect(page.objects.map((o) => o.key)).toEqual(['b/1', 'b/2']);
    await expect(store.deleteBucket('docs')).rejects.toMatchObject({ code: 'BUCKET_NOT_EMPTY' });
    for (const key of ['a', 'b/1', 'b/2', 'c', 'é']) await store.deleteObject('docs', key, who);
    await store.deleteObject('docs', 'never-there', who);
    await expect(store.headObject('docs', 'a')).rejects.toMatchObject({ code: 'OBJECT_NOT_FOUND' });
    await store.deleteBucket('docs');
    await expect(store.headObject('docs', 'a')).rejects.toMatchObject({ code: 'BUCKET_NOT_FOUND' });
    await expect(store.createBucket('docs')).resolves.toMatchObject({ name: 'docs' });
    await expect(store.createBucket('docs')).rejects.toMatchObject({ code: 'BUCKET_ALREADY_EXISTS' });
  });

  it('refuses bucket names that are NATS wildcards or stream names, and hostile keys, naming the problem', async () => {
    const { store, ns } = await open();
    for (const bucket of ['*', '>', 'a.*', ns.streams.async, ns.buckets.code, `OBJ_${ns.buckets.code}`, 'ab', 'my..bucket', '192.168.1.1', 'xn--abc', 'Upper']) {
      await expect(store.createBucket(bucket), bucket).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('bucket') });
    }
    await store.createBucket('keys');
    for (const key of ['../etc/passwd', 'a/../b', './x', 'nul\u0000byte', 'x'.repeat(1025), '\uD800']) {
      await expect(store.putObject({ bucket: 'keys', key, ...who }, chunksOf(Buffer.from('x'), 1)), JSON.stringify(key.slice(0, 20))).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('key'),
      });
    }
    // S3 allows dots that are not whole segments, and 1024 bytes of UTF-8 (here 338 three-byte characters among 16 one-byte ones).
    await expect(store.putObject({ bucket: 'keys', key: `..a/b..${'€'.repeat(338)}xyz`, ...who }, chunksOf(Buffer.from('x'), 1))).resolves.toMatchObject({ size: 1 });
    await expect(store.putObject({ bucket: 'keys', key: 'm', metadata: { 'Bad Name': 'x' }, ...who }, chunksOf(Buffer.from('x'), 1))).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('metadata'),
    });
    // A refused upload leaves nothing behind: the stream holds the one object stored (a chunk and its info).
    const info = await nats.nc.jetstreamManager().then((jsm) => jsm.streams.info(store.streamOf('keys')));
    expect(info.state.messages).toBe(2);
  });
});

describe('ObjectNotifier', () => {
  it('notifies changes made while no notifier ran, once each with two notifiers sharing the consumer, in S3 event form', async () => {
    const { store, events, ns } = await open();
    await store.createBucket('uploads');
    await store.putNotifications('uploads', {
      configurations: [
        { id: 'images', functionName: 'thumb', qualifier: '', events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'], prefix: 'in/', suffix: '.jpg' },
      ],
    });
    // No notifier yet: these wait in the bucket's durable consumer.
    const put = await store.putObject({ bucket: 'uploads', key: 'in/red flower.jpg', traceDepth: 3, ...who }, chunksOf(Buffer.from('jpeg!'), 2));
    await store.putObject({ bucket: 'uploads', key: 'in/skip.png', ...who }, chunksOf(Buffer.from('png'), 3));
    const count = 40;
    for (let i = 0; i < count; i++) await store.putObject({ bucket: 'uploads', key: `in/${i}.jpg`, ...who }, chunksOf(Buffer.from(String(i)), 4));
    await store.deleteObject('uploads', 'in/red flower.jpg', who);

    const js = nats.nc.jetstream();
    const jsm = await nats.nc.jetstreamManager();
    const notifiers = [0, 1].map(() => ObjectNotifier.start({ store, events, js, jsm, log, scanIntervalMs: 100 }));
    try {
      const queued = await eventually(async () => {
        const found = await queuedEvents(events, 'thumb');
        return found.length >= count + 2 ? found : undefined;
      }, 'every matching change queued');
      await new Promise((r) => setTimeout(r, 500));
      const settledEvents = await queuedEvents(events, 'thumb');
      expect(settledEvents).toHaveLength(count + 2);
      expect(new Set(settledEvents.map((e) => e.requestId)).size).toBe(count + 2);
      expect(await notifiers[0]?.lag('uploads')).toBe(0);

      const created = queued.find((e) => e.document.Records[0]?.['eventName'] === 'ObjectCreated:Put' && (e.document.Records[0]?.['s3'] as { object: { key: string } }).object.key === 'in/red+flower.jpg');
      expect(created?.traceDepth).toBe(3);
      const bucketCreated = (await store.bucketCreated('uploads')) ?? '';
      expect(created?.requestId).toBe(changeRequestId(ns.prefix, 'uploads', bucketCreated, put.revision, 'images'));
      expect(created?.document.Records[0]).toMatchObject({
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'SKTEST' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'images',
          bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
          object: { key: 'in/red+flower.jpg', size: 5, eTag: createHash('md5').update('jpeg!').digest('hex'), sequencer: s3Sequencer(put.revision) },
        },
      });
      expect(Date.parse(String(created?.document.Records[0]?.['eventTime']))).toBeGreaterThan(0);
      expect((created?.document.Records[0]?.['s3'] as { object: Record<string, unknown> }).object).not.toHaveProperty('versionId');
      const removed = queued.filter((e) => e.document.Records[0]?.['eventName'] === 'ObjectRemoved:Delete');
      expect(removed).toHaveLength(1);
      expect((removed[0]?.document.Records[0]?.['s3'] as { object: Record<string, unknown> }).object).toEqual({ key: 'in/red+flower.jpg', sequencer: expect.stringMatching(/^[0-9A-F]{16}$/) });
    } finally {
      await Promise.all(notifiers.map((n) => n.close()));
    }
  });
});
