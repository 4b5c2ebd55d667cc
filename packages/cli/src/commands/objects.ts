import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { createObjectsClient, type ObjectsClient } from '@stratus/client';
import { OBJECT_EVENT_TYPES } from '@stratus/contracts';
import type { BucketNotificationConfigurationMessage, ObjectInfoMessage } from '@stratus/contracts/grpc';
import { addCommonOptions, type CliContext, type CommonOptions } from '../context.js';
import { formatBytes, keyValues, toJson } from '../output.js';
import { envPair, positiveInt } from '../parse.js';
import { usageError } from '../usage-error.js';

interface ListOptions extends CommonOptions {
  readonly prefix?: string;
  readonly startAfter?: string;
  readonly maxKeys?: number;
}

interface PutOptions extends CommonOptions {
  readonly contentType?: string;
  readonly metadata?: Record<string, string>;
}

interface NotifyOptions extends CommonOptions {
  readonly function?: string;
  readonly events?: string;
  readonly prefix?: string;
  readonly suffix?: string;
  readonly id?: string;
  readonly clear?: boolean;
}

async function withObjects<T>(ctx: CliContext, options: CommonOptions, fn: (client: ObjectsClient) => Promise<T>): Promise<T> {
  const client = createObjectsClient({ endpoint: options.endpoint, ...(ctx.apiKey === undefined ? {} : { apiKey: ctx.apiKey }) });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** `stratus objects mb|rb|ls|put|get|head|rm|notify`: the object store, and the functions its changes invoke. */
export function registerObjects(program: Command, ctx: CliContext): void {
  const group = program.command('objects').description('the object store: buckets of objects (S3-style), and bucket notifications that invoke functions');

  addCommonOptions(group.command('mb').description('make a bucket (S3 naming rules)').argument('<bucket>'), ctx).action(async (bucket: string, options: CommonOptions) => {
    const made = await withObjects(ctx, options, (client) => client.createBucket(bucket));
    ctx.stdout.write(options.json === true ? toJson(made) : `made bucket ${made.name}\n`);
  });

  addCommonOptions(group.command('rb').description('remove an empty bucket').argument('<bucket>'), ctx).action(async (bucket: string, options: CommonOptions) => {
    await withObjects(ctx, options, (client) => client.deleteBucket(bucket));
    ctx.stdout.write(options.json === true ? toJson({ deleted: bucket }) : `removed bucket ${bucket}\n`);
  });

  addCommonOptions(
    group
      .command('ls')
      .description('list buckets, or the objects of one')
      .argument('[bucket]')
      .option('--prefix <prefix>', 'only keys that start with this')
      .option('--start-after <key>', 'only keys after this one (the next page)')
      .option('--max-keys <n>', 'at most this many, 1 to 1000 (default 1000)', positiveInt),
    ctx,
  ).action(async (bucket: string | undefined, options: ListOptions) => {
    if (bucket === undefined) {
      const buckets = await withObjects(ctx, options, (client) => client.listBuckets());
      ctx.stdout.write(options.json === true ? toJson({ buckets }) : buckets.map((b) => `${b.creationDate}  ${b.name}\n`).join(''));
      return;
    }
    const page = await withObjects(ctx, options, (client) =>
      client.listObjects({ bucket, ...(options.prefix !== undefined ? { prefix: options.prefix } : {}), ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}), ...(options.maxKeys !== undefined ? { maxKeys: options.maxKeys } : {}) }),
    );
    if (options.json === true) {
      ctx.stdout.write(toJson(page));
      return;
    }
    ctx.stdout.write(page.objects.map((o) => `${o.lastModified}  ${String(o.size).padStart(12)}  ${o.key}\n`).join(''));
    if (page.isTruncated) ctx.stderr.write(`more: --start-after ${JSON.stringify(page.nextStartAfter)}\n`);
  });

  addCommonOptions(
    group
      .command('put')
      .description('store a file (or standard input) as an object, streamed')
      .argument('<bucket>')
      .argument('<key>')
      .argument('[file]', 'the file to upload; - or none: standard input')
      .option('--content-type <type>', 'default application/octet-stream')
      .option('--metadata <name=value>', 'user metadata (repeatable)', envPair),
    ctx,
  ).action(async (bucket: string, key: string, file: string | undefined, options: PutOptions) => {
    const body = file === undefined || file === '-' ? process.stdin : createReadStream(file);
    const info = await withObjects(ctx, options, (client) =>
      client.putObject({
        bucket,
        key,
        body: body as AsyncIterable<Uint8Array>,
        ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
        ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
      }),
    );
    ctx.stdout.write(options.json === true ? toJson(info) : `stored ${bucket}/${key}  ${formatBytes(info.size)}  etag ${info.etag}\n`);
  });

  addCommonOptions(
    group.command('get').description('read an object into a file (or standard output), streamed').argument('<bucket>').argument('<key>').argument('[file]', 'where to write it; - or none: standard output'),
    ctx,
  ).action(async (bucket: string, key: string, file: string | undefined, options: CommonOptions) => {
    await withObjects(ctx, options, async (client) => {
      const { info, body } = await client.getObject(bucket, key);
      if (file === undefined || file === '-') {
        for await (const chunk of body) ctx.stdout.write(chunk);
        return;
      }
      // The file is named by the user, never derived from the key.
      const out = createWriteStream(file);
      for await (const chunk of body) if (!out.write(chunk)) await once(out, 'drain');
      out.end();
      await once(out, 'finish');
      ctx.stderr.write(`wrote ${file}  ${formatBytes(info.size)}  etag ${info.etag}\n`);
    });
  });

  addCommonOptions(group.command('head').description("an object's size, ETag, type and metadata").argument('<bucket>').argument('<key>'), ctx).action(
    async (bucket: string, key: string, options: CommonOptions) => {
      const info = await withObjects(ctx, options, (client) => client.headObject(bucket, key));
      ctx.stdout.write(options.json === true ? toJson(info) : describeObject(info));
    },
  );

  addCommonOptions(group.command('rm').description('delete an object').argument('<bucket>').argument('<key>'), ctx).action(
    async (bucket: string, key: string, options: CommonOptions) => {
      await withObjects(ctx, options, (client) => client.deleteObject(bucket, key));
      ctx.stdout.write(options.json === true ? toJson({ deleted: `${bucket}/${key}` }) : `deleted ${bucket}/${key}\n`);
    },
  );

  addCommonOptions(
    group
      .command('notify')
      .description("show a bucket's notifications, add one (--function), or remove them all (--clear)")
      .argument('<bucket>')
      .option('--function <name>', 'the function to invoke: NAME, NAME:QUALIFIER or a function ARN')
      .option('--events <types>', `comma-separated: ${OBJECT_EVENT_TYPES.join(', ')} (default s3:ObjectCreated:*)`)
      .option('--prefix <prefix>', 'only keys that start with this')
      .option('--suffix <suffix>', 'only keys that end with this')
      .option('--id <id>', 'the configuration id (default generated)')
      .option('--clear', 'remove every notification of the bucket'),
    ctx,
  ).action(async (bucket: string, options: NotifyOptions) => {
    const adding = options.function !== undefined;
    if (options.clear === true && adding) throw usageError('--clear takes no --function');
    if (!adding && (options.events !== undefined || options.prefix !== undefined || options.suffix !== undefined || options.id !== undefined)) {
      throw usageError('--events, --prefix, --suffix and --id go with --function');
    }
    const config = await withObjects(ctx, options, async (client) => {
      if (options.clear === true) return client.putBucketNotificationConfiguration(bucket, []);
      const current = await client.getBucketNotificationConfiguration(bucket);
      if (!adding) return current;
      return client.putBucketNotificationConfiguration(bucket, [
        ...current.lambdaFunctionConfigurations,
        {
          lambdaFunctionArn: options.function ?? '',
          events: (options.events ?? 's3:ObjectCreated:*').split(',').map((e) => e.trim()),
          prefix: options.prefix ?? '',
          suffix: options.suffix ?? '',
          id: options.id ?? '',
        },
      ]);
    });
    ctx.stdout.write(options.json === true ? toJson(config) : describeNotifications(config));
  });
}

function describeObject(info: ObjectInfoMessage): string {
  return keyValues([
    ['key', info.key],
    ['size', String(info.size)],
    ['etag', info.etag],
    ['type', info.contentType],
    ['modified', info.lastModified],
    ...Object.entries(info.metadata).map(([name, value]) => [`meta ${name}`, value] as const),
  ]);
}

function describeNotifications(config: BucketNotificationConfigurationMessage): string {
  if (config.lambdaFunctionConfigurations.length === 0) return `no notifications on ${config.bucket}\n`;
  return config.lambdaFunctionConfigurations
    .map((c) => `${c.id}  ${c.events.join(',')}  prefix ${JSON.stringify(c.prefix)} suffix ${JSON.stringify(c.suffix)}  -> ${c.lambdaFunctionArn}\n`)
    .join('');
}
