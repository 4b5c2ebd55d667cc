// Node's `http` (and, through `https`, its TLS twin) for functions: the client API (`request`, `get`, `Agent`,
// `ClientRequest`, `IncomingMessage`) over the runtime's host-performed exchanges (`stratus:host`), which the
// node runs with undici under the function's egress policy. A request body is sent when the request ends (it
// is collected, not streamed); a response body streams in as the function reads it. Servers are not available.

import { Buffer } from 'buffer';
import { EventEmitter } from 'events';
import { Readable, Writable } from 'stream';
import { URL } from 'url';
import { httpExchange } from 'stratus:host';

export const METHODS = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK', 'M-SEARCH', 'MERGE', 'MKACTIVITY',
  'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY',
  'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE',
];

export const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints', 200: 'OK', 201: 'Created', 202: 'Accepted',
  203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content', 206: 'Partial Content', 207: 'Multi-Status',
  208: 'Already Reported', 226: 'IM Used', 300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other',
  304: 'Not Modified', 305: 'Use Proxy', 307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request',
  401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone',
  411: 'Length Required', 412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long',
  415: 'Unsupported Media Type', 416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: "I'm a Teapot",
  421: 'Misdirected Request', 422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early',
  426: 'Upgrade Required', 428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 506: 'Variant Also Negotiates',
  507: 'Insufficient Storage', 508: 'Loop Detected', 509: 'Bandwidth Limit Exceeded', 510: 'Not Extended',
  511: 'Network Authentication Required',
};

export const maxHeaderSize = 16384;

function codeError(Ctor, code, message) {
  const err = new Ctor(message);
  err.code = code;
  return err;
}

const TOKEN = /^[\^_`a-zA-Z\-0-9!#$%&'*+.|~]+$/;
const INVALID_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

export function validateHeaderName(name) {
  if (typeof name !== 'string' || !name || !TOKEN.test(name)) {
    throw codeError(TypeError, 'ERR_INVALID_HTTP_TOKEN', `Header name must be a valid HTTP token ["${name}"]`);
  }
}

export function validateHeaderValue(name, value) {
  if (value === undefined) throw codeError(TypeError, 'ERR_HTTP_INVALID_HEADER_VALUE', `Invalid value "${value}" for header "${name}"`);
  if (INVALID_VALUE.test(String(value))) throw codeError(TypeError, 'ERR_INVALID_CHAR', `Invalid character in header content ["${name}"]`);
}

/** Connection pooling is the node's (undici's); an Agent keeps its options for the libraries that read them. */
export class Agent extends EventEmitter {
  constructor(options) {
    super();
    this.options = { path: null, ...options };
    this.keepAlive = !!(options && options.keepAlive);
    this.maxSockets = (options && options.maxSockets) || Infinity;
    this.maxFreeSockets = (options && options.maxFreeSockets) || 256;
    this.defaultPort = 80;
    this.protocol = 'http:';
    this.requests = Object.create(null);
    this.sockets = Object.create(null);
    this.freeSockets = Object.create(null);
  }
  destroy() {}
  getName(options = {}) {
    return `${options.host || 'localhost'}:${options.port || ''}:${options.localAddress || ''}`;
  }
}

export const globalAgent = new Agent({ keepAlive: true });

/** Stands where Node's socket would: the events and methods HTTP clients touch. */
class FakeSocket extends EventEmitter {
  constructor(host, port, encrypted) {
    super();
    this.remoteAddress = undefined;
    this.remotePort = port;
    this.remoteFamily = undefined;
    this.localAddress = undefined;
    this.servername = host;
    this.encrypted = encrypted;
    this.authorized = encrypted;
    this.connecting = false;
    this.destroyed = false;
    this.writable = true;
    this.readable = true;
  }
  setTimeout(ms, callback) {
    if (callback) this.once('timeout', callback);
    return this;
  }
  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  ref() { return this; }
  unref() { return this; }
  address() { return {}; }
  destroy() { this.destroyed = true; return this; }
  end() { return this; }
  getPeerCertificate() { return {}; }
}

function joinHeaders(pairs) {
  const headers = Object.create(null);
  const raw = [];
  for (const [name, value] of pairs) {
    raw.push(name, value);
    const key = name.toLowerCase();
    if (key === 'set-cookie') {
      (headers[key] || (headers[key] = [])).push(value);
    } else if (headers[key] === undefined) {
      headers[key] = value;
    } else if (!['content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization',
      'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag',
      'last-modified', 'server', 'age', 'expires'].includes(key)) {
      headers[key] += (key === 'cookie' ? '; ' : ', ') + value;
    }
  }
  return { headers, raw };
}

export class IncomingMessage extends Readable {
  constructor(socket) {
    super();
    this.socket = socket;
    this.connection = socket;
    this.httpVersion = '1.1';
    this.httpVersionMajor = 1;
    this.httpVersionMinor = 1;
    this.headers = {};
    this.rawHeaders = [];
    this.trailers = {};
    this.rawTrailers = [];
    this.statusCode = null;
    this.statusMessage = null;
    this.complete = false;
    this.aborted = false;
    this.url = '';
    this.method = null;
    this._exchange = undefined;
    this._reading = false;
  }
  _read() {
    const exchange = this._exchange;
    if (exchange === undefined || this._reading) return;
    this._reading = true;
    exchange.read().then(
      (part) => {
        this._reading = false;
        if (part === null) {
          this.complete = true;
          this.push(null);
        } else if (this.push(Buffer.from(part.buffer, part.byteOffset, part.byteLength))) {
          this._read();
        }
      },
      (err) => {
        this._reading = false;
        this.aborted = true;
        this.emit('aborted');
        this.destroy(err);
      },
    );
  }
  _destroy(err, callback) {
    if (!this.complete && this._exchange !== undefined) this._exchange.abort(err || codeError(Error, 'ECONNRESET', 'aborted'));
    callback(err);
  }
  setTimeout(ms, callback) {
    if (callback) this.on('timeout', callback);
    return this;
  }
}

function toOptions(input, options, defaultProtocol) {
  let out;
  if (typeof input === 'string' || (input && typeof input === 'object' && typeof input.href === 'string' && typeof input.searchParams === 'object')) {
    const url = new URL(String(input));
    out = {
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      ...(url.username || url.password ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` } : {}),
    };
    out = { ...out, ...(options || {}) };
  } else {
    out = { ...(input || {}) };
  }
  out.protocol = out.protocol || (out.agent && out.agent.protocol) || defaultProtocol;
  return out;
}

