import * as grpc from '@grpc/grpc-js';
import { StratusError, toStratusError } from '@stratus/errors';
import {
  loadStratusApi,
  type BucketMessage,
  type BucketNotificationConfigurationMessage,
  type GetObjectResponseMessage,
  type LambdaFunctionConfigurationMessage,
  type ListObjectsResponseMessage,
  type ObjectInfoMessage,
  type PutObjectRequestInput,
} from '@stratus/contracts/grpc';
import { fromGrpcError } from './grpc-errors.js';
import { clientConnection, MESSAGE_MAX_BYTES, type StratusClientOptions } from './stratus-client.js';

/** Body bytes per PutObject message. */
export const PUT_CHUNK_BYTES = 256 * 1024;

export interface PutObjectInput {
  readonly bucket: string;
  readonly key: string;
  /** The body: bytes, or chunks of any size read as the upload goes (a file stream), never gathered whole. */
  readonly body: Uint8Array | AsyncIterable<Uint8Array>;
  /** Default (server side) application/octet-stream. */
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Depth of the writer in a chain of invocations (see PutObjectHeader.trace_depth). Default 0. */
  readonly traceDepth?: number;
}

export interface ListObjectsInput {
  readonly bucket: string;
  readonly prefix?: string;
  readonly startAfter?: string;
  /** 1 to 1000; default (server side) 1000. */
  readonly maxKeys?: number;
}

/** The object store's API (the `Objects` service). */
export interface ObjectsClient {
  createBucket(bucket: string): Promise<BucketMessage>;
  deleteBucket(bucket: string): Promise<void>;
  listBuckets(): Promise<BucketMessage[]>;
  putObject(input: PutObjectInput): Promise<ObjectInfoMessage>;
  /** The object's info, and its body as it arrives (stop reading to cancel). */
  getObject(bucket: string, key: string): Promise<{ info: ObjectInfoMessage; body: AsyncIterable<Uint8Array> }>;
  headObject(bucket: string, key: string): Promise<ObjectInfoMessage>;
  deleteObject(bucket: string, key: string): Promise<void>;
  listObjects(input: ListObjectsInput): Promise<ListObjectsResponseMessage>;
  putBucketNotificationConfiguration(bucket: string, configurations: readonly Partial<LambdaFunctionConfigurationMessage>[]): Promise<BucketNotificationConfigurationMessage>;
  getBucketNotificationConfiguration(bucket: string): Promise<BucketNotificationConfigurationMessage>;
  close(): Promise<void>;
}

