// fetch, Headers, Request, Response, Blob, File and FormData as Node 20 has them, over the host's egress
// (./egress.ts). Bodies: strings, ArrayBuffers and views, Blob, URLSearchParams and FormData (multipart) go out;
// a response body is read from the host as the function reads it (text, json, arrayBuffer, blob, formData for
// urlencoded bodies, or `body` as an async-iterable reader). There is no ReadableStream in an isolate: `body` has
// `getReader()` and `Symbol.asyncIterator`, enough for the libraries that read it.
import { domException } from './dom-exception.js';
import { Exchange, readAll, type ExchangeHead, type NetError } from './egress.js';
import { AbortSignal } from './events.js';
import { ArrayBufferCtor, ArrayBufferIsView, ErrorCtor, JSONParse, PromiseCtor, StringCtor, TypeErrorCtor, Uint8ArrayCtor } from './primordials.js';
import { TextDecoder, TextEncoder } from './text-encoding.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function normalizeValue(value: unknown): string {
  return StringCtor(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

export class Headers {
  #list: [string, string][] = [];
  constructor(init?: unknown) {
    if (init === undefined || init === null) return;
    if (init instanceof Headers) {
      for (const [name, value] of init.#list) this.#list.push([name, value]);
    } else if (typeof init === 'object' && typeof (init as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const pair of init as Iterable<unknown>) {
        const entry = [...(pair as Iterable<unknown>)];
        if (entry.length !== 2) throw new TypeErrorCtor('Headers constructor: expected name/value pair to be length 2, found ' + entry.length + '.');
        this.append(entry[0], entry[1]);
      }
    } else if (typeof init === 'object') {
      for (const name of Object.keys(init)) this.append(name, (init as Record<string, unknown>)[name]);
    } else {
      throw new TypeErrorCtor("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    }
  }
  append(name: unknown, value: unknown): void {
    const key = StringCtor(name);
    if (!HEADER_NAME.test(key)) throw new TypeErrorCtor('Headers.append: "' + key + '" is an invalid header name.');
    this.#list.push([key.toLowerCase(), normalizeValue(value)]);
  }
  set(name: unknown, value: unknown): void {
    const key = StringCtor(name).toLowerCase();
    if (!HEADER_NAME.test(key)) throw new TypeErrorCtor('Headers.set: "' + StringCtor(name) + '" is an invalid header name.');
    const i = this.#list.findIndex(([n]) => n === key);
    this.#list = this.#list.filter(([n], j) => n !== key || j === i);
    if (i === -1) this.#list.push([key, normalizeValue(value)]);
    else this.#list[this.#list.findIndex(([n]) => n === key)] = [key, normalizeValue(value)];
  }
  get(name: unknown): string | null {
    const key = StringCtor(name).toLowerCase();
    const values = this.#list.filter(([n]) => n === key).map(([, v]) => v);
    if (values.length === 0) return null;
    return key === 'set-cookie' ? values.join(', ') : values.join(', ');
  }
  getSetCookie(): string[] {
    return this.#list.filter(([n]) => n === 'set-cookie').map(([, v]) => v);
  }
  has(name: unknown): boolean {
    const key = StringCtor(name).toLowerCase();
    return this.#list.some(([n]) => n === key);
  }
  delete(name: unknown): void {
    const key = StringCtor(name).toLowerCase();
    this.#list = this.#list.filter(([n]) => n !== key);
  }
  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this);
  }
  *entries(): IterableIterator<[string, string]> {
    const names = [...new Set(this.#list.map(([n]) => n))].sort();
    for (const name of names) {
      if (name === 'set-cookie') for (const cookie of this.getSetCookie()) yield [name, cookie];
      else yield [name, this.get(name) as string];
    }
  }
  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
  /** The pairs in order, repeats kept, for the host. */
  static pairs(headers: Headers): [string, string][] {
    return headers.#list.map(([n, v]) => [n, v]);
  }
}

function bytesOf(part: unknown): Uint8Array {
  if (part instanceof Blob) return Blob.bytes(part);
  if (part instanceof ArrayBufferCtor) return new Uint8ArrayCtor(part.slice(0));
  if (ArrayBufferIsView(part)) {
    const view = part;
    return new Uint8ArrayCtor(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
  }
  return encoder.encode(StringCtor(part));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.byteLength;
  const out = new Uint8ArrayCtor(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

export class Blob {
  #bytes: Uint8Array;
  #type: string;
  constructor(parts: unknown = [], options?: { type?: unknown }) {
    if (parts === null || typeof parts !== 'object' || typeof (parts as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeErrorCtor("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
    }
    this.#bytes = concat([...(parts as Iterable<unknown>)].map(bytesOf));
    const type = options && options.type !== undefined ? StringCtor(options.type) : '';
    this.#type = /[^\u0020-\u007E]/.test(type) ? '' : type.toLowerCase();
  }
  get size(): number {
    return this.#bytes.byteLength;
  }
  get type(): string {
    return this.#type;
  }
  text(): Promise<string> {
    return PromiseCtor.resolve(decoder.decode(this.#bytes));
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return PromiseCtor.resolve(this.#bytes.slice().buffer);
  }
  slice(start?: number, end?: number, type?: string): Blob {
    return new Blob([this.#bytes.slice(start, end)], { type: type === undefined ? '' : type });
  }
  get [Symbol.toStringTag](): string {
    return 'Blob';
  }
  static bytes(blob: Blob): Uint8Array {
    return blob.#bytes;
  }
}

export class File extends Blob {
  #name: string;
  #lastModified: number;
  constructor(parts: unknown, name: unknown, options?: { type?: unknown; lastModified?: unknown }) {
    super(parts, options);
    this.#name = StringCtor(name);
    this.#lastModified = options && typeof options.lastModified === 'number' ? options.lastModified : Date.now();
  }
  get name(): string {
    return this.#name;
  }
  get lastModified(): number {
    return this.#lastModified;
  }
  override get [Symbol.toStringTag](): string {
    return 'File';
  }
}

type FormValue = string | File;

export class FormData {
  #entries: [string, FormValue][] = [];
  constructor(form?: unknown) {
    if (form !== undefined) throw new TypeErrorCtor("Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'.");
  }
  static #value(value: unknown, filename?: unknown): FormValue {
    if (value instanceof Blob) {
      if (value instanceof File && filename === undefined) return value;
      return new File([value], filename === undefined ? 'blob' : filename, { type: value.type });
    }
    return StringCtor(value);
  }
  append(name: unknown, value: unknown, filename?: unknown): void {
    this.#entries.push([StringCtor(name), FormData.#value(value, filename)]);
  }
  set(name: unknown, value: unknown, filename?: unknown): void {
    const key = StringCtor(name);
    const i = this.#entries.findIndex(([n]) => n === key);
    const entry: [string, FormValue] = [key, FormData.#value(value, filename)];
    this.#entries = this.#entries.filter(([n]) => n !== key);
    this.#entries.splice(i === -1 ? this.#entries.length : i, 0, entry);
  }
  get(name: unknown): FormValue | null {
    const found = this.#entries.find(([n]) => n === StringCtor(name));
    return found === undefined ? null : found[1];
  }
  getAll(name: unknown): FormValue[] {
    return this.#entries.filter(([n]) => n === StringCtor(name)).map(([, v]) => v);
  }
  has(name: unknown): boolean {
    return this.#entries.some(([n]) => n === StringCtor(name));
  }
  delete(name: unknown): void {
    this.#entries = this.#entries.filter(([n]) => n !== StringCtor(name));
  }
  forEach(callback: (value: FormValue, name: string, form: FormData) => void, thisArg?: unknown): void {
    for (const [name, value] of this.#entries) callback.call(thisArg, value, name, this);
  }
  *entries(): IterableIterator<[string, FormValue]> {
    for (const entry of this.#entries) yield [entry[0], entry[1]];
  }
  *keys(): IterableIterator<string> {
    for (const [name] of this.#entries) yield name;
  }
  *values(): IterableIterator<FormValue> {
    for (const [, value] of this.#entries) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, FormValue]> {
    return this.entries();
  }
  get [Symbol.toStringTag](): string {
    return 'FormData';
  }
  /** multipart/form-data, as undici writes it. */
  static encode(form: FormData): { bytes: Uint8Array; type: string } {
    let boundary = '----formdata-stratus-';
    for (let i = 0; i < 24; i++) boundary += StringCtor(Math.floor(Math.random() * 10));
    const escape = (s: string): string => s.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22');
    const parts: Uint8Array[] = [];
    for (const [name, value] of form.#entries) {
      if (typeof value === 'string') {
        parts.push(encoder.encode('--' + boundary + '\r\nContent-Disposition: form-data; name="' + escape(name) + '"\r\n\r\n' + value.replace(/\r(?!\n)|(?<!\r)\n/g, '\r\n') + '\r\n'));
      } else {
        parts.push(
          encoder.encode(
            '--' + boundary + '\r\nContent-Disposition: form-data; name="' + escape(name) + '"; filename="' + escape(value.name) + '"\r\nContent-Type: ' +
              (value.type || 'application/octet-stream') + '\r\n\r\n',
          ),
        );
        parts.push(Blob.bytes(value));
        parts.push(encoder.encode('\r\n'));
      }
    }
    parts.push(encoder.encode('--' + boundary + '--\r\n'));
    return { bytes: concat(parts), type: 'multipart/form-data; boundary=' + boundary };
  }
}

interface URLSearchParamsLike {
  toString(): string;
  append(name: string, value: string): void;
}

function isSearchParams(value: unknown): value is URLSearchParamsLike {
  return value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object URLSearchParams]';
}

/** A body as bytes plus the content type it implies, Fetch's "extract a body". */
function extractBody(body: unknown): { bytes: Uint8Array; type: string | null } | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return { bytes: encoder.encode(body), type: 'text/plain;charset=UTF-8' };
  if (body instanceof FormData) return FormData.encode(body);
  if (body instanceof Blob) return { bytes: Blob.bytes(body), type: body.type === '' ? null : body.type };
  if (body instanceof ArrayBufferCtor || ArrayBufferIsView(body)) return { bytes: bytesOf(body), type: null };
  if (isSearchParams(body)) return { bytes: encoder.encode(body.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    throw new TypeErrorCtor('fetch in Stratus takes a string, ArrayBuffer, typed array, Blob, FormData or URLSearchParams as a body, not a stream');
  }
  return { bytes: encoder.encode(StringCtor(body)), type: 'text/plain;charset=UTF-8' };
}

/** What `Response.body` is here: a reader over the host's parts, and an async iterator of them. */
class BodyStream {
  #next: () => Promise<Uint8Array | null>;
  #cancel: (reason: unknown) => void;
  locked = false;
  constructor(next: () => Promise<Uint8Array | null>, cancel: (reason: unknown) => void) {
    this.#next = next;
    this.#cancel = cancel;
  }
  getReader(): { read(): Promise<{ done: boolean; value: Uint8Array | undefined }>; cancel(reason?: unknown): Promise<void>; releaseLock(): void; closed: Promise<void> } {
    if (this.locked) throw new TypeErrorCtor('ReadableStream is locked');
    this.locked = true;
    return {
      read: async () => {
        const part = await this.#next();
        return part === null ? { done: true, value: undefined } : { done: false, value: part };
      },
      cancel: (reason?: unknown) => {
        this.#cancel(reason);
        return PromiseCtor.resolve();
      },
      releaseLock: () => {
        this.locked = false;
      },
      closed: PromiseCtor.resolve(),
    };
  }
  cancel(reason?: unknown): Promise<void> {
    this.#cancel(reason);
    return PromiseCtor.resolve();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const part = await this.#next();
      if (part === null) return;
      yield part;
    }
  }
}

/** A body that stops arriving fails as undici's does: `TypeError: terminated`, Node's error as its cause. */
function bodyFailed(err: unknown): never {
  if (err instanceof ErrorCtor && (err.name === 'AbortError' || err.name === 'TimeoutError')) throw err;
  const failure = new TypeErrorCtor('terminated');
  (failure as TypeError & { cause?: unknown }).cause = err;
  throw failure;
}

/** The body mixin's state: bytes in memory, or an exchange still streaming from the host. */
class BodyState {
  bytes: Uint8Array | null;
  exchange: Exchange | undefined;
  used = false;
  stream: BodyStream | null | undefined;
  constructor(bytes: Uint8Array | null, exchange?: Exchange) {
    this.bytes = bytes;
    this.exchange = exchange;
  }
  consume(): Promise<Uint8Array> {
    if (this.used) return PromiseCtor.reject(new TypeErrorCtor('Body is unusable: Body has already been read'));
    this.used = true;
    if (this.exchange !== undefined) return readAll(this.exchange).catch(bodyFailed);
    return PromiseCtor.resolve(this.bytes === null ? new Uint8ArrayCtor(0) : this.bytes);
  }
  body(): BodyStream | null {
    if (this.stream !== undefined) return this.stream;
    if (this.exchange === undefined && this.bytes === null) {
      this.stream = null;
      return null;
    }
    let given = false;
    const exchange = this.exchange;
    const next = (): Promise<Uint8Array | null> => {
      this.used = true;
      if (exchange !== undefined) return exchange.read().catch(bodyFailed);
      if (given || this.bytes === null) return PromiseCtor.resolve(null);
      given = true;
      return PromiseCtor.resolve(this.bytes);
    };
    this.stream = new BodyStream(next, (reason) => exchange?.abort(reason === undefined ? domException('This operation was aborted', 'AbortError') : reason));
    return this.stream;
  }
}

function contentTypeOf(headers: Headers): string {
  return (headers.get('content-type') || '').toLowerCase();
}

const bodies = new WeakMap<object, BodyState>();
const heads = new WeakMap<object, Headers>();

function bodyOf(target: object): BodyState {
  const state = bodies.get(target);
  if (state === undefined) throw new TypeErrorCtor('Illegal invocation');
  return state;
}

abstract class Body {
  get body(): BodyStream | null {
    return bodyOf(this).body();
  }
  get bodyUsed(): boolean {
    return bodyOf(this).used;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await bodyOf(this).consume();
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  }
  async text(): Promise<string> {
    return decoder.decode(await bodyOf(this).consume());
  }
  async json(): Promise<unknown> {
    return JSONParse(await this.text());
  }
  async blob(): Promise<Blob> {
    const headers = heads.get(this);
    return new Blob([await bodyOf(this).consume()], { type: headers === undefined ? '' : headers.get('content-type') || '' });
  }
  async formData(): Promise<FormData> {
    const headers = heads.get(this);
    const type = headers === undefined ? '' : contentTypeOf(headers);
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      throw new TypeErrorCtor('formData() in Stratus reads application/x-www-form-urlencoded bodies only');
    }
    const form = new FormData();
    for (const pair of (await this.text()).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
      form.append(decode(eq === -1 ? pair : pair.slice(0, eq)), decode(eq === -1 ? '' : pair.slice(eq + 1)));
    }
    return form;
  }
}

interface RequestState {
  url: string;
  method: string;
  redirect: 'follow' | 'manual' | 'error';
  signal: AbortSignal | null;
}
const requests = new WeakMap<object, RequestState>();

function urlText(input: unknown): string {
  const text = StringCtor(input);
  const URLCtor = (globalThis as unknown as { URL?: new (s: string) => { href: string } }).URL;
  if (URLCtor === undefined) {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) throw new TypeErrorCtor('Failed to parse URL from ' + text);
    return text;
  }
  try {
    return new URLCtor(text).href;
  } catch (cause) {
    const err = new TypeErrorCtor('Failed to parse URL from ' + text);
    (err as Error & { cause?: unknown }).cause = cause;
    throw err;
  }
}

const METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

export class Request extends Body {
  constructor(input: unknown, init?: Record<string, unknown>) {
    super();
    const options = init || {};
    const from = input instanceof Request ? input : undefined;
    const base = from === undefined ? undefined : (requests.get(from) as RequestState);
    const url = base === undefined ? urlText(input) : base.url;
    let method = options.method !== undefined ? StringCtor(options.method) : base === undefined ? 'GET' : base.method;
    if (METHODS.has(method.toUpperCase())) method = method.toUpperCase();
    if (method === 'CONNECT' || method === 'TRACE' || method === 'TRACK') throw new TypeErrorCtor("'" + method + "' HTTP method is unsupported.");
    const headers = new Headers(options.headers !== undefined ? options.headers : from === undefined ? undefined : heads.get(from));
    const extracted = options.body !== undefined ? extractBody(options.body) : null;
    if (extracted !== null && (method === 'GET' || method === 'HEAD')) throw new TypeErrorCtor('Request with GET/HEAD method cannot have body.');
    if (extracted !== null && extracted.type !== null && !headers.has('content-type')) headers.set('content-type', extracted.type);
    const inherited = from === undefined || options.body !== undefined ? null : (bodies.get(from) as BodyState).bytes;
    bodies.set(this, new BodyState(extracted === null ? inherited : extracted.bytes));
    heads.set(this, headers);
    const redirect = options.redirect !== undefined ? StringCtor(options.redirect) : base === undefined ? 'follow' : base.redirect;
    if (redirect !== 'follow' && redirect !== 'manual' && redirect !== 'error') {
      throw new TypeErrorCtor("Failed to construct 'Request': The provided value '" + redirect + "' is not a valid enum value of type RequestRedirect.");
    }
    const signal = options.signal !== undefined ? (options.signal as AbortSignal | null) : base === undefined ? null : base.signal;
    requests.set(this, { url, method, redirect, signal });
  }
  get url(): string {
    return (requests.get(this) as RequestState).url;
  }
  get method(): string {
    return (requests.get(this) as RequestState).method;
  }
  get headers(): Headers {
    return heads.get(this) as Headers;
  }
  get redirect(): string {
    return (requests.get(this) as RequestState).redirect;
  }
  get signal(): AbortSignal {
    return (requests.get(this) as RequestState).signal || new AbortSignal();
  }
  clone(): Request {
    return new Request(this);
  }
  get [Symbol.toStringTag](): string {
    return 'Request';
  }
}

interface ResponseState {
  status: number;
  statusText: string;
  url: string;
  redirected: boolean;
  type: string;
}
const responses = new WeakMap<object, ResponseState>();

export class Response extends Body {
  constructor(body?: unknown, init?: { status?: unknown; statusText?: unknown; headers?: unknown }) {
    super();
    const status = init && init.status !== undefined ? Number(init.status) : 200;
    if (!(status >= 200 && status <= 599)) throw new RangeError("Failed to construct 'Response': The status provided (" + status + ') is outside the range [200, 599].');
    const headers = new Headers(init && init.headers);
    const extracted = extractBody(body);
    if (extracted !== null && extracted.type !== null && !headers.has('content-type')) headers.set('content-type', extracted.type);
    bodies.set(this, new BodyState(extracted === null ? null : extracted.bytes));
    heads.set(this, headers);
    responses.set(this, { status, statusText: init && init.statusText !== undefined ? StringCtor(init.statusText) : '', url: '', redirected: false, type: 'default' });
  }
  static json(data: unknown, init?: { status?: unknown; statusText?: unknown; headers?: unknown }): Response {
    const headers = new Headers(init && init.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new Response(JSON.stringify(data), { ...init, headers });
  }
  static error(): Response {
    const response = new Response(null, { status: 200 });
    const state = responses.get(response) as ResponseState;
    state.status = 0;
    state.type = 'error';
    return response;
  }
  static redirect(url: unknown, status = 302): Response {
    return new Response(null, { status, headers: { location: urlText(url) } });
  }
  /** A response whose body the host is still receiving. */
  static fromExchange(head: ExchangeHead, exchange: Exchange): Response {
    const response = new Response(null, { status: 200 });
    const headers = new Headers();
    for (const [name, value] of head.headers) headers.append(name, value);
    heads.set(response, headers);
    const nullBody = head.status === 101 || head.status === 204 || head.status === 205 || head.status === 304;
    bodies.set(response, new BodyState(null, nullBody ? undefined : exchange));
    responses.set(response, { status: head.status, statusText: head.statusText, url: head.url, redirected: head.redirected, type: 'basic' });
    return response;
  }
  get status(): number {
    return (responses.get(this) as ResponseState).status;
  }
  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status <= 299;
  }
  get statusText(): string {
    return (responses.get(this) as ResponseState).statusText;
  }
  get url(): string {
    return (responses.get(this) as ResponseState).url;
  }
  get redirected(): boolean {
    return (responses.get(this) as ResponseState).redirected;
  }
  get type(): string {
    return (responses.get(this) as ResponseState).type;
  }
  get headers(): Headers {
    return heads.get(this) as Headers;
  }
  clone(): Response {
    const state = bodies.get(this) as BodyState;
    if (state.exchange !== undefined) throw new TypeErrorCtor('Response.clone() in Stratus needs a body already in memory: read it first with arrayBuffer()');
    const copy = new Response(state.bytes === null ? null : state.bytes.slice(), { status: 200, headers: this.headers });
    responses.set(copy, { ...(responses.get(this) as ResponseState) });
    return copy;
  }
  get [Symbol.toStringTag](): string {
    return 'Response';
  }
}

function fetchFailed(cause: unknown): TypeError {
  const err = new TypeErrorCtor('fetch failed');
  (err as TypeError & { cause?: unknown }).cause = cause;
  return err;
}

export function fetch(input: unknown, init?: Record<string, unknown>): Promise<Response> {
  let request: Request;
  try {
    request = new Request(input, init);
  } catch (err) {
    return PromiseCtor.reject(err);
  }
  const state = requests.get(request) as RequestState;
  const signal = state.signal;
  if (signal !== null && signal.aborted) return PromiseCtor.reject(signal.reason);
  const protocol = state.url.slice(0, state.url.indexOf(':') + 1).toLowerCase();
  if (protocol !== 'http:' && protocol !== 'https:') {
    return PromiseCtor.reject(fetchFailed(new ErrorCtor('fetch in Stratus reaches http: and https: URLs only, not ' + protocol)));
  }
  const bytes = (bodies.get(request) as BodyState).bytes;
  let exchange: Exchange;
  try {
    exchange = new Exchange(
      { kind: 'fetch', url: state.url, method: state.method, headers: Headers.pairs(request.headers), redirect: state.redirect },
      bytes === null ? undefined : bytes,
    );
  } catch (err) {
    return PromiseCtor.reject(fetchFailed(err));
  }
  if (signal !== null) signal.addEventListener('abort', () => exchange.abort(signal.reason), { once: true });
  return exchange.head().then(
    (head) => Response.fromExchange(head, exchange),
    (err: NetError) => {
      throw signal !== null && signal.aborted && err === signal.reason ? err : fetchFailed(err);
    },
  );
}