export class ClientRequest extends Writable {
  constructor(input, options, callback, defaultProtocol = 'http:') {
    super();
    if (typeof options === 'function') {
      callback = options;
      options = undefined;
    }
    const opts = toOptions(input, options, defaultProtocol);
    if (opts.protocol !== defaultProtocol) {
      throw codeError(TypeError, 'ERR_INVALID_PROTOCOL', `Protocol "${opts.protocol}" not supported. Expected "${defaultProtocol}"`);
    }
    const host = opts.hostname || (opts.host ? String(opts.host).replace(/:\d+$/, '') : 'localhost');
    const port = Number(opts.port) || (defaultProtocol === 'https:' ? 443 : 80);
    this.method = String(opts.method || 'GET').toUpperCase();
    this.path = opts.path || '/';
    this.host = host;
    this.protocol = defaultProtocol;
    this.agent = opts.agent === undefined ? globalAgent : opts.agent;
    this.reusedSocket = false;
    this.aborted = false;
    this.finished = false;
    this.destroyed = false;
    this._headers = Object.create(null);
    this._body = [];
    this._exchange = undefined;
    this._timeoutMs = typeof opts.timeout === 'number' ? opts.timeout : undefined;
    this._timer = undefined;
    const bracketed = host.includes(':') ? `[${host}]` : host;
    const defaultPort = defaultProtocol === 'https:' ? 443 : 80;
    this._url = `${defaultProtocol}//${bracketed}${port === defaultPort ? '' : `:${port}`}${this.path}`;
    if (opts.headers) {
      if (Array.isArray(opts.headers)) for (let i = 0; i + 1 < opts.headers.length; i += 2) this.setHeader(opts.headers[i], opts.headers[i + 1]);
      else for (const name of Object.keys(opts.headers)) if (opts.headers[name] !== undefined) this.setHeader(name, opts.headers[name]);
    }
    if (opts.auth && !this.hasHeader('authorization')) this.setHeader('Authorization', 'Basic ' + Buffer.from(String(opts.auth)).toString('base64'));
    this.socket = new FakeSocket(host, port, defaultProtocol === 'https:');
    this.connection = this.socket;
    if (callback) this.once('response', callback);
    if (opts.signal) {
      const signal = opts.signal;
      if (signal.aborted) queueMicrotask(() => this.destroy(abortError(signal.reason)));
      else signal.addEventListener('abort', () => this.destroy(abortError(signal.reason)), { once: true });
    }
    process.nextTick(() => {
      if (this.destroyed) return;
      this.emit('socket', this.socket);
      this.socket.emit('connect');
      if (this._timeoutMs) this.setTimeout(this._timeoutMs);
    });
  }
  setHeader(name, value) {
    validateHeaderName(name);
    validateHeaderValue(name, value);
    this._headers[String(name).toLowerCase()] = [String(name), value];
    return this;
  }
  getHeader(name) {
    const entry = this._headers[String(name).toLowerCase()];
    return entry === undefined ? undefined : entry[1];
  }
  getHeaders() {
    const out = Object.create(null);
    for (const key of Object.keys(this._headers)) out[key] = this._headers[key][1];
    return out;
  }
  getHeaderNames() { return Object.keys(this._headers); }
  getRawHeaderNames() { return Object.keys(this._headers).map((key) => this._headers[key][0]); }
  hasHeader(name) { return this._headers[String(name).toLowerCase()] !== undefined; }
  removeHeader(name) { delete this._headers[String(name).toLowerCase()]; }
  flushHeaders() {}
  setNoDelay() {}
  setSocketKeepAlive() {}
  setTimeout(ms, callback) {
    if (callback) this.once('timeout', callback);
    clearTimeout(this._timer);
    this._timer = ms > 0 ? setTimeout(() => {
      this.emit('timeout');
      this.socket.emit('timeout');
    }, ms) : undefined;
    return this;
  }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    process.nextTick(() => this.emit('abort'));
    this.destroy();
  }
  _write(chunk, encoding, callback) {
    this._body.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding));
    callback();
  }
  _final(callback) {
    this.finished = true;
    const pairs = [];
    for (const key of Object.keys(this._headers)) {
      const [name, value] = this._headers[key];
      // zlib has no streams here, so a compressed body could not be decoded the way HTTP clients decode it
      // (axios pipes it through zlib.createUnzip): ask for the body as it is.
      if (key === 'accept-encoding') {
        pairs.push([name, 'identity']);
        continue;
      }
      if (Array.isArray(value)) for (const one of value) pairs.push([name, String(one)]);
      else pairs.push([name, String(value)]);
    }
    const body = this._body.length === 0 ? undefined : Buffer.concat(this._body);
    let exchange;
    try {
      exchange = httpExchange({ kind: 'http', url: this._url, method: this.method, headers: pairs }, body);
    } catch (err) {
      callback(err);
      return;
    }
    this._exchange = exchange;
    callback();
    exchange.head().then(
      (head) => {
        clearTimeout(this._timer);
        if (this.destroyed) return;
        const res = new IncomingMessage(this.socket);
        const { headers, raw } = joinHeaders(head.headers);
        res.statusCode = head.status;
        res.statusMessage = head.statusText || STATUS_CODES[head.status] || '';
        res.headers = headers;
        res.rawHeaders = raw;
        res.req = this;
        res._exchange = exchange;
        this.res = res;
        if (!this.emit('response', res)) res.resume();
      },
      (err) => {
        clearTimeout(this._timer);
        if (!this.destroyed) this.destroy(err);
      },
    );
  }
  _destroy(err, callback) {
    clearTimeout(this._timer);
    if (this._exchange !== undefined && (this.res === undefined || !this.res.complete)) {
      this._exchange.abort(err || codeError(Error, 'ECONNRESET', 'socket hang up'));
    }
    if (this.res !== undefined && !this.res.complete && !this.res.destroyed) this.res.destroy(err || codeError(Error, 'ECONNRESET', 'aborted'));
    this.socket.destroy();
    process.nextTick(() => this.emit('close'));
    callback(err);
  }
}

