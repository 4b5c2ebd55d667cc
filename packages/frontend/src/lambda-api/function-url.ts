import { type StratusError } from '@stratus/errors';
import type { FunctionUrlCors } from '@stratus/contracts';

/** What of an HTTP request a function URL's event is made of. */
export interface UrlRequest {
  readonly method: string;
  /** The path after `/lambda-url/<name>`, as sent (at least `/`). */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Node's rawHeaders: names and values alternating. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly requestId: string;
  readonly domainName: string;
  readonly urlId: string;
  readonly nowMs: number;
  /** The key that signed it, for AuthType AWS_IAM. */
  readonly callerKeyId?: string | undefined;
}

const TEXT_CONTENT = /^(text\/|application\/(json|javascript|xml|x-www-form-urlencoded|[\w.+-]*\+(json|xml)))/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Headers (names and cookies counted alike) a function URL's event carries at most; the rest are not passed on. */
export const URL_EVENT_MAX_HEADERS = 100;

/** The last second requestContext.time was formatted for, and its text: every call within one second shares it. */
let clfSecond = -1;
let clfText = '';

/** `12/Mar/2020:19:03:58 +0000`, requestContext.time. */
function clfTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second === clfSecond) return clfText;
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  clfText = `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
  clfSecond = second;
  return clfText;
}

function decodeQueryPart(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * Lambda's payload format 2.0 event for a function URL request, as the
 * bytes the node is sent: built as one object and serialised once.
 */
export function urlEvent(request: UrlRequest): Buffer {
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  const raw = request.rawHeaders;
  // Node's parser can hand over more than the listener's maxHeadersCount (it counts in batches): the event takes the first 100.
  const headerEnd = Math.min(raw.length, URL_EVENT_MAX_HEADERS * 2);
  for (let i = 0; i + 1 < headerEnd; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (name === 'cookie') {
      cookies ??= [];
      for (const cookie of value.split(/;\s*/)) if (cookie !== '') cookies.push(cookie);
      continue;
    }
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous},${value}`;
  }
  let query: Record<string, string> | undefined;
  if (request.rawQueryString !== '') {
    for (const pair of request.rawQueryString.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const name = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decodeQueryPart(pair.slice(eq + 1));
      query ??= {};
      const previous = query[name];
      query[name] = previous === undefined ? value : `${previous},${value}`;
    }
  }
  const hasBody = request.body.byteLength > 0;
  const text = !hasBody || TEXT_CONTENT.test(headers['content-type'] ?? '');
  const keyId = request.callerKeyId;
  const event: Record<string, unknown> = { version: '2.0', routeKey: '$default', rawPath: request.rawPath, rawQueryString: request.rawQueryString };
  if (cookies !== undefined) event['cookies'] = cookies;
  event['headers'] = headers;
  if (query !== undefined) event['queryStringParameters'] = query;
  const requestContext: Record<string, unknown> = { accountId: keyId === undefined ? 'anonymous' : '000000000000', apiId: request.urlId };
  if (keyId !== undefined) {
    requestContext['authorizer'] = { iam: { accessKey: keyId, accountId: '000000000000', callerId: keyId, userArn: `arn:aws:iam::000000000000:user/${keyId}`, userId: keyId } };
  }
  requestContext['domainName'] = request.domainName;
  requestContext['domainPrefix'] = request.urlId;
  requestContext['http'] = { method: request.method, path: request.rawPath, protocol: 'HTTP/1.1', sourceIp: request.sourceIp, userAgent: headers['user-agent'] ?? '' };
  requestContext['requestId'] = request.requestId;
  requestContext['routeKey'] = '$default';
  requestContext['stage'] = '$default';
  requestContext['time'] = clfTime(request.nowMs);
  requestContext['timeEpoch'] = request.nowMs;
  event['requestContext'] = requestContext;
  if (hasBody) event['body'] = text ? request.body.toString('utf8') : request.body.toString('base64');
  event['isBase64Encoded'] = !text;
  return Buffer.from(JSON.stringify(event), 'utf8');
}

const STATUS_CODE_KEY = Buffer.from('"statusCode"');

/** The first byte that is not JSON white space, or -1. */
function firstNonSpace(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i] as number;
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  }
  return -1;
}

/** An HTTP answer to a function URL request; its headers object is its own, for the listener to add to. */
export interface UrlResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  /** Sent chunk-encoded, without Content-Length (a URL whose InvokeMode is RESPONSE_STREAM). */
  readonly chunked?: boolean;
}

/** The content type under which a streaming handler's bytes start with a prelude (HttpResponseStream.from). */
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
/** What ends the prelude: 8 NUL bytes, as Lambda's runtime writes them. */
const PRELUDE_DELIMITER = Buffer.alloc(8);

/** A prelude larger than this is not a prelude: the answer waits for the end and is mapped (a 502) then. */
const PRELUDE_MAX_BYTES = 64 * 1024;