/** A client of the object store, with the same endpoint, key and TLS settings as {@link createStratusClient}. */
export function createObjectsClient(options: StratusClientOptions = {}): ObjectsClient {
  const { endpoint, deadlineMs, apiKey, metadata, credentials } = clientConnection(options);
  const channel = new grpc.Client(endpoint, credentials(), {
    'grpc.max_send_message_length': MESSAGE_MAX_BYTES,
    'grpc.max_receive_message_length': MESSAGE_MAX_BYTES,
  });
  const service = loadStratusApi().services.Objects.service;
  const definition = <Req, Res>(method: string): grpc.MethodDefinition<Req, Res> => {
    const found = service[method] as grpc.MethodDefinition<Req, Res> | undefined;
    if (found === undefined) throw new StratusError('INTERNAL', `Objects.${method} is not in the loaded API`);
    return found;
  };
  const failed = (err: grpc.ServiceError, method: string): StratusError => fromGrpcError(err, { endpoint, method, deadlineMs, sentApiKey: apiKey !== undefined });

  function unary<Req, Res>(method: string, request: Req): Promise<Res> {
    const d = definition<Req, Res>(method);
    let bytes: Buffer;
    try {
      bytes = d.requestSerialize(request);
    } catch (err) {
      return Promise.reject(toStratusError(err));
    }
    return new Promise<Res>((resolve, reject) => {
      channel.makeUnaryRequest(d.path, (b: Buffer) => b, d.responseDeserialize, bytes, metadata(), { deadline: Date.now() + deadlineMs }, (err, response) => {
        if (err) reject(failed(err, method));
        else if (response === undefined) reject(new StratusError('INTERNAL', `${method} returned no response`));
        else resolve(response);
      });
    });
  }

  return {
    createBucket: (bucket) => unary('CreateBucket', { bucket }),
    async deleteBucket(bucket) {
      await unary('DeleteBucket', { bucket });
    },
    async listBuckets() {
      return (await unary<object, { buckets: BucketMessage[] }>('ListBuckets', {})).buckets;
    },

    putObject(input) {
      const d = definition<PutObjectRequestInput, ObjectInfoMessage>('PutObject');
      // No deadline: a large upload takes as long as its bytes take; the server ends a stalled one.
      return new Promise<ObjectInfoMessage>((resolve, reject) => {
        const call = channel.makeClientStreamRequest(d.path, d.requestSerialize, d.responseDeserialize, metadata(), {}, (err, response) => {
          if (err) reject(failed(err, 'PutObject'));
          else if (response === undefined) reject(new StratusError('INTERNAL', 'PutObject returned no response'));
          else resolve(response);
        });
        const send = async (): Promise<void> => {
          const write = async (message: PutObjectRequestInput): Promise<void> => {
            if (!call.write(message)) await new Promise<void>((ok) => call.once('drain', ok));
          };
          await write({ header: { bucket: input.bucket, key: input.key, contentType: input.contentType ?? '', metadata: { ...input.metadata }, traceDepth: input.traceDepth ?? 0 } });
          const parts = input.body instanceof Uint8Array ? [input.body] : input.body;
          for await (const part of parts) {
            for (let offset = 0; offset < part.byteLength; offset += PUT_CHUNK_BYTES) {
              await write({ chunk: Buffer.from(part.buffer, part.byteOffset + offset, Math.min(PUT_CHUNK_BYTES, part.byteLength - offset)) });
            }
          }
          call.end();
        };
        send().catch((err: unknown) => {
          call.cancel();
          reject(toStratusError(err));
        });
      });
    },

    getObject(bucket, key) {
      const d = definition<object, GetObjectResponseMessage>('GetObject');
      const call = channel.makeServerStreamRequest(d.path, d.requestSerialize, d.responseDeserialize, { bucket, key }, metadata(), {});
      const iterator = call[Symbol.asyncIterator]() as AsyncIterator<GetObjectResponseMessage>;
      const next = async (): Promise<IteratorResult<GetObjectResponseMessage>> => {
        try {
          return await iterator.next();
        } catch (err) {
          throw failed(err as grpc.ServiceError, 'GetObject');
        }
      };
      return next().then((first) => {
        const info = first.done === true ? undefined : first.value.info;
        if (info === undefined || info === null) {
          call.cancel();
          throw new StratusError('INTERNAL', 'GetObject answered without the object info first');
        }
        async function* body(): AsyncGenerator<Uint8Array> {
          try {
            for (;;) {
              const m = await next();
              if (m.done === true) return;
              if (m.value.chunk !== undefined) yield m.value.chunk;
            }
          } finally {
            call.cancel();
          }
        }
        return { info, body: body() };
      });
    },

    headObject: (bucket, key) => unary('HeadObject', { bucket, key }),
    async deleteObject(bucket, key) {
      await unary('DeleteObject', { bucket, key });
    },
    listObjects: (input) => unary('ListObjects', { bucket: input.bucket, prefix: input.prefix ?? '', startAfter: input.startAfter ?? '', maxKeys: input.maxKeys ?? 0 }),
    putBucketNotificationConfiguration: (bucket, configurations) =>
      unary('PutBucketNotificationConfiguration', {
        bucket,
        lambdaFunctionConfigurations: configurations.map((c) => ({
          id: c.id ?? '',
          lambdaFunctionArn: c.lambdaFunctionArn ?? '',
          events: [...(c.events ?? [])],
          prefix: c.prefix ?? '',
          suffix: c.suffix ?? '',
        })),
      }),
    getBucketNotificationConfiguration: (bucket) => unary('GetBucketNotificationConfiguration', { bucket }),
    close() {
      channel.close();
      return Promise.resolve();
    },
  };
}