function abortError(reason) {
  const err = codeError(Error, 'ABORT_ERR', 'The operation was aborted');
  err.name = 'AbortError';
  if (reason !== undefined) err.cause = reason;
  return err;
}

function makeRequest(defaultProtocol) {
  return function request(input, options, callback) {
    return new ClientRequest(input, options, callback, defaultProtocol);
  };
}

function makeGet(defaultProtocol) {
  return function get(input, options, callback) {
    const req = new ClientRequest(input, options, callback, defaultProtocol);
    req.end();
    return req;
  };
}

function noServers() {
  throw codeError(Error, 'ERR_NOT_SUPPORTED', 'HTTP servers are not available in Stratus: a function cannot listen for connections');
}

export class Server extends EventEmitter {
  constructor() {
    super();
    noServers();
  }
}
/**
 * Node's OutgoingMessage without a connection of its own: headers are kept until the first write, then the
 * head (`HTTP/1.1 200 OK\r\n…\r\n\r\n`) and the body go to the socket a caller assigned, as Node writes them to
 * a connection. Adapters that run a web framework inside a function (serverless-http, @vendia/serverless-express)
 * build their responses on it and assign a socket that collects the bytes; with no socket, what is written is
 * kept until one is assigned. The body is never chunk-encoded (nothing here speaks to a client directly).
 */
