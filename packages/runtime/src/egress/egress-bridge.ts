import { EgressClient, type EgressClientOptions, type EgressRequest } from './egress-client.js';

/** Bounds on what the isolate may ask for in one request; past them the request fails as invalid. */
const MAX_URL_CHARS = 64 * 1024;
const MAX_HEADERS = 1000;
const MAX_HEADER_BYTES = 256 * 1024;
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}$/;

/** Reads the isolate's request description (untrusted JSON text) into a request, or says what is wrong. */
export function parseEgressRequest(json: unknown): EgressRequest | string {
  if (typeof json !== 'string' || json.length > MAX_URL_CHARS + MAX_HEADER_BYTES + 1024) return 'the request description is missing or too large';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return 'the request description is not JSON';
  }
  if (value === null || typeof value !== 'object') return 'the request description is not an object';
  const { kind, url, method, headers, redirect } = value as Record<string, unknown>;
  if (kind !== 'fetch' && kind !== 'http') return 'kind must be "fetch" or "http"';
  if (typeof url !== 'string' || url.length > MAX_URL_CHARS) return `the URL must be a string of at most ${MAX_URL_CHARS} characters`;
  if (typeof method !== 'string' || !METHOD.test(method)) return `"${String(method).slice(0, 40)}" is not a valid HTTP method`;
  if (!Array.isArray(headers) || headers.length > MAX_HEADERS) return `headers must be a list of at most ${MAX_HEADERS} pairs`;
  let headerBytes = 0;
  const pairs: [string, string][] = [];
  for (const pair of headers as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return 'each header must be a [name, value] pair of strings';
    headerBytes += pair[0].length + pair[1].length;
    pairs.push([pair[0], pair[1]]);
  }
  if (headerBytes > MAX_HEADER_BYTES) return `headers total more than ${MAX_HEADER_BYTES} bytes`;
  if (redirect !== undefined && redirect !== 'follow' && redirect !== 'manual' && redirect !== 'error') return 'redirect must be "follow", "manual" or "error"';
  return { kind, url, method, headers: pairs, ...(redirect !== undefined ? { redirect } : {}) };
}

/**
 * An ArrayBuffer holding exactly the chunk's bytes. A Buffer may be a window on a larger pool shared with the
 * rest of the process, and Buffer's own slice() is a view, not a copy: handing over its `.buffer` would give
 * the function bytes that are not its own.
 */
export function exactBuffer(chunk: Uint8Array): ArrayBuffer {
  if (chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.buffer instanceof ArrayBuffer) return chunk.buffer;
  return new Uint8Array(chunk).buffer;
}

/**
 * The host end of the isolate's egress callback: every argument is an
 * untrusted copy from the isolate, checked before use; answers are copies
 * (numbers, strings, fresh ArrayBuffers). The client is made on first use,
 * so environments that never reach the network hold no agent.
 */
export class EgressBridge {
  readonly #options: EgressClientOptions;
  #client: EgressClient | undefined;
  #closed = false;

  constructor(options: EgressClientOptions) {
    this.#options = options;
  }

  /** ('start', requestJson, body?) → id; ('read', id); ('abort', id, message); ('take') → [eventsJson, ...chunks]. */
  call(op: unknown, a: unknown, b: unknown): unknown {
    switch (op) {
      case 'start': {
        const client = this.#clientNow();
        const request = parseEgressRequest(a);
        const body = b instanceof ArrayBuffer ? new Uint8Array(b) : undefined;
        if (typeof request === 'string') return client.refuse({ code: 'ERR_INVALID_ARG_VALUE', syscall: '', message: request });
        return client.start(request, body);
      }
      case 'read':
        if (typeof a === 'number') this.#client?.read(a);
        return undefined;
      case 'abort':
        if (typeof a === 'number') this.#client?.abort(a, typeof b === 'string' ? b.slice(0, 1000) : 'aborted');
        return undefined;
      case 'take': {
        const events = this.#client?.takeEvents() ?? [];
        const chunks: ArrayBuffer[] = [];
        const records = events.map((event) => {
          if (event.type !== 'data') return event;
          chunks.push(exactBuffer(event.chunk));
          return { id: event.id, type: 'data', chunk: chunks.length };
        });
        return [JSON.stringify(records), ...chunks];
      }
      default:
        return undefined;
    }
  }

  /** The phase (init or an invocation) ended: requests still open are aborted. */
  endPhase(): void {
    this.#client?.endPhase();
  }

  close(): void {
    this.#closed = true;
    this.#client?.close();
  }

  #clientNow(): EgressClient {
    if (this.#client === undefined) {
      this.#client = new EgressClient(this.#options);
      if (this.#closed) this.#client.close();
    }
    return this.#client;
  }
}
