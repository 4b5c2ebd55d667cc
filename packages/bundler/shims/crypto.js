// Node's `crypto` for functions, over the `buffer` polyfill and the runtime's `stratus:host` module: hashes, HMACs
// and random bytes, and keys, signatures, key derivation and ciphers, all computed by the host from copies (large
// or slow ones on its worker threads). A KeyObject holds its key as bytes (SPKI or PKCS#8 DER, or a secret's
// bytes); the host parses them again for every operation.

import { Buffer } from 'buffer';
import { cryptoOp, digest, hmac, randomFill as hostRandomFill } from 'stratus:host';

function codedError(Ctor, message, code) {
  const err = new Ctor(message);
  err.code = code;
  return err;
}

function toBytes(data, encoding) {
  if (typeof data === 'string') return Buffer.from(data, encoding || 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw codedError(TypeError, 'The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView.', 'ERR_INVALID_ARG_TYPE');
}

function output(bytes, encoding) {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === undefined || encoding === 'buffer' ? buf : buf.toString(encoding);
}

function finalized() {
  return codedError(Error, 'Digest already called', 'ERR_CRYPTO_HASH_FINALIZED');
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
  const keyBytes = key instanceof KeyObject ? secretBytes(key) : toBytes(key, options && options.encoding);
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
  if (x.length !== y.length) throw codedError(RangeError, 'Input buffers must have the same byte length', 'ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH');
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}

export function getHashes() {
  return ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha512-256', 'sha3-256', 'sha3-512', 'ripemd160'];
}

export function getCiphers() {
  return ['aes-128-cbc', 'aes-128-ctr', 'aes-128-gcm', 'aes-192-cbc', 'aes-192-ctr', 'aes-192-gcm', 'aes-256-cbc', 'aes-256-ctr', 'aes-256-gcm'];
}

export const constants = {
  RSA_PKCS1_PADDING: 1,
  RSA_NO_PADDING: 3,
  RSA_PKCS1_OAEP_PADDING: 4,
  RSA_PKCS1_PSS_PADDING: 6,
  RSA_PSS_SALTLEN_DIGEST: -1,
  RSA_PSS_SALTLEN_MAX_SIGN: -2,
  RSA_PSS_SALTLEN_AUTO: -2,
};

// --- keys ---------------------------------------------------------------------------------------------------

const keyMaterial = new WeakMap();

/** Node's KeyObject: a secret's bytes, or an asymmetric key as DER with its type and details from the host. */
export class KeyObject {
  constructor(type, material) {
    if (material === undefined || material.token !== keyToken) {
      throw codedError(TypeError, 'Illegal constructor: use crypto.createSecretKey, createPublicKey or createPrivateKey', 'ERR_ILLEGAL_CONSTRUCTOR');
    }
    this._type = type;
    keyMaterial.set(this, material);
  }
  get type() { return this._type; }
  get asymmetricKeyType() { return this._type === 'secret' ? undefined : keyMaterial.get(this).asymmetricKeyType; }
  get asymmetricKeyDetails() { return this._type === 'secret' ? undefined : Object.assign({}, keyMaterial.get(this).asymmetricKeyDetails); }
  get symmetricKeySize() { return this._type === 'secret' ? keyMaterial.get(this).bytes.length : undefined; }
  export(options) {
    const material = keyMaterial.get(this);
    if (this._type === 'secret') {
      if (options && options.format === 'jwk') return { kty: 'oct', k: Buffer.from(material.bytes).toString('base64url') };
      return Buffer.from(material.bytes);
    }
    const format = (options && options.format) || 'pem';
    const type = (options && options.type) || (this._type === 'public' ? 'spki' : 'pkcs8');
    const buffers = [material.der];
    const passphrase = options && options.passphrase;
    if (passphrase !== undefined) buffers.push(toBytes(passphrase));
    const out = cryptoOp('keyExport', { kind: this._type, format: format, type: type, cipher: (options && options.cipher) || null }, buffers);
    if (format === 'jwk') return JSON.parse(Buffer.from(out).toString('utf8'));
    return format === 'pem' ? Buffer.from(out).toString('utf8') : Buffer.from(out);
  }
  equals(other) {
    if (!(other instanceof KeyObject) || other.type !== this.type) return false;
    const a = keyMaterial.get(this);
    const b = keyMaterial.get(other);
    const x = this._type === 'secret' ? a.bytes : a.der;
    const y = this._type === 'secret' ? b.bytes : b.der;
    return x.length === y.length && timingSafeEqual(x, y);
  }
  static from() {
    throw codedError(Error, 'KeyObject.from(CryptoKey) is not available in Stratus', 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM');
  }
}

const keyToken = {};

function secretBytes(key) {
  if (key.type !== 'secret') throw codedError(TypeError, 'Invalid key object type ' + key.type + ', expected secret.', 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE');
  return keyMaterial.get(key).bytes;
}

export function createSecretKey(key, encoding) {
  const bytes = Buffer.from(toBytes(key, encoding));
  return new KeyObject('secret', { token: keyToken, bytes: bytes });
}

function readHeader(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0);
  const header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 4, length).toString('utf8'));
  return { header: header, body: Buffer.from(bytes.subarray(4 + length)) };
}

