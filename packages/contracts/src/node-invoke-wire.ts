import { StratusError, parseWireError, type WireError } from '@stratus/errors';
import type { EnvironmentHeld, InvocationResult, InvocationResultMetadata, NodeInvokeReply, NodeInvokeRequest, StreamedResult } from './messages.js';

/*
 * The bytes of an invocation on a node's subject (`subjects.nodeInvoke`) and
 * of its reply: a small binary header, then the payload as it is, so the
 * event and the result are copied once per hop and parsed once, in the
 * isolate, never escaped into JSON nor nested in it. Numbers little-endian.
 *
 * Request:  'S' 1 'Q' flags | digest (32 bytes, SHA-256) | id length (1 byte) | request id (ASCII)
 *           | [flag QUALIFIER: length (1 byte) | the qualifier the call named (ASCII: $LATEST, a version, an alias)]
 *           | [flag TARGET: u32 length | the target's canonical JSON] | [flag ATTEMPT: attempt (1 byte, 2-255)]
 *           | [flag CLIENT_CONTEXT: u16 length | the client context's JSON (UTF-8)]
 *           | [flag RESPONSE_STREAM: length (1 byte) | the subject to stream the response to (ASCII)] | the event's bytes (the rest)
 * Result:   'S' 1 'R' flags | f64 durationMs, billedMs, initMs, maxMemoryUsedMb, fromSeq, toSeq
 *           | u32 length + UTF-8 of: request id, node id, executed version, REPORT line, log tail
 *           | [flag STREAMED: u32 length + the stream's content type (ASCII) | u32 length + the bytes streamed before an error
 *              | u32 chunks published to the request's response stream]
 *           | the result's bytes (the rest)
 * Refusal or error: 'S' 1 'E' flags (STARTED) | the WireError as JSON
 * Target wanted:    'S' 1 'T' 0 (the node does not know the digest: send the call again with the target)
 * Stream chunk:     'S' 1 'C' flags (CONTENT_TYPE) | u32 index (0, 1, …) | [flag: u16 length + the content type] | bytes (the rest)
 */

const MAGIC = 0x53;
const VERSION = 1;
const KIND_REQUEST = 0x51;
const KIND_RESULT = 0x52;
const KIND_ERROR = 0x45;
const KIND_TARGET_WANTED = 0x54;
const KIND_CHUNK = 0x43;
const CHUNK_CONTENT_TYPE = 1;
/** Magic, version, kind, flags, index. */
const CHUNK_HEAD_BYTES = 8;

const REQUEST_TAIL_LOGS = 1;
const REQUEST_TARGET = 2;
const REQUEST_QUALIFIER = 4;
const REQUEST_ATTEMPT = 8;
const REQUEST_CLIENT_CONTEXT = 16;
const REQUEST_RESPONSE_STREAM = 32;
/** Response-stream subjects: a namespace prefix, `.stream.` and a call id; well under a byte's length. */
const STREAM_SUBJECT_PATTERN = /^[A-Za-z0-9_.-]{1,255}$/;
/** Lambda's ClientContext is at most 3,583 characters of base64, so its JSON is at most 2,687 bytes: room to spare. */
const CLIENT_CONTEXT_MAX_BYTES = 0xffff;
/** Attempts a request can name: an async event gets at most 3 (MaximumRetryAttempts 2), and a byte is room to spare. */
const ATTEMPT_MAX = 255;
const RESULT_FUNCTION_ERROR = 1;
const RESULT_COLD = 2;
const RESULT_LOG_TAIL = 4;
const RESULT_HELD = 8;
const RESULT_STREAMED = 16;
const ERROR_STARTED = 1;

const DIGEST_BYTES = 32;
/** Magic, version, kind, flags, digest, id length. */
const REQUEST_HEAD_BYTES = 4 + DIGEST_BYTES + 1;
/** Magic, version, kind, flags, six numbers, five string lengths. */
const RESULT_HEAD_BYTES = 4 + 6 * 8 + 5 * 4;
/** Request ids are 1 to 128 printable ASCII characters without spaces, as client tokens and call-status questions have them. */
const REQUEST_ID_MAX = 128;
/** Qualifiers are `$LATEST`, a version number or an alias name (at most 128 characters, as Lambda's). */
const QUALIFIER_PATTERN = /^[a-zA-Z0-9$_-]{1,128}$/;