export class OutgoingMessage extends EventEmitter {
  constructor() {
    super();
    this.outputData = [];
    this.writable = true;
    this.destroyed = false;
    this.finished = false;
    this.chunkedEncoding = false;
    this.shouldKeepAlive = true;
    this.useChunkedEncodingByDefault = true;
    this.sendDate = false;
    this.socket = null;
    this._header = null;
    this._headerSent = false;
    this._hasBody = true;
    this._outHeaders = Object.create(null);
  }
  get connection() { return this.socket; }
  set connection(value) { this.socket = value; }
  get headersSent() { return !!this._header; }
  get writableEnded() { return this.finished; }
  get writableFinished() { return this.finished && this.outputData.length === 0; }
  get writableLength() { return 0; }
  get writableHighWaterMark() { return 16384; }
  get writableCorked() { return 0; }
  get writableObjectMode() { return false; }
  get writableNeedDrain() { return false; }
  setHeader(name, value) {
    if (this._header) throw codeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
    validateHeaderName(name);
    validateHeaderValue(name, value);
    this._outHeaders[String(name).toLowerCase()] = [String(name), value];
    return this;
  }
  appendHeader(name, value) {
    const existing = this.getHeader(name);
    if (existing === undefined) return this.setHeader(name, value);
    return this.setHeader(name, [...(Array.isArray(existing) ? existing : [existing]), ...(Array.isArray(value) ? value : [value])]);
  }
  getHeader(name) {
    const entry = this._outHeaders[String(name).toLowerCase()];
    return entry === undefined ? undefined : entry[1];
  }
  getHeaders() {
    const out = Object.create(null);
    for (const key of Object.keys(this._outHeaders)) out[key] = this._outHeaders[key][1];
    return out;
  }
  getHeaderNames() { return Object.keys(this._outHeaders); }
  getRawHeaderNames() { return Object.keys(this._outHeaders).map((key) => this._outHeaders[key][0]); }
  hasHeader(name) { return this._outHeaders[String(name).toLowerCase()] !== undefined; }
  removeHeader(name) {
    if (this._header) throw codeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot remove headers after they are sent to the client');
    delete this._outHeaders[String(name).toLowerCase()];
  }
  /** The head as Node writes it: the first line, then each header (arrays repeated), then an empty line. */
  _storeHeader(firstLine, extra) {
    let head = firstLine;
    const seen = new Set();
    const add = (name, value) => {
      seen.add(String(name).toLowerCase());
      if (Array.isArray(value)) for (const one of value) head += `${name}: ${one}\r\n`;
      else head += `${name}: ${value}\r\n`;
    };
    for (const key of Object.keys(this._outHeaders)) add(this._outHeaders[key][0], this._outHeaders[key][1]);
    for (const [name, value] of extra) if (!seen.has(name.toLowerCase())) add(name, value);
    if (this.sendDate && !seen.has('date')) head += `Date: ${new Date().toUTCString()}\r\n`;
    this._header = head + '\r\n';
    this._headerSent = false;
  }
  _implicitHeader() {
    throw codeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The _implicitHeader() method is not implemented');
  }
  _send(data, encoding, callback) {
    let out = data;
    if (!this._headerSent && this._header !== null) {
      out = typeof data === 'string' && (encoding === undefined || encoding === null || encoding === 'utf8' || encoding === 'latin1')
        ? this._header + data
        : Buffer.concat([Buffer.from(this._header, 'latin1'), Buffer.isBuffer(data) ? data : Buffer.from(data, encoding || 'utf8')]);
      this._headerSent = true;
    }
    if (this.socket && this.socket.writable !== false && this.outputData.length === 0) return this.socket.write(out, encoding, callback);
    this.outputData.push({ data: out, encoding, callback });
    return false;
  }
  _flushOutput() {
    const pending = this.outputData;
    this.outputData = [];
    for (const { data, encoding, callback } of pending) this.socket.write(data, encoding, callback);
  }
  write(chunk, encoding, callback) {
    if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    if (this.finished) {
      const err = codeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
      process.nextTick(() => {
        if (callback) callback(err);
        this.emit('error', err);
      });
      return true;
    }
    if (chunk === null) throw codeError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream');
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw codeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array');
    }
    if (!this._header) this._implicitHeader();
    if (!this._hasBody) return true;
    this._send(chunk, encoding, callback);
    return true;
  }
  end(chunk, encoding, callback) {
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = undefined;
    } else if (typeof encoding === 'function') {
      callback = encoding;
      encoding = undefined;
    }
    if (this.finished) {
      if (callback) process.nextTick(callback);
      return this;
    }
    if (!this._header) {
      if (chunk !== undefined && chunk !== null && this._hasBody && !this.hasHeader('content-length') && !this.hasHeader('transfer-encoding')) {
        this._contentLength = typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding || 'utf8') : chunk.byteLength;
      } else if (chunk === undefined || chunk === null) {
        this._contentLength = 0;
      }
      this._implicitHeader();
    }
    if (chunk !== undefined && chunk !== null && this._hasBody) this._send(chunk, encoding);
    else if (!this._headerSent) this._send('', 'latin1');
    this.finished = true;
    this.writable = false;
    if (callback) this.once('finish', callback);
    process.nextTick(() => {
      this.emit('prefinish');
      this.emit('finish');
    });
    return this;
  }
  flushHeaders() {
    if (!this._header) this._implicitHeader();
    if (!this._headerSent) this._send('', 'latin1');
  }
  cork() {}
  uncork() {}
  setTimeout(ms, callback) {
    if (callback) this.once('timeout', callback);
    return this;
  }
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (this.socket && typeof this.socket.destroy === 'function') this.socket.destroy(err);
    process.nextTick(() => {
      if (err) this.emit('error', err);
      this.emit('close');
    });
    return this;
  }
  addTrailers() {}
  pipe() {
    throw codeError(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable');
  }
}

