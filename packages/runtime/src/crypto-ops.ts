import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  getHashes,
  pbkdf2Sync,
  scryptSync,
  sign as signData,
  verify as verifyData,
  webcrypto,
  type JsonWebKey,
  type JsonWebKeyInput,
  type PrivateKeyInput,
  type PublicKeyInput,
  type KeyObject,
} from 'node:crypto';

/**
 * Node's crypto beyond hashes, for functions: keys, signatures, key derivation, ciphers and crypto.subtle. The
 * isolate sends an operation name, its options as JSON text and its inputs as ArrayBuffers (copies); the answer is a
 * fresh ArrayBuffer, or a string saying what was wrong. Keys live in the isolate as bytes (SPKI or PKCS#8 DER, or a
 * secret's bytes) and are parsed again here for every operation: nothing of the host is kept or handed back.
 * Everything runs on the hash pool's worker threads (see hash-pool.ts), never on the process's main thread.
 */

/** Largest options text: they name algorithms and a few numbers. */
const OPTIONS_MAX_CHARS = 64 * 1024;
/** Largest key, in any form (an RSA 16384-bit private key in PEM is about 13 KB). */
export const KEY_MAX_BYTES = 64 * 1024;
/** Largest data one operation takes: its copy lives outside the isolate's memory limit while it is worked on. */
export const CRYPTO_INPUT_MAX_BYTES = 16 * 1024 * 1024;
/** pbkdf2 iterations: more keeps a worker thread busy for many seconds. */
export const PBKDF2_MAX_ITERATIONS = 10_000_000;
/** Largest derived key (pbkdf2, scrypt). */
export const DERIVED_KEY_MAX_BYTES = 1024 * 1024;
/** scrypt's memory lives on the host, outside the function's memory size: Node's default maxmem, and no more. */
export const SCRYPT_MAX_MEMORY_BYTES = 32 * 1024 * 1024;
/** scrypt's p: each one repeats the whole memory-hard work. */
export const SCRYPT_MAX_PARALLELIZATION = 16;

const HASHES = new Set(getHashes().map((name) => name.toLowerCase()));
const CIPHERS = /^aes-(128|192|256)-(gcm|cbc|ctr)$/;
const ASYMMETRIC_TYPES = new Set(['rsa', 'rsa-pss', 'ec', 'ed25519', 'ed448', 'x25519', 'x448', 'dsa', 'dh']);

export type CryptoOpName = 'keyInfo' | 'keyExport' | 'sign' | 'verify' | 'pbkdf2' | 'scrypt' | 'cipher' | 'subtle';
const OPS: ReadonlySet<string> = new Set<CryptoOpName>(['keyInfo', 'keyExport', 'sign', 'verify', 'pbkdf2', 'scrypt', 'cipher', 'subtle']);

/** A checked request: what the worker thread computes. */
export interface CryptoTask {
  readonly op: CryptoOpName;
  readonly options: Readonly<Record<string, unknown>>;
  /** Inputs by position; an absent optional one (a GCM cipher's additional data) is undefined. */
  readonly buffers: readonly (ArrayBuffer | undefined)[];
}

/** Checks the isolate's (copied) arguments: (op, optionsJson, ...buffers). */
export function cryptoTask(op: unknown, optionsJson: unknown, buffers: readonly unknown[]): CryptoTask | string {
  if (typeof op !== 'string' || !OPS.has(op)) return `unknown crypto operation ${String(op)}`;
  if (typeof optionsJson !== 'string' || optionsJson.length > OPTIONS_MAX_CHARS) return 'crypto options must be JSON text of at most 64 KiB';
  let options: unknown;
  try {
    options = JSON.parse(optionsJson);
  } catch {
    return 'crypto options must be JSON text';
  }
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return 'crypto options must be a JSON object';
  let total = 0;
  const checked: (ArrayBuffer | undefined)[] = [];
  for (const buffer of buffers) {
    if (buffer !== undefined && !(buffer instanceof ArrayBuffer)) return 'crypto inputs must be ArrayBuffers';
    total += buffer?.byteLength ?? 0;
    checked.push(buffer);
  }
  if (total > CRYPTO_INPUT_MAX_BYTES) return `Stratus computes crypto on at most ${CRYPTO_INPUT_MAX_BYTES} bytes in one operation (got ${total})`;
  return { op: op as CryptoOpName, options: options as Record<string, unknown>, buffers: checked };
}

