import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { StratusError } from '@stratus/errors';
import {
  API_KEY_METADATA,
  OBJECT_EVENT_TYPES,
  OBJECT_LIMITS,
  bucketArn,
  bucketNotificationsSchema,
  parseFunctionReference,
  s3Sequencer,
  type NotificationConfiguration,
  type ObjectEventType,
} from '@stratus/contracts';
import type {
  BucketMessage,
  BucketNotificationConfigurationMessage,
  BucketRequestMessage,
  GetObjectResponseInput,
  ListObjectsRequestMessage,
  ObjectInfoMessage,
  ObjectRequestMessage,
  PutBucketNotificationConfigurationRequestMessage,
  PutObjectRequestMessage,
} from '@stratus/contracts/grpc';
import { toGrpcError } from '../grpc-errors.js';
import type { ObjectStore, ObjectSummary } from './object-store.js';
import type { ObjectNotifier } from './object-notifier.js';

export interface ObjectsApiOptions {
  readonly store: ObjectStore;
  readonly notifier: ObjectNotifier | undefined;
  /** Throws FUNCTION_NOT_FOUND for a notification target that does not exist. */
  readonly requireFunction: (functionName: string, qualifier: string) => Promise<void>;
  /** Throws SHUTTING_DOWN once the frontend drains. */
  readonly assertAccepting: () => void;
  readonly log: Logger;
}