function keyDetails(details) {
  const out = {};
  for (const name of Object.keys(details)) {
    const value = details[name];
    out[name] = value !== null && typeof value === 'object' && typeof value.bigint === 'string' ? BigInt(value.bigint) : value;
  }
  return out;
}

/** createPublicKey/createPrivateKey: the key as the function gives it, parsed by the host into DER. */
function asymmetricKey(want, input) {
  if (input instanceof KeyObject) {
    if (input.type === 'secret') throw codedError(TypeError, 'Invalid key object type secret, expected ' + (want === 'public' ? 'private or public' : 'private') + '.', 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE');
    if (want === 'private' && input.type !== 'private') throw codedError(TypeError, 'Invalid key object type public, expected private.', 'ERR_CRYPTO_INVALID_KEY_OBJECT_TYPE');
    if (input.type === want) return input;
    input = { key: keyMaterial.get(input).der, format: 'der', type: 'pkcs8' };
  }
  let key = input;
  let format = 'pem';
  let type = null;
  let passphrase;
  let encoding;
  if (input !== null && typeof input === 'object' && !ArrayBuffer.isView(input) && !(input instanceof ArrayBuffer)) {
    key = input.key;
    format = input.format || (key !== null && typeof key === 'object' && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer) ? 'jwk' : 'pem');
    type = input.type || null;
    passphrase = input.passphrase;
    encoding = input.encoding;
    if (key instanceof KeyObject) return asymmetricKey(want, key);
  }
  let data;
  if (format === 'jwk') {
    if (key === null || typeof key !== 'object') throw codedError(TypeError, 'The "key.key" property must be of type object.', 'ERR_INVALID_ARG_TYPE');
    data = Buffer.from(JSON.stringify(key), 'utf8');
  } else if (typeof key === 'string') {
    data = Buffer.from(key, format === 'der' ? encoding || 'utf8' : 'utf8');
  } else if (ArrayBuffer.isView(key) || key instanceof ArrayBuffer) {
    data = toBytes(key);
  } else {
    throw codedError(TypeError, 'The "key" argument must be of type string or an instance of ArrayBuffer, Buffer, TypedArray, DataView, KeyObject, or CryptoKey.', 'ERR_INVALID_ARG_TYPE');
  }
  const buffers = [data];
  if (passphrase !== undefined && passphrase !== null) buffers.push(toBytes(passphrase));
  const answer = readHeader(cryptoOp('keyInfo', { want: want, format: format, type: type }, buffers));
  return new KeyObject(want, {
    token: keyToken,
    der: answer.body,
    asymmetricKeyType: answer.header.asymmetricKeyType,
    asymmetricKeyDetails: keyDetails(answer.header.asymmetricKeyDetails || {}),
  });
}

export function createPublicKey(key) {
  return asymmetricKey('public', key);
}

export function createPrivateKey(key) {
  return asymmetricKey('private', key);
}

// --- signatures -----------------------------------------------------------------------------------------------

function signingKey(want, key) {
  if (key !== null && typeof key === 'object' && !(key instanceof KeyObject) && !ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer) && key.key !== undefined) {
    return { key: asymmetricKey(want === 'private' ? 'private' : 'public', key), options: key };
  }
  return { key: asymmetricKey(want === 'private' ? 'private' : 'public', key), options: {} };
}

function signOptions(key, options, algorithm) {
  return {
    kind: key.type,
    algorithm: algorithm === undefined || algorithm === null ? null : String(algorithm),
    padding: options.padding === undefined ? null : options.padding,
    saltLength: options.saltLength === undefined ? null : options.saltLength,
    dsaEncoding: options.dsaEncoding === undefined ? null : options.dsaEncoding,
  };
}

function signWith(algorithm, data, privateKey) {
  const { key, options } = signingKey('private', privateKey);
  return Buffer.from(cryptoOp('sign', signOptions(key, options, algorithm), [keyMaterial.get(key).der, data]));
}

function verifyWith(algorithm, data, publicKey, signature) {
  // A private key verifies too: Node derives its public half.
  const { key, options } = signingKey('public', publicKey);
  const out = cryptoOp('verify', signOptions(key, options, algorithm), [keyMaterial.get(key).der, data, signature]);
  return out[0] === 1;
}