/** Computes a checked task (on a worker thread). Never throws: errors come back as their message. */
export async function runCryptoTask(task: CryptoTask): Promise<ArrayBuffer | string> {
  try {
    switch (task.op) {
      case 'keyInfo':
        return keyInfo(task);
      case 'keyExport':
        return keyExport(task);
      case 'sign':
        return sign(task);
      case 'verify':
        return verify(task);
      case 'pbkdf2':
        return pbkdf2(task);
      case 'scrypt':
        return scrypt(task);
      case 'cipher':
        return cipher(task);
      case 'subtle':
        return await subtle(task);
    }
  } catch (err) {
    return errorText(err);
  }
}

function errorText(err: unknown): string {
  // Web Crypto's errors are DOMExceptions, told apart by name: the isolate makes them again from 'DOM:Name|message'.
  if (err instanceof DOMException) return `DOM:${err.name}|${err.message}`;
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    // The isolate turns 'code|message' back into an Error with that code, as Node's errors have one.
    return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? `${code}|${err.message}` : err.message;
  }
  return String(err);
}

class CryptoInputError extends Error {}

function buffer(task: CryptoTask, index: number, what: string): Uint8Array {
  const b = task.buffers[index];
  if (b === undefined) throw new CryptoInputError(`${what} is missing`);
  return new Uint8Array(b);
}

function stringOption(task: CryptoTask, name: string, allowed?: ReadonlySet<string> | RegExp): string {
  const value = task.options[name];
  if (typeof value !== 'string' || value.length > 256) throw new CryptoInputError(`${name} must be a string`);
  if (allowed instanceof RegExp ? !allowed.test(value) : allowed !== undefined && !allowed.has(value)) throw new CryptoInputError(`${name} ${value} is not supported`);
  return value;
}

function optionalString(task: CryptoTask, name: string): string | undefined {
  const value = task.options[name];
  return value === undefined || value === null ? undefined : stringOption(task, name);
}

function integerOption(task: CryptoTask, name: string, min: number, max: number, fallback?: number): number {
  const value = task.options[name] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CryptoInputError(`${name} must be an integer from ${min} to ${max} in Stratus, got ${JSON.stringify(value)}`);
  }
  return value;
}

function fresh(bytes: Uint8Array): ArrayBuffer {
  const out = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(out).set(bytes);
  return out;
}

/** Bytes of a UTF-8 JSON header (4-byte length, big-endian) followed by a body: how keyInfo answers. */
function withHeader(header: unknown, body: Uint8Array): ArrayBuffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const out = new Uint8Array(4 + json.length + body.length);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  out.set(body, 4 + json.length);
  return out.buffer;
}

// --- keys -----------------------------------------------------------------------------------------------------

const KEY_FORMATS = new Set(['pem', 'der', 'jwk']);
const KEY_ENCODINGS = new Set(['pkcs1', 'pkcs8', 'spki', 'sec1']);

/** A key as the isolate holds it: SPKI DER (public) or PKCS#8 DER (private). */
function storedKey(task: CryptoTask, index: number): KeyObject {
  const kind = stringOption(task, 'kind', new Set(['public', 'private']));
  const der = Buffer.from(buffer(task, index, 'the key'));
  if (der.length > KEY_MAX_BYTES) throw new CryptoInputError(`a key is at most ${KEY_MAX_BYTES} bytes in Stratus`);
  return kind === 'private' ? createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }) : createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/**
 * Parses a key the function gave (PEM, DER or JWK; public or private, or a private key's public half) and answers
 * its canonical DER with its type and details, which the isolate's KeyObject keeps.
 */
function keyInfo(task: CryptoTask): ArrayBuffer {
  const want = stringOption(task, 'want', new Set(['public', 'private']));
  const format = stringOption(task, 'format', KEY_FORMATS);
  const type = optionalString(task, 'type');
  if (type !== undefined && !KEY_ENCODINGS.has(type)) throw new CryptoInputError(`key type ${type} is not supported`);
  const data = buffer(task, 0, 'the key');
  if (data.length > KEY_MAX_BYTES) throw new CryptoInputError(`a key is at most ${KEY_MAX_BYTES} bytes in Stratus`);
  const passphrase = task.buffers[1] === undefined ? undefined : Buffer.from(task.buffers[1]);
  const text = Buffer.from(data).toString('utf8');
  const input =
    format === 'jwk'
      ? { key: JSON.parse(text) as JsonWebKey, format: 'jwk' as const }
      : format === 'pem'
        ? { key: text, format: 'pem' as const, ...(passphrase !== undefined ? { passphrase } : {}) }
        : { key: Buffer.from(data), format: 'der' as const, type: (type ?? (want === 'public' ? 'spki' : 'pkcs8')) as 'pkcs1' | 'spki' | 'pkcs8' | 'sec1', ...(passphrase !== undefined ? { passphrase } : {}) };
  // Node takes a private key's DER (pkcs8, sec1) for a public key too, and derives it; its typings do not say so.
  const key = want === 'private' ? createPrivateKey(input as PrivateKeyInput | JsonWebKeyInput) : createPublicKey(input as PublicKeyInput | JsonWebKeyInput);
  const der = want === 'private' ? key.export({ type: 'pkcs8', format: 'der' }) : key.export({ type: 'spki', format: 'der' });
  const details: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(key.asymmetricKeyDetails ?? {})) details[name] = typeof value === 'bigint' ? { bigint: value.toString() } : value;
  return withHeader({ asymmetricKeyType: key.asymmetricKeyType, asymmetricKeyDetails: details }, der);
}

