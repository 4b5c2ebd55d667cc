import { z } from 'zod';
import { LIMITS } from './limits.js';

/** The object store's bounds: S3's where S3 has one, Stratus's own (and why) where it does not. */
export const OBJECT_LIMITS = {
  bucketNameMinLength: 3,
  bucketNameMaxLength: 63,
  /** S3: a key is 1 to 1024 bytes of UTF-8. */
  keyMaxBytes: 1024,
  /** S3's largest single PUT: one object is at most 5 GiB. */
  objectMaxBytes: 5 * 1024 * 1024 * 1024,
  /** S3: user-defined metadata is at most 2 KB, names and values together. */
  metadataMaxBytes: 2 * 1024,
  contentTypeMaxLength: 256,
  /** One PutObject chunk message at most; the client sends 256 KiB. */
  chunkMaxBytes: 1024 * 1024,
  /** ListObjects page (S3's MaxKeys default and most). */
  listMaxKeys: 1000,
  /** Lambda function configurations on one bucket (S3 bounds the notification document, not the count). */
  notificationConfigurationsMax: 100,
  notificationIdMaxLength: 255,
  /** Buckets one cluster holds (S3's default quota per account is 10,000; each bucket here is a JetStream stream). */
  bucketsMax: 1000,
} as const;

export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/**
 * The problem with a bucket name under S3's naming rules, or undefined when
 * it has none: 3 to 63 lowercase letters, digits, '.' and '-', starting and
 * ending with a letter or digit, no '..', not an IPv4 address, none of S3's
 * reserved prefixes and suffixes. Everything else (NATS wildcards, stream
 * names of the cluster, upper case) is refused by the same rules.
 */
export function bucketNameProblem(name: string): string | undefined {
  const quoted = JSON.stringify(name);
  if (name.length < OBJECT_LIMITS.bucketNameMinLength || name.length > OBJECT_LIMITS.bucketNameMaxLength) {
    return `bucket ${quoted}: a bucket name is ${OBJECT_LIMITS.bucketNameMinLength} to ${OBJECT_LIMITS.bucketNameMaxLength} characters`;
  }
  if (!BUCKET_NAME.test(name)) {
    return `bucket ${quoted}: a bucket name has only lowercase letters, digits, "." and "-", and starts and ends with a letter or digit`;
  }
  if (name.includes('..')) return `bucket ${quoted}: a bucket name has no two adjacent periods`;
  if (IP_ADDRESS.test(name)) return `bucket ${quoted}: a bucket name is not an IP address`;
  const prefix = RESERVED_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) return `bucket ${quoted}: the prefix "${prefix}" is reserved`;
  const suffix = RESERVED_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix !== undefined) return `bucket ${quoted}: the suffix "${suffix}" is reserved`;
  return undefined;
}

/** The JetStream object store bucket holding a Stratus bucket: '.' (which NATS names refuse, and S3 names never pair with '_') becomes '_'. */
export function natsObjectBucket(namespacePrefix: string, bucket: string): string {
  return `${namespacePrefix}_obj_${bucket.replaceAll('.', '_')}`;
}

/** The Stratus bucket a JetStream object store bucket holds, or undefined for one of another namespace or kind. */
export function bucketOfNatsObjectBucket(namespacePrefix: string, natsBucket: string): string | undefined {
  const prefix = `${namespacePrefix}_obj_`;
  if (!natsBucket.startsWith(prefix)) return undefined;
  const name = natsBucket.slice(prefix.length).replaceAll('_', '.');
  return bucketNameProblem(name) === undefined ? name : undefined;
}

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function wellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

// C0 controls and DEL: S3 accepts them but warns that tools mishandle them; a NUL ends C strings.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The problem with an object key, or undefined: 1 to 1024 bytes of
 * well-formed UTF-8 (S3's rule), no control characters, and no '.' or '..'
 * path segment, which tools that map keys to files (`aws s3 sync`, a
 * download folder) would resolve outside the folder they write to.
 */
export function objectKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'key: an object key is at least 1 byte';
  if (!wellFormed(key)) return 'key: an object key is well-formed UTF-8 (it holds a lone surrogate)';
  const bytes = Buffer.byteLength(key, 'utf8');
  if (bytes > OBJECT_LIMITS.keyMaxBytes) return `key: an object key is at most ${OBJECT_LIMITS.keyMaxBytes} bytes of UTF-8 (got ${bytes})`;
  if (CONTROL.test(key)) return `key ${JSON.stringify(key)}: control characters (NUL, newline, …) are not allowed in keys`;
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) {
    return `key ${JSON.stringify(key)}: a key has no "." or ".." path segment`;
  }
  return undefined;
}

const METADATA_NAME = /^[a-z0-9][a-z0-9-]{0,127}$/;