/** A request as read off the wire: checked in shape, its target not yet looked up. Byte fields are views of the message, not copies. */
export interface WireInvokeRequest {
  readonly requestId: string;
  /** Hex SHA-256 naming the invocation target. */
  readonly digest: string;
  readonly tailLogs: boolean;
  /** The target's canonical JSON, when the sender attached it. */
  readonly target: Uint8Array | undefined;
  /** The qualifier the caller named (`$LATEST`, `3`, `prod`), for the context's invokedFunctionArn; '' for an unqualified call. */
  readonly invokedQualifier: string;
  readonly payload: Uint8Array;
  /** Which attempt of an asynchronous invocation this is; 1 when the sender named none. */
  readonly attempt: number;
  /** The client context's JSON text; '' for none. */
  readonly clientContext: string;
  /** Where to publish a streaming handler's bytes as it writes them; absent: they travel in the reply. */
  readonly responseStream?: string;
}

/** A node's answer as read off the wire: a reply, or a request for the call again with its target. */
export type WireInvokeReply = NodeInvokeReply | { readonly ok: false; readonly targetWanted: true };

/** The reply a node sends when it does not hold the target a call names. */
export const TARGET_WANTED_REPLY: Uint8Array = Uint8Array.of(MAGIC, VERSION, KIND_TARGET_WANTED, 0);

/** Bytes `encodeInvokeRequest` makes, without making them. */
export function invokeRequestBytes(request: NodeInvokeRequest, withTarget: boolean): number {
  const qualifier = request.invokedQualifier ?? '';
  return (
    REQUEST_HEAD_BYTES +
    request.requestId.length +
    (qualifier === '' ? 0 : 1 + qualifier.length) +
    (withTarget ? 4 + request.target.canonicalJson.byteLength : 0) +
    (laterAttempt(request) ? 1 : 0) +
    (request.clientContext === undefined || request.clientContext === '' ? 0 : 2 + Buffer.byteLength(request.clientContext)) +
    (request.responseStream === undefined ? 0 : 1 + request.responseStream.length) +
    request.payload.byteLength
  );
}

/** Whether the request names an attempt past the first (the first is what a request without one means). */
function laterAttempt(request: NodeInvokeRequest): boolean {
  const attempt = request.attempt ?? 1;
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > ATTEMPT_MAX) throw new StratusError('INTERNAL', `an attempt is a whole number from 1 to ${ATTEMPT_MAX}`);
  return attempt > 1;
}

