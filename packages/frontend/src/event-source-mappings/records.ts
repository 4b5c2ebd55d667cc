import { createHash } from 'node:crypto';
import type { MsgHdrs } from 'nats';
import { functionArn, type EventSource } from '@stratus/contracts';

/**
 * The pure rules of event source mappings: the SQS-shaped event a batch is
 * delivered as, which of its messages a function's answer reports as failed,
 * and the record an on-failure destination receives. No clock is read here.
 */

/** One message of a batch, as a source hands it over. */
export interface SourceMessage {
  /** The record's `messageId`: the stream sequence for JetStream, a random id for plain NATS. */
  readonly messageId: string;
  /** The subject it was published on, without the cluster's user-events prefix. */
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: MsgHdrs | undefined;
  /** Deliveries of this message so far, this one included (SQS's ApproximateReceiveCount). */
  readonly deliveryCount: number;
  /** When it was published (JetStream) or received (plain NATS), ms since the epoch. */
  readonly sentAtMs: number;
  /** When a frontend first received it, as far as this frontend knows. */
  readonly firstReceivedAtMs: number;
}

/** Headers that are the platform's, not the user's: never shown as message attributes. */
const PLATFORM_HEADERS = new Set(['nats-msg-id', 'nats-expected-stream', 'nats-expected-last-sequence', 'nats-expected-last-msg-id', 'nats-expected-last-subject-sequence', 'stratus-trace-depth']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface EventRecordContext {
  readonly source: EventSource;
  readonly sourceArn: string;
  readonly region: string;
}

/**
 * One message as SQS's event record: the body as UTF-8 text, or base64 with
 * the attribute `BodyEncoding: "base64"` when it is not UTF-8, and the NATS
 * headers as message attributes. Returned as JSON text, so a batch is
 * measured and joined without being serialised twice.
 */
export function eventRecordJson(message: SourceMessage, context: EventRecordContext): string {
  let body: string;
  let binary = false;
  try {
    body = utf8.decode(message.data);
  } catch {
    body = Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength).toString('base64');
    binary = true;
  }
  const attributes: Record<string, string> = {
    ApproximateReceiveCount: String(message.deliveryCount),
    SentTimestamp: String(message.sentAtMs),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAtMs),
    Subject: message.subject,
  };
  if (binary) attributes['BodyEncoding'] = 'base64';
  return JSON.stringify({
    messageId: message.messageId,
    receiptHandle: Buffer.from(`${context.sourceArn}#${message.messageId}#${message.deliveryCount}`).toString('base64'),
    body,
    attributes,
    messageAttributes: messageAttributes(message.headers),
    md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
    eventSource: context.source.kind === 'nats' ? 'stratus:nats' : 'stratus:jetstream',
    eventSourceARN: context.sourceArn,
    awsRegion: context.region,
  });
}

function messageAttributes(headers: MsgHdrs | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  if (headers === undefined) return attributes;
  for (const [name, values] of headers) {
    if (PLATFORM_HEADERS.has(name.toLowerCase()) || values.length === 0) continue;
    attributes[name] = { stringValue: values[0], stringListValues: values.length > 1 ? values : [], binaryListValues: [], dataType: 'String' };
  }
  return attributes;
}

/** The whole event: `{"Records":[…]}` from records made by {@link eventRecordJson}. */
export function batchEvent(recordsJson: readonly string[]): Uint8Array {
  return Buffer.from(`{"Records":[${recordsJson.join(',')}]}`, 'utf8');
}

/** Bytes the event takes beyond its records: the wrapper and the commas. */
export function batchEventBytes(recordBytes: number, records: number): number {
  return '{"Records":[]}'.length + recordBytes + Math.max(0, records - 1);
}

/**
 * Which messages of a batch the function's answer reports as failed, when
 * the mapping has ReportBatchItemFailures: Lambda's rules. An answer without
 * `batchItemFailures` (or null, or an empty list) means all succeeded; an
 * item whose `itemIdentifier` is missing, empty or not in the batch makes the
 * whole batch count as failed, as does an answer that is not JSON.
 */
export function failedItems(payload: Uint8Array, batchIds: readonly string[]): { readonly all: true } | { readonly all: false; readonly ids: ReadonlySet<string> } {
  let answer: unknown;
  try {
    const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
    answer = text.trim() === '' ? null : JSON.parse(text);
  } catch {
    return { all: true };
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return { all: false, ids: new Set() };
  const failures = (answer as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { all: false, ids: new Set() };
  if (!Array.isArray(failures)) return { all: true };
  const inBatch = new Set(batchIds);
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = typeof failure === 'object' && failure !== null ? (failure as { itemIdentifier?: unknown }).itemIdentifier : undefined;
    if (typeof id !== 'string' || !inBatch.has(id)) return { all: true };
    ids.add(id);
  }
  return { all: false, ids };
}

export interface FailureRecordInput {
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier: string;
  readonly mappingUuid: string;
  readonly sourceArn: string;
  /** Attempts the messages had (their delivery count). */
  readonly approximateInvokeCount: number;
  /** Why the last attempt failed: Lambda's errorType and message, or a platform error code. */
  readonly lastError: string;
  readonly nowMs: number;
  /** The failed messages as one event, as the function last saw them. */
  readonly event: Uint8Array;
}

/**
 * What an on-failure destination receives for messages that exhausted their
 * retries: Lambda's invocation record shape (`requestContext` with
 * `condition: "RetryAttemptsExhausted"`), with the failed messages' event as
 * `requestPayload` so nothing of them is lost.
 */
export function failureRecord(input: FailureRecordInput): Uint8Array {
  const qualifier = input.qualifier === '' ? '$LATEST' : input.qualifier;
  return Buffer.from(
    JSON.stringify({
      version: '1.0',
      timestamp: new Date(input.nowMs).toISOString(),
      requestContext: {
        requestId: input.requestId,
        functionArn: `${functionArn(input.functionName)}:${qualifier}`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: input.approximateInvokeCount,
      },
      responseContext: { statusCode: 200, executedVersion: qualifier, functionError: input.lastError },
      eventSourceMappingUuid: input.mappingUuid,
      eventSourceArn: input.sourceArn,
      requestPayload: JSON.parse(Buffer.from(input.event).toString('utf8')) as unknown,
    }),
    'utf8',
  );
}

/** Delay before a failed message comes back: 1 s doubling per delivery up to a minute (a visibility timeout's worth). */
export function retryDelayMs(deliveryCount: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(20, Math.max(0, deliveryCount - 1)));
}

/** Whether a message that failed on delivery `deliveryCount` has used up `maximumRetryAttempts` (-1: never). */
export function retriesExhausted(deliveryCount: number, maximumRetryAttempts: number): boolean {
  return maximumRetryAttempts >= 0 && deliveryCount - 1 >= maximumRetryAttempts;
}
