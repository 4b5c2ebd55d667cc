// Outbound HTTP as the host performs it for the function (packages/runtime/src/egress/): one synchronous,
// copying callback starts an exchange, asks for the next part of a body, aborts, or takes the events that
// happened. The host never calls in: it asks for a tick (the same alarm timers use, through the isolate gate),
// and the tick takes the events, so completions run only while the function is thawed, as its timers do.
// An exchange waiting for its head or a body part keeps the event loop busy, as a socket in use does in Node.
import { addRefs, noteLoopMaybeEmpty } from './loop.js';
import { ArrayIsArray, ErrorCtor, JSONParse, JSONStringify, PromiseCtor, StringCtor, Uint8ArrayCtor } from './primordials.js';

/** The host's egress callback: ('start', requestJson, body?) → id; ('read' | 'abort', id, message?); ('take') → [json, ...chunks]. */
export type HostEgress = (op: string, a?: unknown, b?: unknown) => unknown;

export interface ExchangeRequest {
  readonly kind: 'fetch' | 'http';
  readonly url: string;
  readonly method: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly redirect?: 'follow' | 'manual' | 'error';
}

export interface ExchangeHead {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly url: string;
  readonly redirected: boolean;
}

/** An error as Node's networking throws it: `code`, `errno`-less, `syscall`, address and port when known. */
export interface NetError extends Error {
  code?: string;
  syscall?: string;
  address?: string;
  port?: number;
  hostname?: string;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface ExchangeState {
  head: Waiter | undefined;
  read: Waiter | undefined;
  done: boolean;
  error: NetError | undefined;
}

interface EventRecord {
  readonly id: number;
  readonly type: 'response' | 'data' | 'end' | 'error';
  readonly chunk?: number;
  readonly status?: number;
  readonly statusText?: string;
  readonly headers?: [string, string][];
  readonly url?: string;
  readonly redirected?: boolean;
  readonly error?: { code: string; syscall: string; message: string; address?: string; port?: number; hostname?: string };
}

let hostEgress: HostEgress | undefined;
const exchanges = new Map<number, ExchangeState>();

export function bindEgress(egress: HostEgress): void {
  if (hostEgress === undefined) hostEgress = egress;
}

function netError(fields: NonNullable<EventRecord['error']>): NetError {
  const err: NetError = new ErrorCtor(fields.message);
  err.code = fields.code;
  if (fields.syscall !== '') err.syscall = fields.syscall;
  if (fields.address !== undefined) err.address = fields.address;
  if (fields.port !== undefined) err.port = fields.port;
  if (fields.hostname !== undefined) err.hostname = fields.hostname;
  return err;
}

function waitFor(state: ExchangeState, slot: 'head' | 'read'): Promise<unknown> {
  return new PromiseCtor((resolve, reject) => {
    state[slot] = { resolve, reject };
    addRefs(1);
  });
}

function settle(state: ExchangeState, slot: 'head' | 'read', ok: boolean, value: unknown): void {
  const waiter = state[slot];
  if (waiter === undefined) return;
  state[slot] = undefined;
  addRefs(-1);
  if (ok) waiter.resolve(value);
  else waiter.reject(value);
}

/** One request and its response, as the host performs it. */
export class Exchange {
  readonly #id: number;
  readonly #state: ExchangeState;
  readonly #head: Promise<ExchangeHead>;

  constructor(request: ExchangeRequest, body: Uint8Array | undefined) {
    if (hostEgress === undefined) throw new ErrorCtor('outbound network access is not set up');
    const state: ExchangeState = { head: undefined, read: undefined, done: false, error: undefined };
    this.#state = state;
    this.#head = waitFor(state, 'head') as Promise<ExchangeHead>;
    // A copy of exactly the body's bytes: the view may be a window on a larger buffer.
    const bytes = body === undefined ? undefined : new Uint8ArrayCtor(body).buffer;
    this.#id = hostEgress('start', JSONStringify(request), bytes) as number;
    exchanges.set(this.#id, state);
  }

  /** The status line and headers, or the error that ended the exchange first. */
  head(): Promise<ExchangeHead> {
    return this.#head;
  }

  /** The next part of the body, or null at its end. One read at a time. */
  read(): Promise<Uint8Array | null> {
    const state = this.#state;
    if (state.error !== undefined) return PromiseCtor.reject(state.error);
    if (state.done) return PromiseCtor.resolve(null);
    if (state.read !== undefined) return PromiseCtor.reject(new ErrorCtor('a read is already pending on this response body'));
    const next = waitFor(state, 'read') as Promise<Uint8Array | null>;
    (hostEgress as HostEgress)('read', this.#id);
    return next;
  }

  /** Stops the exchange: the host aborts the request, and waiters are rejected with `reason`. */
  abort(reason: unknown): void {
    const state = this.#state;
    if (state.done || state.error !== undefined) return;
    const err = reason instanceof ErrorCtor ? (reason as NetError) : netError({ code: 'ABORT_ERR', syscall: '', message: StringCtor(reason) });
    state.error = err;
    exchanges.delete(this.#id);
    (hostEgress as HostEgress)('abort', this.#id, err.message);
    settle(state, 'head', false, err);
    settle(state, 'read', false, err);
    noteLoopMaybeEmpty();
  }
}

/** Runs in every tick: takes what the host has for this isolate and settles the waiters. */
export function pumpEgress(): void {
  if (hostEgress === undefined || exchanges.size === 0) return;
  const taken = hostEgress('take');
  if (!ArrayIsArray(taken) || taken.length === 0) return;
  const events = JSONParse(taken[0] as string) as EventRecord[];
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as EventRecord;
    const state = exchanges.get(event.id);
    if (state === undefined) continue;
    switch (event.type) {
      case 'response':
        settle(state, 'head', true, {
          status: event.status,
          statusText: event.statusText,
          headers: event.headers,
          url: event.url,
          redirected: event.redirected,
        });
        break;
      case 'data':
        settle(state, 'read', true, new Uint8ArrayCtor(taken[event.chunk as number] as ArrayBuffer));
        break;
      case 'end':
        state.done = true;
        exchanges.delete(event.id);
        settle(state, 'read', true, null);
        break;
      case 'error': {
        const err = netError(event.error as NonNullable<EventRecord['error']>);
        state.error = err;
        exchanges.delete(event.id);
        settle(state, 'head', false, err);
        settle(state, 'read', false, err);
        break;
      }
    }
  }
  noteLoopMaybeEmpty();
}

/** Reads a whole body (fetch's text(), json(), arrayBuffer()). */
export async function readAll(exchange: Exchange): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const part = await exchange.read();
    if (part === null) break;
    parts.push(part);
    size += part.byteLength;
  }
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8ArrayCtor(size);
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Uint8Array;
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