/** The request for a node's subject; with the target's settings attached when `withTarget` (the node asked for them). */
export function encodeInvokeRequest(request: NodeInvokeRequest, withTarget: boolean): Uint8Array {
  const { requestId, target, payload } = request;
  const qualifier = request.invokedQualifier ?? '';
  if (!isRequestId(requestId)) throw new StratusError('INTERNAL', 'a request id must be 1 to 128 printable ASCII characters');
  if (qualifier !== '' && !QUALIFIER_PATTERN.test(qualifier)) throw new StratusError('INTERNAL', 'a qualifier must be 1 to 128 letters, digits, $, _ or -');
  const data = Buffer.allocUnsafe(invokeRequestBytes(request, withTarget));
  data[0] = MAGIC;
  data[1] = VERSION;
  data[2] = KIND_REQUEST;
  const attempt = laterAttempt(request);
  const clientContext = request.clientContext ?? '';
  if (Buffer.byteLength(clientContext) > CLIENT_CONTEXT_MAX_BYTES) throw new StratusError('INTERNAL', `a client context must be at most ${CLIENT_CONTEXT_MAX_BYTES} bytes`);
  data[3] =
    (request.tailLogs ? REQUEST_TAIL_LOGS : 0) |
    (withTarget ? REQUEST_TARGET : 0) |
    (qualifier === '' ? 0 : REQUEST_QUALIFIER) |
    (attempt ? REQUEST_ATTEMPT : 0) |
    (clientContext === '' ? 0 : REQUEST_CLIENT_CONTEXT) |
    (request.responseStream === undefined ? 0 : REQUEST_RESPONSE_STREAM);
  if (request.responseStream !== undefined && !STREAM_SUBJECT_PATTERN.test(request.responseStream)) {
    throw new StratusError('INTERNAL', 'a response stream subject must be 1 to 255 letters, digits, dots, _ or -');
  }
  data.write(target.digest, 4, DIGEST_BYTES, 'hex');
  data[4 + DIGEST_BYTES] = requestId.length;
  let at = REQUEST_HEAD_BYTES + data.write(requestId, REQUEST_HEAD_BYTES, 'latin1');
  if (qualifier !== '') {
    data[at] = qualifier.length;
    at += 1 + data.write(qualifier, at + 1, 'latin1');
  }
  if (withTarget) {
    at = data.writeUInt32LE(target.canonicalJson.byteLength, at);
    data.set(target.canonicalJson, at);
    at += target.canonicalJson.byteLength;
  }
  if (attempt) data[at++] = request.attempt ?? 1;
  if (clientContext !== '') {
    const length = data.write(clientContext, at + 2, 'utf8');
    data.writeUInt16LE(length, at);
    at += 2 + length;
  }
  if (request.responseStream !== undefined) {
    data[at] = request.responseStream.length;
    at += 1 + data.write(request.responseStream, at + 1, 'latin1');
  }
  data.set(payload, at);
  return data;
}

/** Reads a request off a node's subject; throws INVALID_ARGUMENT naming what is wrong with it. */
export function decodeInvokeRequest(bytes: Uint8Array): WireInvokeRequest {
  const data = asBuffer(bytes);
  expectHead(data, KIND_REQUEST, REQUEST_HEAD_BYTES, 'invocation request');
  const flags = data[3] as number;
  if ((flags & ~(REQUEST_TAIL_LOGS | REQUEST_TARGET | REQUEST_QUALIFIER | REQUEST_ATTEMPT | REQUEST_CLIENT_CONTEXT | REQUEST_RESPONSE_STREAM)) !== 0) throw malformed('invocation request', `unknown flags ${flags}`);
  const idLength = data[4 + DIGEST_BYTES] as number;
  let at = REQUEST_HEAD_BYTES + idLength;
  if (idLength === 0 || idLength > REQUEST_ID_MAX || at > data.length) throw malformed('invocation request', 'the request id must be 1 to 128 bytes');
  for (let i = REQUEST_HEAD_BYTES; i < at; i += 1) {
    const byte = data[i] as number;
    if (byte < 0x21 || byte > 0x7e) throw malformed('invocation request', 'the request id must be printable ASCII without spaces');
  }
  const requestId = data.toString('latin1', REQUEST_HEAD_BYTES, at);
  let invokedQualifier = '';
  if ((flags & REQUEST_QUALIFIER) !== 0) {
    const length = at < data.length ? (data[at] as number) : 0;
    if (length === 0 || at + 1 + length > data.length) throw malformed('invocation request', 'the qualifier must be 1 to 128 bytes');
    invokedQualifier = data.toString('latin1', at + 1, at + 1 + length);
    if (!QUALIFIER_PATTERN.test(invokedQualifier)) throw malformed('invocation request', 'the qualifier must be letters, digits, $, _ or -');
    at += 1 + length;
  }
  let target: Uint8Array | undefined;
  if ((flags & REQUEST_TARGET) !== 0) {
    if (at + 4 > data.length) throw malformed('invocation request', 'the target length is cut off');
    const length = data.readUInt32LE(at);
    at += 4;
    if (length > data.length - at) throw malformed('invocation request', `the target claims ${length} bytes, more than the message holds`);
    target = data.subarray(at, at + length);
    at += length;
  }
  let attempt = 1;
  if ((flags & REQUEST_ATTEMPT) !== 0) {
    if (at >= data.length) throw malformed('invocation request', 'the attempt is cut off');
    attempt = data[at++] as number;
    if (attempt < 2) throw malformed('invocation request', `attempt ${attempt}: a request names only attempts from 2 to ${ATTEMPT_MAX}`);
  }
  let clientContext = '';
  if ((flags & REQUEST_CLIENT_CONTEXT) !== 0) {
    if (at + 2 > data.length) throw malformed('invocation request', 'the client context length is cut off');
    const length = data.readUInt16LE(at);
    at += 2;
    if (length === 0 || length > data.length - at) throw malformed('invocation request', `the client context claims ${length} bytes, more than the message holds (or none)`);
    clientContext = data.toString('utf8', at, at + length);
    at += length;
  }
  let responseStream: string | undefined;
  if ((flags & REQUEST_RESPONSE_STREAM) !== 0) {
    const length = at < data.length ? (data[at] as number) : 0;
    if (length === 0 || at + 1 + length > data.length) throw malformed('invocation request', 'the response stream subject is cut off');
    responseStream = data.toString('latin1', at + 1, at + 1 + length);
    if (!STREAM_SUBJECT_PATTERN.test(responseStream)) throw malformed('invocation request', 'the response stream subject must be letters, digits, dots, _ or -');
    at += 1 + length;
  }
  return {
    requestId,
    digest: data.toString('hex', 4, 4 + DIGEST_BYTES),
    tailLogs: (flags & REQUEST_TAIL_LOGS) !== 0,
    target,
    invokedQualifier,
    payload: data.subarray(at),
    attempt,
    clientContext,
    ...(responseStream !== undefined ? { responseStream } : {}),
  };
}