/** Where a {@link UrlResponseStream} sends its answer. */
export interface UrlStreamSink {
  /** Sends the head (status and headers known). */
  begin(status: number, headers: Record<string, string | string[]>): void;
  /** Sends body bytes after the head. */
  write(bytes: Buffer): void;
  /** Counts bytes kept before the head can leave against the frontend's stream budget: false refuses them. */
  hold(bytes: number): boolean;
  /** Gives back every byte `hold` counted. */
  release(): void;
  /** The budget refused held bytes: answer the client now (no head has gone); the rest of the stream is dropped. */
  cutOff(): void;
}

/**
 * A RESPONSE_STREAM URL's answer as a streaming handler writes it: the head leaves once it is known (at the first
 * chunk, or once HttpResponseStream.from's prelude has arrived whole), each chunk after it as it comes. Until then
 * the bytes are held, counted against the stream budget (a handler that never completes its prelude could have the
 * frontend keep its whole 20 MB), and an answer that never started is mapped from them when the call ends.
 */
export class UrlResponseStream {
  readonly #sink: UrlStreamSink;
  #held: Buffer[] = [];
  #heldBytes = 0;
  #state: 'holding' | 'started' | 'dropped' = 'holding';
  #contentType = 'application/octet-stream';

  constructor(sink: UrlStreamSink) {
    this.#sink = sink;
  }

  /** Whether the head has left (the answer can no longer change its status). */
  get started(): boolean {
    return this.#state === 'started';
  }

  /** Whether the stream was dropped before its head left (cut off for the budget, or its client left): nothing more is sent. */
  get dropped(): boolean {
    return this.#state === 'dropped';
  }

  chunk(bytes: Uint8Array, contentType: string): void {
    if (this.#state === 'dropped') return;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.#state === 'started') {
      this.#sink.write(buffer);
      return;
    }
    this.#contentType = contentType;
    const heldBefore = this.#heldBytes;
    this.#held.push(buffer);
    this.#heldBytes += buffer.byteLength;
    if (contentType !== HTTP_INTEGRATION_CONTENT_TYPE) {
      this.#start(200, { 'content-type': contentType }, this.held());
      return;
    }
    // A delimiter that starts within PRELUDE_MAX_BYTES ends within the bytes already searched: looking again (and
    // joining everything held, chunk after chunk) could only find one that ends no prelude.
    if (heldBefore <= PRELUDE_MAX_BYTES + PRELUDE_DELIMITER.byteLength) {
      const all = this.held();
      const end = all.indexOf(PRELUDE_DELIMITER);
      if (end !== -1 && end <= PRELUDE_MAX_BYTES) {
        const mapped = streamedUrlResponse(contentType, all);
        // A prelude that does not map is a 502, decided when the call ends.
        if (mapped.status !== 502 || !mapped.body.equals(BAD_GATEWAY_BODY)) {
          this.#start(mapped.status, mapped.headers, mapped.body);
          return;
        }
      }
    }
    // Only bytes that stay held count: a chunk that completes its prelude goes straight on to the socket.
    if (!this.#sink.hold(buffer.byteLength)) {
      this.drop();
      this.#sink.cutOff();
    }
  }

  /** Drops what is held and every chunk after it (the client left, or the budget cut the answer off). */
  drop(): void {
    if (this.#state !== 'holding') return;
    this.#state = 'dropped';
    this.#held = [];
    this.#heldBytes = 0;
    this.#sink.release();
  }

  /** What was held back (all of it when the head never left). */
  held(): Buffer {
    if (this.#held.length !== 1) this.#held = [Buffer.concat(this.#held, this.#heldBytes)];
    return this.#held[0] ?? Buffer.alloc(0);
  }

  /** The content type of the bytes held. */
  get contentType(): string {
    return this.#contentType;
  }

  #start(status: number, headers: Record<string, string | string[]>, body: Buffer): void {
    this.#state = 'started';
    this.#held = [];
    this.#heldBytes = 0;
    // From here the bytes are the socket's to hold, counted by the budget's writer.
    this.#sink.release();
    this.#sink.begin(status, headers);
    if (body.byteLength > 0) this.#sink.write(body);
  }
}

const BAD_GATEWAY_BODY = Buffer.from('{"Message":"Internal Server Error"}');

/**
 * A streaming handler's response as a function URL answers it: after `HttpResponseStream.from`, the status,
 * headers and cookies of its prelude and the bytes after it; otherwise 200 with the stream's content type. A
 * prelude that is not a JSON object ending in the delimiter, or names an impossible status, is the function's
 * fault: 502, as any unmappable result.
 */
export function streamedUrlResponse(contentType: string, payload: Uint8Array): UrlResponse {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (contentType !== HTTP_INTEGRATION_CONTENT_TYPE) return { status: 200, headers: { 'content-type': contentType }, body: bytes };
  const end = bytes.indexOf(PRELUDE_DELIMITER);
  if (end === -1) return badGateway();
  let prelude: unknown;
  try {
    prelude = JSON.parse(bytes.toString('utf8', 0, end));
  } catch {
    return badGateway();
  }
  if (prelude === null || typeof prelude !== 'object' || Array.isArray(prelude)) return badGateway();
  const shaped = prelude as { statusCode?: unknown; headers?: unknown; cookies?: unknown };
  const status = shaped.statusCode === undefined ? 200 : Number(shaped.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return badGateway();
  const headers = mappedHeaders(shaped.headers, shaped.cookies);
  if (headers === undefined) return badGateway();
  headers['content-type'] ??= 'application/octet-stream';
  return { status, headers, body: bytes.subarray(end + PRELUDE_DELIMITER.byteLength) };
}

/** A result's headers and cookies as response headers, or undefined when a name or value could split the response. */
function mappedHeaders(given: unknown, cookies: unknown): Record<string, string | string[]> | undefined {
  const headers: Record<string, string | string[]> = {};
  if (given !== undefined && given !== null) {
    if (typeof given !== 'object') return undefined;
    for (const [name, value] of Object.entries(given)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n]/.test(String(value))) return undefined;
      headers[name.toLowerCase()] = String(value);
    }
  }
  if (cookies !== undefined) {
    if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== 'string' || /[\r\n]/.test(c))) return undefined;
    headers['set-cookie'] = cookies as string[];
  }
  return headers;
}

