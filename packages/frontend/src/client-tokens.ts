import { createHash } from 'node:crypto';
import { DiscardPolicy, type KV, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { StratusError, parseWireError, toStratusError, type WireError } from '@stratus/errors';
import { decodeJson, encodeJson, type InvocationResult, type Namespace } from '@stratus/contracts';
import type { NatsLink } from '@stratus/placement';
import { jetStreamErrorCode, retryingSetup } from '@stratus/registry';

/** Client tokens are remembered this long, Lambda-style idempotency's window. */
export const CLIENT_TOKEN_WINDOW_MS = 10 * 60_000;
/** What a client token may be: 1 to 128 printable ASCII characters. */
export const CLIENT_TOKEN_PATTERN = /^[\x20-\x7e]{1,128}$/;

export interface ClientTokensOptions {
  readonly nc: NatsConnection;
  readonly ns: Namespace;
  readonly link: NatsLink;
  /** This frontend's id, written into the record of each call it runs. */
  readonly frontendId: string;
  /** Whether a frontend is alive (listed in etcd); a call left running by a dead one will never be recorded. */
  readonly isFrontendLive: (frontendId: string) => boolean;
  readonly log: Logger;
  /** How long a token is remembered. Default 10 minutes. */
  readonly windowMs?: number;
  /** The bucket's size bound: when it is full, the oldest records go first (those tokens are forgotten early). Default 256 MiB. */
  readonly maxBytes?: number;
  /** JetStream replicas of the bucket. Default 1 (3 in a NATS cluster). */
  readonly replicas?: number;
  /** How often a call waiting on another frontend's run of the same token looks again. Default 200 ms. */
  readonly pollMs?: number;
}

export interface TokenedCall {
  readonly functionName: string;
  readonly token: string;
  /** Hex SHA-256 of what must be the same on a retry (qualifier and payload): see {@link requestHashOf}. */
  readonly requestHash: string;
  /** How long a retry waits for a first call still running elsewhere: the function's timeout plus the reply margin. */
  readonly waitMs: number;
  readonly run: () => Promise<InvocationResult>;
}

type TokenRecord =
  | { readonly state: 'running'; readonly requestHash: string; readonly frontendId: string }
  | { readonly state: 'done'; readonly requestHash: string; readonly result: InvocationResult }
  | { readonly state: 'failed'; readonly requestHash: string; readonly error: WireError };

/** JetStream's "wrong last sequence": the key exists already. */
const WRONG_LAST_SEQUENCE = 10071;

/**
 * Runs each (function, client token) at most once within the window, across
 * every frontend: a record per token in a JetStream key-value bucket, made
 * with an atomic create before the call is sent, holding the result (or the
 * error that is final) once it is known. A retry on any frontend returns
 * that, or waits while the first call runs. A retryable failure (nothing
 * ran: throttled, no capacity, NATS unreachable) removes the record, so the
 * retry runs the call. Calls on this frontend wait on the same promise
 * without asking JetStream.
 *
 * What it cannot know: if the frontend that took the first call dies before
 * recording its outcome, the call may have run; a retry then gets
 * INVOCATION_LOST rather than a second run.
 */
export class ClientTokens {
  readonly #kv: KV;
  readonly #options: ClientTokensOptions;
  readonly #pollMs: number;
  readonly #maxRecordBytes: number;
  readonly #running = new Map<string, { readonly requestHash: string; readonly result: Promise<InvocationResult> }>();

  private constructor(kv: KV, options: ClientTokensOptions) {
    this.#kv = kv;
    this.#options = options;
    this.#pollMs = options.pollMs ?? 200;
    // Leave room for the message headers JetStream adds.
    this.#maxRecordBytes = (options.nc.info?.max_payload ?? 1024 * 1024) - 4096;
  }

  static async open(options: ClientTokensOptions): Promise<ClientTokens> {
    const kv = await retryingSetup(async () => {
      const bucket = await options.nc.jetstream().views.kv(options.ns.buckets.clientTokens, {
        history: 1,
        ttl: options.windowMs ?? CLIENT_TOKEN_WINDOW_MS,
        max_bytes: options.maxBytes ?? 256 * 1024 * 1024,
        replicas: options.replicas ?? 1,
      });
      // nats.js makes KV buckets refuse writes when full; forgetting the oldest tokens early keeps tokened calls available.
      const jsm = await options.nc.jetstreamManager();
      const stream = `KV_${options.ns.buckets.clientTokens}`;
      const { config } = await jsm.streams.info(stream);
      if (config.discard !== DiscardPolicy.Old) await jsm.streams.update(stream, { ...config, discard: DiscardPolicy.Old });
      return bucket;
    });
    return new ClientTokens(kv, options);
  }

  /** Runs `call.run` unless a call with the same token ran or is running; returns its result either way. */
  async once(call: TokenedCall): Promise<InvocationResult> {
    const key = tokenKey(call.functionName, call.token);
    const local = this.#running.get(key);
    if (local) {
      sameRequest(local.requestHash, call);
      return local.result;
    }
    const deadlineMs = Date.now() + call.waitMs;
    for (;;) {
      this.#options.link.assertConnected('the call');
      if (await this.#claim(key, call.requestHash)) return this.#runClaimed(key, call);
      // Another call holds the token: wait for its outcome; if it is removed (it did not run), claim it again.
      let rereadOwn = false;
      for (;;) {
        const record = await this.#read(key);
        if (record === undefined) break;
        sameRequest(record.requestHash, call);
        if (record.state === 'done') return record.result;
        if (record.state === 'failed') throw StratusError.fromWire(record.error);
        if (record.frontendId === this.#options.frontendId && !this.#running.has(key)) {
          // Ours and finished, so its outcome was stored before it finished, unless storing it failed. This read
          // may have been answered before that store landed: read once more before calling the outcome lost.
          if (!rereadOwn) {
            rereadOwn = true;
            continue;
          }
          // Ours, but its outcome could not be recorded (NATS went away as it finished).
          throw lost('this frontend ran the first call with this client token but could not record its outcome');
        }
        if (!this.#options.isFrontendLive(record.frontendId)) {
          throw lost(`frontend ${record.frontendId}, which took the first call with this client token, is gone`);
        }
        if (Date.now() > deadlineMs) throw lost(`the first call with this client token has not finished within ${call.waitMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
        this.#options.link.assertConnected('the call');
      }
    }
  }

  async #claim(key: string, requestHash: string): Promise<boolean> {
    const record: TokenRecord = { state: 'running', requestHash, frontendId: this.#options.frontendId };
    try {
      await this.#kv.create(key, encodeJson(record));
      return true;
    } catch (err) {
      if (jetStreamErrorCode(err) === WRONG_LAST_SEQUENCE) return false;
      throw new StratusError('UNAVAILABLE', `could not record the client token, so the call was not sent: ${(err as Error).message}`, { cause: err });
    }
  }

  #runClaimed(key: string, call: TokenedCall): Promise<InvocationResult> {
    const result = (async () => {
      try {
        const outcome = await call.run();
        await this.#record(key, { state: 'done', requestHash: call.requestHash, result: outcome });
        return outcome;
      } catch (err) {
        const error = toStratusError(err);
        if (error.retryable) await this.#forget(key);
        else await this.#record(key, { state: 'failed', requestHash: call.requestHash, error: error.toWire() });
        throw error;
      }
    })();
    this.#running.set(key, { requestHash: call.requestHash, result });
    void result.then(
      () => this.#running.delete(key),
      () => this.#running.delete(key),
    );
    return result;
  }

  /** Stores the outcome. A failure to store is logged, not thrown: this caller still gets its answer. */
  async #record(key: string, record: TokenRecord): Promise<void> {
    let data = encodeRecord(record);
    if (data.byteLength > this.#maxRecordBytes) {
      const error = new StratusError('INTERNAL', 'the first call with this client token succeeded, but its result is too large to keep for retries');
      data = encodeJson({ state: 'failed', requestHash: record.requestHash, error: error.toWire() } satisfies TokenRecord);
    }
    try {
      await this.#kv.put(key, data);
    } catch (err) {
      this.#options.log.warn({ err }, 'could not record the outcome of a call with a client token; a retry will get INVOCATION_LOST');
    }
  }

  async #forget(key: string): Promise<void> {
    try {
      await this.#kv.delete(key);
    } catch (err) {
      this.#options.log.warn({ err }, 'could not release a client token after a call that did not run');
    }
  }

  async #read(key: string): Promise<TokenRecord | undefined> {
    let entry;
    try {
      entry = await this.#kv.get(key);
    } catch (err) {
      throw new StratusError('UNAVAILABLE', `could not read the client token's record: ${(err as Error).message}`, { cause: err });
    }
    if (entry === null || entry.operation !== 'PUT') return undefined;
    return parseRecord(decodeJson(entry.value));
  }
}

/** What must match between a call and its retries: the qualifier and the event. */
export function requestHashOf(qualifier: string, payload: Uint8Array): string {
  // An empty payload is the event {}, and hashes as one, as when the frontend turned it into that text.
  return createHash('sha256').update(qualifier).update('\0').update(payload.byteLength === 0 ? '{}' : payload).digest('hex');
}

/** Tokens are any printable text: the key is a hash, which JetStream's key alphabet always accepts. */
function tokenKey(functionName: string, token: string): string {
  return createHash('sha256').update(functionName).update('\0').update(token).digest('hex');
}

function sameRequest(recordedHash: string, call: TokenedCall): void {
  if (recordedHash !== call.requestHash) {
    throw new StratusError('INVALID_ARGUMENT', `clientToken was used for a different request to ${call.functionName} (another payload or qualifier); use a new token`);
  }
}

function lost(why: string): StratusError {
  return new StratusError('INVOCATION_LOST', `${why}; the invocation may have run`);
}

/** A record as stored: a result's payload as its JSON text (results are always UTF-8), as records have always held it. */
function encodeRecord(record: TokenRecord): Uint8Array {
  if (record.state !== 'done') return encodeJson(record);
  const { payload } = record.result;
  return encodeJson({ ...record, result: { ...record.result, payload: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8') } });
}

function parseRecord(value: unknown): TokenRecord {
  const record = value as Partial<Record<string, unknown>>;
  const requestHash = typeof record['requestHash'] === 'string' ? record['requestHash'] : '';
  switch (record['state']) {
    case 'running':
      return { state: 'running', requestHash, frontendId: String(record['frontendId']) };
    case 'done': {
      const result = record['result'] as Omit<InvocationResult, 'payload'> & { payload?: unknown };
      return { state: 'done', requestHash, result: { ...result, payload: Buffer.from(typeof result.payload === 'string' ? result.payload : '', 'utf8') } };
    }
    case 'failed': {
      const error = parseWireError(record['error']);
      if (error) return { state: 'failed', requestHash, error };
      break;
    }
    default:
      break;
  }
  throw new StratusError('INTERNAL', 'a client token record in JetStream is malformed');
}