/** Bytes `encodeResultReply` makes for a payload of `payloadBytes` bytes, without making them. */
export function resultReplyBytes(result: InvocationResultMetadata, payloadBytes: number): number {
  return (
    RESULT_HEAD_BYTES +
    Buffer.byteLength(result.requestId) +
    Buffer.byteLength(result.nodeId) +
    Buffer.byteLength(result.executedVersion) +
    Buffer.byteLength(result.report) +
    (result.logTail === undefined ? 0 : Buffer.byteLength(result.logTail)) +
    (result.streamed === undefined ? 0 : 12 + Buffer.byteLength(result.streamed.contentType) + result.streamed.bytesBeforeError.byteLength) +
    payloadBytes
  );
}

/**
 * A result as a node answers it over NATS: the metadata in the header, the
 * payload after it as it is (text is written once, straight into the message).
 */
export function encodeResultReply(result: InvocationResultMetadata, payload: string | Uint8Array, held: EnvironmentHeld | undefined): Uint8Array {
  const payloadBytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  const data = Buffer.allocUnsafe(resultReplyBytes(result, payloadBytes));
  data[0] = MAGIC;
  data[1] = VERSION;
  data[2] = KIND_RESULT;
  data[3] =
    (result.functionError === 'Unhandled' ? RESULT_FUNCTION_ERROR : 0) |
    (result.cold ? RESULT_COLD : 0) |
    (result.logTail === undefined ? 0 : RESULT_LOG_TAIL) |
    (held === undefined ? 0 : RESULT_HELD) |
    (result.streamed === undefined ? 0 : RESULT_STREAMED);
  data.writeDoubleLE(result.durationMs, 4);
  data.writeDoubleLE(result.billedMs, 12);
  data.writeDoubleLE(result.initMs, 20);
  data.writeDoubleLE(result.maxMemoryUsedMb, 28);
  data.writeDoubleLE(held?.fromSeq ?? 0, 36);
  data.writeDoubleLE(held?.toSeq ?? 0, 44);
  let at = 52;
  for (const text of [result.requestId, result.nodeId, result.executedVersion, result.report, result.logTail ?? '']) {
    const length = data.write(text, at + 4, 'utf8');
    data.writeUInt32LE(length, at);
    at += 4 + length;
  }
  if (result.streamed !== undefined) {
    const length = data.write(result.streamed.contentType, at + 4, 'utf8');
    data.writeUInt32LE(length, at);
    at += 4 + length;
    at = data.writeUInt32LE(result.streamed.bytesBeforeError.byteLength, at);
    data.set(result.streamed.bytesBeforeError, at);
    at += result.streamed.bytesBeforeError.byteLength;
    at = data.writeUInt32LE(result.streamed.chunksSent, at);
  }
  if (typeof payload === 'string') data.write(payload, at, 'utf8');
  else data.set(payload, at);
  return data;
}

