import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { StratusError, errorCodeInfo, toStratusError } from '@stratus/errors';
import type { ApiKeyAuthenticator } from '../auth.js';
import { assertScope } from '../auth.js';
import { OPERATIONS, type LambdaApiServices, type Operation, type OperationResponse } from './operations.js';
import { FUNCTION_URL_HOST_LABEL, FUNCTION_URL_PATH_PREFIX, LIMITS, functionUrlIdOfHost, headerValues, parseQuery, parseSigV4, payloadSha256, verifySigV4 } from '@stratus/contracts';
import { EVENT_INVOKE_CONFIG_OPERATIONS } from './event-invoke-config.js';
import { FUNCTION_URL_OPERATIONS } from './function-url-operations.js';
import { STREAMING_OPERATIONS } from './streaming-operations.js';
import { EVENT_SOURCE_MAPPING_OPERATIONS } from './event-source-mapping-operations.js';
import { POLICY_OPERATIONS } from './policy-operations.js';
import { ABSENT_FEATURE_OPERATIONS } from './absent-features.js';
import { StreamBudget, type BudgetedWriter, type StreamCutOff } from './stream-budget.js';
import { UrlResponseStream, badGateway, preflightHeaders, responseCorsHeaders, streamedUrlResponse, urlError, urlEvent, urlResponse, type UrlResponse } from './function-url.js';

/** How long a client may take to send a request's headers (slowloris): Node's default is a minute. */
export const HTTP_HEADERS_TIMEOUT_MS = 10_000;
/** How long a client may take to send a whole request, body included (a 70 MB deploy on a slow link). */
export const HTTP_REQUEST_TIMEOUT_MS = 120_000;
/** A body that stops arriving for this long is given up on (a slowloris sending its body a byte at a time). */
export const HTTP_BODY_IDLE_TIMEOUT_MS = 10_000;
/** How much of a body past its limit is read and dropped before the refusal is sent. */
const HTTP_OVERFLOW_DISCARD_BYTES = 16 * 1024 * 1024;
/** Idle keep-alive connections are closed after this. */
export const HTTP_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Connections open at once; past it new ones are closed at once. */
export const HTTP_MAX_CONNECTIONS = 4_096;
/** Request bodies held in memory at once across the listener, before their signatures are checked; past it a request is refused. */
export const HTTP_BODY_BUDGET_BYTES = 256 * 1024 * 1024;
/**
 * Streamed response bytes (InvokeWithResponseStream, RESPONSE_STREAM URLs) held at once across the listener: taken
 * from nodes and not yet taken by clients' sockets; past it the answer of a client that reads too slowly is cut off
 * (`StreamBudget`). `STRATUS_HTTP_STREAM_BUDGET_MB` sets it.
 */
export const HTTP_STREAM_BUDGET_BYTES = 64 * 1024 * 1024;

export interface LambdaHttpListenerOptions {
  /** `host:port`; port 0 picks a free one. */
  readonly address: string;
  readonly services: LambdaApiServices;
  readonly auth: ApiKeyAuthenticator;
  readonly log: Logger;
  /** Whether the frontend still takes calls; when false, each request is answered 503 SHUTTING_DOWN. */
  readonly accepting: () => boolean;
  /** The clock signatures are checked against. Default Date.now. */
  readonly nowMs?: () => number;
  /** The bound on streamed bytes held for slow readers. Default HTTP_STREAM_BUDGET_BYTES (64 MB). */
  readonly streamBudgetBytes?: number;
}

const ERROR_TYPE_HEADER = 'x-amzn-ErrorType';
const REQUEST_ID_HEADER = 'x-amzn-RequestId';

/**
 * Lambda's REST API over HTTP/1.1 (keep-alive), in the frontend's process:
 * every request is signed with SigV4 by a Stratus API key (its key id as
 * the access key id), authorized by the key's scopes exactly as the gRPC
 * method it maps to, and handed to the same service layer the gRPC API
 * uses. Errors are Lambda's documents (`x-amzn-ErrorType`, `{"Type","message"}`).
 */
export class LambdaHttpListener {
  readonly address: string;
  readonly #server: Server;
  readonly #handler: RequestHandler;
  readonly #log: Logger;
  #closed: Promise<void> | undefined;