/** The `Objects` gRPC service: unary methods, PutObject (client-streaming) and GetObject (server-streaming). */
export function objectsService(options: ObjectsApiOptions): grpc.UntypedServiceImplementation {
  const { store, notifier, log } = options;
  const unary =
    <Req, Res>(handler: (request: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>): grpc.handleUnaryCall<Req, Res> =>
    (call, callback) => {
      Promise.resolve()
        .then(() => {
          options.assertAccepting();
          return handler(call.request, call);
        })
        .then(
          (response) => callback(null, response),
          (err: unknown) => callback(toGrpcError(err, log)),
        );
    };

  const putObject: grpc.handleClientStreamingCall<PutObjectRequestMessage, ObjectInfoMessage> = (call, callback) => {
    const run = async (): Promise<ObjectInfoMessage> => {
      options.assertAccepting();
      const messages = call[Symbol.asyncIterator]() as AsyncIterator<PutObjectRequestMessage>;
      const first = await messages.next();
      const header = first.done === true ? undefined : first.value.header;
      if (header === undefined || header === null) throw new StratusError('INVALID_ARGUMENT', 'the first PutObject message must be the header (bucket, key, …)');
      async function* body(): AsyncGenerator<Uint8Array> {
        for (;;) {
          const next = await messages.next();
          if (next.done === true) return;
          const chunk = next.value.chunk;
          if (next.value.part !== 'chunk' || chunk === undefined) throw new StratusError('INVALID_ARGUMENT', 'after the header, every PutObject message is a chunk of the body');
          yield chunk;
        }
      }
      const summary = await store.putObject(
        {
          bucket: header.bucket,
          key: header.key,
          contentType: header.contentType,
          metadata: header.metadata,
          traceDepth: header.traceDepth,
          ...who(call),
        },
        body(),
      );
      notifier?.nudge(header.bucket);
      return toObjectInfo(summary);
    };
    run().then(
      (info) => callback(null, info),
      (err: unknown) => callback(toGrpcError(err, log)),
    );
  };

  const getObject: grpc.handleServerStreamingCall<ObjectRequestMessage, GetObjectResponseInput> = (call) => {
    const run = async (): Promise<void> => {
      options.assertAccepting();
      const { info, body } = await store.getObject(call.request.bucket, call.request.key);
      call.write({ info: toObjectInfo(info) });
      for await (const chunk of body) {
        if (call.cancelled) return;
        // Read the next chunk only once the client has taken this one: a slow reader holds one chunk, not the object.
        if (!call.write({ chunk })) await drained(call);
      }
      call.end();
    };
    run().catch((err: unknown) => {
      if (!call.cancelled) call.emit('error', toGrpcError(err, log));
    });
  };

  return {
    createBucket: unary(async (req: BucketRequestMessage): Promise<BucketMessage> => toBucket(await store.createBucket(req.bucket))),
    deleteBucket: unary(async (req: BucketRequestMessage) => {
      await store.deleteBucket(req.bucket);
      return {};
    }),
    listBuckets: unary(async () => ({ buckets: (await store.listBuckets()).map(toBucket) })),
    putObject,
    getObject,
    headObject: unary(async (req: ObjectRequestMessage) => toObjectInfo(await store.headObject(req.bucket, req.key))),
    deleteObject: unary(async (req: ObjectRequestMessage, call) => {
      await store.deleteObject(req.bucket, req.key, who(call));
      notifier?.nudge(req.bucket);
      return {};
    }),
    listObjects: unary(async (req: ListObjectsRequestMessage) => {
      const page = await store.listObjects(req.bucket, { prefix: req.prefix, startAfter: req.startAfter, maxKeys: req.maxKeys });
      const last = page.objects.at(-1);
      return { objects: page.objects.map(toObjectInfo), isTruncated: page.isTruncated, nextStartAfter: page.isTruncated && last ? last.key : '' };
    }),
    putBucketNotificationConfiguration: unary(async (req: PutBucketNotificationConfigurationRequestMessage): Promise<BucketNotificationConfigurationMessage> => {
      const configurations = await notificationConfigurations(req, options.requireFunction);
      await store.putNotifications(req.bucket, { configurations });
      return toNotificationMessage(req.bucket, configurations);
    }),
    getBucketNotificationConfiguration: unary(async (req: BucketRequestMessage): Promise<BucketNotificationConfigurationMessage> => {
      const notifications = await store.getNotifications(req.bucket);
      if (notifications.configurations.length === 0 && (await store.bucketCreated(req.bucket)) === undefined) {
        throw new StratusError('BUCKET_NOT_FOUND', `no bucket ${req.bucket}`);
      }
      return toNotificationMessage(req.bucket, notifications.configurations);
    }),
  };
}

/** Checks a PutBucketNotificationConfiguration request as S3 does, and that every target function exists. */
export async function notificationConfigurations(
  req: PutBucketNotificationConfigurationRequestMessage,
  requireFunction: (functionName: string, qualifier: string) => Promise<void>,
): Promise<NotificationConfiguration[]> {
  if (req.lambdaFunctionConfigurations.length > OBJECT_LIMITS.notificationConfigurationsMax) {
    throw new StratusError('INVALID_ARGUMENT', `at most ${OBJECT_LIMITS.notificationConfigurationsMax} Lambda function configurations per bucket`);
  }
  const ids = new Set<string>();
  const configurations: NotificationConfiguration[] = [];
  for (const [index, config] of req.lambdaFunctionConfigurations.entries()) {
    const field = `lambdaFunctionConfigurations[${index}]`;
    const target = parseFunctionReference(config.lambdaFunctionArn);
    if (typeof target === 'string') throw new StratusError('INVALID_ARGUMENT', `${field}.${target}`, { details: { field } });
    for (const event of config.events) {
      if (!(OBJECT_EVENT_TYPES as readonly string[]).includes(event)) {
        throw new StratusError('INVALID_ARGUMENT', `${field}.events: ${JSON.stringify(event)} is not one of ${OBJECT_EVENT_TYPES.join(', ')}`, { details: { field } });
      }
    }
    const id = config.id === '' ? randomUUID() : config.id;
    if (ids.has(id)) throw new StratusError('INVALID_ARGUMENT', `${field}.id: ${JSON.stringify(id)} is used twice`, { details: { field } });
    ids.add(id);
    const parsed = bucketNotificationsSchema.shape.configurations.element.safeParse({
      id,
      functionName: target.functionName,
      qualifier: target.qualifier,
      events: config.events as ObjectEventType[],
      prefix: config.prefix,
      suffix: config.suffix,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StratusError('INVALID_ARGUMENT', `${field}.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, { details: { field } });
    }
    await requireFunction(target.functionName, target.qualifier);
    configurations.push(parsed.data);
  }
  return configurations;
}

function toNotificationMessage(bucket: string, configurations: readonly NotificationConfiguration[]): BucketNotificationConfigurationMessage {
  return {
    bucket,
    lambdaFunctionConfigurations: configurations.map((c) => ({
      id: c.id,
      lambdaFunctionArn: c.qualifier === '' ? c.functionName : `${c.functionName}:${c.qualifier}`,
      events: [...c.events],
      prefix: c.prefix,
      suffix: c.suffix,
    })),
  };
}

function toBucket(bucket: { name: string; creationDate: string }): BucketMessage {
  return { name: bucket.name, creationDate: bucket.creationDate, arn: bucketArn(bucket.name) };
}

export function toObjectInfo(summary: ObjectSummary): ObjectInfoMessage {
  return {
    bucket: summary.bucket,
    key: summary.key,
    size: summary.size,
    etag: summary.etag === '' ? '' : `"${summary.etag}"`,
    lastModified: summary.lastModified,
    contentType: summary.contentType,
    metadata: { ...summary.metadata },
    sequencer: summary.revision > 0 ? s3Sequencer(summary.revision) : '',
  };
}

/** Who made a change, for S3's userIdentity and sourceIPAddress: the caller's key id (already checked) and address. */
function who(call: { metadata: grpc.Metadata; getPeer(): string }): { principal: string; sourceIp: string; requestId: string } {
  const raw = call.metadata.get(API_KEY_METADATA.header)[0];
  const text = typeof raw === 'string' ? raw : (raw?.toString('utf8') ?? '');
  const token = text.startsWith(`${API_KEY_METADATA.scheme} `) ? text.slice(API_KEY_METADATA.scheme.length + 1) : '';
  const principal = token.split('.')[0] ?? '';
  const peer = call.getPeer().replace(/^ipv[46]:/, '');
  const sourceIp = peer.startsWith('[') ? peer.slice(1, peer.indexOf(']')) : peer.slice(0, peer.lastIndexOf(':') < 0 ? undefined : peer.lastIndexOf(':'));
  return { principal, sourceIp, requestId: randomUUID() };
}

function drained(call: grpc.ServerWritableStream<ObjectRequestMessage, GetObjectResponseInput>): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });
}