/** One chunk of a streamed response as read off its subject: `index` counts from 0; the first carries the content type. */
export interface StreamChunk {
  readonly index: number;
  readonly contentType: string | undefined;
  /** A view of the message. */
  readonly bytes: Uint8Array;
}

/** A chunk of a streamed response for its subject (`subjects.responseStream`). */
export function encodeStreamChunk(index: number, contentType: string | undefined, bytes: Uint8Array): Uint8Array {
  const typeBytes = contentType === undefined ? 0 : 2 + Buffer.byteLength(contentType);
  const data = Buffer.allocUnsafe(CHUNK_HEAD_BYTES + typeBytes + bytes.byteLength);
  data[0] = MAGIC;
  data[1] = VERSION;
  data[2] = KIND_CHUNK;
  data[3] = contentType === undefined ? 0 : CHUNK_CONTENT_TYPE;
  data.writeUInt32LE(index, 4);
  let at = CHUNK_HEAD_BYTES;
  if (contentType !== undefined) {
    const length = data.write(contentType, at + 2, 'utf8');
    data.writeUInt16LE(length, at);
    at += 2 + length;
  }
  data.set(bytes, at);
  return data;
}

/** Reads a chunk off a response stream; throws INVALID_ARGUMENT naming what is wrong with it. */
export function decodeStreamChunk(bytes: Uint8Array): StreamChunk {
  const data = asBuffer(bytes);
  expectHead(data, KIND_CHUNK, CHUNK_HEAD_BYTES, 'response stream chunk');
  const flags = data[3] as number;
  if ((flags & ~CHUNK_CONTENT_TYPE) !== 0) throw malformed('response stream chunk', `unknown flags ${flags}`);
  const index = data.readUInt32LE(4);
  let at = CHUNK_HEAD_BYTES;
  let contentType: string | undefined;
  if ((flags & CHUNK_CONTENT_TYPE) !== 0) {
    if (at + 2 > data.length) throw malformed('response stream chunk', 'the content type is cut off');
    const length = data.readUInt16LE(at);
    at += 2;
    if (length > data.length - at) throw malformed('response stream chunk', `the content type claims ${length} bytes, more than the message holds`);
    contentType = data.toString('utf8', at, at + length);
    at += length;
  }
  return { index, contentType, bytes: data.subarray(at) };
}

/** A refusal (`started: false`: another node may take the call) or an error after the call began. */
export function encodeErrorReply(started: boolean, error: WireError): Uint8Array {
  const json = JSON.stringify(error);
  const data = Buffer.allocUnsafe(4 + Buffer.byteLength(json));
  data[0] = MAGIC;
  data[1] = VERSION;
  data[2] = KIND_ERROR;
  data[3] = started ? ERROR_STARTED : 0;
  data.write(json, 4, 'utf8');
  return data;
}

/** Reads a node's answer; throws INVALID_ARGUMENT naming what is wrong with it. The result's payload is a view of the message. */
export function decodeInvokeReply(bytes: Uint8Array): WireInvokeReply {
  const data = asBuffer(bytes);
  expectHead(data, undefined, 4, 'invocation reply');
  const flags = data[3] as number;
  switch (data[2]) {
    case KIND_TARGET_WANTED:
      return { ok: false, targetWanted: true };
    case KIND_ERROR: {
      let error: WireError | undefined;
      try {
        error = parseWireError(JSON.parse(data.toString('utf8', 4)));
      } catch {
        error = undefined;
      }
      if (error === undefined) throw malformed('invocation reply', 'the error is not a wire error');
      return { ok: false, started: (flags & ERROR_STARTED) !== 0, error };
    }
    case KIND_RESULT:
      return decodeResult(data, flags);
    default:
      throw malformed('invocation reply', `unknown kind ${data[2]}`);
  }
}