// Sign and Verify collect the data written to them, as Node's do, and sign or verify it whole at the end.
class SignatureData {
  constructor(algorithm) {
    this._algorithm = String(algorithm);
    this._chunks = [];
  }
  update(data, encoding) {
    this._chunks.push(toBytes(data, encoding));
    return this;
  }
  write(data, encoding) {
    this.update(data, encoding);
    return true;
  }
  end(data, encoding) {
    if (data !== undefined) this.update(data, encoding);
    return this;
  }
}

class Sign extends SignatureData {
  sign(privateKey, outputEncoding) {
    const signature = signWith(this._algorithm, Buffer.concat(this._chunks), privateKey);
    return outputEncoding === undefined || outputEncoding === 'buffer' ? signature : signature.toString(outputEncoding);
  }
}

class Verify extends SignatureData {
  verify(publicKey, signature, signatureEncoding) {
    return verifyWith(this._algorithm, Buffer.concat(this._chunks), publicKey, toBytes(signature, signatureEncoding));
  }
}

export function createSign(algorithm) {
  return new Sign(algorithm);
}

export function createVerify(algorithm) {
  return new Verify(algorithm);
}

export function sign(algorithm, data, key, callback) {
  if (typeof callback === 'function') {
    let result;
    let error = null;
    try { result = signWith(algorithm, toBytes(data), key); } catch (err) { error = err; }
    setImmediate(() => (error ? callback(error) : callback(null, result)));
    return undefined;
  }
  return signWith(algorithm, toBytes(data), key);
}

export function verify(algorithm, data, key, signature, callback) {
  if (typeof callback === 'function') {
    let result;
    let error = null;
    try { result = verifyWith(algorithm, toBytes(data), key, toBytes(signature)); } catch (err) { error = err; }
    setImmediate(() => (error ? callback(error) : callback(null, result)));
    return undefined;
  }
  return verifyWith(algorithm, toBytes(data), key, toBytes(signature));
}

// --- key derivation -------------------------------------------------------------------------------------------

function keyBytes(value) {
  if (value instanceof KeyObject) return secretBytes(value);
  return toBytes(value);
}

export function pbkdf2Sync(password, salt, iterations, keylen, digestName) {
  const out = cryptoOp('pbkdf2', { iterations: iterations, keylen: keylen, digest: digestName === undefined ? 'sha1' : String(digestName) }, [keyBytes(password), keyBytes(salt)]);
  return Buffer.from(out);
}

export function pbkdf2(password, salt, iterations, keylen, digestName, callback) {
  if (typeof callback !== 'function') throw codedError(TypeError, 'The "callback" argument must be of type function.', 'ERR_INVALID_ARG_TYPE');
  let result;
  let error = null;
  try { result = pbkdf2Sync(password, salt, iterations, keylen, digestName); } catch (err) { error = err; }
  setImmediate(() => (error ? callback(error) : callback(null, result)));
}

function scryptOptions(keylen, options) {
  const o = options || {};
  const pick = (a, b) => (o[a] !== undefined ? o[a] : o[b]);
  const out = { keylen: keylen };
  const N = pick('N', 'cost');
  const r = pick('r', 'blockSize');
  const p = pick('p', 'parallelization');
  if (N !== undefined) out.N = N;
  if (r !== undefined) out.r = r;
  if (p !== undefined) out.p = p;
  if (o.maxmem !== undefined) out.maxmem = o.maxmem;
  return out;
}

export function scryptSync(password, salt, keylen, options) {
  return Buffer.from(cryptoOp('scrypt', scryptOptions(keylen, options), [keyBytes(password), keyBytes(salt)]));
}

export function scrypt(password, salt, keylen, options, callback) {
  if (typeof options === 'function') { callback = options; options = undefined; }
  if (typeof callback !== 'function') throw codedError(TypeError, 'The "callback" argument must be of type function.', 'ERR_INVALID_ARG_TYPE');
  let result;
  let error = null;
  try { result = scryptSync(password, salt, keylen, options); } catch (err) { error = err; }
  setImmediate(() => (error ? callback(error) : callback(null, result)));
}

// --- ciphers --------------------------------------------------------------------------------------------------