/** KeyObject.export(): PEM or DER in the encoding asked for, or JWK, from the stored DER. */
function keyExport(task: CryptoTask): ArrayBuffer {
  const key = storedKey(task, 0);
  const format = stringOption(task, 'format', KEY_FORMATS);
  if (format === 'jwk') return fresh(Buffer.from(JSON.stringify(key.export({ format: 'jwk' })), 'utf8'));
  const type = stringOption(task, 'type', KEY_ENCODINGS);
  const cipherName = optionalString(task, 'cipher');
  const passphrase = task.buffers[1] === undefined ? undefined : Buffer.from(task.buffers[1]);
  const options = {
    format: format as 'pem' | 'der',
    type: type as 'pkcs1' | 'spki' | 'pkcs8' | 'sec1',
    ...(cipherName !== undefined ? { cipher: cipherName, passphrase: passphrase ?? '' } : {}),
  };
  const out = (key.export as (o: typeof options) => string | Buffer)(options);
  return fresh(typeof out === 'string' ? Buffer.from(out, 'utf8') : out);
}

// --- signatures ---------------------------------------------------------------------------------------------

function signOptions(task: CryptoTask, key: KeyObject): { key: KeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'der' | 'ieee-p1363' } {
  const padding = task.options.padding;
  const saltLength = task.options.saltLength;
  const dsaEncoding = optionalString(task, 'dsaEncoding');
  if (dsaEncoding !== undefined && dsaEncoding !== 'der' && dsaEncoding !== 'ieee-p1363') throw new CryptoInputError(`dsaEncoding ${dsaEncoding} is not supported`);
  return {
    key,
    ...(padding !== undefined && padding !== null ? { padding: integerOption(task, 'padding', 0, 8) } : {}),
    ...(saltLength !== undefined && saltLength !== null ? { saltLength: integerOption(task, 'saltLength', -3, 1024) } : {}),
    ...(dsaEncoding !== undefined ? { dsaEncoding } : {}),
  };
}

function digestOption(task: CryptoTask): string | null {
  const algorithm = task.options.algorithm;
  if (algorithm === null || algorithm === undefined) return null;
  if (typeof algorithm !== 'string' || !HASHES.has(algorithm.toLowerCase())) throw new CryptoInputError(`Invalid digest: ${typeof algorithm === 'string' ? algorithm : JSON.stringify(algorithm)}`);
  return algorithm;
}

function sign(task: CryptoTask): ArrayBuffer {
  const key = storedKey(task, 0);
  return fresh(signData(digestOption(task), buffer(task, 1, 'the data'), signOptions(task, key)));
}

function verify(task: CryptoTask): ArrayBuffer {
  const key = storedKey(task, 0);
  const ok = verifyData(digestOption(task), buffer(task, 1, 'the data'), signOptions(task, key), buffer(task, 2, 'the signature'));
  return fresh(new Uint8Array([ok ? 1 : 0]));
}

// --- key derivation ---------------------------------------------------------------------------------------------

function pbkdf2(task: CryptoTask): ArrayBuffer {
  const digest = stringOption(task, 'digest');
  if (!HASHES.has(digest.toLowerCase())) throw new CryptoInputError(`Invalid digest: ${digest}`);
  const iterations = integerOption(task, 'iterations', 1, PBKDF2_MAX_ITERATIONS);
  const keylen = integerOption(task, 'keylen', 0, DERIVED_KEY_MAX_BYTES);
  return fresh(pbkdf2Sync(buffer(task, 0, 'the password'), buffer(task, 1, 'the salt'), iterations, keylen, digest));
}