/** The problem with user metadata (S3's x-amz-meta-*), or undefined. */
export function objectMetadataProblem(metadata: Readonly<Record<string, string>>): string | undefined {
  let bytes = 0;
  for (const [name, value] of Object.entries(metadata)) {
    if (!METADATA_NAME.test(name)) return `metadata ${JSON.stringify(name)}: a metadata name is 1 to 128 lowercase letters, digits and "-"`;
    if (CONTROL.test(value) || !wellFormed(value)) return `metadata ${name}: a value has no control characters`;
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  if (bytes > OBJECT_LIMITS.metadataMaxBytes) return `metadata: at most ${OBJECT_LIMITS.metadataMaxBytes} bytes of names and values (got ${bytes})`;
  return undefined;
}

export function contentTypeProblem(contentType: string): string | undefined {
  if (contentType.length > OBJECT_LIMITS.contentTypeMaxLength || CONTROL.test(contentType) || !wellFormed(contentType)) {
    return `contentType: at most ${OBJECT_LIMITS.contentTypeMaxLength} characters, no control characters`;
  }
  return undefined;
}

/** The S3 event types a Lambda function configuration may name. */
export const OBJECT_EVENT_TYPES = ['s3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete'] as const;
export type ObjectEventType = (typeof OBJECT_EVENT_TYPES)[number];
/** What happened to an object, as an S3 event's eventName says it. */
export type ObjectChange = 'ObjectCreated:Put' | 'ObjectRemoved:Delete';

export function eventTypeMatches(type: ObjectEventType, change: ObjectChange): boolean {
  switch (type) {
    case 's3:ObjectCreated:*':
    case 's3:ObjectCreated:Put':
      return change === 'ObjectCreated:Put';
    case 's3:ObjectRemoved:*':
    case 's3:ObjectRemoved:Delete':
      return change === 'ObjectRemoved:Delete';
  }
}

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[1-9][0-9]{0,9}|[a-zA-Z0-9_-]{1,128})$/;
const FUNCTION_ARN = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)(?::([^:]+))?$/;

/** A notification's target: `name`, `name:qualifier`, or a Lambda function ARN (qualified or not). */
export function parseFunctionReference(text: string): { functionName: string; qualifier: string } | string {
  const arn = FUNCTION_ARN.exec(text);
  const [name, qualifier] = arn ? [arn[1] ?? '', arn[2] ?? ''] : [text.split(':')[0] ?? '', text.split(':').slice(1).join(':')];
  if (!FUNCTION_NAME.test(name)) {
    return `lambdaFunctionArn ${JSON.stringify(text)}: expected a function name (1 to ${LIMITS.functionNameMaxLength} letters, digits, "-" and "_"), name:qualifier or a function ARN`;
  }
  if (qualifier !== '' && !QUALIFIER.test(qualifier)) return `lambdaFunctionArn ${JSON.stringify(text)}: ${JSON.stringify(qualifier)} is not a version or alias`;
  return { functionName: name, qualifier };
}

const filterText = z
  .string()
  .refine((value) => Buffer.byteLength(value) <= OBJECT_LIMITS.keyMaxBytes, `at most ${OBJECT_LIMITS.keyMaxBytes} bytes`)
  .refine((value) => wellFormed(value) && !CONTROL.test(value), 'no control characters');

/** One S3 LambdaFunctionConfiguration as stored: which changes invoke which function. */
export const notificationConfigurationSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(OBJECT_LIMITS.notificationIdMaxLength)
    .refine((value) => wellFormed(value) && !CONTROL.test(value), 'no control characters'),
  functionName: z.string().regex(FUNCTION_NAME),
  qualifier: z.string(),
  events: z.array(z.enum(OBJECT_EVENT_TYPES)).min(1, 'name at least one event type').max(OBJECT_EVENT_TYPES.length),
  prefix: filterText,
  suffix: filterText,
});
export type NotificationConfiguration = z.infer<typeof notificationConfigurationSchema>;

export const bucketNotificationsSchema = z.object({
  configurations: z.array(notificationConfigurationSchema).max(OBJECT_LIMITS.notificationConfigurationsMax),
});
export type BucketNotifications = z.infer<typeof bucketNotificationsSchema>;

export function notificationMatches(config: NotificationConfiguration, change: ObjectChange, key: string): boolean {
  return config.events.some((type) => eventTypeMatches(type, change)) && key.startsWith(config.prefix) && key.endsWith(config.suffix);
}

/**
 * A key as S3 writes it into event documents: form-URL-encoded (UTF-8,
 * space as '+', everything but letters, digits and `-_.*` percent-encoded),
 * with '/' kept, so `decodeURIComponent(key.replace(/\+/g, ' '))` gives it back.
 */
export function s3EventKey(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.*/]/.test(ch)) out += ch;
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** S3's sequencer: hex that increases with every change of a bucket (here: the change's sequence in the bucket's stream). */
export function s3Sequencer(streamSequence: number): string {
  return streamSequence.toString(16).toUpperCase().padStart(16, '0');
}

export interface ObjectChangeRecord {
  readonly bucket: string;
  readonly key: string;
  readonly change: ObjectChange;
  /** When the change was made. */
  readonly eventTime: Date;
  /** Created objects only. */
  readonly size?: number;
  /** MD5 hex, created objects only. */
  readonly etag?: string;
  readonly streamSequence: number;
  readonly configurationId: string;
  /** Who made the change (the API key id). */
  readonly principalId: string;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly region: string;
}

/** The event document S3 sends Lambda for one change (one record, eventVersion 2.1; no versionId: buckets are unversioned). */
export function s3EventDocument(record: ObjectChangeRecord): { Records: unknown[] } {
  const object: Record<string, unknown> = { key: s3EventKey(record.key) };
  if (record.change === 'ObjectCreated:Put') {
    object['size'] = record.size ?? 0;
    object['eTag'] = record.etag ?? '';
  }
  object['sequencer'] = s3Sequencer(record.streamSequence);
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: record.region,
        eventTime: record.eventTime.toISOString(),
        eventName: record.change,
        userIdentity: { principalId: record.principalId },
        requestParameters: { sourceIPAddress: record.sourceIp },
        responseElements: { 'x-amz-request-id': record.requestId, 'x-amz-id-2': record.requestId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: record.configurationId,
          bucket: { name: record.bucket, ownerIdentity: { principalId: record.principalId }, arn: bucketArn(record.bucket) },
          object,
        },
      },
    ],
  };
}
