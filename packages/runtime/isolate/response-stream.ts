// Lambda's response streaming as its Node.js runtime offers it: the global `awslambda` with `streamifyResponse`
// (marks a handler that takes `(event, responseStream, context)`) and `HttpResponseStream.from` (the status and
// headers a function URL answers with, written ahead of the body as Lambda's runtime writes them: JSON, then 8 NUL
// bytes, under Lambda's content type for it). What the handler writes crosses to the host in batches (64 KiB, or
// when the isolate's task ends), never once per write: a loop of tiny writes must not queue a copy per write for
// the node's main thread. The host counts the bytes again and holds them to the streamed response limit.
import { current } from './loop.js';
import { sendSignal } from './log.js';
import {
  ErrorCtor,
  JSONStringify,
  ObjectDefineProperty,
  ReflectApply,
  StringCtor,
  TypeErrorCtor,
  Uint8ArrayCtor,
  ArrayBufferCtor,
  ArrayBufferIsView,
} from './primordials.js';
import { queueMicrotaskImpl } from './timers.js';
import { defineGlobal } from './web-globals.js';

/** Lambda's runtime marks a streaming handler with this symbol (registered, so libraries that look for it find it). */
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const STREAM_RESPONSE = 'response';
/** The content type under which a function URL reads a prelude of status and headers ahead of the body. */
export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** Lambda's limit on a streamed response. */
export const STREAM_MAX_BYTES = 20 * 1024 * 1024;
const FLUSH_BYTES = 65536;
const CONTENT_TYPE_MAX_CHARS = 256;

/** Whether `fn` was wrapped in awslambda.streamifyResponse. */
export function isStreamingHandler(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === STREAM_RESPONSE;
}

function codedError(message: string, code: string, ctor: ErrorConstructor = ErrorCtor): Error {
  const err = new ctor(message);
  ObjectDefineProperty(err, 'code', { value: code, writable: true, configurable: true, enumerable: true });
  return err;
}

/** UTF-8 bytes of a string: counted first, so a large write allocates its bytes once. Lone surrogates become U+FFFD, as Node's. */
function utf8Bytes(s: string): Uint8Array {
  let length = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) length += 1;
    else if (c < 0x800) length += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      length += 4;
      i++;
    } else length += 3;
  }
  const out = new Uint8ArrayCtor(length);
  let at = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 63);
      out[at++] = 0x80 | (c & 63);
    } else {
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 63);
      out[at++] = 0x80 | ((c >> 6) & 63);
      out[at++] = 0x80 | (c & 63);
    }
  }
  return out;
}

