import { z } from 'zod';
import { parseDestination } from './async-config.js';
import { LIMITS } from './limits.js';

/** Lambda's bounds for an event source mapping (SQS's batch sizes, streams' retries), as Stratus keeps them. */
export const EVENT_SOURCE_MAPPING_LIMITS = {
  batchSizeMin: 1,
  batchSizeMax: 10_000,
  /** SQS's default. */
  batchSizeDefault: 10,
  batchingWindowMaxSec: 300,
  /** -1: retry until the message leaves the stream (Lambda's streams default). */
  retryAttemptsMin: -1,
  retryAttemptsMax: 10_000,
  retryAttemptsDefault: -1,
  /** A batch's event, as one synchronous invocation carries it (Lambda: 6 MB for every event source). */
  batchPayloadMaxBytes: LIMITS.syncPayloadMaxBytes,
} as const;

export const STARTING_POSITIONS = ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'] as const;
export type StartingPosition = (typeof STARTING_POSITIONS)[number];
export const FUNCTION_RESPONSE_TYPES = ['ReportBatchItemFailures'] as const;
export const EVENT_SOURCE_MAPPING_STATES = ['Creating', 'Enabled', 'Disabled', 'Deleting'] as const;
export type EventSourceMappingState = (typeof EVENT_SOURCE_MAPPING_STATES)[number];

/**
 * Where a mapping reads from. `nats`: a plain NATS subject, read by a queue
 * subscription shared by the frontends (at most once). `jetstream`: the same
 * subjects as stored by the cluster's user-events stream, read by a durable
 * consumer shared by the frontends (at least once). Either way the subject is
 * a user subject, under the cluster's `<namespace>.events.` prefix.
 */
export interface EventSource {
  readonly kind: 'nats' | 'jetstream';
  /** The user subject (without the prefix); `*` and a final `>` are wildcards. */
  readonly subject: string;
}

const USER_SUBJECT = /^(?:[A-Za-z0-9_-]+|\*)(?:\.(?:[A-Za-z0-9_-]+|\*))*(?:\.>)?$|^>$/;
const USER_SUBJECT_MAX = 200;
const USER_SUBJECT_TOKENS_MAX = 16;
const SOURCE_ARN = /^arn:stratus:(nats|jetstream):[^:]*:[^:]*:subject\/(.+)$/;

/**
 * Reads a source as the API takes it: `nats:SUBJECT`, `jetstream:SUBJECT`, or
 * the ARN `eventSourceArn` gives back. Returns the problem as text, so callers
 * name the field.
 */
export function parseEventSource(text: string): EventSource | string {
  const arn = SOURCE_ARN.exec(text);
  const colon = text.indexOf(':');
  const kind = arn?.[1] ?? (colon < 0 ? '' : text.slice(0, colon));
  const subject = arn?.[2] ?? text.slice(colon + 1);
  if (kind !== 'nats' && kind !== 'jetstream') {
    return `${JSON.stringify(text.slice(0, 300))} is not an event source: expected nats:SUBJECT or jetstream:SUBJECT (a subject under the cluster's user-events prefix)`;
  }
  if (subject.length > USER_SUBJECT_MAX || subject.split('.').length > USER_SUBJECT_TOKENS_MAX || !USER_SUBJECT.test(subject)) {
    return `${kind}:${subject.slice(0, 300)}: the subject must be 1 to ${USER_SUBJECT_TOKENS_MAX} dot-separated tokens of letters, digits, "-" and "_", or the wildcards "*" and a final ">", at most ${USER_SUBJECT_MAX} characters`;
  }
  return { kind, subject };
}

export function formatEventSource(source: EventSource): string {
  return `${source.kind}:${source.subject}`;
}

/** The ARN a mapping's source is reported as (Lambda's `EventSourceArn`). */
export function eventSourceArn(source: EventSource, region = 'local', account = '000000000000'): string {
  return `arn:stratus:${source.kind}:${region}:${account}:subject/${source.subject}`;
}

const eventSourceSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseEventSource(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const onFailureSchema = z.string().superRefine((text, ctx) => {
  const parsed = parseDestination(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const { batchSizeMin, batchSizeMax, batchingWindowMaxSec, retryAttemptsMin, retryAttemptsMax } = EVENT_SOURCE_MAPPING_LIMITS;

/** The settings of a mapping a user chooses, with Lambda's defaults. */
export const eventSourceMappingSettingsSchema = z.object({
  batchSize: z
    .number()
    .int('must be a whole number')
    .min(batchSizeMin, `must be from ${batchSizeMin} to ${batchSizeMax}`)
    .max(batchSizeMax, `must be from ${batchSizeMin} to ${batchSizeMax}`)
    .default(EVENT_SOURCE_MAPPING_LIMITS.batchSizeDefault),
  maximumBatchingWindowInSeconds: z
    .number()
    .int('must be a whole number')
    .min(0, `must be from 0 to ${batchingWindowMaxSec} seconds`)
    .max(batchingWindowMaxSec, `must be from 0 to ${batchingWindowMaxSec} seconds`)
    .default(0),
  enabled: z.boolean().default(true),
  functionResponseTypes: z.array(z.enum(FUNCTION_RESPONSE_TYPES, { error: 'must be "ReportBatchItemFailures"' })).max(1).default([]),
  maximumRetryAttempts: z
    .number()
    .int('must be a whole number')
    .min(retryAttemptsMin, `must be from ${retryAttemptsMin} (retry until the message leaves the stream) to ${retryAttemptsMax}`)
    .max(retryAttemptsMax, `must be from ${retryAttemptsMin} (retry until the message leaves the stream) to ${retryAttemptsMax}`)
    .default(EVENT_SOURCE_MAPPING_LIMITS.retryAttemptsDefault),
  onFailure: onFailureSchema.optional(),
});
export type EventSourceMappingSettings = z.infer<typeof eventSourceMappingSettingsSchema>;
export type EventSourceMappingSettingsInput = z.input<typeof eventSourceMappingSettingsSchema>;

/** A mapping as stored in etcd under `keys.eventSourceMapping(uuid)`. */
export const storedEventSourceMappingSchema = eventSourceMappingSettingsSchema.extend({
  uuid: z.uuid(),
  functionName: z.string().min(1),
  /** '' for the unqualified function ($LATEST), else a version or alias. */
  qualifier: z.string(),
  source: eventSourceSchema,
  /** JetStream sources only: where a new mapping starts reading. */
  startingPosition: z.enum(STARTING_POSITIONS).optional(),
  startingPositionTimestampMs: z.number().int().nonnegative().optional(),
  state: z.enum(EVENT_SOURCE_MAPPING_STATES),
  stateTransitionReason: z.string().default('USER_INITIATED'),
  lastModified: z.string(),
  /** Lambda's LastProcessingResult: "No records processed", "OK" or "PROBLEM: …", as a frontend last wrote it. */
  lastProcessingResult: z.string().default('No records processed'),
});
export type StoredEventSourceMapping = z.infer<typeof storedEventSourceMappingSchema>;