  private constructor(address: string, server: Server, handler: RequestHandler, log: Logger) {
    this.address = address;
    this.#server = server;
    this.#handler = handler;
    this.#log = log;
  }

  static async create(options: LambdaHttpListenerOptions): Promise<LambdaHttpListener> {
    const log = options.log.child({ component: 'lambda-api' });
    const handler = new RequestHandler(options, log);
    const server = createServer(
      {
        headersTimeout: HTTP_HEADERS_TIMEOUT_MS,
        requestTimeout: HTTP_REQUEST_TIMEOUT_MS,
        keepAliveTimeout: HTTP_KEEP_ALIVE_TIMEOUT_MS,
        // Timeouts are checked on this period; Node's default (30 s) would let a slow client hold on three times as long.
        connectionsCheckingInterval: 1_000,
        maxHeaderSize: 16 * 1024,
      },
      (req, res) => handler.handle(req, res),
    );
    server.maxConnections = HTTP_MAX_CONNECTIONS;
    server.maxHeadersCount = 100;
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      // Malformed or timed-out requests: answer when the socket can still be written, never crash.
      if (socket.writable && err.code !== 'ECONNRESET') {
        const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
        socket.end(`HTTP/1.1 ${status} ${status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      } else socket.destroy();
    });
    const colon = options.address.lastIndexOf(':');
    const host = options.address.slice(0, colon);
    const port = Number(options.address.slice(colon + 1));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: host.replace(/^\[(.*)\]$/, '$1'), port }, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: unknown) => {
      throw new StratusError('UNAVAILABLE', `cannot listen on ${options.address} for the Lambda API: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
    const bound = server.address();
    const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
    const listener = new LambdaHttpListener(`${host}:${boundPort}`, server, handler, log);
    log.info({ address: listener.address }, 'Lambda API listening');
    return listener;
  }

  /**
   * Stops taking connections and closes idle ones; requests in flight finish
   * (each answered with `Connection: close`) until `close()`.
   */
  stopAccepting(): void {
    if (this.#server.listening) this.#server.close();
    this.#server.closeIdleConnections();
  }

  /** Streamed bytes held for slow readers, and the answers cut off for them. */
  get streamBudget(): Pick<StreamBudget, 'heldBytes' | 'peakBytes' | 'cutOffs' | 'limitBytes'> {
    return this.#handler.streamBudget;
  }

  /** Resolves once no request is being handled (at once if none is). */
  idle(): Promise<void> {
    return this.#handler.idle();
  }

  /** Stops taking connections and cuts off every open one. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      this.stopAccepting();
      this.#server.closeAllConnections();
      this.#handler.close();
      if (!this.#server.listening) resolve();
      else this.#server.close(() => resolve());
    }).then(() => this.#log.debug('Lambda API closed'));
    return this.#closed;
  }
}

class RequestHandler {
  readonly #services: LambdaApiServices;
  readonly #auth: ApiKeyAuthenticator;
  readonly #log: Logger;
  readonly #accepting: () => boolean;
  readonly #nowMs: () => number;
  readonly #urlDomain: string | undefined;
  readonly #bodyWatch = new StalledBodyWatch();
  readonly streamBudget: StreamBudget;
  #bodyBytesHeld = 0;
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: LambdaHttpListenerOptions, log: Logger) {
    this.#services = options.services;
    this.#auth = options.auth;
    this.#log = log;
    this.#accepting = options.accepting;
    this.#nowMs = options.nowMs ?? Date.now;
    this.#urlDomain = options.services.functionUrlDomain;
    this.streamBudget = new StreamBudget(options.streamBudgetBytes ?? HTTP_STREAM_BUDGET_BYTES, log);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.#inFlight += 1;
    // One then() for both outcomes: a catch() and a finally() would make two more promises per request.
    this.#handle(req, res).then(this.#handled, (err: unknown) => {
      this.#log.error({ err }, 'Lambda API request failed outside its handler');
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
      this.#handled();
    });
  }

  readonly #handled = (): void => {
    this.#inFlight -= 1;
    if (this.#inFlight > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  };

  /** Stops watching for stalled bodies (the listener is closing). */
  close(): void {
    this.#bodyWatch.close();
  }

  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const host = req.headers.host;
    // Host-based first, as Lambda's `<url-id>.lambda-url.<region>.on.aws`: such a Host never reaches the REST API.
    if (host !== undefined && host.length > 33 && host.charCodeAt(32) === 46 /* . */) {
      const urlId = functionUrlIdOfHost(host, this.#urlDomain);
      if (urlId !== undefined) {
        await this.#serveFunctionUrl(req, res, method, url, this.#byHost(urlId, url));
        return;
      }
    }
    if (host !== undefined && isFunctionUrlHost(host, this.#urlDomain)) {
      await this.#serveFunctionUrl(req, res, method, url, () => {
        throw noFunctionUrl();
      });
      return;
    }
    if (url.startsWith(FUNCTION_URL_PATH_PREFIX)) {
      await this.#serveFunctionUrl(req, res, method, url, byPath(url));
      return;
    }
    let operation: Operation | undefined;
    let reserved = 0;
    try {
      if (!this.#accepting()) throw new StratusError('SHUTTING_DOWN', 'this frontend is shutting down; retry on another');
      const { pathSegments, found } = route(method, url);
      operation = found;
      // Everything that needs no secret or body is checked first, so an unsigned flood costs no reads.
      const claim = parseSigV4({ method, url, rawHeaders: req.rawHeaders }, this.#nowMs());
      const { caller, secret } = this.#auth.sigV4Credential(claim.accessKeyId);
      const declared = req.headers['content-length'];
      const declaredBytes = declared === undefined ? 0 : Number(declared);
      if (declaredBytes > operation.maxBodyBytes) throw tooLarge(operation, declaredBytes);
      reserved = Math.max(declaredBytes, Math.min(operation.maxBodyBytes, SMALL_BODY_RESERVE_BYTES));
      if (this.#bodyBytesHeld + reserved > HTTP_BODY_BUDGET_BYTES) {
        reserved = 0;
        throw new StratusError('THROTTLED', 'Rate Exceeded: too many request bodies are arriving at this frontend at once; retry shortly', {
          details: { reason: 'CallerRateLimitExceeded' },
        });
      }
      this.#bodyBytesHeld += reserved;
      const body = await readBody(req, operation, this.#bodyWatch);
      if (!verifySigV4({ method, url, rawHeaders: req.rawHeaders }, claim, payloadSha256(body), secret)) {
        throw new StratusError(
          'INVALID_SIGNATURE',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        );
      }
      assertScope(caller, operation.name, operation.scope);
      const headers = new Map<string, string>();
      for (const [name, values] of headerValues(req.rawHeaders)) {
        if (values.length > 1 && name.startsWith('x-amz-')) throw new StratusError('INVALID_ARGUMENT', `the ${name} header is sent more than once`);
        headers.set(name, values[0] ?? '');
      }
      const query = new Map<string, string>();
      const queryLists = new Map<string, string[]>();
      for (const [name, value] of parseQuery(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '')) {
        if (operation.repeatableQuery?.includes(name) === true) {
          const list = queryLists.get(name) ?? [];
          list.push(value);
          queryLists.set(name, list);
          continue;
        }
        if (query.has(name)) throw new StratusError('INVALID_ARGUMENT', `the query parameter ${name} is given more than once`);
        query.set(name, value);
      }
      const pathNames = pathSegments.map((segment, i) => (segment === undefined ? '' : decodeSegment(segment, found.pathFields?.[i] ?? 'FunctionName')));
      const [functionName = '', subName = ''] = pathNames;
      const startBody = (status: number, head: Readonly<Record<string, string>>, cutOff: StreamCutOff): ((bytes: Buffer) => boolean) => {
        const requestId = head[REQUEST_ID_HEADER] ?? randomUUID();
        if (!res.headersSent) res.writeHead(status, { [REQUEST_ID_HEADER]: requestId, ...head, ...(this.#accepting() ? {} : { Connection: 'close' }) });
        const writer = this.streamBudget.writer(res, requestId, cutOff);
        return (bytes) => writer.write(bytes);
      };
      const response = await operation.run(this.#services, { functionName, subName, pathNames, query, queryLists, headers, body, host: req.headers.host ?? '', startBody });
      this.#send(res, response);
    } catch (err) {
      this.#sendError(res, err, operation?.name);
    } finally {
      this.#bodyBytesHeld -= reserved;
    }
  }

  /** The URL a Host names by its URL id: the whole path is the function's. */
  #byHost(urlId: string, url: string): () => UrlTarget {
    return () => {
      const found = this.#services.catalog.urlOfId(urlId);
      if (found === undefined) throw noFunctionUrl();
      const q = url.indexOf('?');
      return {
        functionName: found.functionName,
        alias: found.alias,
        urlId,
        rawPath: q < 0 ? url : url.slice(0, q),
        rawQueryString: q < 0 ? '' : url.slice(q + 1),
      };
    };
  }

  /**
   * A function URL, host-based (`<url-id>.lambda-url.…`) or path-based
   * (`/lambda-url/<name>[:<alias>]/<path>`): the URL's config decides who
   * may call it (NONE: anyone; AWS_IAM: SigV4 by a key with the invoke
   * scope) and how CORS is answered; the request becomes a payload format
   * 2.0 event, built once, and the result is mapped once to the answer.
   */
  async #serveFunctionUrl(req: IncomingMessage, res: ServerResponse, method: string, url: string, locate: () => UrlTarget): Promise<void> {
    const requestId = randomUUID();
    const origin = req.headers.origin;
    let cors: Record<string, string> | undefined;
    let reserved = 0;
    let answer: UrlResponse;
    let live: UrlResponseStream | undefined;
    try {
      if (!this.#accepting()) throw new StratusError('SHUTTING_DOWN', 'this frontend is shutting down; retry on another');
      const target = locate();
      const fn = this.#services.catalog.cached(target.functionName) ?? (await this.#services.catalog.resolve(target.functionName, '').catch(() => undefined));
      const config = fn === undefined ? undefined : target.alias === '' ? fn.url : fn.aliasUrls?.[target.alias];
      // A URL id names one URL: one that was deleted and made again has a new id, and the old one serves nothing.
      if (config === undefined || (target.urlId !== undefined && config.urlId !== target.urlId)) throw noFunctionUrl();
      if (config.cors !== undefined && origin !== undefined) {
        if (method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
          this.#sendUrl(res, { status: 200, headers: preflightHeaders(config.cors, origin), body: EMPTY_BODY }, requestId, undefined);
          return;
        }
        cors = responseCorsHeaders(config.cors, origin);
      }
      let callerKeyId: string | undefined;
      let verify: ((body: Buffer) => void) | undefined;
      if (config.authType === 'AWS_IAM') {
        try {
          const claim = parseSigV4({ method, url, rawHeaders: req.rawHeaders }, this.#nowMs());
          const { caller, secret } = this.#auth.sigV4Credential(claim.accessKeyId);
          assertScope(caller, 'InvokeFunctionUrl', 'invoke');
          callerKeyId = caller.keyId;
          verify = (body) => {
            if (!verifySigV4({ method, url, rawHeaders: req.rawHeaders }, claim, payloadSha256(body), secret)) throw new StratusError('INVALID_SIGNATURE', 'signature does not match');
          };
        } catch (err) {
          this.#log.debug({ err, fn: target.functionName }, 'function URL request refused');
          throw new StratusError('UNAUTHENTICATED', 'Forbidden', { details: { httpStatus: '403' } });
        }
      }
      let body: Buffer = EMPTY_BODY;
      // A request without Content-Length or Transfer-Encoding has no body (RFC 9112): nothing to wait for.
      if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
        const declared = Number(req.headers['content-length'] ?? 0);
        if (declared > LIMITS.syncPayloadMaxBytes) throw new StratusError('PAYLOAD_TOO_LARGE', 'Request must be smaller than 6291456 bytes');
        reserved = Math.max(declared, SMALL_BODY_RESERVE_BYTES);
        if (this.#bodyBytesHeld + reserved > HTTP_BODY_BUDGET_BYTES) {
          reserved = 0;
          throw new StratusError('THROTTLED', 'Rate Exceeded.');
        }
        this.#bodyBytesHeld += reserved;
        body = await readBody(req, FUNCTION_URL_OPERATION, this.#bodyWatch);
      }
      verify?.(body);
      const event = urlEvent({
        method,
        rawPath: target.rawPath,
        rawQueryString: target.rawQueryString,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: req.socket.remoteAddress ?? '',
        requestId,
        domainName: req.headers.host ?? '',
        urlId: config.urlId ?? target.functionName,
        nowMs: this.#nowMs(),
        callerKeyId,
      });
      const stream = config.invokeMode === 'RESPONSE_STREAM' ? this.#urlResponseStream(res, requestId, cors) : undefined;
      live = stream;
      const { response: result, streamed } = await this.#services.invoker.invokeDetailed(
        { functionName: target.functionName, qualifier: target.alias, payload: event, invocationType: 'REQUEST_RESPONSE', logType: 'NONE', clientToken: '' },
        requestId,
        stream === undefined ? undefined : { chunk: (bytes, contentType) => stream.chunk(bytes, contentType) },
      );
      // Cut off for the stream budget before its head (answered then), or its client left: nothing more to send.
      if (live?.dropped === true) return;
      if (live?.started === true) {
        // Bytes have left with a status: a failure can only cut the answer short, as Lambda's does.
        if (result.functionError !== '') res.destroy();
        else if (!res.writableEnded && !res.destroyed) res.end();
        return;
      }
      // Held bytes (a stream that never sent its head) are the answer's bytes: the node published them, the reply has none.
      const streamedBytes = live !== undefined && streamed !== undefined && result.payload.byteLength === 0 ? live.held() : result.payload;
      answer =
        result.functionError !== '' ? badGateway() : streamed !== undefined ? streamedUrlResponse(streamed.contentType, streamedBytes) : urlResponse(result.payload);
      if (live !== undefined && answer.status !== 502) answer = { ...answer, chunked: true };
    } catch (err) {
      const error = toStratusError(err);
      if (error.code === 'INTERNAL') this.#log.error({ err }, 'function URL request failed');
      if (live?.dropped === true) return;
      const status = /^[45]\d\d$/.test(error.details['httpStatus'] ?? '') ? Number(error.details['httpStatus']) : errorCodeInfo(error.code).httpStatus;
      answer = urlError(error, status);
    } finally {
      this.#bodyBytesHeld -= reserved;
      // Held bytes (a head that never left) are the answer's now, or nobody's: no longer the budget's.
      live?.drop();
    }
    this.#sendUrl(res, answer, requestId, cors);
  }

  /**
   * A RESPONSE_STREAM URL's answer, its bytes counted against the stream budget: held before the head leaves, then
   * what the socket has not taken. Bytes held past the budget answer 502 at once, Lambda's answer for a response it
   * cannot map (what a stream without a whole prelude gets when it ends), and the call runs on and is billed; a
   * client that leaves before the head releases what was held for it.
   */
  #urlResponseStream(res: ServerResponse, requestId: string, cors: Record<string, string> | undefined): UrlResponseStream {
    let writer: BudgetedWriter | undefined;
    const hold = this.streamBudget.hold(requestId);
    const live = new UrlResponseStream({
      begin: (status, headers) => {
        this.#startUrl(res, status, headers, requestId, cors);
        // The head has gone: a stream cut off for its reader's slowness can only close the connection.
        writer = this.streamBudget.writer(res, requestId, () => undefined);
      },
      write: (bytes) => {
        writer?.write(bytes);
      },
      hold: (bytes) => hold.take(bytes),
      release: () => hold.release(),
      cutOff: () => this.#sendUrl(res, badGateway(), requestId, cors),
    });
    res.once('close', () => live.drop());
    return live;
  }

  /** The head of a RESPONSE_STREAM answer, sent before its body is known (chunk-encoded: no Content-Length). */
  #startUrl(res: ServerResponse, status: number, headers: Record<string, string | string[]>, requestId: string, cors: Record<string, string> | undefined): void {
    if (cors !== undefined) for (const name in cors) headers[name] = cors[name] as string;
    headers['x-amzn-requestid'] = requestId;
    if (!this.#accepting()) headers['connection'] = 'close';
    res.writeHead(status, headers);
  }

  #sendUrl(res: ServerResponse, answer: UrlResponse, requestId: string, cors: Record<string, string> | undefined): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // The answer's headers object is this request's own: the CORS headers (which replace any the function set) go into it.
    const headers = answer.headers;
    if (cors !== undefined) for (const name in cors) headers[name] = cors[name] as string;
    headers['x-amzn-requestid'] = requestId;
    const body = answer.body;
    if (!this.#accepting()) headers['connection'] = 'close';
    if (answer.chunked === true) {
      res.writeHead(answer.status, headers);
      if (body.byteLength > 0) res.write(body);
      res.end();
      return;
    }
    headers['content-length'] = String(body.byteLength);
    res.writeHead(answer.status, headers);
    // Node sends a string body in the same write as the header block, a Buffer as a second chunk (one writev, which
    // cost about a tenth of this listener's CPU per call); latin1 maps each byte to one character and back unchanged.
    if (body.byteLength <= ONE_WRITE_MAX_BODY_BYTES) res.end(body.toString('latin1'), 'latin1');
    else res.end(body);
  }

  #send(res: ServerResponse, response: OperationResponse): void {
    if (res.headersSent) {
      // The operation sent its head and body as it made them (startBody): this ends it, unless the stream budget
      // already has (a reader too slow) or the client left.
      if (res.writableEnded || res.destroyed) return;
      if (Buffer.isBuffer(response.body)) res.end(response.body);
      else res.end();
      return;
    }
    const headers: Record<string, string | number> = { [REQUEST_ID_HEADER]: response.requestId ?? randomUUID(), ...response.headers };
    if (!this.#accepting()) headers['Connection'] = 'close';
    if (response.body === undefined) {
      res.writeHead(response.status, headers).end();
      return;
    }
    const bytes = Buffer.isBuffer(response.body) ? response.body : Buffer.from(JSON.stringify(response.body), 'utf8');
    headers['Content-Type'] ??= 'application/json';
    headers['Content-Length'] = bytes.byteLength;
    res.writeHead(response.status, headers).end(bytes);
  }

  #sendError(res: ServerResponse, err: unknown, operation: string | undefined): void {
    const error = toStratusError(err);
    const info = errorCodeInfo(error.code);
    if (error.code === 'INTERNAL') this.#log.error({ err, operation }, 'internal error');
    else this.#log.debug({ err, operation }, 'Lambda API request refused');
    const lambdaName = typeof error.details['lambdaName'] === 'string' ? error.details['lambdaName'] : info.lambdaName;
    const status = /^[45]\d\d$/.test(error.details['httpStatus'] ?? '') ? Number(error.details['httpStatus']) : info.httpStatus;
    const reason = error.details['reason'];
    const body: Record<string, unknown> = { Type: status >= 500 ? 'Service' : 'User', message: error.message };
    if (typeof reason === 'string') body['Reason'] = reason;
    const headers: Record<string, string | number> = {
      [REQUEST_ID_HEADER]: randomUUID(),
      [ERROR_TYPE_HEADER]: lambdaName,
      'Content-Type': 'application/json',
    };
    const retryAfterMs = Number(error.details['retryAfterMs']);
    if (status === 429) headers['Retry-After'] = Number.isFinite(retryAfterMs) ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : 1;
    // A body the client is still sending (refused before it was read) is read and discarded by Node before the
    // next request, within the request timeout: closing instead would reset the connection under data the client
    // has sent and we have not read, and a client can lose the answer to that reset.
    if (!this.#accepting()) headers['Connection'] = 'close';
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    headers['Content-Length'] = bytes.byteLength;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, headers).end(bytes);
  }
}

const ALL_OPERATIONS: readonly Operation[] = [
  ...OPERATIONS,
  ...STREAMING_OPERATIONS,
  ...FUNCTION_URL_OPERATIONS,
  ...EVENT_INVOKE_CONFIG_OPERATIONS,
  ...EVENT_SOURCE_MAPPING_OPERATIONS,
  ...POLICY_OPERATIONS,
  ...ABSENT_FEATURE_OPERATIONS,
];

const EMPTY_BODY = Buffer.alloc(0);

/** Answers up to this size leave in one write with their headers (copied once into a string); larger ones as their own chunk, uncopied. */
const ONE_WRITE_MAX_BODY_BYTES = 16 * 1024;

/** Where a function URL request goes: the function, its alias ('' for none), and the path and query it sees. */
interface UrlTarget {
  readonly functionName: string;
  readonly alias: string;
  /** The URL id a host-based request named; undefined for a path-based one. */
  readonly urlId?: string | undefined;
  readonly rawPath: string;
  readonly rawQueryString: string;
}

/** Lambda answers a URL that does not exist as it answers one the caller may not call: 403 Forbidden. */
function noFunctionUrl(): StratusError {
  return new StratusError('FUNCTION_NOT_FOUND', 'no function URL here', { details: { httpStatus: '403' } });
}

/** `/lambda-url/<name>[:<alias>]/<path>`: a name (and alias) only, never a path, an ARN or an escape. */
function byPath(url: string): () => UrlTarget {
  return () => {
    const rest = url.slice(FUNCTION_URL_PATH_PREFIX.length);
    const q = rest.indexOf('?');
    const pathPart = q < 0 ? rest : rest.slice(0, q);
    const slash = pathPart.indexOf('/');
    const named = slash < 0 ? pathPart : pathPart.slice(0, slash);
    const match = /^([A-Za-z0-9_-]{1,64})(?::([A-Za-z0-9_-]{1,128}))?$/.exec(named);
    const functionName = match?.[1];
    const alias = match?.[2] ?? '';
    if (functionName === undefined || /^\d+$/.test(alias)) throw noFunctionUrl();
    return { functionName, alias, rawPath: slash < 0 ? '/' : pathPart.slice(slash), rawQueryString: q < 0 ? '' : rest.slice(q + 1) };
  };
}

/** A Host in the form of a function URL's (`….lambda-url.…` or under the cluster's URL domain) whose id names no URL: answered 403, never by the REST API. */
function isFunctionUrlHost(host: string, domain: string | undefined): boolean {
  const lower = host.toLowerCase();
  return lower.includes(`.${FUNCTION_URL_HOST_LABEL}.`) || (domain !== undefined && domain !== '' && lower.replace(/:\d+$/, '').endsWith(`.${domain.toLowerCase()}`));
}

/** Bodies up to this are reserved against the budget before their length is known (chunked). */
const SMALL_BODY_RESERVE_BYTES = 64 * 1024;
/** A function URL's body limit, as an operation for readBody: Lambda's 6 MB event. */
const FUNCTION_URL_OPERATION: Pick<Operation, 'name' | 'maxBodyBytes'> = { name: 'Invoke', maxBodyBytes: LIMITS.syncPayloadMaxBytes + 1 };

function tooLarge(operation: Pick<Operation, 'name' | 'maxBodyBytes'>, bytes: number): StratusError {
  if (operation.name === 'Invoke') {
    return new StratusError('PAYLOAD_TOO_LARGE', `Request must be smaller than ${operation.maxBodyBytes - 1} bytes for the InvokeFunction operation (got ${bytes})`);
  }
  return new StratusError('PAYLOAD_TOO_LARGE', `${operation.name} requests must be smaller than ${operation.maxBodyBytes} bytes (got at least ${bytes})`);
}

/** The operation a method and path name; the path checked for what has no place in one (dot segments, empty segments, non-ASCII). */
function route(method: string, url: string): { pathSegments: ReadonlyArray<string | undefined>; found: Operation } {
  const path = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
  if (!path.startsWith('/') || /[^\x21-\x7e]/.test(path)) throw new StratusError('INVALID_ARGUMENT', 'the request path must be printable ASCII starting with /');
  const segments = path.split('/').slice(1);
  if (segments.some((segment, i) => segment === '.' || segment === '..' || (segment === '' && i !== segments.length - 1))) {
    throw new StratusError('INVALID_ARGUMENT', `the request path has empty or dot segments: ${JSON.stringify(path.slice(0, 200))}`);
  }
  let pathMatched = false;
  for (const operation of ALL_OPERATIONS) {
    const match = operation.path.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (operation.method === method) return { pathSegments: match.slice(1), found: operation };
  }
  throw new StratusError('FUNCTION_NOT_FOUND', pathMatched ? `${method} is not an operation on ${path}` : `no Lambda API operation at ${method} ${path.slice(0, 200)}`, {
    details: { lambdaName: 'UnknownOperationException' },
  });
}

/** A name in the path, percent-decoded; `field` names it in a refusal. */
function decodeSegment(segment: string, field: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new StratusError('INVALID_ARGUMENT', `${field}: the name in the path has a malformed percent-escape: ${JSON.stringify(segment.slice(0, 80))}`);
  }
  // A function name, `name:qualifier`, an ARN or another name: never a path of its own.
  if (!/^[A-Za-z0-9_:$.-]{1,256}$/.test(decoded)) {
    const what = field === 'FunctionName' ? 'a function name, name:qualifier or ARN' : `a ${field}`;
    throw new StratusError('INVALID_ARGUMENT', `${field}: ${JSON.stringify(decoded.slice(0, 80))} is not ${what} (letters, digits, -, _, : and $)`);
  }
  return decoded;
}

/** A body being read, as the stall watch sees it. */
interface BodyReader {
  received: number;
  /** `received` at the watch's last look, and how many looks in a row found it unchanged. */
  receivedWhenLooked: number;
  idleLooks: number;
  readonly stalled: () => void;
}

/**
 * Gives up on bodies that stop arriving: one timer for every body being
 * read, looking once a second, rather than a timer per request armed and
 * refreshed on every chunk. A body is given up on after
 * HTTP_BODY_IDLE_TIMEOUT_MS (to the second) without a byte.
 */
class StalledBodyWatch {
  readonly #readers = new Set<BodyReader>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  add(reader: BodyReader): void {
    this.#readers.add(reader);
    if (this.#timer === undefined && !this.#closed) {
      this.#timer = setInterval(() => this.#look(), BODY_WATCH_PERIOD_MS);
      // Never what keeps the process alive: close() stops it with the listener.
      this.#timer.unref();
    }
  }

  delete(reader: BodyReader): void {
    this.#readers.delete(reader);
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #look(): void {
    const limit = Math.ceil(HTTP_BODY_IDLE_TIMEOUT_MS / BODY_WATCH_PERIOD_MS);
    for (const reader of this.#readers) {
      if (reader.received !== reader.receivedWhenLooked) {
        reader.receivedWhenLooked = reader.received;
        reader.idleLooks = 0;
      } else if ((reader.idleLooks += 1) >= limit) {
        reader.stalled();
      }
    }
  }
}

const BODY_WATCH_PERIOD_MS = 1_000;

/** Reads the body, at most the operation's limit: a larger one (chunked, so undeclared) is refused as it arrives. */
function readBody(req: IncomingMessage, operation: Pick<Operation, 'name' | 'maxBodyBytes'>, watch: StalledBodyWatch): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const reader: BodyReader = {
      received: 0,
      receivedWhenLooked: 0,
      idleLooks: 0,
      stalled: () => {
        cleanup();
        reject(new StratusError('INVALID_ARGUMENT', `the request body stopped arriving for ${HTTP_BODY_IDLE_TIMEOUT_MS / 1000} s`, { details: { httpStatus: '408', lambdaName: 'RequestTimeoutException' } }));
        req.socket.destroy();
      },
    };
    let overflowed = false;
    const onData = (chunk: Buffer): void => {
      const received = (reader.received += chunk.byteLength);
      if (received > operation.maxBodyBytes) {
        if (!overflowed) {
          overflowed = true;
          chunks.length = 0;
        }
        // The rest is read and dropped, so the answer comes after the client stops sending and no reset can take
        // it away; a client that keeps on sending past this is answered anyway, and the connection closed.
        if (received > operation.maxBodyBytes + HTTP_OVERFLOW_DISCARD_BYTES) {
          cleanup();
          reject(tooLarge(operation, received));
        }
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      if (overflowed) reject(tooLarge(operation, reader.received));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, reader.received));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new StratusError('INVALID_ARGUMENT', `the request body did not arrive whole: ${err.message}`, { cause: err }));
    };
    const cleanup = (): void => {
      watch.delete(reader);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    watch.add(reader);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