function scrypt(task: CryptoTask): ArrayBuffer {
  const keylen = integerOption(task, 'keylen', 0, DERIVED_KEY_MAX_BYTES);
  const cost = integerOption(task, 'N', 2, 2 ** 30, 16384);
  const blockSize = integerOption(task, 'r', 1, 1024, 8);
  // p multiplies the work, not the memory: bounded so one call cannot hold a worker thread for minutes.
  const parallelization = integerOption(task, 'p', 1, SCRYPT_MAX_PARALLELIZATION, 1);
  const maxmem = integerOption(task, 'maxmem', 1, SCRYPT_MAX_MEMORY_BYTES, SCRYPT_MAX_MEMORY_BYTES);
  if (128 * cost * blockSize > SCRYPT_MAX_MEMORY_BYTES) {
    throw new CryptoInputError(`scrypt needs 128 * N * r bytes of memory; Stratus allows at most ${SCRYPT_MAX_MEMORY_BYTES} (Node's default maxmem)`);
  }
  return fresh(scryptSync(buffer(task, 0, 'the password'), buffer(task, 1, 'the salt'), keylen, { N: cost, r: blockSize, p: parallelization, maxmem }));
}

// --- ciphers ------------------------------------------------------------------------------------------------

/**
 * One whole encryption or decryption: the isolate's Cipheriv/Decipheriv collect their input and ask at final().
 * Buffers: key, iv, data, aad (GCM), authTag (GCM decryption). Encrypting with GCM answers the ciphertext followed
 * by the tag.
 */
function cipher(task: CryptoTask): ArrayBuffer {
  const algorithm = stringOption(task, 'algorithm').toLowerCase();
  if (!CIPHERS.test(algorithm)) throw new CryptoInputError(`Stratus supports the ciphers aes-128/192/256-gcm, -cbc and -ctr, not ${algorithm}`);
  const decrypt = task.options.decrypt === true;
  const gcm = algorithm.endsWith('-gcm');
  const key = buffer(task, 0, 'the key');
  const iv = buffer(task, 1, 'the iv');
  const data = buffer(task, 2, 'the data');
  const authTagLength = gcm ? integerOption(task, 'authTagLength', 4, 16, 16) : undefined;
  // Node's typings tie authTagLength to the GCM overloads, which take a literal algorithm name.
  const options = (authTagLength !== undefined ? { authTagLength } : {}) as Record<string, never>;
  if (decrypt) {
    const decipher = createDecipheriv(algorithm, key, iv, options);
    decipher.setAutoPadding(task.options.autoPadding !== false);
    if (gcm) {
      const aad = task.buffers[3];
      if (aad !== undefined && aad.byteLength > 0) (decipher as unknown as { setAAD(b: Uint8Array): void }).setAAD(new Uint8Array(aad));
      (decipher as unknown as { setAuthTag(b: Uint8Array): void }).setAuthTag(buffer(task, 4, 'the auth tag'));
    }
    return fresh(Buffer.concat([decipher.update(data), decipher.final()]));
  }
  const cipherObject = createCipheriv(algorithm, key, iv, options);
  cipherObject.setAutoPadding(task.options.autoPadding !== false);
  if (gcm) {
    const aad = task.buffers[3];
    if (aad !== undefined && aad.byteLength > 0) (cipherObject as unknown as { setAAD(b: Uint8Array): void }).setAAD(new Uint8Array(aad));
  }
  const out = Buffer.concat([cipherObject.update(data), cipherObject.final()]);
  return fresh(gcm ? Buffer.concat([out, (cipherObject as unknown as { getAuthTag(): Buffer }).getAuthTag()]) : out);
}

// --- crypto.subtle ----------------------------------------------------------------------------------------------

const SUBTLE_METHODS = new Set(['importKey', 'sign', 'verify', 'encrypt', 'decrypt', 'exportKey']);
const SUBTLE_FORMATS = new Set(['raw', 'spki', 'pkcs8', 'jwk']);
const SUBTLE_ALGORITHMS = new Set(['HMAC', 'RSASSA-PKCS1-V1_5', 'RSA-PSS', 'ECDSA', 'AES-GCM', 'ED25519']);
const SUBTLE_HASHES = new Set(['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']);