function decodeResult(data: Buffer, flags: number): NodeInvokeReply {
  if (data.length < RESULT_HEAD_BYTES) throw malformed('invocation reply', `${data.length} bytes, shorter than a result's header`);
  if ((flags & ~(RESULT_FUNCTION_ERROR | RESULT_COLD | RESULT_LOG_TAIL | RESULT_HELD | RESULT_STREAMED)) !== 0) throw malformed('invocation reply', `unknown flags ${flags}`);
  const durationMs = amount(data, 4, 'durationMs');
  const billedMs = amount(data, 12, 'billedMs');
  const initMs = amount(data, 20, 'initMs');
  const maxMemoryUsedMb = amount(data, 28, 'maxMemoryUsedMb');
  const fromSeq = data.readDoubleLE(36);
  const toSeq = data.readDoubleLE(44);
  const texts: string[] = [];
  let at = 52;
  for (let i = 0; i < 5; i += 1) {
    const length = data.readUInt32LE(at);
    at += 4;
    if (length > data.length - at) throw malformed('invocation reply', `a field claims ${length} bytes, more than the message holds`);
    texts.push(data.toString('utf8', at, at + length));
    at += length;
  }
  const [requestId, nodeId, executedVersion, report, logTail] = texts as [string, string, string, string, string];
  let streamed: StreamedResult | undefined;
  if ((flags & RESULT_STREAMED) !== 0) {
    const parts: Buffer[] = [];
    for (let i = 0; i < 2; i += 1) {
      if (at + 4 > data.length) throw malformed('invocation reply', 'the streamed response is cut off');
      const length = data.readUInt32LE(at);
      at += 4;
      if (length > data.length - at) throw malformed('invocation reply', `a streamed field claims ${length} bytes, more than the message holds`);
      parts.push(data.subarray(at, at + length));
      at += length;
    }
    if (at + 4 > data.length) throw malformed('invocation reply', 'the streamed response is cut off');
    const chunksSent = data.readUInt32LE(at);
    at += 4;
    streamed = { contentType: (parts[0] as Buffer).toString('utf8'), bytesBeforeError: parts[1] as Buffer, chunksSent };
  }
  const result: InvocationResult = {
    requestId,
    nodeId,
    executedVersion,
    payload: data.subarray(at),
    ...((flags & RESULT_FUNCTION_ERROR) !== 0 ? { functionError: 'Unhandled' as const } : {}),
    ...((flags & RESULT_LOG_TAIL) !== 0 ? { logTail } : {}),
    ...(streamed !== undefined ? { streamed } : {}),
    durationMs,
    billedMs,
    initMs,
    cold: (flags & RESULT_COLD) !== 0,
    maxMemoryUsedMb,
    report,
  };
  if ((flags & RESULT_HELD) === 0) return { ok: true, result };
  if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq)) throw malformed('invocation reply', 'environmentHeld is not two whole numbers');
  return { ok: true, result, environmentHeld: { fromSeq, toSeq } };
}

function expectHead(data: Buffer, kind: number | undefined, minBytes: number, what: string): void {
  if (data.length < minBytes) throw malformed(what, `${data.length} bytes, shorter than its header`);
  if (data[0] !== MAGIC) throw malformed(what, 'not a Stratus invocation message');
  if (data[1] !== VERSION) throw malformed(what, `version ${data[1]}; this process speaks version ${VERSION}`);
  if (kind !== undefined && data[2] !== kind) throw malformed(what, `kind ${data[2]}, expected ${kind}`);
}

function amount(data: Buffer, at: number, name: string): number {
  const value = data.readDoubleLE(at);
  if (!(value >= 0) || value === Infinity) throw malformed('invocation reply', `${name} is not a finite number at least 0`);
  return value;
}

function isRequestId(id: string): boolean {
  if (id.length === 0 || id.length > REQUEST_ID_MAX) return false;
  for (let i = 0; i < id.length; i += 1) {
    const code = id.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function malformed(what: string, why: string): StratusError {
  return new StratusError('INVALID_ARGUMENT', `malformed ${what}: ${why}`);
}