/** Lambda's answer when a function failed or answered what cannot be mapped: 502. */
export function badGateway(): UrlResponse {
  return { status: 502, headers: { 'content-type': 'application/json' }, body: BAD_GATEWAY_BODY };
}

/**
 * Lambda's response mapping: an object with `statusCode` is the response
 * (`headers`, `cookies` as Set-Cookie, `body`, `isBase64Encoded`); any other
 * result is a 200 JSON body (a string as it is).
 */
export function urlResponse(payload: Uint8Array): UrlResponse {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const first = firstNonSpace(bytes);
  // The runtime answers JSON it serialised itself. Unless it is a string (whose text is the body) or an object that
  // may hold statusCode, it is the 200 JSON body as it stands: no decode, parse or copy.
  if (first !== 0x22 /* " */ && (first !== 0x7b /* { */ || !bytes.includes(STATUS_CODE_KEY))) {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: bytes };
  }
  const text = bytes.toString('utf8');
  let result: unknown;
  try {
    result = JSON.parse(text);
  } catch {
    return badGateway();
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result) || !('statusCode' in result)) {
    const body = typeof result === 'string' ? result : text;
    return { status: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? Buffer.from(body, 'utf8') : bytes };
  }
  const shaped = result as { statusCode: unknown; headers?: unknown; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown };
  const status = Number(shaped.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return badGateway();
  const headers = mappedHeaders(shaped.headers, shaped.cookies);
  if (headers === undefined) return badGateway();
  headers['content-type'] ??= 'application/json';
  let body = Buffer.alloc(0);
  if (shaped.body !== undefined && shaped.body !== null) {
    const bodyText = typeof shaped.body === 'string' ? shaped.body : JSON.stringify(shaped.body);
    body = shaped.isBase64Encoded === true ? Buffer.from(bodyText, 'base64') : Buffer.from(bodyText, 'utf8');
  }
  return { status, headers, body };
}

/** The Access-Control-Allow-Origin to answer `origin` with, or undefined when the config does not allow it. */
function allowedOrigin(cors: FunctionUrlCors, origin: string): string | undefined {
  const origins = cors.allowOrigins ?? [];
  if (origins.includes('*')) return cors.allowCredentials === true ? origin : '*';
  return origins.includes(origin) ? origin : undefined;
}

/** The headers a CORS preflight is answered with (no invocation), per the URL's Cors config. */
export function preflightHeaders(cors: FunctionUrlCors, origin: string): Record<string, string> {
  const allowed = allowedOrigin(cors, origin);
  if (allowed === undefined) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.allowMethods !== undefined ? { 'access-control-allow-methods': cors.allowMethods.join(',') } : {}),
    ...(cors.allowHeaders !== undefined ? { 'access-control-allow-headers': cors.allowHeaders.join(',') } : {}),
    ...(cors.maxAge !== undefined ? { 'access-control-max-age': String(cors.maxAge) } : {}),
    ...(cors.allowCredentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    vary: 'Origin',
  };
}

/** The CORS headers an answer carries (they replace any the function set). */
export function responseCorsHeaders(cors: FunctionUrlCors, origin: string): Record<string, string> {
  const allowed = allowedOrigin(cors, origin);
  if (allowed === undefined) return {};
  return {
    'access-control-allow-origin': allowed,
    ...(cors.exposeHeaders !== undefined ? { 'access-control-expose-headers': cors.exposeHeaders.join(',') } : {}),
    ...(cors.allowCredentials === true ? { 'access-control-allow-credentials': 'true' } : {}),
    vary: 'Origin',
  };
}

/** A platform error as a function URL answers it: Lambda's `{"Message"}` body. */
export function urlError(err: StratusError, status: number): UrlResponse {
  const message = status === 403 ? 'Forbidden' : status === 429 ? 'Rate Exceeded.' : status >= 500 ? 'Internal Server Error' : err.message;
  return { status, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify({ Message: message })) };
}
