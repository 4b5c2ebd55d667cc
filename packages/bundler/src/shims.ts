/**
 * Small modules standing in for Node built-ins that have no single npm
 * polyfill: thin layers over well-kept packages (pako, whatwg-url, url) and,
 * for crypto, over the runtime's host-backed `stratus:host` module, which
 * computes hashes, HMACs and random bytes outside the isolate from copies.
 * Each is bundled only when the function imports it.
 */
const CRYPTO = String.raw`
import { Buffer } from 'buffer';
import { digest, hmac, randomFill as hostRandomFill } from 'stratus:host';

function toBytes(data, encoding) {
  if (typeof data === 'string') return Buffer.from(data, encoding || 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const err = new TypeError('The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.');
  err.code = 'ERR_INVALID_ARG_TYPE';
  throw err;
}

function output(bytes, encoding) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === undefined || encoding === 'buffer' ? buf : buf.toString(encoding);
}

function finalized() {
  const err = new Error('Digest already called');
  err.code = 'ERR_CRYPTO_HASH_FINALIZED';
  return err;
}

class Hash {
  constructor(algorithm, key) {
    this._algorithm = algorithm;
    this._key = key;
    this._chunks = [];
    this._done = false;
  }
  update(data, encoding) {
    if (this._done) throw finalized();
    this._chunks.push(toBytes(data, encoding));
    return this;
  }
  digest(encoding) {
    if (this._done) throw finalized();
    this._done = true;
    const data = Buffer.concat(this._chunks);
    this._chunks = [];
    return output(this._key === undefined ? digest(this._algorithm, data) : hmac(this._algorithm, this._key, data), encoding);
  }
  copy() {
    if (this._done) throw finalized();
    const copy = new Hash(this._algorithm, this._key);
    copy._chunks = this._chunks.slice();
    return copy;
  }
}

export function createHash(algorithm) {
  // Node rejects an unknown algorithm here, not at digest().
  digest(String(algorithm), new Uint8Array(0));
  return new Hash(String(algorithm), undefined);
}

export function createHmac(algorithm, key, options) {
  const keyBytes = key && typeof key === 'object' && key.type === 'secret' && typeof key.export === 'function' ? key.export() : toBytes(key, options && options.encoding);
  hmac(String(algorithm), keyBytes, new Uint8Array(0));
  return new Hash(String(algorithm), keyBytes);
}

export function hash(algorithm, data, outputEncoding) {
  return createHash(algorithm).update(data).digest(outputEncoding === undefined ? 'hex' : outputEncoding);
}

export function randomFillSync(buffer, offset, size) {
  const view = new Uint8Array(buffer.buffer || buffer, (buffer.byteOffset || 0) + (offset || 0),
    size === undefined ? (buffer.byteLength - (offset || 0)) : size);
  hostRandomFill(view);
  return buffer;
}

export function randomFill(buffer, offset, size, callback) {
  const cb = [offset, size, callback].find((x) => typeof x === 'function');
  randomFillSync(buffer, typeof offset === 'number' ? offset : 0, typeof size === 'number' ? size : undefined);
  setImmediate(() => cb(null, buffer));
}

export function randomBytes(size, callback) {
  const buf = Buffer.alloc(size);
  randomFillSync(buf);
  if (typeof callback === 'function') {
    setImmediate(() => callback(null, buf));
    return undefined;
  }
  return buf;
}

export const pseudoRandomBytes = randomBytes;

export function randomInt(min, max, callback) {
  if (typeof max !== 'number') { callback = max; max = min; min = 0; }
  const range = max - min;
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || range <= 0 || range > 2 ** 48) {
    throw new RangeError('The value of "max" is out of range. It must be greater than the value of "min" (' + min + ')');
  }
  const limit = 2 ** 48 - (2 ** 48 % range);
  let value;
  do {
    const b = randomBytes(6);
    value = b.readUIntBE(0, 6);
  } while (value >= limit);
  const result = min + (value % range);
  if (typeof callback === 'function') { setImmediate(() => callback(null, result)); return undefined; }
  return result;
}

export function randomUUID() {
  return globalThis.crypto.randomUUID();
}

export function getRandomValues(array) {
  return globalThis.crypto.getRandomValues(array);
}

export function timingSafeEqual(a, b) {
  const x = toBytes(a);
  const y = toBytes(b);
  if (x.length !== y.length) {
    const err = new RangeError('Input buffers must have the same byte length');
    err.code = 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH';
    throw err;
  }
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

export function getHashes() {
  return ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-256', 'sha3-256', 'sha3-512', 'ripemd160'];
}

function notAvailable(name) {
  return function () {
    throw new Error('crypto.' + name + ' is not available in Stratus (supported: hashes, HMAC, random bytes, randomUUID, timingSafeEqual)');
  };
}

export const createCipheriv = notAvailable('createCipheriv');
export const createDecipheriv = notAvailable('createDecipheriv');
export const createSign = notAvailable('createSign');
export const createVerify = notAvailable('createVerify');
export const pbkdf2 = notAvailable('pbkdf2');
export const pbkdf2Sync = notAvailable('pbkdf2Sync');
export const scrypt = notAvailable('scrypt');
export const scryptSync = notAvailable('scryptSync');
export const generateKeyPair = notAvailable('generateKeyPair');
export const generateKeyPairSync = notAvailable('generateKeyPairSync');
export const createPublicKey = notAvailable('createPublicKey');
export const createPrivateKey = notAvailable('createPrivateKey');
export const createSecretKey = notAvailable('createSecretKey');
export const webcrypto = globalThis.crypto;
export const subtle = globalThis.crypto.subtle;

export default {
  createHash, createHmac, hash, randomBytes, pseudoRandomBytes, randomFill, randomFillSync, randomInt, randomUUID,
  getRandomValues, timingSafeEqual, getHashes, createCipheriv, createDecipheriv, createSign, createVerify, pbkdf2,
  pbkdf2Sync, scrypt, scryptSync, generateKeyPair, generateKeyPairSync, createPublicKey, createPrivateKey,
  createSecretKey, webcrypto, subtle,
};
`;