/** An algorithm object as Web Crypto takes it, checked and copied: names, hashes, curves and numbers only. */
function subtleAlgorithm(value: unknown, ivBuffer: ArrayBuffer | undefined, aadBuffer: ArrayBuffer | undefined): Record<string, unknown> {
  if (value === null || typeof value !== 'object') throw new CryptoInputError('the algorithm must be an object with a name');
  const raw = value as Record<string, unknown>;
  const name = typeof raw.name === 'string' ? raw.name.toUpperCase() : '';
  if (!SUBTLE_ALGORITHMS.has(name)) throw new CryptoInputError(`Stratus's crypto.subtle supports HMAC, RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA, Ed25519 and AES-GCM, not ${String(raw.name)}`);
  const out: Record<string, unknown> = { name };
  if (raw.hash !== undefined) {
    const given = raw.hash as string | { name?: unknown } | null;
    const hash = typeof given === 'string' ? given : given?.name;
    if (typeof hash !== 'string' || !SUBTLE_HASHES.has(hash.toUpperCase())) throw new CryptoInputError(`hash ${String(hash)} is not supported`);
    out.hash = hash.toUpperCase();
  }
  if (typeof raw.namedCurve === 'string') out.namedCurve = raw.namedCurve;
  for (const field of ['saltLength', 'tagLength', 'length']) {
    const n = raw[field];
    if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65536) out[field] = n;
  }
  if (ivBuffer !== undefined) out.iv = new Uint8Array(ivBuffer);
  if (aadBuffer !== undefined) out.additionalData = new Uint8Array(aadBuffer);
  return out;
}

/**
 * One Web Crypto call on a key imported for it (the isolate's CryptoKey keeps its format and bytes). Buffers:
 * keyData, then the data, then the signature (verify); iv and additionalData come as buffers too.
 */
async function subtle(task: CryptoTask): Promise<ArrayBuffer> {
  const method = stringOption(task, 'method', SUBTLE_METHODS);
  const format = stringOption(task, 'format', SUBTLE_FORMATS);
  const usages = task.options.usages;
  if (!Array.isArray(usages) || usages.length > 8 || !usages.every((u) => typeof u === 'string')) throw new CryptoInputError('usages must be a list of strings');
  const ivIndex = typeof task.options.ivIndex === 'number' ? task.options.ivIndex : undefined;
  const aadIndex = typeof task.options.aadIndex === 'number' ? task.options.aadIndex : undefined;
  const algorithm = subtleAlgorithm(task.options.algorithm, ivIndex === undefined ? undefined : task.buffers[ivIndex], aadIndex === undefined ? undefined : task.buffers[aadIndex]);
  const keyBytes = buffer(task, 0, 'the key data');
  if (keyBytes.length > KEY_MAX_BYTES) throw new CryptoInputError(`a key is at most ${KEY_MAX_BYTES} bytes in Stratus`);
  const keyData = format === 'jwk' ? (JSON.parse(Buffer.from(keyBytes).toString('utf8')) as webcrypto.JsonWebKey) : keyBytes;
  const importAlgorithm = subtleAlgorithm(task.options.keyAlgorithm ?? task.options.algorithm, undefined, undefined);
  const key = await (webcrypto.subtle.importKey as (...args: unknown[]) => Promise<webcrypto.CryptoKey>)(format, keyData, importAlgorithm, method === 'exportKey', usages);
  switch (method) {
    case 'importKey':
      return withHeader({ type: key.type, algorithm: exportableAlgorithm(key.algorithm) }, new Uint8Array(0));
    case 'exportKey':
      return fresh(new Uint8Array(await webcrypto.subtle.exportKey('raw', key)));
    case 'sign':
      return fresh(new Uint8Array(await webcrypto.subtle.sign(algorithm as unknown as webcrypto.AlgorithmIdentifier, key, buffer(task, 1, 'the data'))));
    case 'verify': {
      const ok = await webcrypto.subtle.verify(algorithm as unknown as webcrypto.AlgorithmIdentifier, key, buffer(task, 2, 'the signature'), buffer(task, 1, 'the data'));
      return fresh(new Uint8Array([ok ? 1 : 0]));
    }
    case 'encrypt':
      return fresh(new Uint8Array(await webcrypto.subtle.encrypt(algorithm as unknown as webcrypto.AlgorithmIdentifier, key, buffer(task, 1, 'the data'))));
    case 'decrypt':
      return fresh(new Uint8Array(await webcrypto.subtle.decrypt(algorithm as unknown as webcrypto.AlgorithmIdentifier, key, buffer(task, 1, 'the data'))));
    default:
      throw new CryptoInputError(`crypto.subtle.${method} is not supported`);
  }
}

/** A key's algorithm as plain data (the hash by name, bigints as numbers): what CryptoKey.algorithm shows. */
function exportableAlgorithm(algorithm: webcrypto.KeyAlgorithm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(algorithm)) {
    if (value instanceof Uint8Array) out[name] = Array.from(value);
    else if (typeof value === 'bigint') out[name] = Number(value);
    else out[name] = value;
  }
  return out;
}

export { ASYMMETRIC_TYPES };