/** Node's ServerResponse over the OutgoingMessage above: a status line and Lambda-agnostic headers, no server. */
export class ServerResponse extends OutgoingMessage {
  constructor(req, options) {
    super(options);
    this.req = req;
    this.statusCode = 200;
    this.statusMessage = undefined;
    this.sendDate = true;
    this._sent100 = false;
    this._expect_continue = false;
    if (req && req.method === 'HEAD') this._hasBody = false;
  }
  assignSocket(socket) {
    if (socket._httpMessage) throw codeError(Error, 'ERR_HTTP_SOCKET_ASSIGNED', 'ServerResponse has an already assigned socket');
    socket._httpMessage = this;
    this.socket = socket;
    this.emit('socket', socket);
    this._flushOutput();
  }
  detachSocket(socket) {
    socket._httpMessage = null;
    this.socket = null;
  }
  writeContinue(callback) {
    this._sent100 = true;
    if (callback) process.nextTick(callback);
  }
  writeProcessing(callback) {
    if (callback) process.nextTick(callback);
  }
  writeEarlyHints(hints, callback) {
    if (callback) process.nextTick(callback);
  }
  _implicitHeader() {
    this.writeHead(this.statusCode);
  }
  writeHead(statusCode, reason, obj) {
    const code = statusCode | 0;
    if (code < 100 || code > 999) throw codeError(RangeError, 'ERR_HTTP_INVALID_STATUS_CODE', `Invalid status code: ${statusCode}`);
    if (typeof reason === 'string') this.statusMessage = reason;
    else {
      this.statusMessage = this.statusMessage || STATUS_CODES[code] || 'unknown';
      obj = reason;
    }
    this.statusCode = code;
    if (this._header) throw codeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot write headers after they are sent to the client');
    if (Array.isArray(obj)) {
      for (let i = 0; i + 1 < obj.length; i += 2) this.appendHeader(obj[i], obj[i + 1]);
    } else if (obj) {
      for (const name of Object.keys(obj)) if (obj[name] !== undefined) this.setHeader(name, obj[name]);
    }
    if (code === 204 || code === 304 || (code >= 100 && code <= 199)) this._hasBody = false;
    const extra = [['Connection', 'keep-alive'], ['Keep-Alive', 'timeout=5']];
    if (this._contentLength !== undefined && this._hasBody) extra.unshift(['Content-Length', String(this._contentLength)]);
    this._storeHeader(`HTTP/1.1 ${code} ${this.statusMessage}\r\n`, extra);
    return this;
  }
}
export const createServer = noServers;
export const request = makeRequest('http:');
export const get = makeGet('http:');

class HttpsAgent extends Agent {
  constructor(options) {
    super(options);
    this.defaultPort = 443;
    this.protocol = 'https:';
  }
}

/** What the `https` shim re-exports. */
export const __stratusHttps = {
  Agent: HttpsAgent,
  globalAgent: new HttpsAgent({ keepAlive: true }),
  request: makeRequest('https:'),
  get: makeGet('https:'),
  createServer: noServers,
  Server,
};

export default {
  METHODS, STATUS_CODES, maxHeaderSize, Agent, globalAgent, ClientRequest, IncomingMessage, OutgoingMessage, ServerResponse,
  Server, createServer, request, get, validateHeaderName, validateHeaderValue,
};
