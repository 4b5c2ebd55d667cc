import { EventStreamCodec } from '@smithy/core/event-streams';

/**
 * InvokeWithResponseStream's body: AWS's event-stream framing (`application/vnd.amazon.eventstream`: a prelude with
 * the total and header lengths and its CRC32, headers, the payload, the message's CRC32), encoded by the codec the
 * AWS SDK itself decodes it with, carrying Lambda's `PayloadChunk` events and one final `InvokeComplete`.
 */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** Lambda's PayloadChunk carries at most this much of the response; larger writes are split. */
const PAYLOAD_CHUNK_MAX_BYTES = 256 * 1024;

const codec = new EventStreamCodec(
  (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  (text: string): Uint8Array => Buffer.from(text, 'utf8'),
);

function event(eventType: string, contentType: string, body: Uint8Array): Buffer {
  const message = codec.encode({
    headers: {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: contentType },
      ':message-type': { type: 'string', value: 'event' },
    },
    body,
  });
  return Buffer.from(message.buffer, message.byteOffset, message.byteLength);
}

/** PayloadChunk events for `bytes` (none for no bytes), each at most 256 KiB of them. */
export function payloadChunks(bytes: Uint8Array): Buffer[] {
  const events: Buffer[] = [];
  for (let at = 0; at < bytes.byteLength; at += PAYLOAD_CHUNK_MAX_BYTES) {
    events.push(event('PayloadChunk', 'application/octet-stream', bytes.subarray(at, Math.min(bytes.byteLength, at + PAYLOAD_CHUNK_MAX_BYTES))));
  }
  return events;
}

/** What ends a response stream: Lambda's InvokeComplete (an error's type and message when the call failed, the log tail when asked). */
export interface InvokeComplete {
  readonly errorCode?: string;
  readonly errorDetails?: string;
  readonly logResult?: string;
}

export function invokeComplete(complete: InvokeComplete): Buffer {
  const body: Record<string, string> = {};
  if (complete.errorCode !== undefined) body['ErrorCode'] = complete.errorCode;
  if (complete.errorDetails !== undefined) body['ErrorDetails'] = complete.errorDetails;
  if (complete.logResult !== undefined && complete.logResult !== '') body['LogResult'] = complete.logResult;
  return event('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(body), 'utf8'));
}
