import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNamespace } from '@stratus/contracts';
import { loadStratusApi } from '@stratus/contracts/grpc';
import { createObjectsClient, type ObjectsClient } from '@stratus/client';
import type { TestCluster } from '@stratus/testing';
import { eventually, indexJs } from '../support/code.js';
import { expectClusterHealthy, startHostileCluster } from './support/cluster-health.js';

// The object store as a hostile or careless tenant would use it: names aimed at the cluster's own streams and
// subjects, keys aimed at file systems, uploads that break the protocol, and a flood of changes on a bucket whose
// notifications invoke a slow function.
let cluster: TestCluster;
let objects: ObjectsClient;
beforeAll(async () => {
  cluster = await startHostileCluster({ nodes: 2, env: { frontend: { STRATUS_ASYNC_FUNCTION_CONCURRENCY: '4' } } });
  objects = createObjectsClient({ endpoint: cluster.grpcAddress, apiKey: cluster.apiKey, tls: false });
});
afterAll(async () => {
  await objects?.close();
  await cluster?.stop();
});

const SLOW_CASE_MS = 300_000;

describe('the object store against a hostile tenant', () => {
  it('refuses bucket names that are NATS wildcards or the cluster’s stream and bucket names, and keys aimed at file systems', async () => {
    const ns = createNamespace(cluster.namespace);
    for (const bucket of ['*', '>', 'a.>', 'a b', ns.streams.async, ns.streams.usage, ns.buckets.code, ns.buckets.asyncStatus, `OBJ_${ns.buckets.code}`, '$JS.API', 'x'.repeat(64)]) {
      await expect(objects.createBucket(bucket), bucket).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(`bucket ${JSON.stringify(bucket)}`) });
    }
    expect((await objects.listBuckets()).map((b) => b.name)).toEqual([]);
    await objects.createBucket('hostile');
    for (const key of ['..', '../../etc/passwd', 'a/./b', 'nul\u0000.txt', 'line\nbreak', 'k'.repeat(1025), '€'.repeat(342)]) {
      await expect(objects.putObject({ bucket: 'hostile', key, body: Buffer.from('x') }), JSON.stringify(key.slice(0, 20))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect((await objects.listObjects({ bucket: 'hostile' })).objects).toEqual([]);
    await expectClusterHealthy(cluster);
  });

  it('refuses an upload that starts with a chunk, and one larger than its chunks may be, storing nothing', async () => {
    const api = loadStratusApi();
    const definition = api.services.Objects.service['PutObject'] as grpc.MethodDefinition<object, object>;
    const client = new grpc.Client(cluster.grpcAddress, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${cluster.apiKey}`);
    const upload = (messages: object[]): Promise<grpc.ServiceError | undefined> =>
      new Promise((resolve) => {
        const call = client.makeClientStreamRequest(definition.path, definition.requestSerialize, definition.responseDeserialize, metadata, (err) => resolve(err ?? undefined));
        for (const m of messages) call.write(m);
        call.end();
      });
    try {
      const chunkFirst = await upload([{ chunk: Buffer.from('x') }, { header: { bucket: 'hostile', key: 'k' } }]);
      expect(chunkFirst).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('first PutObject message must be the header') });
      const twoHeaders = await upload([{ header: { bucket: 'hostile', key: 'k' } }, { header: { bucket: 'hostile', key: 'other' } }]);
      expect(twoHeaders).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining('every PutObject message is a chunk') });
      const huge = await upload([{ header: { bucket: 'hostile', key: 'k' } }, { chunk: Buffer.alloc(3 * 1024 * 1024) }]);
      expect(huge).toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED });
    } finally {
      client.close();
    }
    expect((await objects.listObjects({ bucket: 'hostile' })).objects).toEqual([]);
  });

  it('a flood of 10,000 changes on a notified bucket holds up neither another bucket’s notifications nor another function’s events', { timeout: SLOW_CASE_MS }, async () => {
    await cluster.client.createFunction({
      functionName: 'objects-flood',
      zipFile: indexJs('exports.handler = async () => { await new Promise((r) => setTimeout(r, 2000)); return 1; };'),
      timeoutSec: 5,
    });
    await cluster.client.createFunction({ functionName: 'objects-quiet', zipFile: indexJs('exports.handler = async (e) => e;') });
    await objects.createBucket('flood');
    await objects.createBucket('quiet');
    await objects.putBucketNotificationConfiguration('flood', [{ id: 'flood', lambdaFunctionArn: 'objects-flood', events: ['s3:ObjectCreated:*'] }]);
    await objects.putBucketNotificationConfiguration('quiet', [{ id: 'quiet', lambdaFunctionArn: 'objects-quiet', events: ['s3:ObjectCreated:*'] }]);

    const total = 10_000;
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < total) {
          const i = next++;
          await objects.putObject({ bucket: 'flood', key: `f/${i}`, body: Buffer.from(String(i)) });
        }
      }),
    );
    const startedAt = Date.now();
    const quietEvent = await cluster.client.invoke({ functionName: 'objects-quiet', payload: '{"hello":"neighbour"}', invocationType: 'EVENT' });
    await objects.putObject({ bucket: 'quiet', key: 'q', body: Buffer.from('q') });
    await eventually(
      async () => ((await cluster.client.getAsyncInvocation(quietEvent.requestId)).state === 'succeeded' ? true : undefined),
      'the other function’s event to run',
      30_000,
    );
    // The quiet bucket's notification ran too: the function was invoked twice (the event and the upload).
    await eventually(
      async () => {
        const usage = await cluster.client.getUsage({ functionName: 'objects-quiet' });
        return (usage.functions.find((f) => f.functionName === 'objects-quiet')?.requests ?? 0) >= 2 ? true : undefined;
      },
      'the quiet bucket’s notification to run',
      30_000,
    );
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    // The flood is still being worked through, four at a time.
    const flooded = await cluster.client.getUsage({ functionName: 'objects-flood' });
    expect(flooded.functions.find((f) => f.functionName === 'objects-flood')?.requests ?? 0).toBeLessThan(total / 10);
    await cluster.client.deleteFunction('objects-flood');
    await expectClusterHealthy(cluster);
  });
});