// The host computes a whole encryption at final(): update() collects the input and returns an empty output, so
// update() + final() give Node's bytes; code that reads only update()'s output (a CTR stream) gets nothing.
class CipherBase {
  constructor(decrypt, algorithm, key, iv, options) {
    this._decrypt = decrypt;
    this._algorithm = String(algorithm).toLowerCase();
    this._key = keyBytes(key);
    this._iv = iv === null || iv === undefined ? Buffer.alloc(0) : toBytes(iv);
    this._gcm = this._algorithm.endsWith('-gcm');
    this._authTagLength = options && options.authTagLength !== undefined ? options.authTagLength : 16;
    this._chunks = [];
    this._aad = undefined;
    this._autoPadding = true;
    this._authTag = undefined;
    this._done = false;
    // Node checks the algorithm, key and iv here: so does the host, by encrypting nothing.
    cryptoOp('cipher', this._options(false), [this._key, this._iv, new Uint8Array(0)]);
  }
  _options(decrypt) {
    return { algorithm: this._algorithm, decrypt: decrypt, autoPadding: this._autoPadding, authTagLength: this._gcm ? this._authTagLength : null };
  }
  update(data, inputEncoding, outputEncoding) {
    if (this._done) throw codedError(Error, 'Unsupported state', 'ERR_CRYPTO_INVALID_STATE');
    this._chunks.push(toBytes(data, inputEncoding));
    return outputEncoding === undefined || outputEncoding === 'buffer' ? Buffer.alloc(0) : '';
  }
  final(outputEncoding) {
    if (this._done) throw codedError(Error, 'Unsupported state', 'ERR_CRYPTO_INVALID_STATE');
    this._done = true;
    const data = Buffer.concat(this._chunks);
    this._chunks = [];
    const buffers = [this._key, this._iv, data, this._aad, this._decrypt && this._gcm ? this._authTag || new Uint8Array(0) : undefined];
    let out;
    try {
      out = Buffer.from(cryptoOp('cipher', this._options(this._decrypt), buffers));
    } catch (err) {
      if (this._decrypt && this._gcm) throw new Error('Unsupported state or unable to authenticate data');
      throw err;
    }
    if (!this._decrypt && this._gcm) {
      this._authTag = Buffer.from(out.subarray(out.length - this._authTagLength));
      out = out.subarray(0, out.length - this._authTagLength);
    }
    return outputEncoding === undefined || outputEncoding === 'buffer' ? Buffer.from(out) : out.toString(outputEncoding);
  }
  setAAD(buffer) {
    this._aad = toBytes(buffer);
    return this;
  }
  setAutoPadding(autoPadding) {
    this._autoPadding = autoPadding !== false;
    return this;
  }
}

class Cipheriv extends CipherBase {
  constructor(algorithm, key, iv, options) {
    super(false, algorithm, key, iv, options);
  }
  getAuthTag() {
    if (!this._gcm || !this._done) throw codedError(Error, 'Invalid state for operation getAuthTag', 'ERR_CRYPTO_INVALID_STATE');
    return Buffer.from(this._authTag);
  }
}

class Decipheriv extends CipherBase {
  constructor(algorithm, key, iv, options) {
    super(true, algorithm, key, iv, options);
  }
  setAuthTag(tag) {
    const bytes = toBytes(tag);
    if (this._gcm) this._authTagLength = bytes.length;
    this._authTag = bytes;
    return this;
  }
}

export function createCipheriv(algorithm, key, iv, options) {
  return new Cipheriv(algorithm, key, iv, options);
}

export function createDecipheriv(algorithm, key, iv, options) {
  return new Decipheriv(algorithm, key, iv, options);
}

function notAvailable(name) {
  return function () {
    throw new Error('crypto.' + name + ' is not available in Stratus (supported: hashes, HMAC, random bytes, keys, sign/verify, pbkdf2, scrypt, AES-GCM/CBC/CTR ciphers, timingSafeEqual)');
  };
}

export const generateKeyPair = notAvailable('generateKeyPair');
export const generateKeyPairSync = notAvailable('generateKeyPairSync');
export const generateKey = notAvailable('generateKey');
export const generateKeySync = notAvailable('generateKeySync');
export const createDiffieHellman = notAvailable('createDiffieHellman');
export const createECDH = notAvailable('createECDH');
export const publicEncrypt = notAvailable('publicEncrypt');
export const privateDecrypt = notAvailable('privateDecrypt');
export const hkdf = notAvailable('hkdf');
export const hkdfSync = notAvailable('hkdfSync');
export const webcrypto = globalThis.crypto;
export const subtle = globalThis.crypto.subtle;

export default {
  createHash, createHmac, hash, randomBytes, pseudoRandomBytes, randomFill, randomFillSync, randomInt, randomUUID,
  getRandomValues, timingSafeEqual, getHashes, getCiphers, constants, KeyObject, createSecretKey, createPublicKey,
  createPrivateKey, createSign, createVerify, sign, verify, pbkdf2, pbkdf2Sync, scrypt, scryptSync, createCipheriv,
  createDecipheriv, generateKeyPair, generateKeyPairSync, generateKey, generateKeySync, createDiffieHellman,
  createECDH, publicEncrypt, privateDecrypt, hkdf, hkdfSync, webcrypto, subtle,
};
