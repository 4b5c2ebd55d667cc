// Node's `crypto` for functions: hashes, HMACs and random bytes computed by the host (the runtime's `stratus:host`
// module, which takes and returns copies), over the `buffer` polyfill.

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