const ZLIB = String.raw`
const { Buffer } = require('buffer');
const pako = require('pako');

function input(data) {
  if (typeof data === 'string') return Buffer.from(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function zlibError(err) {
  const e = new Error(typeof err === 'string' ? err : (err && err.message) || String(err));
  e.code = 'Z_DATA_ERROR';
  e.errno = -3;
  return e;
}

function pair(name, fn) {
  const sync = function (data, options) {
    let out;
    try { out = fn(input(data), options); } catch (err) { throw zlibError(err); }
    if (!(out instanceof Uint8Array)) throw zlibError(out === undefined ? 'unexpected end of file' : out);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  };
  const async = function (data, options, callback) {
    if (typeof options === 'function') { callback = options; options = undefined; }
    let result;
    let error = null;
    try { result = sync(data, options); } catch (err) { error = err; }
    setImmediate(() => (error ? callback(error) : callback(null, result)));
  };
  exports[name + 'Sync'] = sync;
  exports[name] = async;
}

pair('gzip', (d, o) => pako.gzip(d, o));
pair('gunzip', (d, o) => pako.ungzip(d, o));
pair('deflate', (d, o) => pako.deflate(d, o));
pair('inflate', (d, o) => pako.inflate(d, o));
pair('deflateRaw', (d, o) => pako.deflateRaw(d, o));
pair('inflateRaw', (d, o) => pako.inflateRaw(d, o));
// pako's inflate detects the gzip or zlib header, as Node's unzip does.
pair('unzip', (d, o) => pako.inflate(d, o));

function noStreams(name) {
  return function () {
    throw new Error('zlib.' + name + ' is not available in Stratus: use the one-shot functions (gzipSync, gunzip, ...)');
  };
}
for (const name of ['createGzip', 'createGunzip', 'createDeflate', 'createInflate', 'createDeflateRaw', 'createInflateRaw',
  'createUnzip', 'createBrotliCompress', 'createBrotliDecompress', 'brotliCompress', 'brotliCompressSync',
  'brotliDecompress', 'brotliDecompressSync']) {
  exports[name] = noStreams(name);
}

exports.constants = {
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_BUF_ERROR: -5,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0,
};
`;

const URL_MODULE = String.raw`
const legacy = require('url/');
const { URL, URLSearchParams } = require('whatwg-url');

function fileURLToPath(value) {
  const url = typeof value === 'string' ? new URL(value) : value;
  if (url.protocol !== 'file:') {
    const err = new TypeError('The URL must be of scheme file');
    err.code = 'ERR_INVALID_URL_SCHEME';
    throw err;
  }
  return decodeURIComponent(url.pathname);
}

function pathToFileURL(path) {
  return new URL('file://' + encodeURI(path).replace(/[?#]/g, encodeURIComponent));
}

function format(value, options) {
  if (value instanceof URL) return value.href;
  return legacy.format(value, options);
}

module.exports = {
  parse: legacy.parse,
  resolve: legacy.resolve,
  resolveObject: legacy.resolveObject,
  format: format,
  Url: legacy.Url,
  URL: URL,
  URLSearchParams: URLSearchParams,
  fileURLToPath: fileURLToPath,
  pathToFileURL: pathToFileURL,
};
`;

const TIMERS = String.raw`
module.exports = {
  setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval, clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate, clearImmediate: globalThis.clearImmediate,
};
`;

const TIMERS_PROMISES = String.raw`
function abortError(signal) {
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  err.code = 'ABORT_ERR';
  err.cause = signal.reason;
  return err;
}
function later(schedule, clear) {
  return function (delay, value, options) {
    const signal = options && options.signal;
    return new Promise((resolve, reject) => {
      if (signal && signal.aborted) { reject(abortError(signal)); return; }
      const handle = schedule(() => resolve(value), delay);
      if (signal) signal.addEventListener('abort', () => { clear(handle); reject(abortError(signal)); }, { once: true });
    });
  };
}
exports.setTimeout = later((fn, delay) => globalThis.setTimeout(fn, delay), (h) => globalThis.clearTimeout(h));
exports.setImmediate = later((fn) => globalThis.setImmediate(fn), (h) => globalThis.clearImmediate(h));
exports.scheduler = { wait: (delay, options) => exports.setTimeout(delay, undefined, options) };
`;

export const SHIM_SOURCES: Readonly<Record<string, string>> = {
  crypto: CRYPTO,
  zlib: ZLIB,
  url: URL_MODULE,
  timers: TIMERS,
  'timers/promises': TIMERS_PROMISES,
  process: 'module.exports = globalThis.process;\n',
  'util/types': "module.exports = require('util').types;\n",
  'assert/strict': "module.exports = require('assert').strict;\n",
};
