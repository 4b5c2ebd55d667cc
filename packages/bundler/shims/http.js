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
export class OutgoingMessage extends Writable {}
export class ServerResponse extends Writable {}
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
