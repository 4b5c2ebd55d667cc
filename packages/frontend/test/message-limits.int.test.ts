import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import { loadStratusApi } from '@stratus/contracts/grpc';
import { startTestCluster, type TestCluster } from '@stratus/testing';
import { REQUEST_MAX_BYTES, SMALL_REQUEST_MAX_BYTES, requestMaxBytes } from '../src/message-limits.js';

let cluster: TestCluster;
let raw: grpc.Client;
beforeAll(async () => {
  cluster = await startTestCluster({ nodes: 0 });
  // A client that sends anything: the limits under test are the frontend's.
  raw = new grpc.Client(cluster.client.endpoint, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
});
afterAll(async () => {
  raw?.close();
  await cluster?.stop();
});

interface Method {
  readonly path: string;
  readonly responseStream: boolean;
}

/** Every RPC of the API, as the proto files define them. */
function everyMethod(): Method[] {
  const api = loadStratusApi();
  return Object.values(api.services).flatMap((ctor) =>
    Object.values(ctor.service).map((definition) => ({ path: definition.path, responseStream: definition.responseStream })),
  );
}

const passThrough = (bytes: Buffer): Buffer => bytes;

/** Sends `bytes` as the request, unparsed: the size is what is under test, and the frontend must refuse it before parsing. */
function send(method: Method, bytes: Buffer): Promise<grpc.ServiceError | undefined> {
  const options = { deadline: Date.now() + 20_000 };
  if (method.responseStream) {
    return new Promise((resolve) => {
      const call = raw.makeServerStreamRequest(method.path, passThrough, passThrough, bytes, new grpc.Metadata(), options);
      call.on('data', () => call.cancel());
      call.on('error', (err: grpc.ServiceError) => resolve(err));
      call.on('end', () => resolve(undefined));
    });
  }
  return new Promise((resolve) => {
    raw.makeUnaryRequest(method.path, passThrough, passThrough, bytes, new grpc.Metadata(), options, (err) => resolve(err ?? undefined));
  });
}

describe('gRPC message limits per method', () => {
  it('covers the methods that carry a payload or a zip and gives the rest a small limit', () => {
    const paths = everyMethod().map((m) => m.path);
    for (const path of Object.keys(REQUEST_MAX_BYTES)) expect(paths).toContain(path);
    expect(requestMaxBytes('/stratus.v1.Invoker/Invoke')).toBe(6 * 1024 * 1024 + 64 * 1024);
    expect(requestMaxBytes('/stratus.v1.Functions/CreateFunction')).toBe(50 * 1024 * 1024 + 64 * 1024);
    expect(requestMaxBytes('/stratus.v1.Functions/GetFunction')).toBe(SMALL_REQUEST_MAX_BYTES);
  });

  for (const method of everyMethod()) {
    it(`refuses an oversize ${method.path} with RESOURCE_EXHAUSTED naming its limit`, async () => {
      const limit = requestMaxBytes(method.path);
      const err = await send(method, Buffer.alloc(limit + 1));
      expect(err?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
      expect(err?.details).toContain(`${limit + 1} vs ${limit}`);
      expect(err?.details).toContain(`limited to ${limit} bytes`);
    });
  }

  it('still takes a request just under a small limit and judges it on its content', async () => {
    const err = await cluster.client.getFunction('x'.repeat(SMALL_REQUEST_MAX_BYTES - 100)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hasCode(err, 'INVALID_ARGUMENT')).toBe(true);
  });

  it('reports an event over the Invoke limit as PAYLOAD_TOO_LARGE through the client', async () => {
    const err = await cluster.client.invoke({ functionName: 'anything', payload: new Uint8Array(7 * 1024 * 1024) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hasCode(err, 'PAYLOAD_TOO_LARGE')).toBe(true);
    expect((err as Error).message).toContain(`limited to ${requestMaxBytes('/stratus.v1.Invoker/Invoke')} bytes`);
  });
});
