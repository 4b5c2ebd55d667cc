// crypto.randomUUID/getRandomValues/subtle.digest, and what the bundler's `crypto` shim reaches through
// 'stratus:host': everything is computed by the host from copies, and comes back as fresh ArrayBuffers.
import { domException } from './dom-exception.js';
import { hostCryptoCall, hostHashOffThread, referenceApplySyncPromise } from './host.js';
import {
  ArrayIsArray,
  ErrorCtor,
  JSONParse,
  JSONStringify,
  NumberCtor,
  RangeErrorCtor,
  ReflectApply,
  StringCtor,
  TypeErrorCtor,
  Uint8ArrayCtor,
  WeakMapCtor,
  rejected,
  resolved,
} from './primordials.js';
import { TextDecoder, bytesOf, utf8Encode } from './text-encoding.js';

const RANDOM_CHUNK_BYTES = 65536;
// Small inputs are hashed by the synchronous callback (a few microseconds on the host's main thread); larger ones
// by the host's worker threads, through a call that blocks this isolate's thread until the answer comes and leaves
// the host's main thread free. Either way Node's synchronous API (createHash().digest()) stays synchronous here.
const INLINE_HASH_MAX_BYTES = 16384;
/** The host's bounds on one crypto operation (src/crypto-ops.ts), checked before anything is copied out. */
const CRYPTO_MAX_BUFFERS = 6;
const CRYPTO_INPUT_MAX_BYTES = 16 * 1024 * 1024;

function hostBytes(result: ArrayBuffer | string): Uint8Array {
  if (typeof result === 'string') throw new ErrorCtor(result);
  return new Uint8ArrayCtor(result);
}

/** A copy of the bytes as a standalone ArrayBuffer: what the host callback accepts. */
function bufferCopy(view: unknown): ArrayBuffer {
  return bytesOf(view).slice().buffer;
}

function hostHash(op: string, algorithm: string, key: ArrayBuffer | undefined, data: ArrayBuffer): ArrayBuffer | string {
  const size = (key === undefined ? 0 : key.byteLength) + data.byteLength;
  const args: [string, ...unknown[]] = key === undefined ? [op, algorithm, data] : [op, algorithm, key, data];
  if (size <= INLINE_HASH_MAX_BYTES) return ReflectApply(hostCryptoCall, undefined, args);
  return ReflectApply(referenceApplySyncPromise as NonNullable<typeof referenceApplySyncPromise>, hostHashOffThread, [
    undefined,
    args,
    { arguments: { copy: true } },
  ]) as ArrayBuffer | string;
}

function randomFill(bytes: Uint8Array): Uint8Array {
  for (let offset = 0; offset < bytes.length; offset += RANDOM_CHUNK_BYTES) {
    const n = bytes.length - offset < RANDOM_CHUNK_BYTES ? bytes.length - offset : RANDOM_CHUNK_BYTES;
    bytes.set(hostBytes(hostCryptoCall('random', n)), offset);
  }
  return bytes;
}

