import { STATUS_CODES } from 'node:http';
import { Agent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { EgressNetError, policyConnector, systemLookup, type EgressLookup, type NetErrorFields } from './egress-connector.js';
import type { EgressPolicy } from './egress-policy.js';

/** What the isolate asks for: `fetch` follows redirects and decodes bodies as `fetch` does; `http` is `http.request`'s raw exchange. */
export interface EgressRequest {
  readonly kind: 'fetch' | 'http';
  readonly url: string;
  readonly method: string;
  /** Name and value pairs, in order, repeats kept. */
  readonly headers: readonly (readonly [string, string])[];
  /** fetch only: 'follow' (default), 'manual' or 'error'. */
  readonly redirect?: 'follow' | 'manual' | 'error';
}

/** What the host tells the isolate, collected by `takeEvents()`. */
export type EgressEvent =
  | {
      readonly id: number;
      readonly type: 'response';
      readonly status: number;
      readonly statusText: string;
      readonly headers: readonly (readonly [string, string])[];
      readonly url: string;
      readonly redirected: boolean;
    }
  | { readonly id: number; readonly type: 'data'; readonly chunk: Uint8Array }
  | { readonly id: number; readonly type: 'end' }
  | { readonly id: number; readonly type: 'error'; readonly error: NetErrorFields };

export interface EgressClientOptions {
  readonly policy: EgressPolicy;
  /** Requests open at once per invocation (and during init). Default 50. */
  readonly maxConcurrentRequests?: number;
  /** Request and response body bytes per invocation (and during init). Default 256 MiB. */
  readonly maxBytesPerInvocation?: number;
  /** Time to open a connection. Default 10000 ms. */
  readonly connectTimeoutMs?: number;
  /** Default: the system resolver (`dns.lookup`). Tests give their own. */
  readonly lookup?: EgressLookup;
  /** Called when events are waiting: the environment wakes the isolate to take them. */
  readonly onEvents: () => void;
}

/** The most body bytes one `data` event carries, and what the host reads ahead of the isolate per request. */
export const EGRESS_CHUNK_BYTES = 1024 * 1024;

interface OpenRequest {
  readonly controller: AbortController;
  body: AsyncIterator<Uint8Array> | undefined;
  buffered: Uint8Array[];
  bufferedBytes: number;
  ended: boolean;
  /** The isolate asked for data and nothing was buffered: send the next chunk as soon as it comes. */
  wanted: boolean;
  pumping: boolean;
  failed: boolean;
}

function netError(err: unknown): NetErrorFields {
  let current: unknown = err;
  // fetch wraps the cause in "TypeError: fetch failed"; undici's own errors carry a code.
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current instanceof EgressNetError) return current.fields;
    const fields = current as Error & { code?: unknown; syscall?: unknown; address?: unknown; port?: unknown };
    if (typeof fields.code === 'string' && fields.code !== '') {
      return {
        code: fields.code,
        syscall: typeof fields.syscall === 'string' ? fields.syscall : '',
        message: current.message,
        ...(typeof fields.address === 'string' ? { address: fields.address } : {}),
        ...(typeof fields.port === 'number' ? { port: fields.port } : {}),
      };
    }
    if (current.cause === undefined) return { code: 'ERR_EGRESS', syscall: '', message: current.message };
    current = current.cause;
  }
  return { code: 'ERR_EGRESS', syscall: '', message: String(err) };
}

function headerPairs(headers: Record<string, string | string[] | undefined>): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const one of value) pairs.push([name, one]);
    else pairs.push([name, value]);
  }
  return pairs;
}

/** Headers about the connection itself, which the node's HTTP client owns (undici refuses them). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'expect']);

function withoutHopByHop(request: EgressRequest): EgressRequest {
  return { ...request, headers: request.headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())) };
}

async function* nodeChunks(body: AsyncIterable<Buffer>): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) yield chunk;
}

/**
 * Outbound HTTP for one execution environment, performed on the node with
 * undici under the function's egress policy. Requests belong to the phase
 * (init or one invocation) that started them: `endPhase()` aborts what is
 * still open, so nothing a function started runs on after its invocation.
 * Bodies reach the isolate when it asks (`read`), at most
 * {@link EGRESS_CHUNK_BYTES} at a time, so a body nobody reads is not
 * copied into the isolate, and one copy carries many socket reads.
 */