/** A copy of what one write() was given, as Node's Writable takes it (a string in UTF-8, a Buffer or another view). */
function chunkBytes(chunk: unknown, encoding: unknown): Uint8Array {
  if (typeof chunk === 'string') {
    if (encoding !== undefined && encoding !== null && typeof encoding !== 'function' && encoding !== 'utf8' && encoding !== 'utf-8') {
      throw codedError(`The response stream takes strings in UTF-8 only, not ${StringCtor(encoding)}: write a Buffer for other encodings`, 'ERR_UNKNOWN_ENCODING', TypeErrorCtor);
    }
    return utf8Bytes(chunk);
  }
  if (ArrayBufferIsView(chunk)) {
    return new Uint8ArrayCtor(new Uint8ArrayCtor(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  if (chunk instanceof ArrayBufferCtor) return new Uint8ArrayCtor(new Uint8ArrayCtor(chunk));
  throw codedError(
    'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array. Received ' + (chunk === null ? 'null' : typeof chunk),
    'ERR_INVALID_ARG_TYPE',
    TypeErrorCtor,
  );
}

type Listener = (...args: unknown[]) => unknown;

/**
 * The response stream of one invocation: enough of Node's Writable for what handlers do with Lambda's (write, end,
 * setContentType, events for `pipeline`), without backpressure: writes are batched and bounded instead.
 */
export class ResponseStream {
  #seq: number;
  #contentType = DEFAULT_CONTENT_TYPE;
  #typeSent = false;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #totalBytes = 0;
  #ended = false;
  #finished = false;
  #onEnd: (error: unknown) => void;
  #beforeFirstWrite: (() => void) | undefined;
  #listeners = new Map<unknown, Listener[]>();

  constructor(seq: number, onEnd: (error: unknown) => void) {
    this.#seq = seq;
    this.#onEnd = onEnd;
  }

  get writable(): boolean {
    return !this.#ended;
  }
  get writableEnded(): boolean {
    return this.#ended;
  }
  get writableFinished(): boolean {
    return this.#finished;
  }
  get destroyed(): boolean {
    return this.#ended;
  }
  get writableLength(): number {
    return this.#pendingBytes;
  }
  get writableHighWaterMark(): number {
    return FLUSH_BYTES;
  }
  get writableObjectMode(): boolean {
    return false;
  }

  setContentType(contentType: unknown): void {
    if (typeof contentType !== 'string' || contentType.length === 0 || contentType.length > CONTENT_TYPE_MAX_CHARS) {
      throw codedError(`setContentType: the content type must be a string of 1 to ${CONTENT_TYPE_MAX_CHARS} characters`, 'ERR_INVALID_ARG_TYPE', TypeErrorCtor);
    }
    for (let i = 0; i < contentType.length; i++) {
      const c = contentType.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) throw codedError('setContentType: the content type must be printable ASCII', 'ERR_INVALID_CHAR', TypeErrorCtor);
    }
    if (this.#typeSent || this.#totalBytes > 0) throw codedError('setContentType must be called before the first write', 'ERR_STREAM_ALREADY_FINISHED');
    this.#contentType = contentType;
  }

  /** HttpResponseStream.from's hook: the prelude goes out just before the first bytes (or at the end, if none). */
  setBeforeFirstWrite(hook: () => void): void {
    this.#beforeFirstWrite = hook;
  }

  write(chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    if (this.#ended) {
      const err = codedError('write after end', 'ERR_STREAM_WRITE_AFTER_END');
      if (typeof callback === 'function') queueMicrotaskImpl(() => (callback as Listener)(err));
      else if (typeof encoding === 'function') queueMicrotaskImpl(() => (encoding as Listener)(err));
      throw err;
    }
    this.#runBeforeFirstWrite();
    this.#push(chunkBytes(chunk, encoding));
    const done = typeof callback === 'function' ? callback : typeof encoding === 'function' ? encoding : undefined;
    if (done !== undefined) queueMicrotaskImpl(() => (done as Listener)());
    return true;
  }

  end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = undefined;
    } else if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    if (this.#ended) {
      if (typeof callback === 'function') queueMicrotaskImpl(() => (callback as Listener)());
      return this;
    }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    this.#runBeforeFirstWrite();
    this.#finish(undefined);
    if (typeof callback === 'function') queueMicrotaskImpl(() => (callback as Listener)());
    return this;
  }

  /** As Node's: with an error the call fails with it; without one the response ends with what was written. */
  destroy(error?: unknown): this {
    if (this.#ended) return this;
    this.#finish(error === undefined || error === null ? undefined : error);
    return this;
  }

  cork(): void {}
  uncork(): void {}
  setDefaultEncoding(): this {
    return this;
  }

  on(event: unknown, listener: unknown): this {
    if (typeof listener !== 'function') throw codedError('The "listener" argument must be of type function', 'ERR_INVALID_ARG_TYPE', TypeErrorCtor);
    const list = this.#listeners.get(event) ?? [];
    list.push(listener as Listener);
    this.#listeners.set(event, list);
    return this;
  }
  addListener(event: unknown, listener: unknown): this {
    return this.on(event, listener);
  }
  prependListener(event: unknown, listener: unknown): this {
    return this.on(event, listener);
  }
  once(event: unknown, listener: unknown): this {
    if (typeof listener !== 'function') throw codedError('The "listener" argument must be of type function', 'ERR_INVALID_ARG_TYPE', TypeErrorCtor);
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped);
      return ReflectApply(listener as Listener, this, args);
    };
    return this.on(event, wrapped);
  }
  off(event: unknown, listener: unknown): this {
    const list = this.#listeners.get(event);
    if (list === undefined) return this;
    const i = list.indexOf(listener as Listener);
    if (i !== -1) list.splice(i, 1);
    return this;
  }
  removeListener(event: unknown, listener: unknown): this {
    return this.off(event, listener);
  }
  removeAllListeners(event?: unknown): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }
  listenerCount(event: unknown): number {
    return this.#listeners.get(event)?.length ?? 0;
  }
  emit(event: unknown, ...args: unknown[]): boolean {
    const list = this.#listeners.get(event);
    if (list === undefined || list.length === 0) return false;
    const copy = list.slice();
    for (let i = 0; i < copy.length; i++) ReflectApply(copy[i] as Listener, this, args);
    return true;
  }

  /** Sends what is batched to the host (the runtime calls it at the end of every isolate task). */
  flush(): void {
    if (!this.#typeSent) {
      if (this.#pendingBytes === 0 && !this.#ended) return;
      this.#typeSent = true;
      sendSignal('stream-type', this.#seq, this.#contentType);
    }
    if (this.#pendingBytes === 0) return;
    const batch = this.#pending.length === 1 ? (this.#pending[0] as Uint8Array) : this.#joined();
    this.#pending = [];
    this.#pendingBytes = 0;
    const buffer = batch.byteOffset === 0 && batch.byteLength === batch.buffer.byteLength ? batch.buffer : batch.slice().buffer;
    sendSignal('chunk', this.#seq, buffer as ArrayBuffer);
  }

  #joined(): Uint8Array {
    const out = new Uint8ArrayCtor(this.#pendingBytes);
    let at = 0;
    for (let i = 0; i < this.#pending.length; i++) {
      const part = this.#pending[i] as Uint8Array;
      out.set(part, at);
      at += part.byteLength;
    }
    return out;
  }

  #runBeforeFirstWrite(): void {
    const hook = this.#beforeFirstWrite;
    if (hook === undefined) return;
    this.#beforeFirstWrite = undefined;
    hook();
  }

  #push(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    this.#totalBytes += bytes.byteLength;
    if (this.#totalBytes > STREAM_MAX_BYTES) {
      // What fits is sent; the call then fails as Lambda's does, and later writes are refused.
      this.#finish(responseTooLarge());
      return;
    }
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.byteLength;
    if (this.#pendingBytes >= FLUSH_BYTES) this.flush();
  }

  #finish(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.flush();
    this.#finished = error === undefined;
    this.#onEnd(error);
    if (error !== undefined) {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    } else this.emit('finish');
    this.emit('close');
  }
}

function responseTooLarge(): Error {
  const err = new ErrorCtor(`Response payload size exceeded maximum allowed payload size (${STREAM_MAX_BYTES} bytes).`);
  ObjectDefineProperty(err, 'name', { value: 'Function.ResponseSizeTooLarge', writable: true, configurable: true, enumerable: false });
  return err;
}

/** Whether `error` is the stream's own size error (reported with Lambda's errorType, no trace). */
export function isResponseTooLarge(error: unknown): boolean {
  return error instanceof ErrorCtor && error.name === 'Function.ResponseSizeTooLarge';
}

/** The stream of the invocation in progress, flushed at the end of each task. */
let active: ResponseStream | undefined;

export function setActiveStream(stream: ResponseStream | undefined): void {
  active = stream;
}

export function flushResponse(): void {
  if (active !== undefined && current !== undefined) active.flush();
}

function streamifyResponse(handler: unknown, options?: unknown): unknown {
  if (typeof handler !== 'function') throw codedError('awslambda.streamifyResponse: the handler must be a function', 'ERR_INVALID_ARG_TYPE', TypeErrorCtor);
  void options;
  ObjectDefineProperty(handler, HANDLER_STREAMING, { value: STREAM_RESPONSE, writable: true, configurable: true, enumerable: false });
  return handler;
}

class HttpResponseStream {
  static from(stream: unknown, prelude: unknown): unknown {
    if (!(stream instanceof ResponseStream)) throw codedError('HttpResponseStream.from: the first argument must be the response stream a streaming handler was given', 'ERR_INVALID_ARG_TYPE', TypeErrorCtor);
    const text = JSONStringify(prelude === undefined ? {} : prelude) as string | undefined;
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    stream.setBeforeFirstWrite(() => {
      stream.write(text ?? '{}');
      stream.write(new Uint8ArrayCtor(8));
    });
    return stream;
  }
}

export function installAwsLambdaGlobal(): void {
  defineGlobal('awslambda', { streamifyResponse: streamifyResponse, HttpResponseStream: HttpResponseStream }, false);
}