function randomUUID(): string {
  const b = randomFill(new Uint8ArrayCtor(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  let hex = '';
  for (let i = 0; i < 16; i++) {
    const byte = b[i] as number;
    hex += (byte < 16 ? '0' : '') + byte.toString(16);
  }
  return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
}

function getRandomValues<T>(array: T): T {
  if (!ArrayBuffer.isView(array) || array instanceof Float32Array || array instanceof Float64Array || array instanceof DataView) {
    throw domException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  if (array.byteLength > 65536) throw domException('The ArrayBufferView byte length exceeds 65536', 'QuotaExceededError');
  randomFill(bytesOf(array));
  return array;
}

const DIGESTS: Readonly<Record<string, string>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** The global `crypto` object. */
export function createWebCrypto(): object {
  return { randomUUID: randomUUID, getRandomValues: getRandomValues, subtle: subtle };
}

/** Node's crypto module (the bundler's shim) reaches the host through these, by import of 'stratus:host'. */
export function hostDigest(algorithm: unknown, data: unknown): Uint8Array {
  return hostBytes(hostHash('digest', StringCtor(algorithm), undefined, bufferCopy(data)));
}

export function hostHmac(algorithm: unknown, key: unknown, data: unknown): Uint8Array {
  return hostBytes(hostHash('hmac', StringCtor(algorithm), bufferCopy(key), bufferCopy(data)));
}

/**
 * Node's crypto beyond hashes (keys, signatures, key derivation, ciphers, crypto.subtle), always computed on the
 * host's worker threads: options as JSON text, inputs as copies, the answer as fresh bytes. An error comes back as
 * 'CODE|message' when Node's error had a code.
 */
export function hostCryptoOp(op: unknown, options: unknown, buffers: unknown): Uint8Array {
  const args: unknown[] = ['crypto', StringCtor(op), JSONStringify(options === undefined ? {} : options)];
  if (ArrayIsArray(buffers)) {
    // Checked here as well as on the host: arguments are copied out of the isolate before the host sees them.
    if (buffers.length > CRYPTO_MAX_BUFFERS) throw new RangeErrorCtor('a crypto operation takes at most ' + CRYPTO_MAX_BUFFERS + ' inputs');
    let total = 0;
    for (let i = 0; i < buffers.length; i++) {
      const copy = buffers[i] === undefined ? undefined : bufferCopy(buffers[i]);
      total += copy === undefined ? 0 : copy.byteLength;
      if (total > CRYPTO_INPUT_MAX_BYTES) {
        throw new RangeErrorCtor('Stratus computes crypto on at most ' + CRYPTO_INPUT_MAX_BYTES + ' bytes in one operation');
      }
      args.push(copy);
    }
  }
  const result = ReflectApply(referenceApplySyncPromise as NonNullable<typeof referenceApplySyncPromise>, hostHashOffThread, [
    undefined,
    args,
    { arguments: { copy: true } },
  ]) as ArrayBuffer | string;
  if (typeof result === 'string') throw hostError(result);
  return new Uint8ArrayCtor(result);
}

/** The host's 'CODE|message' (a Node error code) or 'DOM:Name|message' (a Web Crypto DOMException) as an Error. */
function hostError(text: string): Error {
  const bar = text.indexOf('|');
  const prefix = bar > 0 ? text.slice(0, bar) : '';
  if (/^DOM:[A-Za-z]+$/.test(prefix)) return domException(text.slice(bar + 1), prefix.slice(4));
  if (!/^[A-Z0-9_]+$/.test(prefix)) return new ErrorCtor(text);
  const err = new ErrorCtor(text.slice(bar + 1)) as Error & { code?: string };
  err.code = prefix;
  return err;
}

// --- crypto.subtle beyond digest: keys are bytes here, imported on the host for every operation --------------

interface KeyMaterial {
  readonly format: string;
  readonly bytes: Uint8Array;
  readonly importAlgorithm: Record<string, unknown>;
}

const keyMaterial = new WeakMapCtor<object, KeyMaterial>();

class CryptoKey {
  #type: string;
  #extractable: boolean;
  #algorithm: Record<string, unknown>;
  #usages: string[];
  constructor(type: string, extractable: boolean, algorithm: Record<string, unknown>, usages: string[]) {
    this.#type = type;
    this.#extractable = extractable;
    this.#algorithm = algorithm;
    this.#usages = usages;
  }
  get type(): string {
    return this.#type;
  }
  get extractable(): boolean {
    return this.#extractable;
  }
  get algorithm(): Record<string, unknown> {
    return this.#algorithm;
  }
  get usages(): string[] {
    return this.#usages.slice();
  }
}

/** An algorithm's plain fields (names, hash, curve, lengths) for the host; byte fields travel as buffers. */
function plainAlgorithm(algorithm: unknown): Record<string, unknown> {
  if (typeof algorithm === 'string') return { name: algorithm };
  if (algorithm === null || typeof algorithm !== 'object') throw domException('Algorithm: Unrecognized name', 'NotSupportedError');
  const raw = algorithm as Record<string, unknown>;
  const out: Record<string, unknown> = { name: StringCtor(raw.name) };
  const hash = raw.hash as string | { name?: unknown } | null | undefined;
  if (hash !== undefined) out.hash = typeof hash === 'string' ? hash : StringCtor(hash?.name);
  if (raw.namedCurve !== undefined) out.namedCurve = StringCtor(raw.namedCurve);
  if (raw.saltLength !== undefined) out.saltLength = NumberCtor(raw.saltLength);
  if (raw.tagLength !== undefined) out.tagLength = NumberCtor(raw.tagLength);
  if (raw.length !== undefined) out.length = NumberCtor(raw.length);
  return out;
}

function keyOf(key: unknown, usage: string): KeyMaterial {
  const material = key !== null && typeof key === 'object' ? keyMaterial.get(key) : undefined;
  if (material === undefined) throw new TypeErrorCtor('The "key" argument must be an instance of CryptoKey.');
  if (!(key as CryptoKey).usages.includes(usage)) throw domException('Unable to use this key to ' + usage, 'InvalidAccessError');
  return material;
}

function subtleCall(method: string, material: KeyMaterial, algorithm: unknown, usages: readonly string[], data: unknown[]): Uint8Array {
  const raw = algorithm !== null && typeof algorithm === 'object' ? (algorithm as Record<string, unknown>) : {};
  const buffers: unknown[] = [material.bytes];
  for (let i = 0; i < data.length; i++) buffers.push(data[i]);
  const options: Record<string, unknown> = {
    method: method,
    format: material.format,
    usages: usages,
    keyAlgorithm: material.importAlgorithm,
    algorithm: plainAlgorithm(algorithm),
  };
  if (raw.iv !== undefined) {
    options.ivIndex = buffers.length;
    buffers.push(raw.iv);
  }
  if (raw.additionalData !== undefined) {
    options.aadIndex = buffers.length;
    buffers.push(raw.additionalData);
  }
  return hostCryptoOp('subtle', options, buffers);
}

function readHeader(bytes: Uint8Array): Record<string, unknown> {
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  let text = '';
  for (let i = 4; i < 4 + length; i++) text += StringCtor.fromCharCode(bytes[i] as number);
  return JSONParse(text) as Record<string, unknown>;
}

function settle<T>(work: () => T): Promise<T> {
  try {
    return resolved(work());
  } catch (err) {
    return rejected(err);
  }
}

function copyBytes(data: unknown): Uint8Array {
  return bytesOf(data).slice();
}

function importKey(format: unknown, keyData: unknown, algorithm: unknown, extractable: unknown, keyUsages: unknown): Promise<CryptoKey> {
  return settle(() => {
    const fmt = StringCtor(format);
    const usages: string[] = [];
    if (ArrayIsArray(keyUsages)) for (let i = 0; i < keyUsages.length; i++) usages.push(StringCtor(keyUsages[i]));
    const bytes = fmt === 'jwk' ? utf8Encode(JSONStringify(keyData)) : copyBytes(keyData);
    const importAlgorithm = plainAlgorithm(algorithm);
    const material: KeyMaterial = { format: fmt, bytes: bytes, importAlgorithm: importAlgorithm };
    const header = readHeader(subtleCall('importKey', material, algorithm, usages, []));
    const key = new CryptoKey(StringCtor(header.type), !!extractable, header.algorithm as Record<string, unknown>, usages);
    keyMaterial.set(key, material);
    return key;
  });
}

function exportKey(format: unknown, key: unknown): Promise<unknown> {
  return settle(() => {
    const material = key !== null && typeof key === 'object' ? keyMaterial.get(key) : undefined;
    if (material === undefined) throw new TypeErrorCtor('The "key" argument must be an instance of CryptoKey.');
    if (!(key as CryptoKey).extractable) throw domException('key is not extractable', 'InvalidAccessError');
    if (StringCtor(format) !== material.format || (material.format !== 'raw' && material.format !== 'jwk')) {
      throw domException('Stratus exports a key only in the format it was imported in (raw or jwk)', 'NotSupportedError');
    }
    if (material.format === 'jwk') return JSONParse(new TextDecoder().decode(material.bytes)) as unknown;
    return material.bytes.slice().buffer;
  });
}

const subtle = {
  digest(algorithm: unknown, data: unknown): Promise<ArrayBuffer> {
    try {
      const name = typeof algorithm === 'string' ? algorithm : algorithm && (algorithm as { name?: unknown }).name;
      const alg = DIGESTS[StringCtor(name).toUpperCase()];
      if (alg === undefined) throw domException('Unrecognized algorithm name', 'NotSupportedError');
      return resolved(hostBytes(hostHash('digest', alg, undefined, bufferCopy(data))).buffer as ArrayBuffer);
    } catch (err) {
      return rejected(err);
    }
  },
  importKey: importKey,
  exportKey: exportKey,
  sign(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    return settle(() => subtleCall('sign', keyOf(key, 'sign'), algorithm, (key as CryptoKey).usages, [data]).buffer as ArrayBuffer);
  },
  verify(algorithm: unknown, key: unknown, signature: unknown, data: unknown): Promise<boolean> {
    return settle(() => subtleCall('verify', keyOf(key, 'verify'), algorithm, (key as CryptoKey).usages, [data, signature])[0] === 1);
  },
  encrypt(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    return settle(() => subtleCall('encrypt', keyOf(key, 'encrypt'), algorithm, (key as CryptoKey).usages, [data]).buffer as ArrayBuffer);
  },
  decrypt(algorithm: unknown, key: unknown, data: unknown): Promise<ArrayBuffer> {
    return settle(() => subtleCall('decrypt', keyOf(key, 'decrypt'), algorithm, (key as CryptoKey).usages, [data]).buffer as ArrayBuffer);
  },
  generateKey: notSupported('generateKey'),
  deriveKey: notSupported('deriveKey'),
  deriveBits: notSupported('deriveBits'),
  wrapKey: notSupported('wrapKey'),
  unwrapKey: notSupported('unwrapKey'),
};

function notSupported(method: string): () => Promise<never> {
  return () => rejected(domException('crypto.subtle.' + method + ' is not available in Stratus', 'NotSupportedError'));
}

export { CryptoKey };

export function hostRandomFill<T>(view: T): T {
  randomFill(bytesOf(view));
  return view;
}