export class EgressClient {
  readonly #agent: Agent;
  readonly #options: EgressClientOptions;
  readonly #maxConcurrent: number;
  readonly #maxBytes: number;
  readonly #open = new Map<number, OpenRequest>();
  #events: EgressEvent[] = [];
  #nextId = 1;
  #bytes = 0;
  #closed = false;

  constructor(options: EgressClientOptions) {
    this.#options = options;
    this.#maxConcurrent = options.maxConcurrentRequests ?? 50;
    this.#maxBytes = options.maxBytesPerInvocation ?? 256 * 1024 * 1024;
    this.#agent = new Agent({
      connect: policyConnector(options.policy, options.lookup ?? systemLookup, options.connectTimeoutMs ?? 10_000),
      // The node's sockets are shared by nothing else; keep a few warm across calls as Lambda's sandbox would.
      connections: 16,
    });
  }

  /** Requests open now. */
  get openRequests(): number {
    return this.#open.size;
  }

  /**
   * Starts a request; its outcome arrives as events. Returns the request's
   * id (a refusal, such as the concurrency limit, arrives as an `error`
   * event too, so the isolate has one path for failures).
   */
  start(request: EgressRequest, body: Uint8Array | undefined): number {
    const id = this.#nextId++;
    if (this.#closed) {
      this.#fail(id, { code: 'ERR_EGRESS_CLOSED', syscall: '', message: 'the execution environment is shutting down' });
      return id;
    }
    if (this.#open.size >= this.#maxConcurrent) {
      this.#fail(id, {
        code: 'ERR_EGRESS_LIMIT',
        syscall: '',
        message: `too many outbound requests at once: the limit is ${this.#maxConcurrent} per invocation in Stratus`,
      });
      return id;
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      this.#fail(id, { code: 'ERR_INVALID_URL', syscall: '', message: `Invalid URL: ${request.url}` });
      return id;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      this.#fail(id, { code: 'ERR_INVALID_PROTOCOL', syscall: '', message: `Protocol "${url.protocol}" not supported. Expected "http:" or "https:"` });
      return id;
    }
    if (body !== undefined && !this.#count(id, body.byteLength)) return id;
    const open: OpenRequest = {
      controller: new AbortController(),
      body: undefined,
      buffered: [],
      bufferedBytes: 0,
      ended: false,
      wanted: false,
      pumping: false,
      failed: false,
    };
    this.#open.set(id, open);
    const started = request.kind === 'fetch' ? this.#fetch(url, request, body, open) : this.#http(url, request, body, open);
    started.then(
      (response) => {
        if (open.failed) return;
        this.#push({ id, type: 'response', ...response.head });
        open.body = response.body;
        this.#pump(id, open);
      },
      (err: unknown) => this.#abortWith(id, open, netError(err)),
    );
    return id;
  }

  /** A request that fails before it starts (the isolate described it wrongly): its id, with an `error` event. */
  refuse(error: NetErrorFields): number {
    const id = this.#nextId++;
    this.#fail(id, error);
    return id;
  }

  /** The isolate wants the next part of a response body. */
  read(id: number): void {
    const open = this.#open.get(id);
    if (open === undefined) return;
    if (open.bufferedBytes > 0) this.#deliver(id, open);
    else if (open.ended) this.#finish(id, open);
    else open.wanted = true;
    this.#pump(id, open);
  }

  /** The isolate gave up on a request (AbortSignal, `req.destroy()`, a body it cancelled). */
  abort(id: number, message: string): void {
    const open = this.#open.get(id);
    if (open === undefined) return;
    open.failed = true;
    this.#open.delete(id);
    open.controller.abort(new Error(message));
  }

  /** Everything that happened since the last call, in order. */
  takeEvents(): EgressEvent[] {
    const events = this.#events;
    this.#events = [];
    return events;
  }

  /**
   * Init or an invocation ended: requests still open are aborted (their
   * failure reaches the isolate when it next runs), and the next phase gets
   * the whole byte allowance again.
   */
  endPhase(): void {
    for (const [id, open] of this.#open) {
      this.#abortWith(id, open, {
        code: 'ECONNRESET',
        syscall: 'read',
        message: 'socket hang up (the invocation that started this request ended; Stratus does not keep requests running between invocations)',
      });
    }
    this.#bytes = 0;
  }

  /** Aborts everything and closes the connections. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const open of this.#open.values()) {
      open.failed = true;
      open.controller.abort(new Error('the execution environment was disposed'));
    }
    this.#open.clear();
    this.#events = [];
    this.#agent.destroy().catch(() => undefined);
  }

  async #fetch(url: URL, rawRequest: EgressRequest, body: Uint8Array | undefined, open: OpenRequest): Promise<{ head: ResponseHead; body: AsyncIterator<Uint8Array> | undefined }> {
    const request = withoutHopByHop(rawRequest);
    const response = await undiciFetch(url, {
      method: request.method,
      headers: request.headers.map(([name, value]) => [name, value]),
      ...(body !== undefined ? { body } : {}),
      redirect: request.redirect ?? 'follow',
      dispatcher: this.#agent,
      signal: open.controller.signal,
    });
    const headers: [string, string][] = [];
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers.push([name, value]);
    });
    for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie]);
    return {
      head: { status: response.status, statusText: response.statusText, headers, url: response.url, redirected: response.redirected },
      body: response.body === null ? undefined : (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator](),
    };
  }

  async #http(url: URL, rawRequest: EgressRequest, body: Uint8Array | undefined, open: OpenRequest): Promise<{ head: ResponseHead; body: AsyncIterator<Uint8Array> | undefined }> {
    const request = withoutHopByHop(rawRequest);
    const response: Dispatcher.ResponseData = await this.#agent.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers.flatMap(([name, value]) => [name, value]),
      ...(body !== undefined ? { body } : {}),
      signal: open.controller.signal,
    });
    return {
      head: {
        status: response.statusCode,
        statusText: STATUS_CODES[response.statusCode] ?? '',
        headers: headerPairs(response.headers),
        url: url.href,
        redirected: false,
      },
      body: nodeChunks(response.body)[Symbol.asyncIterator](),
    };
  }

  #count(id: number, bytes: number): boolean {
    this.#bytes += bytes;
    if (this.#bytes <= this.#maxBytes) return true;
    const open = this.#open.get(id);
    const error = {
      code: 'ERR_EGRESS_LIMIT',
      syscall: '',
      message: `outbound request and response bodies passed ${this.#maxBytes} bytes in this invocation, the limit in Stratus`,
    };
    if (open !== undefined) this.#abortWith(id, open, error);
    else this.#fail(id, error);
    return false;
  }

  /** Reads the body ahead of the isolate, at most one chunk's worth. */
  #pump(id: number, open: OpenRequest): void {
    if (open.pumping || open.ended || open.failed || open.body === undefined || open.bufferedBytes >= EGRESS_CHUNK_BYTES) return;
    open.pumping = true;
    const body = open.body;
    const step = (): void => {
      body.next().then(
        (next) => {
          if (open.failed) return;
          if (next.done === true) {
            open.ended = true;
            open.pumping = false;
            if (open.wanted) {
              open.wanted = false;
              if (open.bufferedBytes > 0) this.#deliver(id, open);
              else this.#finish(id, open);
            }
            return;
          }
          if (!this.#count(id, next.value.byteLength)) return;
          open.buffered.push(next.value);
          open.bufferedBytes += next.value.byteLength;
          if (open.wanted) {
            open.wanted = false;
            this.#deliver(id, open);
          }
          if (open.bufferedBytes >= EGRESS_CHUNK_BYTES) open.pumping = false;
          else step();
        },
        (err: unknown) => {
          open.pumping = false;
          if (!open.failed) this.#abortWith(id, open, netError(err));
        },
      );
    };
    step();
  }

  #deliver(id: number, open: OpenRequest): void {
    let size = 0;
    let count = 0;
    while (count < open.buffered.length && size < EGRESS_CHUNK_BYTES) size += open.buffered[count++]?.byteLength ?? 0;
    const parts = open.buffered.splice(0, count);
    open.bufferedBytes -= size;
    const chunk = parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts, size);
    this.#push({ id, type: 'data', chunk });
  }

  #finish(id: number, open: OpenRequest): void {
    this.#open.delete(id);
    open.failed = true;
    this.#push({ id, type: 'end' });
  }

  #abortWith(id: number, open: OpenRequest, error: NetErrorFields): void {
    if (open.failed) return;
    open.failed = true;
    this.#open.delete(id);
    open.controller.abort(new Error(error.message));
    this.#fail(id, error);
  }

  #fail(id: number, error: NetErrorFields): void {
    this.#push({ id, type: 'error', error });
  }

  #push(event: EgressEvent): void {
    if (this.#closed) return;
    const wasEmpty = this.#events.length === 0;
    this.#events.push(event);
    if (wasEmpty) this.#options.onEvents();
  }
}

interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly url: string;
  readonly redirected: boolean;
}
